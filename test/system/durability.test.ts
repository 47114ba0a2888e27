/**
 * Durability: a "window" (a child Node process running the real store, poller and downloads; see
 * ./durabilityChild) is killed with SIGKILL while a status query is on its way, a video is half
 * downloaded and a submit is unanswered. A new one started on the same task list and folder must
 * find every task, finish the polling, download the interrupted video again from the start, and
 * never show a partial file under the video's final name.
 *
 * Replaced, and why: the simulator runs in this process (the child reaches it over loopback);
 * TaskService's wiring is repeated in ./serviceStack (it needs `vscode`); and the two minutes a
 * submit is given before it counts as interrupted are not waited for: the record's creation time
 * is moved back three minutes while no window is running, as if the restart came that much later.
 */

import * as assert from 'assert';
import { ChildProcess, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { phaseForServiceStatus, submitDeadlineMs, TaskRecord } from '../../src/core/task';
import { Simulator, startSimulator } from '../simulator/simulator';
import type { ChildConfig } from './durabilityChild';
import { waitFor } from '../common/waitFor';
import { savedVideo } from '../common/videoNames';
import { createDispatcher } from '../../src/core/net/httpStack';
import { ServiceStack } from '../common/serviceStack';

const KEY = 'sk-durability-0b6e2f1c';
const VIDEO_BYTES = 8 * 1024 * 1024;
const STALL_AFTER = 1024 * 1024;

interface ChildEvent {
	readonly event: string;
	readonly [key: string]: unknown;
}

/** A child process speaking JSON lines. */
class ChildWindow {
	readonly events: ChildEvent[] = [];
	private readonly exited: Promise<NodeJS.Signals | number | null>;
	private stderr = '';

	constructor(private readonly process: ChildProcess) {
		let buffered = '';
		process.stdout!.on('data', (chunk: Buffer) => {
			buffered += chunk.toString('utf8');
			for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
				this.events.push(JSON.parse(buffered.slice(0, end)) as ChildEvent);
				buffered = buffered.slice(end + 1);
			}
		});
		process.stderr!.on('data', (chunk: Buffer) => this.stderr += chunk.toString('utf8'));
		this.exited = new Promise(resolve => process.once('exit', (code, signal) => resolve(signal ?? code)));
	}

	static start(config: ChildConfig): ChildWindow {
		return new ChildWindow(spawn(process.execPath, [path.join(__dirname, 'durabilityChild.js'), JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'pipe'] }));
	}

	submit(prompt: string): void {
		this.process.stdin!.write(`${JSON.stringify({ cmd: 'submit', prompt })}\n`);
	}

	async event(what: string, match: (event: ChildEvent) => boolean): Promise<ChildEvent> {
		return waitFor(what, () => {
			if (this.process.exitCode !== null) {
				throw new Error(`the child exited (${this.process.exitCode}) while waiting for ${what}: ${this.stderr}`);
			}
			return this.events.find(match);
		});
	}

	/** SIGKILL: no handler runs, nothing is flushed. */
	async kill(): Promise<NodeJS.Signals | number | null> {
		this.process.kill('SIGKILL');
		return this.exited;
	}
}

function readTasks(file: string): TaskRecord[] {
	try {
		return (JSON.parse(fs.readFileSync(file, 'utf8')) as { tasks: TaskRecord[] }).tasks;
	} catch {
		return [];
	}
}

