/**
 * The task engine itself (src/core/taskEngine.ts), wired as the extension wires it: a storage
 * folder, the real HTTP stack, and the project's simulator on loopback. Nothing is mocked.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiError } from '../../src/core/errors';
import * as httpStack from '../../src/core/net/httpStack';
import { TaskRecord } from '../../src/core/task';
import { TaskEngine, TaskEngineOptions } from '../../src/core/taskEngine';
import { controlCharacter, Loopback, makeTask, MODEL, promptBody, TempDirs } from '../common/helpers';
import { png } from '../common/images';
import { waitFor } from '../common/waitFor';
import { Simulator, startSimulator } from '../simulator/simulator';

describe('task engine', () => {
	const dirs = new TempDirs();
	const loop = new Loopback();
	const engines: TaskEngine[] = [];
	let storage: string;
	let ids = 0;

	const open = (over: Partial<TaskEngineOptions> = {}): TaskEngine => {
		const engine = new TaskEngine({
			storageFolder: storage,
			owner: 'test-window',
			folder: () => path.join(storage, 'videos'),
			intervalMs: () => 50,
			apiKey: async () => loop.sim.apiKey,
			httpStack: () => httpStack,
			dispatcher: loop.dispatcher,
			apiTimeoutMs: 2_000,
			newId: () => `task-${++ids}`,
			downloadRetryBackoff: { baseMs: 10, maxMs: 20 },
			...over,
		});
		engines.push(engine);
		return engine;
	};
	const onDisk = (): TaskRecord[] => (JSON.parse(fs.readFileSync(path.join(storage, 'tasks.json'), 'utf8')) as { tasks: TaskRecord[] }).tasks;
	const submitsReceived = () => loop.sim.requests.filter(r => r.server === 'api' && r.path === '/v1/tasks/submit').length;

	beforeEach(async () => {
		storage = dirs.make();
		await loop.start({ pendingMs: 50, runningMs: 50 });
	});

	afterEach(async () => {
		engines.splice(0).forEach(engine => engine.dispose());
		await loop.stop();
		dirs.cleanup();
	});

	it('keeps its task list and its polling lease in the storage folder it is given', async () => {
		const engine = open();
		await engine.restore();
		await engine.submit({ prompt: 'A harbour at dawn', model: MODEL, parameters: { size: '720x1280', duration: 4 } }, loop.sim.apiKey, loop.sim.apiUrl);
		// The lease is taken when there is something to poll, at the first poll round.
		// A write in progress has a temporary file beside the list for a moment; it is not a file the engine keeps.
		const files = () => fs.readdirSync(storage).filter(name => !name.startsWith('.') && !name.endsWith('.tmp')).sort();
		await waitFor('the lease to be taken', () => files().includes('poller.lease'));
		assert.deepEqual(files(), ['poller.lease', 'tasks.json']);
	});

	it('has a task on disk while its submit is unanswered, and keeps it when the answer never comes', async () => {
		const engine = open();
		await engine.restore();
		loop.sim.faults.push({ target: 'submit', kind: 'hang' });
		const outcome = engine.submit({ prompt: 'A kite over dunes', model: MODEL, parameters: { size: '1280x720', duration: 8 } }, loop.sim.apiKey, loop.sim.apiUrl);
		await waitFor('the submit to reach the service', () => submitsReceived() === 1);
		const [saved] = onDisk();
		assert.equal(saved.phase, 'submitting');
		assert.equal(saved.prompt, 'A kite over dunes');
		assert.deepEqual(saved.parameters, { size: '1280x720', duration: 8 });
		const { task, error } = await outcome;
		assert.equal(error?.maybeSubmitted, true);
		assert.equal(task.phase, 'submitUnknown');
		assert.equal(onDisk()[0].phase, 'submitUnknown');
	});

	it('follows an accepted task to a saved video', async () => {
		const engine = open();
		await engine.restore();
		const { task, error } = await engine.submit({ prompt: 'A kite over dunes', model: MODEL, parameters: { size: '1280x720', duration: 8 } }, loop.sim.apiKey, loop.sim.apiUrl);
		assert.equal(error, undefined);
		assert.equal(task.phase, 'pending');
		const done = await waitFor('the video to be saved', () => engine.store.get(task.id)?.download?.phase === 'done' && engine.store.get(task.id));
		assert.equal(done.phase, 'succeeded');
		assert.ok(fs.existsSync(done.download!.files![0]));
	});

	it('records a submit refused by the service as not submitted, and one that may have arrived as unknown, sending neither again', async () => {
		const engine = open();
		await engine.restore();
		const refused = await engine.submit({ prompt: 'A storm [moderate]', model: MODEL }, loop.sim.apiKey, loop.sim.apiUrl);
		assert.equal(refused.task.phase, 'submitFailed');
		assert.equal(refused.error?.maybeSubmitted, false);

		loop.sim.faults.push({ target: 'submit', kind: 'reset' });
		const unknown = await engine.submit({ prompt: 'A quiet lake', model: MODEL }, loop.sim.apiKey, loop.sim.apiUrl);
		assert.equal(unknown.task.phase, 'submitUnknown');
		assert.equal(unknown.error?.maybeSubmitted, true);
		await new Promise(resolve => setTimeout(resolve, 300));
		assert.equal(submitsReceived(), 2, 'each submit was sent once and never again');
		assert.deepEqual(onDisk().map(t => t.phase).sort(), ['submitFailed', 'submitUnknown']);
	});

	it('links a retry to its original, and lets a refused original go once its retry is accepted', async () => {
		const engine = open();
		await engine.restore();
		const { task: refused } = await engine.submit({ prompt: 'A storm [moderate]', model: MODEL }, loop.sim.apiKey, loop.sim.apiUrl);
		assert.equal(refused.phase, 'submitFailed');
		// A retry refused again leaves the original where it is.
		const { task: again } = await engine.submit({ prompt: 'A storm [moderate] again', model: MODEL }, loop.sim.apiKey, loop.sim.apiUrl, { retryOf: refused.id });
		assert.equal(again.phase, 'submitFailed');
		assert.equal(again.retryOf, refused.id);
		assert.ok(engine.store.get(refused.id), 'the original stays while no retry is accepted');
		// Accepted: the refused original, which nothing was paid for, leaves the list and the file.
		const { task: accepted } = await engine.submit({ prompt: 'A storm at sea', model: MODEL }, loop.sim.apiKey, loop.sim.apiUrl, { retryOf: refused.id });
		assert.equal(accepted.phase, 'pending');
		assert.equal(accepted.retryOf, refused.id);
		assert.equal(engine.store.get(refused.id), undefined);
		assert.deepEqual(onDisk().map(t => t.id).sort(), [again.id, accepted.id].sort());
	});

	it('keeps an original the service failed beside its accepted retry', async () => {
		const engine = open();
		await engine.restore();
		const { task: first } = await engine.submit({ prompt: 'A glass city [fail]', model: MODEL }, loop.sim.apiKey, loop.sim.apiUrl);
		await waitFor('the task to fail', () => engine.store.get(first.id)?.phase === 'failed');
		const { task: retry } = await engine.submit({ prompt: 'A glass city', model: MODEL }, loop.sim.apiKey, loop.sim.apiUrl, { retryOf: first.id });
		assert.equal(retry.phase, 'pending');
		assert.equal(retry.retryOf, first.id);
		assert.equal(engine.store.get(first.id)?.phase, 'failed', 'a task the service ran (and billed) stays in the list');
	});

	it('builds the body from the model\'s catalogue entry, with an image as bytes, and keeps only the image\'s source on the task', async () => {
		const engine = open();
		await engine.restore();
		const image = png(320, 320);
		const source = 'file:///pictures/harbour.png';
		const { task, error } = await engine.submit({
			model: 'kling-v3',
			prompt: 'The harbour comes alive',
			negativePrompt: 'blur',
			parameters: { mode: 'pro', duration: 7, aspect_ratio: '1:1' },
			image: { source, bytes: image, mimeType: 'image/png' },
		}, loop.sim.apiKey, loop.sim.apiUrl);
		assert.equal(error, undefined);
		const sent = JSON.parse(loop.sim.requests.find(r => r.path === '/v1/tasks/submit')!.body) as { input: Record<string, unknown>; parameters: Record<string, unknown> };
		assert.equal(sent.parameters.image, image.toString('base64'), 'Kling takes the frame as raw Base64 in parameters.image');
		assert.equal(sent.input.negative_prompt, 'blur');
		assert.equal('aspect_ratio' in sent.parameters, false, 'Kling ignores the aspect ratio with an image, so it is left out');
		assert.equal(task.firstFrame, source);
		assert.deepEqual(task.parameters, { mode: 'pro', duration: 7 }, 'the task keeps the parameters that were sent');
		assert.equal(task.negativePrompt, 'blur');
		const text = fs.readFileSync(path.join(storage, 'tasks.json'), 'utf8');
		assert.ok(!text.includes(image.toString('base64').slice(0, 64)), 'the image\'s bytes are in tasks.json');
		assert.equal(onDisk()[0].firstFrame, source);
	});

	it('sends a link as it is and keeps it as the image\'s source, with the last frame', async () => {
		const engine = open();
		await engine.restore();
		const first = 'https://images.example.com/first.png';
		const last = 'https://images.example.com/last.png';
		const { task } = await engine.submit({ model: 'viduq2-pro', prompt: '', parameters: { duration: 4 }, image: { source: first, url: first }, lastImage: { source: last, url: last } }, loop.sim.apiKey, loop.sim.apiUrl);
		const sent = JSON.parse(loop.sim.requests.find(r => r.path === '/v1/tasks/submit')!.body) as { input: Record<string, unknown>; parameters: Record<string, unknown> };
		assert.deepEqual(sent.input, { first_frame_url: first, last_frame_url: last });
		assert.equal(sent.parameters.vidu_type, 'start-end2video');
		assert.deepEqual([task.firstFrame, task.lastFrame], [first, last]);
		assert.deepEqual(task.parameters, { duration: 4 }, 'what VideoGen sets itself (vidu_type) is not kept as a choice');
	});

	it('refuses a request the catalogue refuses before saving or sending anything, naming the field', async () => {
		const engine = open();
		await engine.restore();
		await assert.rejects(
			engine.submit({ model: 'openai/sora-2/text-to-video', prompt: 'A kite', parameters: { duration: 5 } }, loop.sim.apiKey, loop.sim.apiUrl),
			(error: Error & { field?: string }) => error.name === 'RequestError' && error.field === 'parameters.duration' && /must be one of 4, 8, 12/.test(error.message),
		);
		await assert.rejects(
			engine.submit({ model: 'viduq3-pro', prompt: 'No frame' }, loop.sim.apiKey, loop.sim.apiUrl),
			(error: Error & { field?: string }) => error.field === 'input.first_frame_url',
		);
		assert.deepEqual(engine.store.all(), []);
		assert.equal(submitsReceived(), 0);
	});

	it('sends a model the catalogue does not know the prompt alone, and keeps no parameters for it', async () => {
		const engine = open();
		await engine.restore();
		const { task, error } = await engine.submit({ model: 'acme/new-model', prompt: 'A fox', parameters: { size: '720x1280' } }, loop.sim.apiKey, loop.sim.apiUrl);
		assert.equal(error?.kind, 'modelUnavailable');
		assert.deepEqual(JSON.parse(loop.sim.requests.find(r => r.path === '/v1/tasks/submit')!.body), { model: 'acme/new-model', input: { prompt: 'A fox' }, parameters: {} });
		assert.deepEqual(task.parameters, {});
	});

	it('tracks an id found elsewhere as a new task, attaches it to a submit of unknown outcome, and reveals one it already follows', async () => {
		const engine = open();
		await engine.restore();
		const { taskId } = await loop.client().submit(MODEL, promptBody('Submitted from the console'));
		const tracked = await engine.track(taskId, loop.sim.apiUrl, MODEL);
		assert.equal(tracked.phase, 'pending');
		assert.equal(tracked.taskId, taskId);
		assert.equal(tracked.prompt, '');
		assert.equal((await engine.track(taskId, loop.sim.apiUrl, MODEL)).id, tracked.id, 'the same id twice is one task');

		loop.sim.faults.push({ target: 'submit', kind: 'reset' });
		const { task: unknown } = await engine.submit({ prompt: 'Lost on the way back', model: MODEL }, loop.sim.apiKey, loop.sim.apiUrl);
		const created = [...loop.sim.tasks.values()].find(t => t.prompt === 'Lost on the way back')!;
		const attached = await engine.track(created.taskId, loop.sim.apiUrl, MODEL, unknown.id);
		assert.equal(attached.id, unknown.id);
		assert.equal(attached.prompt, 'Lost on the way back');
		assert.equal(attached.phase, 'pending');
		assert.equal(engine.store.all().length, 2);
		await waitFor('both tasks to be saved', () => engine.store.all().every(t => t.download?.phase === 'done'));
	});

	it('follows again a task expired after three 404s when the user tracks its id again, and the service knows it after all', async () => {
		const engine = open({ maxBackoffMs: 100 });
		await engine.restore();
		// The service's own 404s (JSON errors), as if it had lost the task for a while.
		loop.sim.faults.push({ target: 'status', kind: 'http', status: 404, count: 3 });
		const { task } = await engine.submit({ prompt: 'Lost and found', model: MODEL }, loop.sim.apiKey, loop.sim.apiUrl);
		await waitFor('the task to be marked expired', () => engine.store.get(task.id)?.phase === 'expired');
		const asked = loop.statusRequests(task.taskId!).length;
		const revived = await engine.track(task.taskId!, loop.sim.apiUrl, MODEL);
		assert.equal(revived.id, task.id, 'the same task, not a new one');
		assert.equal(revived.phase, 'pending');
		assert.equal(revived.error, undefined, 'the expiry is no longer shown');
		assert.notEqual(onDisk().find(t => t.id === task.id)?.phase, 'expired', 'saved as followed again');
		await waitFor('the video to be saved', () => engine.store.get(task.id)?.download?.phase === 'done');
		assert.equal(engine.store.get(task.id)?.phase, 'succeeded');
		assert.ok(loop.statusRequests(task.taskId!).length > asked, 'asked again');
		assert.equal(engine.store.all().length, 1);
	});

	it('does not follow again a task the service itself reported Expired when its id is tracked again', async () => {
		const engine = open();
		await engine.restore();
		const { task } = await engine.submit({ prompt: 'Gone for good [expire]', model: MODEL }, loop.sim.apiKey, loop.sim.apiUrl);
		await waitFor('the service to report it expired', () => engine.store.get(task.id)?.phase === 'expired');
		const asked = loop.statusRequests(task.taskId!).length;
		const tracked = await engine.track(task.taskId!, loop.sim.apiUrl, MODEL);
		assert.equal(tracked.id, task.id);
		assert.equal(tracked.phase, 'expired');
		assert.equal(tracked.serviceStatus, 'Expired');
		assert.equal(tracked.error, 'The service reports that the task expired.');
		await new Promise(resolve => setTimeout(resolve, 300));
		assert.equal(loop.statusRequests(task.taskId!).length, asked, 'asked again about a task the service said is gone');
	});

	it('refreshes an expired link once by itself, and reports the second expiry', async () => {
		const engine = open();
		await engine.restore();
		const failures: string[] = [];
		engine.downloads.onDidFail(({ task }) => failures.push(task.id));
		loop.sim.faults.push({ target: 'download', kind: 'http', status: 403 });
		const { task } = await engine.submit({ prompt: 'A link that expires once', model: MODEL }, loop.sim.apiKey, loop.sim.apiUrl);
		await waitFor('the video to be saved after one refresh', () => engine.store.get(task.id)?.download?.phase === 'done');
		assert.equal(failures.length, 0, 'the first expiry is not reported');

		loop.sim.faults.push({ target: 'download', kind: 'http', status: 403, count: 2 });
		const { task: second } = await engine.submit({ prompt: 'A link that expires twice', model: MODEL }, loop.sim.apiKey, loop.sim.apiUrl);
		await waitFor('the second expiry to be reported', () => failures.includes(second.id));
		assert.equal(engine.store.get(second.id)?.download?.linkExpired, true);
	});

	it('writes what a hostile service says to the log, each time on one line of its own', async () => {
		const lines: string[] = [];
		const record = (message: string | Error) => void lines.push(String(message));
		const engine = open({ log: { trace: record, debug: record, info: record, warn: record, error: record } });
		await engine.restore();
		loop.sim.faults.push({ target: 'submit', kind: 'hostile' });
		const refused = await engine.submit({ prompt: 'Refused with markup', model: MODEL }, loop.sim.apiKey, loop.sim.apiUrl);
		assert.equal(refused.task.phase, 'submitFailed');
		loop.sim.faults.push({ target: 'status', kind: 'hostile', status: 500, count: 2 });
		const { task } = await engine.submit({ prompt: 'Fails with markup [fail-hostile]', model: MODEL }, loop.sim.apiKey, loop.sim.apiUrl);
		await waitFor('the task to fail', () => engine.store.get(task.id)?.phase === 'failed');

		const forged = lines.filter(line => line.includes('task task_forged is Success'));
		assert.ok(forged.length >= 3, `the service's words are not in the log: ${lines.join('\n')}`);
		for (const line of lines) {
			assert.match(line, /^\[(tasks|http|poller|download)\] /);
			assert.doesNotMatch(line, controlCharacter, line);
		}
		// The API client quotes each refusal; the poller's line for the failed task gives the service's reason.
		assert.ok(forged.every(line => /^\[(http|poller)\] /.test(line) && line.includes('Render failed. [Fix it] (command:workbench.action.terminal.new)')), forged.join('\n'));
		assert.equal(forged.filter(line => line.startsWith(`[poller] task ${engine.store.get(task.id)?.taskId} (${MODEL}, "Fails with markup [fail-hostile]") is Failure: Render failed.`)).length, 1, forged.join('\n'));
	});

	it('clears finished tasks apart from failed ones, and failed ones apart from the rest, sparing what it is told to keep', async () => {
		const engine = open();
		await engine.restore();
		const { task: refused } = await engine.submit({ prompt: 'Refused [moderate]', model: MODEL }, loop.sim.apiKey, loop.sim.apiUrl);
		const { task: running } = await engine.submit({ prompt: 'Still rendering [slow]', model: MODEL }, loop.sim.apiKey, loop.sim.apiUrl);
		const done = [makeTask({ phase: 'succeeded', taskId: 'task_done1' }), makeTask({ phase: 'succeeded', taskId: 'task_done2' })];
		const failed = makeTask({ phase: 'failed', taskId: 'task_failed', error: 'Render failed.' });
		for (const task of [...done, failed]) {
			await engine.store.add(task);
		}
		assert.deepEqual(await engine.clearFinished(task => task.id === done[1].id), [done[0].id], 'one kept, failed ones stay');
		assert.ok(engine.store.get(done[1].id) && engine.store.get(refused.id) && engine.store.get(failed.id) && engine.store.get(running.id));
		assert.deepEqual((await engine.clearFailed()).sort(), [refused.id, failed.id].sort());
		assert.deepEqual(engine.store.all().map(task => task.id).sort(), [running.id, done[1].id].sort());
	});

	describe('with tasks on two API hosts', () => {
		let other: Simulator;

		beforeEach(async () => {
			other = await startSimulator({ apiKey: 'sk-second-host-61d0', pendingMs: 50, runningMs: 200 });
		});

		afterEach(async () => {
			await other.close();
		});

		const authorizations = (sim: Simulator) => new Set(sim.requests.filter(r => r.server === 'api').map(r => r.headers.authorization));

		it('sends each host its own key and no other, and lets a host without a key wait until one is set', async () => {
			const keys = new Map([[loop.sim.apiUrl, loop.sim.apiKey]]);
			const engine = open({ apiKey: async origin => keys.get(origin) });
			const rejections: ApiError[] = [];
			engine.poller.onDidReject(error => rejections.push(error));
			await engine.restore();

			// A task on the second host, whose key this window does not have (submitted elsewhere, tracked here).
			const { taskId } = await loop.client({ origin: other.apiUrl, apiKey: other.apiKey }).submit(MODEL, promptBody('On the second host'));
			const waiting = await engine.track(taskId, other.apiUrl, MODEL);
			await waitFor('the task to wait for its host\'s key', () => engine.store.get(waiting.id)?.waitsForKey);
			assert.equal(rejections.length, 1);
			assert.equal(rejections[0].origin, other.apiUrl);
			assert.equal(rejections[0].message, `No API key is set for ${new URL(other.apiUrl).host}. Set one with "VideoGen: Set API Key".`);

			// Meanwhile the first host's task goes all the way.
			const { task } = await engine.submit({ prompt: 'On the first host', model: MODEL }, loop.sim.apiKey, loop.sim.apiUrl);
			await waitFor('the first host\'s video to be saved', () => engine.store.get(task.id)?.download?.phase === 'done');
			assert.equal(other.stats.statusQueries, 0, 'the second host was asked without a key');
			assert.equal(engine.store.get(waiting.id)?.phase, 'pending');

			keys.set(other.apiUrl, other.apiKey);
			engine.poller.resume(other.apiUrl);
			await waitFor('the second host\'s video to be saved', () => engine.store.get(waiting.id)?.download?.phase === 'done');
			assert.equal(engine.store.get(waiting.id)?.waitsForKey, undefined);

			assert.deepEqual([...authorizations(loop.sim)], [loop.sim.apiKey], 'the first host saw another key');
			assert.deepEqual([...authorizations(other)], [other.apiKey], 'the second host saw another key');
		});

		it('names the host whose key was rejected, and keeps polling the other host', async () => {
			const engine = open({ apiKey: async origin => origin === other.apiUrl ? 'sk-revoked' : loop.sim.apiKey });
			const rejections: ApiError[] = [];
			engine.poller.onDidReject(error => rejections.push(error));
			await engine.restore();
			const { taskId } = await loop.client({ origin: other.apiUrl, apiKey: other.apiKey }).submit(MODEL, promptBody('Key revoked since'));
			const rejected = await engine.track(taskId, other.apiUrl, MODEL);
			const { task } = await engine.submit({ prompt: 'Still fine here', model: MODEL }, loop.sim.apiKey, loop.sim.apiUrl);
			await waitFor('the first host\'s video to be saved', () => engine.store.get(task.id)?.download?.phase === 'done');
			assert.equal(rejections.length, 1);
			assert.match(rejections[0].message, new RegExp(`^The API key for ${new URL(other.apiUrl).host.replace(/\./g, '\\.')} was rejected \\(HTTP 401\\)\\.`));
			assert.equal(engine.store.get(rejected.id)?.waitsForKey, true);
			assert.equal(engine.store.get(rejected.id)?.pollError, rejections[0].message);
			assert.deepEqual([...authorizations(other)].sort(), [other.apiKey, 'sk-revoked'].sort(), 'only the test\'s own submit and the revoked key reached the second host');
		});
	});

	it('keeps a task it could not save as not submitted, sends nothing, and saves it once writing works again', async () => {
		const engine = open();
		await engine.restore();
		// A folder where the list's file should be: every write of the list fails, even as root.
		const file = path.join(storage, 'tasks.json');
		fs.mkdirSync(file);
		await assert.rejects(engine.submit({ prompt: 'Nowhere to write', model: MODEL }, loop.sim.apiKey, loop.sim.apiUrl), /EISDIR/);
		const [task] = engine.store.all();
		assert.equal(task.phase, 'submitFailed');
		assert.match(task.error ?? '', /^VideoGen could not save the task, so it was not submitted: EISDIR/);
		assert.equal(submitsReceived(), 0);
		fs.rmdirSync(file);
		await engine.store.flush();
		assert.deepEqual(onDisk().map(t => [t.id, t.phase]), [[task.id, 'submitFailed']]);
		await new Promise(resolve => setTimeout(resolve, 300));
		assert.equal(submitsReceived(), 0);
	});

	it('follows a task the service accepted even when the list cannot be saved just then', async () => {
		const file = path.join(storage, 'tasks.json');
		// The disk fails while the submit is on its way: after the task was saved, before the answer.
		class FailingDiskEngine extends TaskEngine {
			protected override api(apiKey: string, origin: string) {
				const api = super.api(apiKey, origin);
				return {
					status: (taskId: string) => api.status(taskId),
					submit: async (...args: Parameters<typeof api.submit>) => {
						fs.rmSync(file);
						fs.mkdirSync(file);
						return api.submit(...args);
					},
				};
			}
		}
		const engine = new FailingDiskEngine({
			storageFolder: storage, owner: 'test-window', folder: () => path.join(storage, 'videos'), intervalMs: () => 50,
			apiKey: async () => loop.sim.apiKey, httpStack: () => httpStack, dispatcher: loop.dispatcher, newId: () => `task-${++ids}`,
		});
		engines.push(engine);
		await engine.restore();
		const { task, error } = await engine.submit({ prompt: 'Accepted while the disk is full', model: MODEL }, loop.sim.apiKey, loop.sim.apiUrl);
		assert.equal(error, undefined, 'an accepted task was reported as a failed submit');
		assert.equal(task.phase, 'pending');
		assert.ok(task.taskId && loop.sim.tasks.has(task.taskId));
		await waitFor('the video to be saved', () => engine.store.get(task.id)?.download?.phase === 'done');
		fs.rmdirSync(file);
		await engine.store.flush();
		assert.equal(onDisk()[0].download?.phase, 'done');
	});

	/**
	 * An engine whose user removes the task being submitted after the request left and before the
	 * answer came back, when that answer is an acceptance or, with `onFailure`, a failure: the real
	 * answer from the simulator, held until the row is gone, so the order is certain. Its log lines
	 * go to `lines`, warnings marked `warn`.
	 */
	function removingWhileSubmitting(lines: string[], on: 'acceptance' | 'failure'): TaskEngine {
		const record = (message: string | Error) => void lines.push(String(message));
		class RemovedMeanwhileEngine extends TaskEngine {
			protected override api(apiKey: string, origin: string) {
				const api = super.api(apiKey, origin);
				return {
					status: (taskId: string) => api.status(taskId),
					submit: async (...args: Parameters<typeof api.submit>) => {
						const removeSubmitting = () => this.remove(this.store.all().filter(t => t.phase === 'submitting').map(t => t.id));
						let answer: Awaited<ReturnType<typeof api.submit>>;
						try {
							answer = await api.submit(...args);
						} catch (error) {
							if (on === 'failure') {
								await removeSubmitting();
							}
							throw error;
						}
						if (on === 'acceptance') {
							await removeSubmitting();
						}
						return answer;
					},
				};
			}
		}
		const engine = new RemovedMeanwhileEngine({
			storageFolder: storage, owner: 'test-window', folder: () => path.join(storage, 'videos'), intervalMs: () => 50,
			apiKey: async () => loop.sim.apiKey, httpStack: () => httpStack, dispatcher: loop.dispatcher, newId: () => `task-${++ids}`,
			log: { trace: record, debug: record, info: record, warn: message => record(`warn ${String(message)}`), error: record },
		});
		engines.push(engine);
		return engine;
	}

	it('leaves removed a task the user removed while its submit was on its way, and names the id the service gave it', async () => {
		const lines: string[] = [];
		const engine = removingWhileSubmitting(lines, 'acceptance');
		await engine.restore();
		const { task: refused } = await engine.submit({ prompt: 'A secret prompt [moderate]', model: MODEL }, loop.sim.apiKey, loop.sim.apiUrl);
		assert.equal(refused.phase, 'submitFailed');
		const outcome = await engine.submit({ prompt: 'A secret prompt', model: MODEL }, loop.sim.apiKey, loop.sim.apiUrl, { retryOf: refused.id });
		assert.equal(outcome.error, undefined, outcome.error?.message);
		assert.equal(outcome.removed, true);
		assert.equal(outcome.task.phase, 'pending');
		const taskId = outcome.task.taskId!;
		assert.ok(loop.sim.tasks.has(taskId), 'the service has the task');
		assert.deepEqual(engine.store.all().map(t => t.id), [refused.id], 'the removed task came back, or the refused original was dropped');
		await engine.store.flush();
		assert.deepEqual(onDisk().map(t => t.id), [refused.id]);
		const warned = lines.filter(line => line.includes('[tasks]') && line.includes(taskId));
		assert.deepEqual(warned, [`warn [tasks] task ${taskId} (${MODEL}) was accepted by the service after it was removed from the list; Track Task by ID with this id follows it again`]);
		assert.ok(lines.every(line => !line.includes('A secret prompt') && !line.includes(loop.sim.apiKey)), lines.join('\n'));
	});

	it('leaves removed a task the user removed while its submit was on its way, when the submit then fails', async () => {
		const lines: string[] = [];
		const engine = removingWhileSubmitting(lines, 'failure');
		await engine.restore();
		loop.sim.faults.push({ target: 'submit', kind: 'reset' });
		const outcome = await engine.submit({ prompt: 'A secret prompt', model: MODEL }, loop.sim.apiKey, loop.sim.apiUrl);
		assert.equal(outcome.removed, true);
		assert.equal(outcome.error?.maybeSubmitted, true, outcome.error?.message);
		assert.deepEqual(engine.store.all(), [], 'the removed task came back');
		await engine.store.flush();
		assert.deepEqual(onDisk(), []);
		const warned = lines.filter(line => line.startsWith('warn [tasks]'));
		assert.equal(warned.length, 1, lines.join('\n'));
		assert.match(warned[0], new RegExp(`^warn \\[tasks\\] a task removed from the list while it was being submitted \\(${MODEL.replace(/[/.]/g, '\\$&')}\\) may have reached the service: `));
		assert.ok(lines.every(line => !line.includes('A secret prompt') && !line.includes(loop.sim.apiKey)), lines.join('\n'));
	});

	it('turns a submit left on its way by a closed window into "submit outcome unknown" at restore, without sending it', async () => {
		const old = Date.now() - 10 * 60_000;
		fs.writeFileSync(path.join(storage, 'tasks.json'), JSON.stringify({
			version: 1,
			tasks: [{ id: 'left', model: MODEL, prompt: 'Interrupted', parameters: {}, apiOrigin: loop.sim.apiUrl, phase: 'submitting', createdAt: old, updatedAt: old }],
		}));
		const engine = open();
		await engine.restore();
		assert.equal(engine.store.get('left')?.phase, 'submitUnknown');
		assert.equal(submitsReceived(), 0);
	});

	it('has written a change made just before it was disposed when `closed` resolves, which deactivate() returns to VS Code', async () => {
		const engine = open();
		await engine.restore();
		await engine.store.add(makeTask({ id: 'kept', prompt: 'Named just before the window closed' }));
		// A rename waits for the store's batched write (200 ms), which disposing must not drop.
		engine.store.update('kept', { name: 'Harbour, take 2' });
		assert.notEqual(onDisk()[0].name, 'Harbour, take 2', 'the change was written at once: this test would prove nothing');
		engine.dispose();
		await engine.closed;
		assert.equal(onDisk()[0].name, 'Harbour, take 2');
	});
});
