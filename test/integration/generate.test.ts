/** Generating a video end to end inside a real extension host, against the project's API simulator. */

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { Environment, recordMessages, sampleVideo, setUpEnvironment, waitFor, withAnswers } from './helpers';
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
			assert.match(String(item.description), /Ready/);
			assert.match(String(item.description), /720x1280/);
			assert.match(String(item.description), /8s/);
			// The tree went through the service's states on the way.
			assert.ok([...seen].some(s => s.startsWith('pending:clock')), `never showed Pending: ${[...seen].join(', ')}`);
			assert.ok([...seen].some(s => s.startsWith('running:sync~spin')), `never showed Running: ${[...seen].join(', ')}`);
		} finally {
			watcher.dispose();
		}
	});

	it('asks prompt, size and duration, offering the configured defaults first', async () => {
		const config = vscode.workspace.getConfiguration('videogen');
		await config.update('defaultSize', '1280x720', vscode.ConfigurationTarget.Global);
		await config.update('defaultDuration', 12, vscode.ConfigurationTarget.Global);
		try {
			const { result: taskId, asked } = await withAnswers(['A slow pan over a desert', '1280x720', '12 seconds'], () => vscode.commands.executeCommand<string>('videogen.generate'));
			assert.strictEqual(asked.length, 3);
			assert.match(asked[0], /^input:Generate Video \(1\/3\)/);
			assert.match(asked[1], /^pick:Generate Video \(2\/3\): Size:1280x720\|720x1280$/);
			assert.match(asked[2], /^pick:Generate Video \(3\/3\): Duration:12 seconds\|4 seconds\|8 seconds$/);
			assert.deepStrictEqual(taskOf(taskId)?.parameters, { size: '1280x720', duration: 12 });
		} finally {
			await config.update('defaultSize', undefined, vscode.ConfigurationTarget.Global);
			await config.update('defaultDuration', undefined, vscode.ConfigurationTarget.Global);
		}
	});

	it('submits nothing when the user presses Esc at any of the three questions', async () => {
		const before = env.sim.stats.submitsReceived;
		for (const answers of [[undefined], ['A cat', undefined], ['A cat', '720x1280', undefined]]) {
			const { result } = await withAnswers(answers, () => vscode.commands.executeCommand<string>('videogen.generate'));
			assert.strictEqual(result, undefined);
		}
		assert.strictEqual(env.sim.stats.submitsReceived, before);
	});

	it('uses the editor selection as the prompt and asks only size and duration', async () => {
		const document = await vscode.workspace.openTextDocument({ content: 'intro\nA hummingbird hovering over a red flower, macro lens\noutro' });
		const editor = await vscode.window.showTextDocument(document);
		editor.selection = new vscode.Selection(1, 0, 1, document.lineAt(1).text.length);
		const { result: taskId, asked } = await withAnswers(['720x1280', '4 seconds'], () => vscode.commands.executeCommand<string>('videogen.generateFromSelection'));
		assert.strictEqual(asked.length, 2);
		assert.ok(asked.every(question => question.startsWith('pick:')));
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
		assert.ok(messages.some(m => /Generate "A glass sculpture \[fail\]" again\?/.test(m)), messages.join('\n'));
		assert.strictEqual(env.sim.stats.submitsAccepted, before + 1);
		const again = taskOf(newTaskId)!;
		assert.strictEqual(again.prompt, prompt);
		assert.deepStrictEqual(again.parameters, failed.parameters);
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
