/**
 * The VideoGen view inside a real extension host: rows that start with the state, groups, the rows'
 * decoration URIs, retries linked to their original, and Remove on several tasks at once.
 */

import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { Environment, recordMessages, setUpEnvironment, waitFor } from './helpers';

describe('the VideoGen view', function () {
	this.timeout(60_000);
	let env: Environment;

	before(async () => {
		env = await setUpEnvironment();
		// Start from an empty list: what the view shows depends on every task in it.
		await recordMessages(() => vscode.commands.executeCommand('videogen.removeTask', env.api.tasks()[0]?.id, env.api.tasks().map(task => task.id)), () => 'Remove');
		await waitFor('the list to be empty', () => env.api.tasks().length === 0 || undefined);
	});

	after(async () => {
		await env?.dispose();
	});

	const taskOf = (taskId: string | undefined) => env.api.tasks().find(task => task.taskId === taskId);
	const itemOf = (id: string) => env.api.treeItems().find(item => item.id === id);
	const labelOf = (id: string) => String(itemOf(id)?.label);
	const topLevel = () => env.api.treeTopLevel().map(item => `${String(item.label)} (${String(item.description)})`);
	const generate = (prompt: string, duration = 4) => vscode.commands.executeCommand<string>('videogen.generate', { prompt, size: '1280x720', duration });

	it('lists the tasks without a heading while they are all in one group, the state first in each row', async () => {
		const taskId = await generate('A calm lake at dawn, mist over the water');
		const ready = await waitFor('the video to be saved', () => taskOf(taskId)?.download?.phase === 'done' && taskOf(taskId));
		assert.strictEqual(labelOf(ready.id), '4s 1280×720 · A calm lake at dawn, mist over the water');
		assert.deepStrictEqual(env.api.treeTopLevel().map(item => item.id), [ready.id]);
		const uri = itemOf(ready.id)!.resourceUri!;
		assert.deepStrictEqual([uri.scheme, uri.path], ['videogen-task', `/${ready.id}`]);
	});

	it('groups the tasks under Failed and Ready, each with its count, once there are two kinds', async () => {
		const taskId = await generate('A glass sculpture shatters [fail]');
		const failed = await waitFor('the task to fail', () => taskOf(taskId)?.phase === 'failed' && taskOf(taskId));
		await waitFor('the groups', () => topLevel().join(' | ') === 'Failed (1) | Ready (1)' || undefined);
		assert.strictEqual(labelOf(failed.id), 'Simulated failure · A glass sculpture shatters [fail]');
		assert.strictEqual(env.api.treeItems().length, 2, 'every task is listed under its group');
		// The reason in full is the line under the task, as before.
		assert.deepStrictEqual(env.api.treeItems(failed.id).map(item => item.label), ['Simulated failure: the model could not render this prompt']);
	});

	it('links Generate Again to the task it sends again, both ways', async () => {
		const failed = env.api.tasks().find(task => task.phase === 'failed')!;
		const { result: newTaskId } = await recordMessages(
			() => vscode.commands.executeCommand<string>('videogen.regenerate', failed.id),
			(_message, buttons) => buttons.includes('Generate Again') ? 'Generate Again' : undefined,
		);
		const retry = taskOf(newTaskId)!;
		assert.strictEqual(retry.retryOf, failed.id);
		await waitFor('the original to say it was retried', () => /\bretried\b/.test(String(itemOf(failed.id)?.description)) || undefined);
		const tooltip = (itemOf(retry.id)!.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
		assert.ok(tooltip.startsWith('$(history) Retry of "A glass sculpture shatters [fail]" (Failed)'), tooltip);
		assert.ok(env.api.tasks().some(task => task.id === failed.id), 'a task the service failed stays beside its retry');
		await waitFor('the retry to fail too', () => taskOf(newTaskId)?.phase === 'failed' || undefined);
	});

	it('drops a "Not submitted" task once Try Again gets it accepted: nothing was paid for it', async () => {
		env.sim.faults.push({ target: 'submit', kind: 'http', status: 429 });
		const before = env.api.tasks().map(task => task.id);
		let offered = false;
		// The rate limit refuses the first submit; the user presses Try Again on the error.
		await recordMessages(() => generate('A lantern festival seen from a rooftop'), (_message, buttons) => {
			offered ||= buttons.includes('Try Again');
			return buttons.includes('Try Again') ? 'Try Again' : undefined;
		});
		assert.ok(offered, 'Try Again was not offered');
		const accepted = await waitFor('the retry to be accepted', () => env.api.tasks().find(task => task.prompt === 'A lantern festival seen from a rooftop' && task.taskId));
		const refused = accepted.retryOf;
		assert.ok(refused && !before.includes(refused), 'the retry names the refused task');
		await waitFor('the refused task to leave the list', () => !env.api.tasks().some(task => task.id === refused) || undefined);
		assert.strictEqual(env.api.tasks().filter(task => task.prompt === 'A lantern festival seen from a rooftop').length, 1);
	});

	it('removes every task selected at once, asking once when one may still be running, and keeps their videos on disk', async () => {
		await waitFor('every task to finish', () => env.api.tasks().every(task => task.phase !== 'pending' && task.phase !== 'running' && task.download?.phase !== 'downloading') || undefined, 30_000);
		const ready = env.api.tasks().find(task => task.download?.phase === 'done')!;
		const file = ready.download!.files![0];
		const failed = env.api.tasks().filter(task => task.phase === 'failed').map(task => task.id);
		// Two finished tasks: nothing to ask.
		const { messages } = await recordMessages(() => vscode.commands.executeCommand('videogen.removeTask', ready.id, [ready.id, failed[0]]));
		assert.deepStrictEqual(messages, []);
		assert.ok(!env.api.tasks().some(task => task.id === ready.id || task.id === failed[0]));
		assert.ok(fs.existsSync(file), 'Remove deleted the video');
		// One finished, one running: one question for both, saying how many.
		const running = await generate('A slow sunrise over the desert [slow]');
		const runningId = taskOf(running)!.id;
		const { messages: asked } = await recordMessages(() => vscode.commands.executeCommand('videogen.removeTask', failed[1], [failed[1], runningId, 'group:failed']), () => 'Remove');
		assert.deepStrictEqual(asked, ['warning: Remove 2 tasks? The service may still be working on one of them, "A slow sunrise over the desert [slow]"; VideoGen just forgets it. Saved videos stay on disk.']);
		assert.ok(!env.api.tasks().some(task => task.id === failed[1] || task.id === runningId));
	});
});