describe('durability: a window killed mid-poll and mid-download', function () {
	this.timeout(60_000);

	let sim: Simulator;
	let dir: string;
	const children: ChildWindow[] = [];

	before(async () => {
		sim = await startSimulator({ apiKey: KEY, pendingMs: 300, runningMs: 600, syntheticVideoBytes: VIDEO_BYTES });
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'videogen-durability-'));
	});

	after(async () => {
		for (const child of children) {
			await child.kill();
		}
		await sim?.close();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('is picked up by the next window: every task kept, polling and the download finished, an old unanswered submit kept as unknown and never resent', async () => {
		const storeFile = path.join(dir, 'tasks.json');
		const folder = path.join(dir, 'videos');
		// The same owner, as a window that comes back takes its own lease again at once. (Another owner
		// would wait until the dead window's lease runs out; the lease and two-window tests cover that.)
		const config: ChildConfig = { storeFile, folder, apiUrl: sim.apiUrl, apiKey: KEY, intervalMs: 200, owner: 'window-1' };

		// Watches the folder the whole time for a file under a final name that is not whole.
		const partialSightings: string[] = [];
		const look = () => {
			for (const name of fs.existsSync(folder) ? fs.readdirSync(folder) : []) {
				if (name.endsWith('.mp4')) {
					const size = fs.statSync(path.join(folder, name), { throwIfNoEntry: false })?.size;
					if (size !== undefined && size !== VIDEO_BYTES) {
						partialSightings.push(`${name} (${size} bytes)`);
					}
				}
			}
		};
		const sampler = setInterval(look, 2);
		try {
			const first = ChildWindow.start(config);
			children.push(first);
			await first.event('the first window to start', e => e.event === 'ready');

			// A video whose body stalls after 1 MiB: the kill lands in the middle of it.
			sim.faults.push({ target: 'download', kind: 'hang', afterBytes: STALL_AFTER });
			first.submit('A video cut off mid-download [instant]');
			const download = await first.event('the first submit', e => e.event === 'submitted');
			assert.strictEqual(download.phase, 'pending');
			const partFile = await waitFor('1 MiB of the video in the .part file', () => {
				const file = savedVideo(folder, 'A video cut off mid-download [instant]', '.part');
				return file && fs.statSync(file).size >= STALL_AFTER ? file : undefined;
			});

			// Two tasks that take a while, and a status query that never gets its answer.
			first.submit('A slow task, polled when the window dies [slow]');
			first.submit('Another slow task [slow]');
			await waitFor('the slow tasks to be accepted', () => first.events.filter(e => e.event === 'submitted' && e.phase === 'pending').length === 3);
			sim.faults.push({ target: 'status', kind: 'hang' });
			await waitFor('a status query left without an answer', () => sim.requests.some(r => r.fault === 'hang' && r.path.startsWith('/v1/tasks/status')));

			// A submit that reaches the service and gets no answer.
			sim.faults.push({ target: 'submit', kind: 'hang' });
			first.submit('A submit that never got its answer');
			await waitFor('the unanswered submit to reach the service', () => sim.requests.some(r => r.fault === 'hang' && r.path === '/v1/tasks/submit'));

			await waitFor('the list on disk to show the download running and the submit on its way', () => {
				const onDisk = readTasks(storeFile);
				return onDisk.find(t => t.taskId === download.taskId)?.download?.phase === 'downloading'
					&& onDisk.find(t => t.prompt === 'A submit that never got its answer')?.phase === 'submitting';
			});
			const killedAt = Date.now();
			assert.strictEqual(await first.kill(), 'SIGKILL');

			// What the dead window left: every task, the half video only as .part.
			const left = readTasks(storeFile);
			assert.deepStrictEqual(left.map(t => t.prompt).sort(), [
				'A slow task, polled when the window dies [slow]',
				'A submit that never got its answer',
				'A video cut off mid-download [instant]',
				'Another slow task [slow]',
			]);
			assert.ok(left.filter(t => t.prompt.includes('[slow]')).every(t => t.taskId && ['pending', 'running'].includes(t.phase)));
			assert.ok(fs.existsSync(partFile), 'the partial download is not in its .part file');
			assert.ok(!fs.existsSync(partFile.slice(0, -'.part'.length)), 'a partial download is under the final name');

			// The next window starts three minutes later (see the header), with one more task that is
			// still "submitting" from a moment ago: that one may be another window's submit on its way.
			const raw = JSON.parse(fs.readFileSync(storeFile, 'utf8')) as { tasks: TaskRecord[] };
			const interrupted = raw.tasks.find(t => t.prompt === 'A submit that never got its answer')!;
			Object.assign(interrupted, { createdAt: interrupted.createdAt - submitDeadlineMs - 60_000 });
			const now = Date.now();
			raw.tasks.push({ id: crypto.randomUUID(), model: interrupted.model, prompt: 'A submit on its way in another window', parameters: {}, apiOrigin: sim.apiUrl, phase: 'submitting', createdAt: now, updatedAt: now });
			fs.writeFileSync(storeFile, JSON.stringify(raw));

			const second = ChildWindow.start(config);
			children.push(second);
			await second.event('the second window to start', e => e.event === 'ready');
			const slow = left.filter(t => t.prompt.includes('[slow]'));
			const done = await waitFor('every video saved and every task final', () => {
				const onDisk = readTasks(storeFile);
				const accepted = onDisk.filter(t => t.taskId);
				return accepted.length === 3 && accepted.every(t => t.phase === 'succeeded' && t.download?.phase === 'done') && onDisk;
			}, 30_000);
			clearInterval(sampler);
			look();

			// Polling resumed after the restart and ended where the service says.
			for (const task of done.filter(t => t.taskId)) {
				assert.strictEqual(task.phase, phaseForServiceStatus(sim.view(task.taskId!)!.status));
			}
			for (const task of slow) {
				const asked = sim.requests.filter(r => r.path === `/v1/tasks/status?task_id=${task.taskId!}` && r.time > killedAt);
				assert.ok(asked.length > 0, `${task.taskId} was not asked about after the restart`);
			}

			// The interrupted download started again from the beginning and is whole.
			const downloads = sim.requests.filter(r => r.server === 'storage' && r.path === `/videos/${download.taskId as string}.mp4`);
			assert.strictEqual(downloads.length, 2, 'the interrupted video was not downloaded exactly once more');
			assert.strictEqual(downloads[1].headers.range, undefined, 'the second download did not start from the beginning');
			const expected = crypto.createHash('sha256').update(Buffer.from(await (await fetch(`${sim.storageUrl}/videos/${download.taskId as string}.mp4`)).arrayBuffer())).digest('hex');
			for (const task of done.filter(t => t.taskId)) {
				const file = task.download!.files![0];
				assert.strictEqual(crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'), expected, `${file} is not the served video`);
			}
			assert.deepStrictEqual(fs.readdirSync(folder).filter(name => name.endsWith('.part')), []);
			assert.deepStrictEqual(partialSightings, [], 'a partial file was seen under a final .mp4 name');

			// The old unanswered submit is "outcome unknown" and was sent once; the young one is left alone.
			const unknown = done.find(t => t.prompt === 'A submit that never got its answer')!;
			assert.strictEqual(unknown.phase, 'submitUnknown');
			assert.match(unknown.error ?? '', /may have been accepted\. It will not be sent again/);
			const young = done.find(t => t.prompt === 'A submit on its way in another window')!;
			assert.strictEqual(young.phase, 'submitting');
			const submits = sim.requests.filter(r => r.path === '/v1/tasks/submit').map(r => (JSON.parse(r.body) as { input: { prompt: string } }).input.prompt);
			assert.deepStrictEqual(submits.filter(p => p === unknown.prompt), [unknown.prompt], 'the unanswered submit was sent again');
			assert.ok(!submits.includes(young.prompt), 'a task still "submitting" elsewhere was sent by this window');
			assert.strictEqual(sim.stats.submitsReceived, 4);
		} finally {
			clearInterval(sampler);
		}
	});
});

describe('durability: another window crashes while one stays open', function () {
	this.timeout(60_000);

	let sim: Simulator;
	let dir: string;
	let child: ChildWindow | undefined;
	let open: ServiceStack | undefined;
	const dispatcher = createDispatcher();
	/** Short leases, so the open window may take over a couple of seconds after the crash. */
	const leaseMs = 2_000;

	before(async () => {
		sim = await startSimulator({ apiKey: KEY, pendingMs: 200, runningMs: 300, syntheticVideoBytes: VIDEO_BYTES });
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'videogen-durability-open-'));
	});

	after(async () => {
		await child?.kill();
		open?.dispose();
		await dispatcher.destroy();
		await sim?.close();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('shows the other window\'s task at once in a window with nothing of its own, and finishes the download the crashed window left running', async () => {
		const storeFile = path.join(dir, 'tasks.json');
		const folder = path.join(dir, 'videos');
		// The crashing window starts first, so it holds the lease: it does the polling and the download.
		child = ChildWindow.start({ storeFile, folder, apiUrl: sim.apiUrl, apiKey: KEY, intervalMs: 300, owner: 'window-crashing', leaseMs });
		await child.event('the other window to start', e => e.event === 'ready');
		open = new ServiceStack({ storeFile, folder, origin: sim.apiUrl, apiKey: KEY, dispatcher, intervalMs: 300, owner: 'window-open', leaseMs });
		await open.restore();
		assert.ok(!open.lease.isHeld, 'the open window took the lease from a live window');

		sim.faults.push({ target: 'download', kind: 'hang', afterBytes: STALL_AFTER });
		child.submit('A video the crashing window starts to save [instant]');
		const submitted = await child.event('the submit', e => e.event === 'submitted');
		// The open window has no task of its own, so only its watch on the task list can show this.
		await waitFor('the open window to show the other window\'s task', () => open!.store.get(submitted.id as string), 2_000);
		await waitFor('the open window to show the download running', () => open!.store.get(submitted.id as string)?.download?.phase === 'downloading' || undefined, 10_000);
		const partFile = await waitFor('part of the video in the .part file', () => {
			const file = savedVideo(folder, 'A video the crashing window starts to save [instant]', '.part');
			return file && fs.statSync(file).size >= STALL_AFTER ? file : undefined;
		});

		await child.kill();
		sim.faults.clear();
		const saved = await waitFor('the open window to save the whole video', () => {
			const task = open!.store.get(submitted.id as string);
			return task?.download?.phase === 'done' ? task : undefined;
		}, 20_000);
		const file = saved.download!.files![0];
		assert.strictEqual(fs.statSync(file).size, VIDEO_BYTES);
		assert.ok(!fs.existsSync(partFile), 'the .part file was left behind');
		assert.ok(open.lease.isHeld, 'the open window did not take the lease over');
		assert.strictEqual(open.queries.size, 0, 'the open window polled while the other window held the lease');
		assert.strictEqual(sim.stats.submitsReceived, 1);
	});
});
