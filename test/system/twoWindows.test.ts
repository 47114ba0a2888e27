/**
 * Two VS Code windows share one task list, one lease and one download folder. Here each window is
 * a complete stack (its own store, lease, poller, download queue, client and connection pool) on
 * the same files, wired as TaskService wires them (see ./serviceStack: TaskService itself needs
 * `vscode`). Both run in this process, against the simulator over loopback; what they share is
 * only what two windows share: the files.
 */

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createDispatcher } from '../../src/core/net/httpStack';
import { TaskRecord } from '../../src/core/task';
import { Simulator, startSimulator } from '../simulator/simulator';
import { ServiceStack } from '../common/serviceStack';
import { waitFor } from '../common/waitFor';
import { savedVideo } from '../common/videoNames';

const KEY = 'sk-two-windows-9a4c';
const PENDING_MS = 400;
const RUNNING_MS = 800;
const INTERVAL_MS = 500;

describe('two windows on the same task list', function () {
	this.timeout(60_000);

	let sim: Simulator;
	let dir: string;
	const dispatchers: ReturnType<typeof createDispatcher>[] = [];
	const windows: ServiceStack[] = [];

	const openWindow = async (name: string) => {
		const dispatcher = createDispatcher();
		dispatchers.push(dispatcher);
		const stack = new ServiceStack({
			storeFile: path.join(dir, 'tasks.json'),
			owner: name,
			folder: path.join(dir, 'videos'),
			origin: sim.apiUrl,
			apiKey: KEY,
			dispatcher,
			intervalMs: INTERVAL_MS,
		});
		windows.push(stack);
		await stack.restore();
		return stack;
	};
	const statusQueries = (taskId: string) => sim.requests.filter(r => r.path === `/v1/tasks/status?task_id=${taskId}`).length;
	const done = (store: ServiceStack['store'], ids: readonly string[]) => ids.every(id => store.get(id)?.download?.phase === 'done');

	let a: ServiceStack;
	let b: ServiceStack;

	before(async () => {
		sim = await startSimulator({ apiKey: KEY, pendingMs: PENDING_MS, runningMs: RUNNING_MS });
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'videogen-two-windows-'));
		a = await openWindow('window-A');
		b = await openWindow('window-B');
	});

	after(async () => {
		windows.forEach(window => window.dispose());
		await Promise.all(dispatchers.map(dispatcher => dispatcher.destroy()));
		await sim?.close();
		// A closed window's last save of the task list is not awaited by dispose(): its temporary file can
		// appear while the folder is being removed (ENOTEMPTY), which Node's own retries cover.
		fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
	});

	it('keeps every task both windows add and update at the same time, and asks about each task from one window only', async () => {
		const submitted: TaskRecord[] = [];
		await Promise.all([a, b].map(async (window, w) => {
			for (let wave = 0; wave < 3; wave++) {
				const batch = await Promise.all([0, 1].map(i => window.submit({ prompt: `Window ${w} wave ${wave} task ${i}` })));
				submitted.push(...batch.map(outcome => outcome.task));
				await new Promise(resolve => setTimeout(resolve, 150));
			}
		}));
		assert.ok(submitted.every(task => task.phase === 'pending'), 'a submit was not accepted');
		const ids = submitted.map(task => task.id);
		await waitFor('both windows to show every video saved', () => done(a.store, ids) && done(b.store, ids));

		for (const window of [a, b]) {
			assert.deepStrictEqual(window.store.all().map(task => task.id).sort(), [...ids].sort(), 'a window lost tasks');
		}
		const onDisk = (JSON.parse(fs.readFileSync(path.join(dir, 'tasks.json'), 'utf8')) as { tasks: TaskRecord[] }).tasks;
		assert.deepStrictEqual(onDisk.map(task => task.id).sort(), [...ids].sort());
		assert.ok(onDisk.every(task => task.phase === 'succeeded' && task.download?.phase === 'done'), 'the list on disk lost an update');
		assert.strictEqual(sim.stats.submitsReceived, ids.length);

		const bound = Math.ceil((PENDING_MS + RUNNING_MS) / INTERVAL_MS) + 2;
		for (const task of submitted) {
			const askedBy = [a, b].filter(window => window.queries.has(task.id));
			assert.strictEqual(askedBy.length, 1, `task ${task.taskId} was asked about by ${askedBy.length} windows`);
			const queries = statusQueries(task.taskId!);
			assert.ok(queries <= bound, `task ${task.taskId} was asked about ${queries} times; one window asking once an interval makes at most ${bound}`);
		}
		const videos = fs.readdirSync(path.join(dir, 'videos'));
		assert.strictEqual(videos.length, ids.length);
		assert.strictEqual(sim.stats.downloads, ids.length, 'a video was downloaded by both windows');
	});

	it('polls a task added in the window that does not poll, even while the polling window has nothing new to write', async () => {
		const leader = a.lease.isHeld ? a : b;
		const follower = leader === a ? b : a;
		assert.ok(!follower.lease.isHeld);
		// The polling window follows a long task whose answer does not change from round to round.
		sim.setTaskOutcome('long task', { runningMs: 30_000 });
		const long = (await leader.submit({ prompt: 'A long task in the polling window' })).task;
		await waitFor('the long task to be running', () => leader.store.get(long.id)?.phase === 'running');
		const quick = (await follower.submit({ prompt: 'A quick task in the other window' })).task;
		await waitFor('the other window\'s task to be saved', () => follower.store.get(quick.id)?.download?.phase === 'done', 10_000);
		assert.ok(!follower.queries.has(quick.id), 'the window that does not hold the lease polled');
	});

	it('hands the polling and the downloads over as soon as the polling window closes', async () => {
		const leader = a.lease.isHeld ? a : b;
		const follower = leader === a ? b : a;
		const long = leader.store.all().find(task => task.prompt === 'A long task in the polling window')!;
		assert.strictEqual(leader.store.get(long.id)?.phase, 'running');
		const askedBefore = statusQueries(long.taskId!);
		leader.dispose();
		const closedAt = Date.now();
		sim.forceStatus(long.taskId!, { status: 'Success' });
		await waitFor('the other window to finish the long task and save its video', () => follower.store.get(long.id)?.download?.phase === 'done', 10_000);
		assert.ok(follower.lease.isHeld, 'the remaining window did not take the lease');
		assert.ok((follower.queries.get(long.id) ?? []).every(time => time >= closedAt));
		assert.ok(!(leader.queries.get(long.id) ?? []).some(time => time >= closedAt), 'the closed window kept polling');
		assert.ok(statusQueries(long.taskId!) > askedBefore);
		assert.ok(savedVideo(path.join(dir, 'videos'), long.prompt), 'the video was saved under a name made from its prompt');
	});
});
