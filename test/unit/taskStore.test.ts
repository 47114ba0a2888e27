/**
 * The task list on a real file in a temp folder. Two `TaskStore` instances on one file stand for
 * two VS Code windows. Where the order of two windows' edits matters, each store gets its own
 * injected clock (the store takes `now`), because two real clocks read in one process would tie.
 */

import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TaskStore } from '../../src/core/taskStore';
import { TaskRecord } from '../../src/core/task';
import { delay, makeTask, TempDirs } from '../common/helpers';
import { detailLines } from '../../src/views/taskDetails';
import { rowStatus, shortPrompt } from '../../src/views/taskPresentation';
import { waitFor } from '../common/waitFor';
import type { StoreChildConfig, StoreChildReport } from './taskStoreChild';

describe('TaskStore', () => {
	const dirs = new TempDirs();
	const stores: TaskStore[] = [];
	let dir: string;
	let file: string;

	function open(options: { now?: () => number; writeDelayMs?: number; retryDelayMs?: number; file?: string } = {}): TaskStore {
		const store = new TaskStore({ file, writeDelayMs: 20, ...options });
		stores.push(store);
		return store;
	}

	async function loaded(options: { now?: () => number; writeDelayMs?: number } = {}): Promise<TaskStore> {
		const store = open(options);
		await store.load();
		return store;
	}

	/** What is on disk right now. */
	function onDisk(): { tasks: TaskRecord[]; removed?: Record<string, number> } {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	}

	beforeEach(() => {
		dir = dirs.make();
		file = path.join(dir, 'state', 'tasks.json');
	});

	afterEach(async () => {
		for (const store of stores.splice(0)) {
			await store.flush().catch(() => undefined);
			store.dispose();
		}
		dirs.cleanup();
	});

	it('starts empty when there is no file yet, and creates no file by loading', async () => {
		const store = await loaded();
		assert.deepEqual(store.all(), []);
		assert.equal(fs.existsSync(file), false);
	});

	it('keeps where a task made from a Markdown selection offers to insert its video, for the next window to read', async () => {
		const task = makeTask({ insertBelow: { uri: 'file:///home/ana/notes/story.md', line: 4 } });
		const first = await loaded();
		await first.add(task);
		first.update(task.id, { phase: 'succeeded' });
		await first.flush();
		const next = await loaded();
		assert.deepEqual(next.get(task.id)?.insertBelow, { uri: 'file:///home/ana/notes/story.md', line: 4 });
	});

	it('has a task on disk by the time add() resolves', async () => {
		const store = await loaded();
		const task = makeTask({ prompt: 'a red kite' });
		await store.add(task);
		const saved = onDisk().tasks;
		assert.equal(saved.length, 1);
		assert.equal(saved[0].id, task.id);
		assert.equal(saved[0].prompt, 'a red kite');
		assert.equal(store.writes, 1);
	});

	it('lists tasks newest first and finds them by VideoGen id and by service id', async () => {
		const store = await loaded();
		await store.add(makeTask({ id: 'old', createdAt: 1000, taskId: 'task_old' }));
		await store.add(makeTask({ id: 'new', createdAt: 2000, taskId: 'task_new' }));
		assert.deepEqual(store.all().map(t => t.id), ['new', 'old']);
		assert.equal(store.get('old')?.taskId, 'task_old');
		assert.equal(store.findByTaskId('task_new')?.id, 'new');
		assert.equal(store.findByTaskId('task_none'), undefined);
	});

	it('lists as active, newest first, only the tasks some window still works on, as they change, load, reload and go', async () => {
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, JSON.stringify({
			version: 1, removed: {}, tasks: [
				makeTask({ id: 'polled', phase: 'running', createdAt: 1000 }),
				makeTask({ id: 'saved', phase: 'succeeded', createdAt: 2000, urls: ['https://storage.example/a.mp4'], download: { phase: 'done', files: ['a.mp4'] } }),
				makeTask({ id: 'to-save', phase: 'succeeded', createdAt: 3000, urls: ['https://storage.example/b.mp4'] }),
				makeTask({ id: 'failed', phase: 'failed', createdAt: 4000 }),
				makeTask({ id: 'saving', phase: 'succeeded', createdAt: 5000, urls: ['https://storage.example/c.mp4'], download: { phase: 'downloading' } }),
			],
		}));
		const store = await loaded();
		const active = () => store.active().map(t => t.id);
		assert.deepEqual(active(), ['saving', 'to-save', 'polled']);
		store.update('polled', { phase: 'succeeded', urls: ['https://storage.example/d.mp4'], download: { phase: 'done', files: ['d.mp4'] } });
		store.update('saving', { download: { phase: 'done', files: ['c.mp4'] } });
		assert.deepEqual(active(), ['to-save']);
		await store.add(makeTask({ id: 'submitting', phase: 'submitting', createdAt: 6000 }));
		store.update('failed', { phase: 'pending', taskId: 'task_again' });
		assert.deepEqual(active(), ['submitting', 'failed', 'to-save']);
		await store.remove(['to-save']);
		assert.deepEqual(active(), ['submitting', 'failed']);
		// Another window finishes a task: the reload takes it out of the active ones.
		await store.flush();
		const other = await loaded();
		other.update('submitting', { phase: 'submitFailed', error: 'refused' });
		await other.flush();
		await store.reload();
		assert.deepEqual(active(), ['failed']);
		assert.deepEqual(store.all().map(t => t.id), ['submitting', 'saving', 'failed', 'saved', 'polled']);
	});

	it('shows only what the file holds when it is loaded again, in all() and in active()', async () => {
		const store = await loaded();
		await store.add(makeTask({ id: 'polled', phase: 'running' }));
		assert.equal(store.all().length, 1);
		assert.equal(store.active().length, 1);
		fs.rmSync(file);
		await store.load();
		assert.deepEqual(store.all(), []);
		assert.deepEqual(store.active(), []);
	});

	it('shows an update at once in memory and writes it to disk shortly after', async () => {
		const store = await loaded({ writeDelayMs: 50 });
		const task = makeTask();
		await store.add(task);
		const updated = store.update(task.id, { phase: 'running', serviceStatus: 'Running' });
		assert.equal(updated?.phase, 'running');
		assert.equal(store.get(task.id)?.phase, 'running');
		assert.equal(onDisk().tasks[0].phase, 'pending', 'not written yet');
		await waitFor('the batched write', () => onDisk().tasks[0].phase === 'running');
	});

	it('ignores an update of a task it does not have', async () => {
		const store = await loaded();
		assert.equal(store.update('nope', { phase: 'running' }), undefined);
		await store.flush();
		assert.equal(store.writes, 0);
	});

	it('stamps every change with a strictly newer updatedAt, even when the clock stands still or goes back', async () => {
		let clock = 5_000;
		const store = await loaded({ now: () => clock });
		const task = makeTask({ updatedAt: 1 });
		await store.add(task);
		const first = store.get(task.id)!.updatedAt;
		const second = store.update(task.id, { phase: 'running' })!.updatedAt;
		clock = 10;
		const third = store.update(task.id, { phase: 'succeeded' })!.updatedAt;
		assert.equal(first, 5_000);
		assert.ok(second > first && third > second, `${first} < ${second} < ${third}`);
	});

	it('turns many updates made within one round into a single write', async () => {
		const store = await loaded({ writeDelayMs: 50 });
		const tasks = Array.from({ length: 20 }, () => makeTask());
		for (const task of tasks) {
			store.update(task.id, {}); // unknown ids: nothing to write
		}
		await Promise.all(tasks.map(task => store.add(task)));
		const before = store.writes;
		for (let round = 0; round < 5; round++) {
			for (const task of tasks) {
				store.update(task.id, { serviceStatus: `Running ${round}` });
			}
		}
		await waitFor('the batched write', () => store.writes > before);
		await delay(120); // longer than the write delay: a second write would have happened by now
		assert.equal(store.writes - before, 1);
		assert.ok(onDisk().tasks.every(t => t.serviceStatus === 'Running 4'));
	});

	it('keeps download progress in memory only', async () => {
		const store = await loaded();
		const task = makeTask({ phase: 'succeeded', download: { phase: 'downloading' } });
		await store.add(task);
		const writes = store.writes;
		store.setProgress(task.id, { receivedBytes: 10, totalBytes: 100 });
		assert.deepEqual(store.getProgress(task.id), { receivedBytes: 10, totalBytes: 100 });
		await store.flush();
		assert.equal(store.writes, writes);
		store.update(task.id, { download: { phase: 'done', files: ['/x.mp4'] } });
		assert.equal(store.getProgress(task.id), undefined);
	});

	it('removes a task for good even when it was changed within the same millisecond', async () => {
		const store = await loaded({ now: () => 5_000 }); // a clock that stands still
		const task = makeTask({ id: 'x', updatedAt: 1 });
		await store.add(task);
		store.update('x', { phase: 'running' });
		await store.flush();
		await store.remove(['x']);
		assert.equal(store.get('x'), undefined);
		assert.deepEqual(onDisk().tasks, []);
		const other = await loaded();
		assert.equal(other.get('x'), undefined);
	});

	it('fires onDidChange with the ids that changed', async () => {
		const store = await loaded();
		const seen: string[][] = [];
		store.onDidChange(ids => seen.push([...ids]));
		const task = makeTask();
		await store.add(task);
		store.update(task.id, { phase: 'running' });
		await store.remove([task.id]);
		assert.deepEqual(seen, [[task.id], [task.id], [task.id]]);
	});

	describe('shared between two windows', () => {
		it('lets a second instance on the same file see another\'s changes after reload()', async () => {
			const a = await loaded();
			const b = await loaded();
			const task = makeTask();
			await a.add(task);
			assert.equal(b.get(task.id), undefined);
			const changed: string[] = [];
			b.onDidChange(ids => changed.push(...ids));
			assert.deepEqual(await b.reload(), [task.id]);
			assert.equal(b.get(task.id)?.prompt, task.prompt);
			assert.deepEqual(changed, [task.id]);

			a.update(task.id, { phase: 'running' });
			await a.flush();
			await b.reload();
			assert.equal(b.get(task.id)?.phase, 'running');
			assert.deepEqual(await b.reload(), [], 'nothing new the second time');
		});

		it('merges updates of different tasks made in two windows, whichever writes first', async () => {
			const seed = await loaded();
			const x = makeTask({ id: 'x' });
			const y = makeTask({ id: 'y' });
			await seed.add(x);
			await seed.add(y);
			const a = await loaded();
			const b = await loaded();
			a.update('x', { phase: 'running' });
			b.update('y', { phase: 'succeeded' });
			await a.flush();
			await b.flush();
			const fresh = await loaded();
			assert.equal(fresh.get('x')?.phase, 'running');
			assert.equal(fresh.get('y')?.phase, 'succeeded');
			assert.equal(b.get('x')?.phase, 'running', 'the second writer took in the first one\'s change');
		});

		it('keeps the newer of two edits of the same task, even when the older one is written last', async () => {
			let clockA = 2_000;
			const clockB = 3_000;
			const seed = await loaded({ now: () => 1_000 });
			await seed.add(makeTask({ id: 'x', updatedAt: 1_000 }));
			const a = await loaded({ now: () => clockA });
			const b = await loaded({ now: () => clockB });
			b.update('x', { serviceStatus: 'from B (newer)' });
			a.update('x', { serviceStatus: 'from A (older)' });
			await b.flush();
			await a.flush();
			assert.equal(onDisk().tasks[0].serviceStatus, 'from B (newer)');
			assert.equal(a.get('x')?.serviceStatus, 'from B (newer)', 'the older window adopted the newer edit');
			clockA = 4_000;
			a.update('x', { serviceStatus: 'from A (newest)' });
			await a.flush();
			await b.reload();
			assert.equal(b.get('x')?.serviceStatus, 'from A (newest)');
		});

		it('merges updates from two windows that write at the same moment', async () => {
			const seed = await loaded();
			await seed.add(makeTask({ id: 'x' }));
			await seed.add(makeTask({ id: 'y' }));
			const a = await loaded();
			const b = await loaded();
			a.update('x', { phase: 'running' });
			b.update('y', { phase: 'succeeded' });
			await Promise.all([a.flush(), b.flush()]);
			// Each window reloads the list regularly; that is when a lost write is noticed and made again.
			await Promise.all([a.reload(), b.reload()]);
			await Promise.all([a.flush(), b.flush()]);
			const fresh = await loaded();
			assert.equal(fresh.get('x')?.phase, 'running');
			assert.equal(fresh.get('y')?.phase, 'succeeded');
		});

		it('does not bring back a task one window removed from another window\'s stale copy', async () => {
			let clock = 10_000;
			const now = () => clock;
			const seed = await loaded({ now });
			await seed.add(makeTask({ id: 'gone', createdAt: 1, updatedAt: 1 }));
			await seed.add(makeTask({ id: 'kept', createdAt: 1, updatedAt: 1 }));
			const a = await loaded({ now });
			const b = await loaded({ now }); // holds a copy of "gone"
			clock += 1_000;
			await a.remove(['gone']);
			assert.equal(a.get('gone'), undefined);
			assert.ok(onDisk().removed?.gone, 'the removal is remembered on disk');

			clock += 1_000;
			b.update('kept', { phase: 'running' }); // B writes with its stale copy of "gone" in memory
			await b.flush();
			assert.deepEqual(onDisk().tasks.map(t => t.id), ['kept']);
			assert.equal(b.get('gone'), undefined, 'B dropped its stale copy while merging');
			await a.reload();
			assert.equal(a.get('gone'), undefined);
			assert.equal(a.get('kept')?.phase, 'running');
		});

		it('drops a removed task from another window on reload()', async () => {
			const a = await loaded();
			await a.add(makeTask({ id: 'gone' }));
			const b = await loaded();
			await a.remove(['gone']);
			assert.deepEqual(await b.reload(), ['gone']);
			assert.equal(b.get('gone'), undefined);
		});

		it('forgets removals after a day', async () => {
			let clock = 1_000_000;
			const store = await loaded({ now: () => clock });
			await store.add(makeTask({ id: 'gone', createdAt: 1, updatedAt: 1 }));
			await store.remove(['gone']);
			assert.ok(onDisk().removed?.gone);
			clock += 25 * 60 * 60 * 1000;
			await store.add(makeTask({ id: 'other' }));
			assert.equal(onDisk().removed?.gone, undefined);
		});
	});

	describe('damage and crashes', () => {
		/** A store loaded from a list of these records, written as they are, and the warnings and errors it logged. */
		async function loadedFrom(records: readonly unknown[]): Promise<{ store: TaskStore; warnings: string[] }> {
			fs.mkdirSync(path.dirname(file), { recursive: true });
			fs.writeFileSync(file, JSON.stringify({ version: 1, tasks: records, removed: {} }));
			const warnings: string[] = [];
			const log = { trace() { }, debug() { }, info() { }, warn: (message: string) => void warnings.push(message), error: (message: string | Error) => void warnings.push(String(message)) };
			const store = new TaskStore({ file, writeDelayMs: 20, log });
			stores.push(store);
			await store.load();
			return { store, warnings };
		}

		it('keeps a task whose name, retryOf or run time is of the wrong type, without that field, and the tree reads it', async () => {
			const good = makeTask({ id: 'good', prompt: 'a heron', name: 'heron' });
			const named = { ...makeTask({ id: 'named', prompt: '' }), taskId: 'task_named01', name: 42 };
			const retry = { ...makeTask({ id: 'retry', prompt: 'a retry' }), retryOf: { id: 'x' } };
			const timed = { ...makeTask({ id: 'timed', prompt: 'a run', phase: 'succeeded' }), usageSeconds: '8' };
			const failed = { ...makeTask({ id: 'failed', prompt: 'a fall', phase: 'failed' }), error: 5, serviceStatus: { word: 'Failure' } };
			const { store, warnings } = await loadedFrom([good, named, retry, timed, failed]);
			assert.deepEqual(store.all().map(task => task.id).sort(), ['failed', 'good', 'named', 'retry', 'timed']);
			assert.equal(store.get('failed')?.error, undefined);
			assert.equal(store.get('failed')?.serviceStatus, undefined);
			assert.equal(store.get('good')?.name, 'heron', 'a whole record keeps its fields');
			assert.equal(store.get('named')?.name, undefined);
			assert.equal(store.get('retry')?.retryOf, undefined);
			assert.equal(store.get('timed')?.usageSeconds, undefined);
			for (const task of store.all()) {
				assert.doesNotThrow(() => [shortPrompt(task), rowStatus(task), ...detailLines(task).flat()], task.id);
			}
			assert.equal(shortPrompt(store.get('named')!), 'Task task_named01');
			assert.deepEqual(warnings.sort(), [
				'the saved task "failed": its error was of the wrong type and was left out',
				'the saved task "failed": its serviceStatus was of the wrong type and was left out',
				'the saved task "named" ("task_named01"): its name was of the wrong type and was left out',
				'the saved task "retry": its retryOf was of the wrong type and was left out',
				'the saved task "timed": its usageSeconds was of the wrong type and was left out',
			]);
		});

		it('keeps a task whose last query error, link note, negative prompt or frames are of the wrong type, without them', async () => {
			const polled = { ...makeTask({ id: 'polled', prompt: 'a lark', phase: 'running' }), taskId: 'task_polled1', pollError: 3, urlsNote: ['x'] };
			const framed = { ...makeTask({ id: 'framed', prompt: 'a wren', phase: 'succeeded' }), negativePrompt: { text: 'blur' }, firstFrame: 7, lastFrame: false };
			const whole = makeTask({ id: 'whole', prompt: 'a swift', negativePrompt: 'blur', firstFrame: 'https://images.example/a.png' });
			const { store, warnings } = await loadedFrom([polled, framed, whole]);
			assert.deepEqual(store.all().map(task => task.id).sort(), ['framed', 'polled', 'whole']);
			for (const field of ['pollError', 'urlsNote'] as const) {
				assert.equal(store.get('polled')?.[field], undefined, field);
			}
			for (const field of ['negativePrompt', 'firstFrame', 'lastFrame'] as const) {
				assert.equal(store.get('framed')?.[field], undefined, field);
			}
			assert.equal(store.get('whole')?.negativePrompt, 'blur', 'a whole record keeps its fields');
			assert.equal(store.get('whole')?.firstFrame, 'https://images.example/a.png');
			for (const task of store.all()) {
				assert.doesNotThrow(() => detailLines(task).flat(), task.id);
			}
			assert.deepEqual(warnings.sort(), [
				'the saved task "framed": its firstFrame was of the wrong type and was left out',
				'the saved task "framed": its lastFrame was of the wrong type and was left out',
				'the saved task "framed": its negativePrompt was of the wrong type and was left out',
				'the saved task "polled" ("task_polled1"): its pollError was of the wrong type and was left out',
				'the saved task "polled" ("task_polled1"): its urlsNote was of the wrong type and was left out',
			]);
		});

		it('does not write an unreadable record back over a task this window holds or removed', async () => {
			const { store } = await loadedFrom([makeTask({ id: 'kept', prompt: 'a heron' }), makeTask({ id: 'gone', prompt: 'a crane' })]);
			await store.remove(['gone']);
			// Another window (another version) writes records this one cannot read, with those two ids and a third.
			const other = (id: string) => ({ id, phase: 'running', createdAt: 1, updatedAt: 1 });
			fs.writeFileSync(file, JSON.stringify({ version: 1, tasks: [other('kept'), other('gone'), other('theirs')], removed: {} }));
			await store.add(makeTask({ id: 'new', prompt: 'a new one' }));
			await store.flush();
			const written = onDisk().tasks as unknown as { id: string; prompt?: string }[];
			assert.deepEqual(written.map(record => record.id).sort(), ['kept', 'new', 'theirs']);
			assert.equal(written.find(record => record.id === 'kept')?.prompt, 'a heron', 'this window\'s task is the one written');
			assert.deepEqual(written.find(record => record.id === 'theirs'), other('theirs'));
		});

		it('does not show a record missing a required field, but keeps it in the file through later writes and logs it once, by id', async () => {
			const secret = 'a prompt that never reaches the log';
			const noPrompt = { id: 'no-prompt', taskId: 'task_noprompt1', phase: 'running', createdAt: 1, updatedAt: 1 };
			const badTime = { ...makeTask({ id: 'bad-time', prompt: secret }), updatedAt: 'yesterday' };
			const good = makeTask({ id: 'good', prompt: 'a heron' });
			const { store, warnings } = await loadedFrom([noPrompt, badTime, null, good]);
			assert.deepEqual(store.all().map(task => task.id), ['good']);
			await store.add(makeTask({ id: 'new', prompt: 'a new one' }));
			store.update('good', { phase: 'running' });
			await store.flush();
			const written = onDisk().tasks as unknown[];
			assert.deepEqual(written.slice(0, 3), [noPrompt, badTime, null], 'the records this version cannot read went back as they were');
			assert.deepEqual((written.slice(3) as TaskRecord[]).map(task => task.id).sort(), ['good', 'new']);
			assert.equal(warnings.length, 3, warnings.join('\n'));
			assert.ok(warnings.some(line => line.includes('("no-prompt")')) && warnings.some(line => line.includes('("bad-time")')), warnings.join('\n'));
			assert.ok(!warnings.join('\n').includes(secret), 'a prompt reached the log');
		});

		it('moves a damaged file aside instead of overwriting it, and starts empty', async () => {
			fs.mkdirSync(path.dirname(file), { recursive: true });
			const damaged = '{"version":1,"tasks":[{"id":"a","prom';
			fs.writeFileSync(file, damaged);
			const store = await loaded();
			assert.deepEqual(store.all(), []);
			const aside = fs.readdirSync(path.dirname(file)).filter(name => name.startsWith('tasks.json.damaged-'));
			assert.equal(aside.length, 1);
			assert.equal(fs.readFileSync(path.join(path.dirname(file), aside[0]), 'utf8'), damaged);

			await store.add(makeTask({ id: 'after' }));
			assert.deepEqual(onDisk().tasks.map(t => t.id), ['after']);
			assert.equal(fs.readFileSync(path.join(path.dirname(file), aside[0]), 'utf8'), damaged, 'the damaged copy is untouched');
		});

		it('moves aside a file that is JSON but holds no task list', async () => {
			fs.mkdirSync(path.dirname(file), { recursive: true });
			fs.writeFileSync(file, '{"version":1,"tasks":"oops"}');
			const store = await loaded();
			assert.deepEqual(store.all(), []);
			assert.equal(fs.readdirSync(path.dirname(file)).filter(name => name.includes('.damaged-')).length, 1);
		});

		it('skips records that are not tasks and keeps the rest', async () => {
			fs.mkdirSync(path.dirname(file), { recursive: true });
			const good = makeTask({ id: 'good' });
			fs.writeFileSync(file, JSON.stringify({ version: 1, tasks: [good, { id: 'bad' }, null, 7] }));
			const store = await loaded();
			assert.deepEqual(store.all().map(t => t.id), ['good']);
		});

		it('loads normally next to a half-written *.tmp file left by a crash', async () => {
			const first = await loaded();
			await first.add(makeTask({ id: 'saved' }));
			fs.writeFileSync(`${file}.4242.k3j2h1.tmp`, '{"version":1,"tasks":[{"id":"half');
			const second = await loaded();
			assert.deepEqual(second.all().map(t => t.id), ['saved']);
			await second.add(makeTask({ id: 'next' }));
			assert.deepEqual(onDisk().tasks.map(t => t.id).sort(), ['next', 'saved']);
			assert.equal(fs.readdirSync(path.dirname(file)).filter(name => name.includes('.damaged-')).length, 0);
		});

		it('starts empty when a crash left only a *.tmp file and no list', async () => {
			fs.mkdirSync(path.dirname(file), { recursive: true });
			fs.writeFileSync(`${file}.4242.abc.tmp`, '{"version":1,"tas');
			const store = await loaded();
			assert.deepEqual(store.all(), []);
		});

		it('reports a write that failed and writes the change on the next flush', async () => {
			// Root ignores file permissions, so the write is made to fail with a path below a regular file (ENOTDIR).
			const blocker = path.join(dir, 'blocked');
			fs.writeFileSync(blocker, 'not a folder');
			file = path.join(blocker, 'tasks.json');
			const store = open();
			await assert.rejects(store.add(makeTask({ id: 'x' })), /ENOTDIR|EEXIST/);
			assert.equal(store.get('x')?.id, 'x', 'the task stays in memory');
			fs.rmSync(blocker);
			await store.flush();
			assert.deepEqual(onDisk().tasks.map(t => t.id), ['x']);
		});

		it('tries a failed write again by itself, with nothing else changing, and says once each way', async () => {
			const blocker = path.join(dir, 'blocked');
			fs.writeFileSync(blocker, 'not a folder');
			file = path.join(blocker, 'tasks.json');
			const store = open({ retryDelayMs: 50 });
			const states: string[] = [];
			store.onDidChangeSaveState(failure => states.push(failure ? `failed ${failure.error.code} ${failure.file}` : 'saved'));
			await assert.rejects(store.add(makeTask({ id: 'x' })), /ENOTDIR|EEXIST/);
			await delay(200); // tried again, and failed again, a few times
			assert.deepEqual(states, [`failed ${states[0]?.split(' ')[1]} ${file}`]);
			fs.rmSync(blocker);
			await waitFor('the list to be written by the retry', () => fs.existsSync(file) && onDisk().tasks.length === 1);
			assert.deepEqual(states.slice(1), ['saved']);
		});

		it('removes at load the temporary files of writes that never finished, and leaves another window\'s write under way', async () => {
			const folder = path.dirname(file);
			fs.mkdirSync(folder, { recursive: true });
			fs.writeFileSync(file, JSON.stringify({ version: 1, tasks: [makeTask({ id: 'kept' })] }));
			const gone = spawnSync(process.execPath, ['-e', '']).pid!; // a process that has exited
			const crashed = `tasks.json.${gone}.k3j2h1.tmp`;
			const underWay = `tasks.json.${process.pid}.a1b2c3.tmp`;
			const forgotten = `tasks.json.${process.pid}.d4e5f6.tmp`;
			for (const name of [crashed, underWay, forgotten]) {
				fs.writeFileSync(path.join(folder, name), '{"version":1,"tas');
			}
			const twoMinutesAgo = (Date.now() - 120_000) / 1000;
			fs.utimesSync(path.join(folder, forgotten), twoMinutesAgo, twoMinutesAgo);
			fs.writeFileSync(`${file}.damaged-1234`, 'kept for inspection');
			const store = await loaded();
			assert.deepEqual(store.all().map(t => t.id), ['kept']);
			assert.deepEqual(fs.readdirSync(folder).sort(), ['tasks.json', 'tasks.json.damaged-1234', underWay].sort());
		});
	});

	describe('on a disk that fills up', () => {
		/**
		 * Runs ./taskStoreChild with every file it writes limited to a few kilobytes (see there why
		 * that stands for a full disk, for any user).
		 */
		function runOnFullDisk(config: StoreChildConfig): Promise<StoreChildReport> {
			return new Promise((resolve, reject) => {
				const child = spawn('/bin/sh', ['-c', 'trap "" XFSZ; ulimit -f 8; exec "$0" "$@"', process.execPath, path.join(__dirname, 'taskStoreChild.js'), JSON.stringify(config)]);
				let stdout = '';
				let stderr = '';
				child.stdout.on('data', (chunk: Buffer) => stdout += chunk.toString('utf8'));
				child.stderr.on('data', (chunk: Buffer) => stderr += chunk.toString('utf8'));
				child.once('error', reject);
				child.once('exit', code => code === 0 ? resolve(JSON.parse(stdout) as StoreChildReport) : reject(new Error(`the store's process exited with ${code}: ${stderr}`)));
			});
		}

		it('leaves no temporary file behind a failed write, keeps the last good list on disk and every change in memory', async () => {
			const report = await runOnFullDisk({ file, promptBytes: 1000 });
			assert.ok(report.writes.includes('EFBIG'), `no write failed as a full disk fails: ${report.writes.join(', ')}`);
			assert.deepEqual(report.folderAfterFailure, ['tasks.json'], 'a failed write left its temporary file');
			assert.equal(report.onDiskAfterFailure, report.inMemoryAfterFailure - 1);
			assert.deepEqual(fs.readdirSync(path.dirname(file)), ['tasks.json']);
		});

		it('says once that the list cannot be saved however many writes fail, once that it is saved again, and again when it fails again', async () => {
			const report = await runOnFullDisk({ file, promptBytes: 1000 });
			const failed = report.writes.filter(outcome => outcome === 'EFBIG').length;
			assert.ok(failed >= 4, `only ${failed} writes failed: ${report.writes.join(', ')}`);
			assert.deepEqual(report.events, ['failed EFBIG', 'saved', 'failed EFBIG']);
		});
	});
});
