/**
 * Videos that can be found, a key checked when it is set, and Track Task by ID that does what it
 * says, in the real extension host against the simulator: the names videos are saved under, Open
 * Videos Folder, Clear Finished and Clear Failed (what they keep and what they say), Set API Key's
 * check (a good key, a wrong one, a host that does not answer), and tracking new ids, listed ids,
 * named tasks and attaching an id only from a row whose submit outcome is unknown.
 */

import * as assert from 'assert';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import * as vscode from 'vscode';
import { keyCheckTaskId } from '../../src/core/keyCheck';
import type { TaskRecord } from '../../src/core/task';
import { defaultModelId } from '../../src/core/videoModels';
import { videoNamePattern } from '../common/videoNames';
import { Environment, filesUnder, recordMessages, setUpEnvironment, waitFor, withAnswers } from './helpers';
import { recordShown, Shown } from './shown';

describe('finding videos, checking keys, tracking tasks by id', function () {
	this.timeout(90_000);
	let env: Environment;

	before(async () => {
		env = await setUpEnvironment();
	});

	after(async () => {
		await config().update('baseUrl', env.sim.apiUrl, vscode.ConfigurationTarget.Global);
		await env?.dispose();
	});

	const config = () => vscode.workspace.getConfiguration('videogen');
	const host = () => new URL(env.sim.apiUrl).host;
	const tasks = () => env.api.tasks().filter(task => task.apiOrigin === env.sim.apiUrl);
	const byTaskId = (taskId: string) => env.api.tasks().find(task => task.taskId === taskId);
	const byPrompt = (prompt: string) => env.api.tasks().find(task => task.prompt === prompt);
	const itemOf = (id: string) => env.api.treeItems().find(item => item.id === id) as (vscode.TreeItem & { task: TaskRecord }) | undefined;
	const lines = (shown: Shown[]) => shown.map(s => [s.level, s.text, s.buttons]);
	const generate = (prompt: string) => vscode.commands.executeCommand<string | undefined>('videogen.generate', { prompt, size: '720x1280', duration: 4 });
	/** A task submitted elsewhere (straight to the service, as from its console): its service id. */
	const submitElsewhere = async (prompt: string) => {
		const response = await fetch(`${env.sim.apiUrl}/v1/tasks/submit`, {
			method: 'POST',
			headers: { 'authorization': env.sim.apiKey, 'content-type': 'application/json' },
			body: JSON.stringify({ model: defaultModelId, input: { prompt }, parameters: { size: '720x1280', duration: 4 } }),
		});
		return ((await response.json()) as { output: { task_id: string } }).output.task_id;
	};
	const saved = (prompt: string) => waitFor(`"${prompt}" to be saved`, () => {
		const task = byPrompt(prompt);
		return task?.download?.phase === 'done' && task;
	}, 30_000);

	describe('Set API Key', () => {
		const checks = (since: number) => env.sim.requests.slice(since).filter(r => r.path === `/v1/tasks/status?task_id=${keyCheckTaskId}`);

		it('checks a key with its host by asking about a task no one has, stores a key the host takes, and creates no task', async () => {
			const since = env.sim.requests.length;
			const submits = env.sim.stats.submitsReceived;
			const { result, shown } = await recordShown(() => withAnswers([env.sim.apiKey], () => vscode.commands.executeCommand<boolean>('videogen.setApiKey')));
			assert.strictEqual(result.result, true);
			assert.deepStrictEqual(lines(shown), [], 'a good key needs no message (the status bar says it)');
			assert.deepStrictEqual(checks(since).map(r => [r.method, r.status, r.headers.authorization]), [['GET', 404, env.sim.apiKey]]);
			assert.strictEqual(env.sim.stats.submitsReceived, submits, 'checking the key submitted a task');
		});

		it('says a wrong key is wrong (HTTP 401) and keeps the key stored before, unless the user types another or stores it anyway', async () => {
			const wrong = 'sk-wrong-key-typed-by-mistake';
			const rejected = `${host()} rejected this API key (HTTP 401): it is not a valid key there. The key stored before stays in use.`;
			const since = env.sim.requests.length;
			// Cancel (the modal's own button): nothing is stored.
			const cancelled = await recordShown(() => withAnswers([wrong], () => vscode.commands.executeCommand<boolean>('videogen.setApiKey')));
			assert.strictEqual(cancelled.result.result, false);
			assert.deepStrictEqual(lines(cancelled.shown), [['warning', rejected, ['Enter Again', 'Store Anyway']]]);
			assert.deepStrictEqual(checks(since).map(r => [r.status, r.headers.authorization]), [[401, wrong]]);
			// The old key is still the one used.
			const taskId = await generate('After a wrong key [instant]');
			assert.ok(taskId, 'the key stored before no longer works');
			assert.strictEqual(env.sim.requests.filter(r => r.method === 'POST').slice(-1)[0]?.headers.authorization, env.sim.apiKey);

			// Enter Again: the box opens again, and the good key typed there is stored.
			const again = await recordShown(() => withAnswers([wrong, env.sim.apiKey], () => vscode.commands.executeCommand<boolean>('videogen.setApiKey')), () => 'Enter Again');
			assert.strictEqual(again.result.result, true);
			assert.deepStrictEqual(again.result.asked, [`input:VideoGen: Set API Key for ${host()}`, `input:VideoGen: Set API Key for ${host()}`]);
			assert.deepStrictEqual(lines(again.shown), [['warning', rejected, ['Enter Again', 'Store Anyway']]]);
			for (const message of [...cancelled.shown, ...again.shown]) {
				assert.ok(!message.text.includes(wrong) && !message.text.includes(env.sim.apiKey), 'a key is in a message');
			}
			// The log says a key was checked, and never which.
			const logs = () => filesUnder(path.dirname(env.api.logUri.fsPath)).map(file => fs.readFileSync(file, 'utf8'));
			await waitFor('the log to record the check', () => logs().some(text => text.includes(`an API key given for ${host()} was checked: rejected (HTTP 401)`)));
			assert.ok(!logs().some(text => text.includes(wrong)), 'the wrong key is in a log file');
		});

		it('stores a key it could not check when the host does not answer, and says why', async () => {
			const server = net.createServer();
			await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
			const port = (server.address() as net.AddressInfo).port;
			await new Promise<void>(resolve => server.close(() => resolve()));
			const origin = `http://127.0.0.1:${port}`;
			await config().update('baseUrl', origin, vscode.ConfigurationTarget.Global);
			try {
				const { result, shown } = await recordShown(() => withAnswers(['sk-offline-key'], () => vscode.commands.executeCommand<boolean>('videogen.setApiKey')));
				assert.strictEqual(result.result, true, 'the key was not stored');
				assert.strictEqual(shown.length, 1, JSON.stringify(shown));
				assert.strictEqual(shown[0].level, 'warning');
				assert.ok(shown[0].text.startsWith(`VideoGen: The API key for 127.0.0.1:${port} was stored, but it could not be checked: `), shown[0].text);
				assert.match(shown[0].text, /connect/i, 'the reason is missing');
				assert.deepStrictEqual(shown[0].buttons, ['Show Log']);
				assert.ok(!shown[0].text.includes('sk-offline-key'));
			} finally {
				await vscode.commands.executeCommand('videogen.clearApiKey', origin);
				await config().update('baseUrl', env.sim.apiUrl, vscode.ConfigurationTarget.Global);
			}
		});
	});

	describe('Track Task by ID', () => {
		let serviceId: string;
		let tracked: TaskRecord;

		it('tracks a new id under the name given, shown in place of the prompt VideoGen does not know, and does not offer Generate Again for it', async () => {
			serviceId = await submitElsewhere('Made in the console [instant]');
			const { result } = await withAnswers([serviceId, 'Launch teaser'], () => vscode.commands.executeCommand<string>('videogen.trackTask'));
			assert.strictEqual(result, serviceId);
			tracked = await waitFor('the tracked task to be listed', () => byTaskId(serviceId));
			assert.strictEqual(tracked.prompt, '');
			assert.strictEqual(tracked.name, 'Launch teaser');
			const item = await waitFor('its row', () => itemOf(tracked.id));
			assert.match(String(typeof item.label === 'object' ? item.label.label : item.label), /Launch teaser/);
			assert.doesNotMatch(String(item.contextValue), /\breusable\b/, 'Generate Again is offered for a task whose prompt is unknown');
			const done = await waitFor('its video to be saved', () => byTaskId(serviceId)?.download?.phase === 'done' && byTaskId(serviceId), 30_000);
			assert.match(path.basename(done.download!.files![0]), videoNamePattern('Launch teaser'), 'the name given names the file');
		});

		it('shows the row of an id already listed and says so, adding nothing and asking no name', async () => {
			const before = tasks().length;
			const { result, shown } = await recordShown(() => withAnswers([serviceId], () => vscode.commands.executeCommand<string>('videogen.trackTask')));
			assert.deepStrictEqual(result.asked, ['input:VideoGen: Track Task by ID (1/2)']);
			assert.deepStrictEqual(lines(shown), [['info', `Task ${serviceId} is already in the list, as "Launch teaser". It is selected in the VideoGen view.`, []]]);
			assert.strictEqual(tasks().length, before);
		});

		it('follows a task marked expired again when its id is tracked again, and saves its video', async () => {
			const expiredId = await submitElsewhere('Expired too soon [instant]');
			// The service's own "not found", to every status query until the task is taken as expired
			// (three in a row); any other query in flight meanwhile gets it too, so none is counted on.
			env.sim.faults.push({ target: 'status', kind: 'http', status: 404, count: Infinity });
			let expired: TaskRecord;
			try {
				await withAnswers([expiredId, ''], () => vscode.commands.executeCommand<string>('videogen.trackTask'));
				expired = await waitFor('the task to be marked expired', () => byTaskId(expiredId)?.phase === 'expired' && byTaskId(expiredId), 30_000);
			} finally {
				env.sim.faults.clear();
			}
			assert.deepStrictEqual(env.sim.requests.filter(r => r.path === `/v1/tasks/status?task_id=${expiredId}`).map(r => r.status), [404, 404, 404]);
			const before = tasks().length;
			const { result, shown } = await recordShown(() => withAnswers([expiredId], () => vscode.commands.executeCommand<string>('videogen.trackTask')));
			assert.deepStrictEqual(result.asked, ['input:VideoGen: Track Task by ID (1/2)']);
			assert.deepStrictEqual(lines(shown), [['info', `Task ${expiredId} is already in the list, as "Task ${expiredId}", marked expired. VideoGen asks the service about it again.`, []]]);
			const done = await waitFor('its video to be saved', () => byTaskId(expiredId)?.download?.phase === 'done' && byTaskId(expiredId), 30_000);
			assert.strictEqual(done.id, expired.id, 'the same row is followed, not a new one');
			assert.strictEqual(done.error, undefined);
			assert.strictEqual(tasks().length, before);
		});

		it('tracks a new id when called with a row (as a menu may pass the selected one), never attaching the id to that row, which only Attach Task ID does', async () => {
			// A submit whose answer was lost: the service has the task, VideoGen has no id for it.
			env.sim.faults.push({ target: 'submit', kind: 'reset' });
			await recordMessages(() => generate('A lost answer'));
			const lost = await waitFor('the task whose submit outcome is unknown', () => byPrompt('A lost answer')?.phase === 'submitUnknown' && byPrompt('A lost answer'));
			const lostItem = itemOf(lost.id)!;
			assert.match(String(lostItem.contextValue), /\btrackable\b/);

			const otherId = await submitElsewhere('Another from the console');
			await withAnswers([otherId, ''], () => vscode.commands.executeCommand('videogen.trackTask', lostItem));
			const other = await waitFor('the other id to be tracked as a task of its own', () => byTaskId(otherId));
			assert.notStrictEqual(other.id, lost.id);
			assert.strictEqual(other.name, undefined, 'an empty name is no name');
			assert.strictEqual(byPrompt('A lost answer')?.phase, 'submitUnknown', 'Track Task by ID attached the id to the selected row');
			assert.strictEqual(byPrompt('A lost answer')?.taskId, undefined);

			const lostId = [...env.sim.tasks.values()].find(task => task.prompt === 'A lost answer')!.taskId;
			const { asked } = await withAnswers([lostId], () => vscode.commands.executeCommand('videogen.attachTaskId', lostItem));
			assert.deepStrictEqual(asked, ['input:VideoGen: Attach Task ID']);
			const attached = await waitFor('the id to be attached', () => byPrompt('A lost answer')?.taskId === lostId && byPrompt('A lost answer'));
			assert.strictEqual(attached.id, lost.id);
			assert.match(String(itemOf(lost.id)?.contextValue), /\breusable\b/, 'its prompt is known, so Generate Again is offered');

			const { shown } = await recordShown(() => withAnswers([], () => vscode.commands.executeCommand('videogen.attachTaskId', itemOf(other.id))));
			assert.deepStrictEqual(lines(shown), [['info', `"Task ${otherId}" already has a task id; Attach Task ID is for a task whose submit outcome is unknown.`, []]]);
		});

		it('offers Attach Task ID only on rows whose submit outcome is unknown, and Track Task by ID on no row', () => {
			const menus = (vscode.extensions.getExtension('videogen.videogen')!.packageJSON as { contributes: { menus: Record<string, { command: string; when?: string }[]> } }).contributes.menus;
			const onRows = menus['view/item/context'];
			assert.deepStrictEqual(onRows.filter(item => item.command === 'videogen.trackTask'), []);
			const attach = onRows.filter(item => item.command === 'videogen.attachTaskId');
			assert.ok(attach.length >= 1 && attach.every(item => /viewItem =~ \/\\btrackable\\b\//.test(item.when ?? '')), JSON.stringify(attach));
			assert.deepStrictEqual(menus.commandPalette.filter(item => item.command === 'videogen.attachTaskId').map(item => item.when), ['false']);
			assert.ok(menus['view/title'].some(item => item.command === 'videogen.trackTask'));
		});
	});

	describe('the videos folder and clearing the list', () => {
		const fox = 'A red fox running through fresh snow [instant]';
		const kite = 'A kite over the dunes [instant]';
		const failing = 'A glass bridge [fail]';

		it('saves a video under the date and the first words of its prompt, and keeps the service id in the task list', async () => {
			await generate(fox);
			const task = await saved(fox);
			const name = path.basename(task.download!.files![0]);
			assert.match(name, /^\d{4}-\d{2}-\d{2} \d{4} A red fox running through fresh\.mp4$/);
			assert.strictEqual(path.dirname(task.download!.files![0]), env.downloadFolder);
			assert.ok(task.taskId && env.sim.tasks.has(task.taskId), 'the service id is not in the task list');
		});

		it('Open Videos Folder shows the folder: the file manager where the videos are on this computer, else the path, to copy', async () => {
			const { result, shown } = await recordShown(() => vscode.commands.executeCommand<string>('videogen.openVideosFolder'), () => 'Copy Path');
			assert.strictEqual(result, env.downloadFolder);
			if (vscode.env.uiKind === vscode.UIKind.Web || vscode.env.remoteName) {
				// This window's videos are on the machine it is connected to: the message names the folder.
				assert.deepStrictEqual(lines(shown), [['info', `VideoGen saves videos in ${env.downloadFolder}, on the machine this window is connected to, so your computer's file manager cannot show it. Save a Copy... puts a video on your computer.`, ['Copy Path', 'Open in New Window']]]);
				await waitFor('the path to be copied', async () => (await vscode.env.clipboard.readText()) === env.downloadFolder);
			} else {
				// A desktop window: the OS file manager opens on the folder (revealFileInOS), with nothing to say.
				assert.deepStrictEqual(lines(shown), []);
			}
		});

		it('Open Videos Folder says so when no video has been saved yet', async () => {
			const empty = path.join(env.downloadFolder, 'not-yet');
			await config().update('downloadFolder', empty, vscode.ConfigurationTarget.Global);
			try {
				const { shown } = await recordShown(() => vscode.commands.executeCommand('videogen.openVideosFolder'));
				assert.deepStrictEqual(lines(shown), [['info', `No video has been saved yet. VideoGen saves videos in ${empty}.`, []]]);
			} finally {
				await config().update('downloadFolder', env.downloadFolder, vscode.ConfigurationTarget.Global);
			}
		});

		it('Clear Finished keeps the failed tasks and the tasks whose player is open, deletes no file, and says where the videos stay', async () => {
			await generate(kite);
			await generate(failing);
			const watched = await saved(kite);
			await waitFor('the failing task to fail', () => byPrompt(failing)?.phase === 'failed');
			// Nothing may finish while the list is cleared: every task of this file is at rest first.
			const atRest = (task: TaskRecord) => ['failed', 'expired', 'submitFailed', 'submitUnknown'].includes(task.phase) || (task.phase === 'succeeded' && task.download?.phase === 'done');
			await waitFor('every task to be at rest', () => tasks().every(atRest), 30_000).catch((error: Error) => {
				const busy = tasks().filter(task => !atRest(task)).map(task => `"${task.prompt || task.taskId}": ${task.phase}, download ${task.download?.phase ?? 'none'}${task.download?.error ? ` (${task.download.error})` : ''}${task.pollError ? `, last query: ${task.pollError}` : ''}`);
				throw new Error(`${error.message}; not at rest: ${busy.join('; ')}`);
			});
			assert.strictEqual(await vscode.commands.executeCommand<boolean>('videogen.play', watched.id), true);
			const succeeded = env.api.tasks().filter(task => task.phase === 'succeeded');
			const cleared = succeeded.filter(task => task.id !== watched.id);
			const files = cleared.flatMap(task => task.download?.files ?? []);
			assert.ok(cleared.length >= 2 && files.length >= 2, 'too few videos to clear');

			const { result, shown } = await recordShown(() => vscode.commands.executeCommand<string[]>('videogen.clearFinished'), entry => entry.text.startsWith('Remove ') ? 'Clear' : undefined);
			assert.deepStrictEqual(lines(shown), [
				['warning', `Remove ${cleared.length} finished tasks from the list? Failed tasks stay.`, ['Clear', 'Clear Finished and Failed']],
				['info', `Removed ${cleared.length} tasks from the list. 1 task whose player is open stays. Saved videos stay in ${env.downloadFolder}.`, ['Open Videos Folder']],
			]);
			assert.deepStrictEqual([...result].sort(), cleared.map(task => task.id).sort());
			assert.ok(byPrompt(failing), 'Clear Finished removed a failed task');
			assert.ok(byPrompt(kite), 'Clear Finished removed the task whose player is open');
			assert.ok(env.api.openPlayers().includes(watched.id), 'Clear Finished closed a player');
			assert.ok(files.every(file => fs.existsSync(file)), 'a saved video was deleted');
		});

		it('Clear Failed removes only the failed tasks, saying where the saved videos stay', async () => {
			const failed = env.api.tasks().filter(task => ['failed', 'expired', 'submitFailed'].includes(task.phase));
			assert.ok(failed.length >= 1);
			const { shown } = await recordShown(() => vscode.commands.executeCommand('videogen.clearFailed'), entry => entry.text.startsWith('Remove ') ? 'Clear' : undefined);
			const count = failed.length === 1 ? '1 failed task' : `${failed.length} failed tasks`;
			const removed = failed.length === 1 ? '1 task' : `${failed.length} tasks`;
			assert.deepStrictEqual(lines(shown), [
				['warning', `Remove ${count} from the list?`, ['Clear']],
				['info', `Removed ${removed} from the list. Saved videos stay in ${env.downloadFolder}.`, ['Open Videos Folder']],
			]);
			assert.ok(!byPrompt(failing));
			assert.ok(byPrompt(kite), 'Clear Failed removed a task that succeeded');
		});

		it('Clear Finished says when there is nothing it may clear', async () => {
			const { shown } = await recordShown(() => vscode.commands.executeCommand('videogen.clearFinished'));
			const open = env.api.tasks().filter(task => task.phase === 'succeeded');
			assert.deepStrictEqual(lines(shown), [['info', open.length
				? 'The finished VideoGen tasks have their player open, so they stay in the list. Close a player to clear its task.'
				: 'There are no finished VideoGen tasks to clear.', []]]);
		});
	});
});
