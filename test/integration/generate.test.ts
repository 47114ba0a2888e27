/** Generating a video end to end inside a real extension host, against the project's API simulator. */

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { BACK, Environment, recordMessages, sampleVideo, setUpEnvironment, stateOf, waitFor, withAnswers } from './helpers';
import { defaultModelId } from '../../src/core/videoModels';

describe('generating a video', function () {
	this.timeout(60_000);
	let env: Environment;

	before(async () => {
		env = await setUpEnvironment();
	});

	after(async () => {
		await env?.dispose();
	});

	const taskOf = (taskId: string | undefined) => env.api.tasks().find(task => task.taskId === taskId);
	const itemOf = (id: string) => env.api.treeItems().find(item => item.id === id);
	const iconOf = (id: string) => (itemOf(id)?.iconPath as vscode.ThemeIcon | undefined)?.id;

	it('sends the key from SecretStorage with the submit, and only to the API host', async () => {
		const taskId = await vscode.commands.executeCommand<string>('videogen.generate', { prompt: 'A lighthouse in fog', size: '1280x720', duration: 4 });
		assert.ok(taskId && env.sim.tasks.has(taskId), 'the simulator did not accept a task');
		const submit = env.sim.requests.find(r => r.server === 'api' && r.path === '/v1/tasks/submit');
		assert.strictEqual(submit?.headers.authorization, env.sim.apiKey);
		assert.deepStrictEqual(JSON.parse(submit!.body), { model: defaultModelId, input: { prompt: 'A lighthouse in fog' }, parameters: { size: '1280x720', duration: 4 } });
		await waitFor('the video to be saved', () => taskOf(taskId)?.download?.phase === 'done');
		const storage = env.sim.requests.filter(r => r.server === 'storage');
		assert.ok(storage.length > 0, 'nothing was downloaded');
		assert.ok(storage.every(r => !('authorization' in r.headers)), 'the storage host received an Authorization header');
	});

	it('runs generate with an argument to the end: task at once, video saved byte for byte, tree shows it playable', async () => {
		const seen = new Set<string>();
		let id: string | undefined;
		const watcher = env.api.onDidChangeTasks(() => {
			const task = id ? env.api.tasks().find(t => t.id === id) : env.api.tasks()[0];
			id ??= task?.id;
			if (task) {
				seen.add(`${task.phase}:${iconOf(task.id)}`);
			}
		});
		try {
			const taskId = await vscode.commands.executeCommand<string>('videogen.generate', { prompt: 'A paper boat on a rainy street [slow]', size: '720x1280', duration: 8 });
			const task = taskOf(taskId)!;
			assert.strictEqual(task.parameters.size, '720x1280');
			assert.strictEqual(task.parameters.duration, 8);
			const saved = await waitFor('the download to finish', () => taskOf(taskId)?.download?.phase === 'done' && taskOf(taskId));
			const file = saved.download!.files![0];
			assert.strictEqual(path.dirname(file), env.downloadFolder);
			assert.ok(fs.readFileSync(file).equals(sampleVideo()), 'the saved file differs from the served video');
			assert.deepStrictEqual(fs.readdirSync(env.downloadFolder).filter(name => name.endsWith('.part')), []);
			const item = itemOf(saved.id)!;
			assert.strictEqual(iconOf(saved.id), 'pass');
			assert.match(String(item.contextValue), /\bplayable\b/);
			assert.match(stateOf(item), /Ready/);
			assert.match(stateOf(item), /720x1280/);
			assert.match(stateOf(item), /8s/);
			// The tree went through the service's states on the way.
			assert.ok([...seen].some(s => s.startsWith('pending:clock')), `never showed Pending: ${[...seen].join(', ')}`);
			assert.ok([...seen].some(s => s.startsWith('running:sync~spin')), `never showed Running: ${[...seen].join(', ')}`);
		} finally {
			watcher.dispose();
		}
	});

	it('asks the model, the prompt and the settings in one multi-step input, starting from the configured defaults', async () => {
		const config = vscode.workspace.getConfiguration('videogen');
		await config.update('defaultSize', '1280x720', vscode.ConfigurationTarget.Global);
		await config.update('defaultDuration', 12, vscode.ConfigurationTarget.Global);
		try {
			const { result: taskId, asked, shown } = await withAnswers(['Sora 2', 'A slow pan over a desert', 'Generate'], () => vscode.commands.executeCommand<string>('videogen.generate'));
			assert.deepStrictEqual(shown.map(question => question.title), ['Generate Video: Model (1/3)', 'Generate Video: Prompt (2/3)', 'Generate Video: Settings (3/3)']);
			assert.strictEqual(shown[0].active, 'Sora 2', 'the configured model is focused');
			assert.strictEqual(shown[0].items!.find(item => item.label === 'Sora 2')?.description, 'openai/sora-2/text-to-video · default');
			assert.ok(['Veo 3.1', 'Kling 3', 'Seedance 1.5 Pro', 'Another model…'].every(label => shown[0].labels!.includes(label)), asked[0]);
			assert.deepStrictEqual(shown[0].buttons, [], 'no Back on the first step');
			assert.deepStrictEqual(shown[1].buttons?.[0], 'Back');
			const settings = shown[2].items!;
			assert.strictEqual(settings[0].label, 'Generate');
			assert.strictEqual(settings[0].description, 'Sora 2 · 1280x720 · 12 s', 'the summary names the unit of the duration');
			assert.strictEqual(settings.find(item => item.label === 'Size')?.description, '1280x720');
			assert.strictEqual(settings.find(item => item.label === 'Duration (s)')?.description, '12');
			assert.deepStrictEqual(taskOf(taskId)?.parameters, { size: '1280x720', duration: 12 });
		} finally {
			await config.update('defaultSize', undefined, vscode.ConfigurationTarget.Global);
			await config.update('defaultDuration', undefined, vscode.ConfigurationTarget.Global);
		}
	});

	it('goes back a step with every answer kept, and takes a changed model and setting', async () => {
		const { result: taskId, shown } = await withAnswers([
			'Sora 2', 'A kite over dunes', BACK, // Settings → Prompt
			'A kite over dunes at dawn', BACK, // Settings → Prompt
			BACK, // Prompt → Model
			'Sora 2 Pro', 'A kite over dunes at dawn', // the prompt is still there
			'Size', '1792x1024', 'Generate',
		], () => vscode.commands.executeCommand<string>('videogen.generate'));
		assert.deepStrictEqual(shown.map(question => question.title.replace('Generate Video: ', '')), [
			'Model (1/3)', 'Prompt (2/3)', 'Settings (3/3)', 'Prompt (2/3)', 'Settings (3/3)', 'Prompt (2/3)', 'Model (1/3)', 'Prompt (2/3)', 'Settings (3/3)', 'Size (3/3)', 'Settings (3/3)',
		]);
		assert.strictEqual(shown[3].value, 'A kite over dunes', 'Back keeps the prompt');
		assert.strictEqual(shown[7].value, 'A kite over dunes at dawn', 'changing the model keeps the prompt');
		assert.ok(shown[9].labels!.includes('1792x1024'), 'Sora 2 Pro offers its own sizes');
		const task = taskOf(taskId)!;
		assert.strictEqual(task.model, 'openai/sora-2/text-to-video-pro');
		assert.strictEqual(task.prompt, 'A kite over dunes at dawn');
		assert.deepStrictEqual(task.parameters, { size: '1792x1024', duration: 4 });
	});

	it('submits nothing when the user presses Esc at any step, and keeps the prompt typed for the next time', async () => {
		const before = env.sim.stats.submitsReceived;
		for (const answers of [[undefined], ['Sora 2', undefined], ['Sora 2', 'A cat asleep on a warm roof', undefined]]) {
			const { result } = await withAnswers(answers, () => vscode.commands.executeCommand<string>('videogen.generate'));
			assert.strictEqual(result, undefined);
		}
		assert.strictEqual(env.sim.stats.submitsReceived, before);
		const { shown } = await withAnswers(['Sora 2', { button: 'Recent prompts' }, undefined], () => vscode.commands.executeCommand<string>('videogen.generate'));
		assert.strictEqual(shown[1].value, 'A cat asleep on a warm roof', 'the next Generate Video starts from the prompt left behind');
		assert.strictEqual(shown[2].labels![0], 'A cat asleep on a warm roof', 'the prompt heads the recent ones');
		assert.strictEqual(env.sim.stats.submitsReceived, before);
	});

	it('forgets every prompt kept on Clear Prompt History, after asking, and keeps them when the question is dismissed', async () => {
		await withAnswers(['Sora 2', 'A lantern on a night river', undefined], () => vscode.commands.executeCommand<string>('videogen.generate'));
		const dismissed = await recordMessages(() => vscode.commands.executeCommand<boolean>('videogen.clearPromptHistory'));
		assert.strictEqual(dismissed.result, false);
		assert.match(dismissed.messages[0], /^warning: Clear the \d+ prompts VideoGen keeps for Generate Video\?$/);
		const kept = await withAnswers(['Sora 2', undefined], () => vscode.commands.executeCommand<string>('videogen.generate'));
		assert.strictEqual(kept.shown[1].value, 'A lantern on a night river', 'dismissing the question keeps the draft');

		const cleared = await recordMessages(() => vscode.commands.executeCommand<boolean>('videogen.clearPromptHistory'), (_, buttons) => buttons.includes('Clear') ? 'Clear' : undefined);
		assert.strictEqual(cleared.result, true);
		const { shown } = await withAnswers(['Sora 2', undefined], () => vscode.commands.executeCommand<string>('videogen.generate'));
		assert.strictEqual(shown[1].value, '', 'no draft after clearing');
		assert.deepStrictEqual(shown[1].buttons?.filter(button => button === 'Recent prompts'), [], 'no recent prompts to offer');
		const empty = await recordMessages(() => vscode.commands.executeCommand<boolean>('videogen.clearPromptHistory'));
		assert.deepStrictEqual(empty.messages, ['info: VideoGen keeps no prompts: the prompt history is empty.']);
	});

	it('keeps no prompt while videogen.promptHistory is off, and removes what it kept when it is turned off', async () => {
		const config = vscode.workspace.getConfiguration('videogen');
		await withAnswers(['Sora 2', 'A heron in the reeds', undefined], () => vscode.commands.executeCommand<string>('videogen.generate'));
		try {
			await config.update('promptHistory', false, vscode.ConfigurationTarget.Global);
			await withAnswers(['Sora 2', 'A fox in the snow', undefined], () => vscode.commands.executeCommand<string>('videogen.generate'));
			const off = await withAnswers(['Sora 2', undefined], () => vscode.commands.executeCommand<string>('videogen.generate'));
			assert.strictEqual(off.shown[1].value, '', 'nothing typed is kept while history is off');
			assert.deepStrictEqual(off.shown[1].buttons?.filter(button => button === 'Recent prompts'), []);
		} finally {
			await config.update('promptHistory', undefined, vscode.ConfigurationTarget.Global);
		}
		const on = await withAnswers(['Sora 2', undefined], () => vscode.commands.executeCommand<string>('videogen.generate'));
		assert.strictEqual(on.shown[1].value, '', 'what was kept before it was turned off is gone');
		assert.deepStrictEqual(on.shown[1].buttons?.filter(button => button === 'Recent prompts'), [], 'the heron prompt is not among recent prompts any more');
	});

	it('uses the editor selection as the prompt and asks only the model and the settings', async () => {
		const document = await vscode.workspace.openTextDocument({ content: 'intro\nA hummingbird hovering over a red flower, macro lens\noutro' });
		const editor = await vscode.window.showTextDocument(document);
		editor.selection = new vscode.Selection(1, 0, 1, document.lineAt(1).text.length);
		const { result: taskId, shown } = await withAnswers(['Sora 2', 'Generate'], () => vscode.commands.executeCommand<string>('videogen.generateFromSelection'));
		assert.deepStrictEqual(shown.map(question => question.title), ['Generate Video: Model (1/2)', 'Generate Video: Settings (2/2)']);
		assert.strictEqual(taskOf(taskId)?.prompt, 'A hummingbird hovering over a red flower, macro lens');
		await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
	});

	it('shows a failure with the error icon and the service\'s message, and Generate Again resubmits after asking', async () => {
		const prompt = 'A glass sculpture [fail]';
		const taskId = await vscode.commands.executeCommand<string>('videogen.generate', { prompt, size: '720x1280', duration: 4 });
		const failed = await waitFor('the task to fail', () => taskOf(taskId)?.phase === 'failed' && taskOf(taskId));
		assert.strictEqual(iconOf(failed.id), 'error');
		assert.strictEqual(failed.error, 'Simulated failure: the model could not render this prompt');
		assert.match(String(itemOf(failed.id)?.contextValue), /\bfailed\b/);
		const before = env.sim.stats.submitsAccepted;
		const { result: newTaskId, messages } = await recordMessages(
			() => vscode.commands.executeCommand<string>('videogen.regenerate', failed.id),
			(_message, buttons) => buttons.includes('Generate Again') ? 'Generate Again' : undefined,
		);
		assert.ok(messages.some(m => /Generate "A glass sculpture \[fail\]" again with Sora 2\?/.test(m)), messages.join('\n'));
		assert.strictEqual(env.sim.stats.submitsAccepted, before + 1);
		const again = taskOf(newTaskId)!;
		assert.strictEqual(again.prompt, prompt);
		assert.deepStrictEqual(again.parameters, failed.parameters);
	});

	it('does not offer Generate Again for a task tracked by id, which has no prompt, and never asks to bill for it', async () => {
		// A task submitted elsewhere (straight to the service), then tracked here by its id.
		const response = await fetch(`${env.sim.apiUrl}/v1/tasks/submit`, {
			method: 'POST',
			headers: { 'authorization': env.sim.apiKey, 'content-type': 'application/json' },
			body: JSON.stringify({ model: defaultModelId, input: { prompt: 'Made in the console' }, parameters: { size: '720x1280', duration: 4 } }),
		});
		const serviceId = ((await response.json()) as { output: { task_id: string } }).output.task_id;
		await withAnswers([serviceId, 'From the console'], () => vscode.commands.executeCommand('videogen.trackTask'));
		const tracked = await waitFor('the tracked task to be listed', () => env.api.tasks().find(task => task.taskId === serviceId));
		assert.strictEqual(tracked.prompt, '');
		assert.strictEqual(tracked.name, 'From the console', 'the name given is kept, apart from the prompt');
		assert.doesNotMatch(String(itemOf(tracked.id)?.contextValue), /\breusable\b/, 'Generate Again is offered for a task without a prompt');
		const before = env.sim.stats.submitsReceived;
		const { messages } = await recordMessages(() => vscode.commands.executeCommand('videogen.regenerate', tracked.id));
		assert.deepStrictEqual(messages.filter(message => / again with /.test(message)), [], 'asked to bill for a task that cannot be sent');
		assert.ok(messages.some(message => message.startsWith('error: VideoGen cannot generate this task again as it was')), messages.join('\n'));
		assert.strictEqual(env.sim.stats.submitsReceived, before);
		assert.match(String(itemOf(env.api.tasks().find(task => task.prompt === 'A glass sculpture [fail]')!.id)?.contextValue), /\breusable\b/);
	});

	it('opens the player for a saved video', async () => {
		const done = env.api.tasks().find(task => task.download?.phase === 'done');
		assert.ok(done, 'no saved video to play');
		const opened = await vscode.commands.executeCommand<boolean>('videogen.play', done.id);
		assert.strictEqual(opened, true);
		assert.ok(env.api.openPlayers().includes(done.id));
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	it('stops polling once no task is unfinished', async () => {
		await waitFor('every task to finish', () => env.api.tasks().every(task => !['submitting', 'pending', 'running', 'unknown'].includes(task.phase)) || undefined, 30_000);
		const queries = () => env.sim.requests.filter(r => r.path.startsWith('/v1/tasks/status')).length;
		const before = queries();
		await new Promise(resolve => setTimeout(resolve, 3_000));
		assert.strictEqual(queries(), before, 'status was queried although nothing was unfinished');
	});
});
