/**
 * The poller against the simulator over loopback: real timers, a real TaskStore file, the real
 * ApiClient. Intervals are 100 ms so that a task's whole life takes a few hundred ms. Counts of
 * status queries come from the simulator's request log, not from the poller's own counters.
 * Gaps between queries are checked only from below (the poller must not ask sooner than X);
 * nothing here asserts that something happened quickly.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiError } from '../../src/core/errors';
import { Poller, PollerOptions } from '../../src/core/poller';
import { TaskRecord } from '../../src/core/task';
import { TaskStore } from '../../src/core/taskStore';
import { controlCharacter, delay, Loopback, makeTask, MODEL, nextEvent, promptBody, SECRET_KEY, submitTask, TempDirs } from '../common/helpers';
import { waitFor } from '../common/waitFor';
import { Simulator, startSimulator } from '../simulator/simulator';

const INTERVAL = 100;
/**
 * Node timers may fire up to a millisecond before `Date.now()` reaches the target; the lower bounds
 * on gaps allow for that rounding and nothing more.
 */
const CLOCK_SLACK_MS = 2;

describe('Poller', () => {
	const loop = new Loopback();
	const dirs = new TempDirs();
	let store: TaskStore;
	let poller: Poller | undefined;
	/** A second API host, for the tests that need two. */
	let other: Simulator | undefined;

	async function setUp(sim: { pendingMs?: number; runningMs?: number } = {}, storeOptions: { writeDelayMs?: number } = {}): Promise<void> {
		await loop.start(sim);
		store = new TaskStore({ file: path.join(dirs.make(), 'tasks.json'), writeDelayMs: 20, ...storeOptions });
		await store.load();
	}

	function startPoller(over: Partial<PollerOptions> = {}): Poller {
		const client = loop.client();
		poller = new Poller({ store, query: task => client.status(task.taskId!), intervalMs: () => INTERVAL, ...over });
		return poller;
	}

	/** Submits to the simulator and adds the task to the store (which wakes the poller). */
	async function track(prompt: string, over: Partial<TaskRecord> = {}): Promise<TaskRecord> {
		const task = await submitTask(loop, prompt, over);
		await store.add(task);
		return task;
	}

	const finished = (p: Poller, task: TaskRecord) => nextEvent(p.onDidFinish, t => t.id === task.id);

	/** The distinct query errors the store's first task shows from now on, in order. */
	function pollErrorsShown(): string[] {
		const shown: string[] = [];
		store.onDidChange(() => {
			const pollError = store.all()[0]?.pollError;
			if (pollError && !shown.includes(pollError)) {
				shown.push(pollError);
			}
		});
		return shown;
	}

	/** Times (simulator clock) at which the simulator was asked about the task. */
	const queryTimes = (task: TaskRecord) => loop.statusRequests(task.taskId!).map(r => r.time);

	afterEach(async () => {
		poller?.dispose();
		poller = undefined;
		await other?.close();
		other = undefined;
		await store?.flush().catch(() => undefined);
		store?.dispose();
		await loop.stop();
		dirs.cleanup();
	});

	describe('a task\'s life', () => {
		it('follows a task from Pending through Running to Success and records its links', async () => {
			await setUp({ pendingMs: 200, runningMs: 200 });
			const p = startPoller();
			const statuses: string[] = [];
			store.onDidChange(() => {
				const status = store.all()[0]?.serviceStatus;
				if (status && statuses.at(-1) !== status) {
					statuses.push(status);
				}
			});
			const task = await track('a paper boat');
			const done = await finished(p, task);
			assert.deepEqual(statuses, ['Pending', 'Running', 'Success']);
			assert.equal(done.phase, 'succeeded');
			assert.deepEqual(done.urls, [`${loop.sim.storageUrl}/videos/${task.taskId}.mp4`]);
			assert.equal(done.error, undefined);
			assert.equal(typeof done.finishedAt, 'number');
			assert.equal(done.usageSeconds, 4, 'the service\'s usage.duration is kept with the task');
			assert.equal(store.get(task.id)?.phase, 'succeeded');
		});

		it('asks about a task that runs T ms at interval I at most ceil(T/I)+1 times', async () => {
			const pendingMs = 150;
			const runningMs = 250;
			await setUp({ pendingMs, runningMs });
			const p = startPoller();
			const task = await track('a slow sunrise');
			await finished(p, task);
			await delay(3 * INTERVAL); // any further query would show up now
			const asked = queryTimes(task).length;
			const bound = Math.ceil((pendingMs + runningMs) / INTERVAL) + 1;
			assert.ok(asked >= 2 && asked <= bound, `${asked} status queries, bound ${bound}`);
		});

		it('leaves no timer running once no task is unfinished', async () => {
			await setUp();
			const p = startPoller();
			const task = await track('a quiet pond');
			await finished(p, task);
			await nextEvent(p.onDidPoll);
			await new Promise(resolve => setImmediate(resolve));
			assert.equal(p.isScheduled, false);
			const asked = queryTimes(task).length;
			await delay(3 * INTERVAL);
			assert.equal(queryTimes(task).length, asked, 'no query after the task finished');
		});

		it('sets no timer for a store that holds only finished tasks, and one as soon as an unfinished task appears', async () => {
			await setUp();
			await store.add(makeTask({ phase: 'succeeded', taskId: 'task_done' }));
			await store.add(makeTask({ phase: 'submitFailed' }));
			const p = startPoller();
			p.schedule();
			assert.equal(p.isScheduled, false);
			await track('a new one');
			assert.equal(p.isScheduled, true);
		});

		it('asks a task first one interval after it was submitted', async () => {
			await setUp();
			const p = startPoller();
			const task = await track('a kettle');
			await finished(p, task);
			const [first] = queryTimes(task);
			assert.ok(first - task.submittedAt! >= INTERVAL - CLOCK_SLACK_MS, `first query ${first - task.submittedAt!} ms after submit`);
		});

		for (const [name, interval] of [['Infinity', Infinity], ['NaN', NaN], ['longer than a timer can wait (1e12 ms)', 1e12]] as const) {
			it(`waits instead of spinning when the interval is ${name}, and still asks when told to`, async () => {
				await setUp({ pendingMs: 60_000 });
				const p = startPoller({ intervalMs: () => interval });
				const task = await track('a very patient task');
				await delay(3 * INTERVAL);
				// A timer given more than 2^31 - 1 ms fires at once: every round would set another.
				assert.equal(p.stats.rounds, 0, `${p.stats.rounds} rounds in ${3 * INTERVAL} ms`);
				assert.equal(queryTimes(task).length, 0);
				p.pollNow();
				await waitFor('the query asked for', () => queryTimes(task).length === 1);
				await delay(3 * INTERVAL);
				assert.ok(p.stats.rounds <= 2, `${p.stats.rounds} rounds after one query`);
			});
		}
	});

	describe('what the service reports', () => {
		it('marks an Expired task as expired and stops asking', async () => {
			await setUp();
			const p = startPoller();
			const task = await track('x [expire]');
			const done = await finished(p, task);
			assert.equal(done.phase, 'expired');
			assert.equal(done.serviceStatus, 'Expired');
			assert.equal(done.error, 'The service reports that the task expired.');
		});

		it('keeps a task with an unknown status, shows the status verbatim and asks with growing pauses', async () => {
			await setUp();
			// random() = 1 puts every back-off at the top of its jitter range, so the expected pauses are exact lower bounds.
			const p = startPoller({ random: () => 1 });
			const task = await track('x [status:Queued]');
			await waitFor('four queries', () => queryTimes(task).length >= 4);
			const record = store.get(task.id)!;
			assert.equal(record.phase, 'unknown');
			assert.equal(record.serviceStatus, 'Queued');
			assert.equal(record.error, undefined);
			assert.ok((record.pollFailures ?? 0) >= 3, 'unknown rounds are counted for the back-off');
			assert.equal(p.isScheduled, true, 'it is still polled');
			const times = queryTimes(task);
			const gaps = times.slice(1).map((time, i) => time - times[i]);
			// After the n-th "Queued" the pause is I * 2^(n-1): 100, 200, 400 ms.
			[INTERVAL, 2 * INTERVAL, 4 * INTERVAL].forEach((least, i) => {
				assert.ok(gaps[i] >= least - CLOCK_SLACK_MS, `pause ${i + 1} was ${gaps[i]} ms, expected at least ${least}`);
			});
		});

		it('turns a Success without links into an error that says to refresh', async () => {
			await setUp();
			const p = startPoller();
			const task = await track('x [nourls]');
			const done = await finished(p, task);
			assert.equal(done.phase, 'succeeded');
			assert.equal(done.urls, undefined);
			assert.match(done.error ?? '', /reported success but sent no video link\. Refresh to ask again/);
		});

		it('gets the links on refreshTask() once the service has them', async () => {
			await setUp();
			const p = startPoller();
			const task = await track('x [nourls]');
			await finished(p, task);
			const link = `${loop.sim.storageUrl}/videos/${task.taskId}.mp4`;
			loop.sim.forceStatus(task.taskId!, { status: 'Success', urls: [link] });
			const refreshed = await p.refreshTask(task.id);
			assert.deepEqual(refreshed?.urls, [link]);
			assert.equal(refreshed?.error, undefined);
		});

		it('keeps every link of a Success with several videos', async () => {
			await setUp();
			const p = startPoller();
			const task = await track('x [multi]');
			const done = await finished(p, task);
			assert.deepEqual(done.urls, [`${loop.sim.storageUrl}/videos/${task.taskId}.mp4`, `${loop.sim.storageUrl}/videos/${task.taskId}-2.mp4`]);
		});

		it('keeps the first 10 links of a Success with 10,000, says why under the task, and writes it to the log once', async () => {
			await setUp();
			const lines: string[] = [];
			const record = (message: string | Error) => void lines.push(String(message));
			const p = startPoller({ log: { trace: record, debug: record, info: record, warn: record, error: record } });
			const task = await track('x [many-urls]');
			const done = await finished(p, task);
			assert.equal(done.urls?.length, 10);
			assert.equal(done.urlsNote, 'The service sent 10,000 video links; VideoGen keeps the first 10.');
			assert.equal(done.error, undefined);
			await p.refreshTask(task.id); // the same answer again: nothing new to say
			assert.deepEqual(lines.filter(line => line.includes('10,000')), [`task ${task.taskId}: The service sent 10,000 video links; VideoGen keeps the first 10.`]);
		});

		it('keeps a Success whose only link is too long without a link, saying why', async () => {
			await setUp();
			const p = startPoller();
			const task = await track('x [long-url]');
			const done = await finished(p, task);
			assert.equal(done.phase, 'succeeded');
			assert.equal(done.urls, undefined);
			assert.equal(done.error, 'The service reported success but sent no video link VideoGen can use. The service sent 1 video link; VideoGen does not use 1 that is longer than 8,192 characters or not a link. Refresh to ask again.');
		});

		it('keeps 300 characters of plain text of a 512 KB failure message full of markup, so the task list stays small', async () => {
			await setUp();
			const p = startPoller();
			const task = await track('x [fail-hostile]');
			const done = await finished(p, task);
			assert.equal(done.phase, 'failed');
			assert.equal(done.error?.length, 300);
			assert.match(done.error!, /^Render failed\. \[Fix it\] \(command:workbench\.action\.terminal\.new\) or \[see\] \(https:\/\/example\.com\/x\) \$ \(alert\) \[poller\] task task_forged is Success \\u001b\[31mred/);
			assert.doesNotMatch(done.error!, controlCharacter);
			await store.flush();
			const size = fs.statSync(store.file).size;
			assert.ok(size < 4096, `the task list is ${size} bytes`);
		});

		it('asks again after a status answer too large to read, and follows the task to its end', async () => {
			await setUp();
			const p = startPoller();
			loop.sim.faults.push({ target: 'status', kind: 'huge' }, { target: 'status', kind: 'endless' });
			const errors = pollErrorsShown();
			const task = await track('a large answer');
			const done = await finished(p, task);
			assert.equal(done.phase, 'succeeded');
			assert.equal(done.pollError, undefined);
			assert.deepEqual(errors, ['The service sent an answer VideoGen could not read (the answer is larger than 1 MB, so VideoGen stopped reading it). VideoGen will ask again.']);
		});

		it('shows the service\'s reason for a Failure, and logs it at info with the model and the prompt\'s first words', async () => {
			await setUp();
			const lines: string[] = [];
			const at = (level: string) => (message: string | Error) => void lines.push(`${level} ${String(message)}`);
			const p = startPoller({ log: { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } });
			const task = await track('x [fail]\nsecond line');
			const done = await finished(p, task);
			assert.equal(done.phase, 'failed');
			assert.equal(done.error, 'Simulated failure: the model could not render this prompt');
			assert.deepEqual(lines.filter(line => line.includes(task.taskId!)), [`info task ${task.taskId} (${done.model}, "x [fail]") is Failure: Simulated failure: the model could not render this prompt`]);
		});

		it('says that no reason was given for a Failure without an error message', async () => {
			await setUp();
			const p = startPoller();
			const task = await track('x [fail-silent]');
			const done = await finished(p, task);
			assert.equal(done.phase, 'failed');
			assert.equal(done.error, 'The service reported a failure without giving a reason.');
		});
	});

	describe('failed queries', () => {
		it('marks a task the service answers 404 about three times in a row as expired, and asks no more', async () => {
			await setUp();
			const p = startPoller({ maxBackoffMs: 200 });
			const task = makeTask({ taskId: 'task_000000000000000000000000', apiOrigin: loop.sim.apiUrl, submittedAt: Date.now() });
			await store.add(task);
			const done = await finished(p, task);
			assert.equal(done.phase, 'expired');
			assert.match(done.error ?? '', /^The service no longer knows this task \(HTTP 404, 3 times in a row\)\. It has probably expired/);
			assert.equal(queryTimes(task).length, 3);
			await delay(3 * INTERVAL);
			assert.equal(queryTimes(task).length, 3);
			assert.equal(p.isScheduled, false);
		});

		it('does not expire a task on a single 404 that follows other failures', async () => {
			await setUp({ pendingMs: 100, runningMs: 100 });
			const p = startPoller({ maxBackoffMs: 200 });
			loop.sim.faults.push(
				{ target: 'status', kind: 'http', status: 500 },
				{ target: 'status', kind: 'http', status: 500 },
				{ target: 'status', kind: 'http', status: 404 },
			);
			const task = await track('a lucky task');
			const done = await finished(p, task);
			assert.equal(done.phase, 'succeeded', done.error);
			assert.equal(queryTimes(task).length, 4);
		});

		it('does not expire a task on 404 pages that are not the API\'s JSON error (a proxy or CDN during a deploy): it asks again until the service answers', async () => {
			await setUp({ pendingMs: 100, runningMs: 100 });
			const p = startPoller({ maxBackoffMs: 200 });
			const page = '<html><body><h1>404 Not Found</h1><hr>nginx</body></html>';
			for (let i = 0; i < 4; i++) {
				loop.sim.faults.push({ target: 'status', kind: 'http', status: 404, body: page });
			}
			const shown = pollErrorsShown();
			const task = await track('a task behind a deploy');
			const done = await finished(p, task);
			assert.equal(done.phase, 'succeeded', done.error);
			assert.equal(queryTimes(task).length, 5, 'four 404 pages, then the answer');
			assert.deepEqual(shown, ['The service had a problem (HTTP 404). The service said: "404 Not Found nginx". VideoGen will ask again.']);
		});

		it('retries every other failure with back-off, shows it meanwhile, and clears it on the next good answer', async () => {
			await setUp({ pendingMs: 100, runningMs: 100 });
			const client = loop.client({ timeoutMs: 300 });
			const p = startPoller({ maxBackoffMs: 200, query: task => client.status(task.taskId!) });
			const kinds = ['http 503', 'http 403', 'http 429', 'reset', 'hang', 'nonJson', 'truncated'];
			loop.sim.faults.push(
				{ target: 'status', kind: 'http', status: 503 },
				{ target: 'status', kind: 'http', status: 403 },
				{ target: 'status', kind: 'http', status: 429 },
				{ target: 'status', kind: 'reset' },
				{ target: 'status', kind: 'hang' },
				{ target: 'status', kind: 'nonJson' },
				{ target: 'status', kind: 'truncated' },
			);
			const shown = new Set<string>();
			let mostFailures = 0;
			store.onDidChange(() => {
				const record = store.all()[0];
				if (record?.pollError) {
					shown.add(record.pollError.replace(/\(.*\)/, '').slice(0, 40));
				}
				mostFailures = Math.max(mostFailures, record?.pollFailures ?? 0);
			});
			const task = await track('a stubborn task');
			const done = await finished(p, task);
			assert.equal(done.phase, 'succeeded');
			assert.equal(done.pollError, undefined, 'the last problem is cleared');
			assert.equal(done.pollFailures, 0);
			assert.equal(mostFailures, kinds.length, 'every failure was counted');
			assert.ok(shown.size >= 5, `the problems were shown: ${[...shown].join(' | ')}`);
			assert.equal(queryTimes(task).length, kinds.length + 1);
		});

		it('does not hold other tasks back while one status query hangs', async () => {
			await setUp({ pendingMs: 100, runningMs: 300 });
			// The hung query is given up on only after 15 s; the other task must be done long before.
			const client = loop.client({ timeoutMs: 15_000 });
			const p = startPoller({ query: task => client.status(task.taskId!) });
			loop.sim.faults.push({ target: 'status', kind: 'hang' });
			const stuck = await track('the task whose query hangs');
			await waitFor('the first query', () => loop.statusRequests(stuck.taskId!).length === 1);
			const other = await track('a task asked about meanwhile');
			const done = await finished(p, other);
			assert.equal(done.phase, 'succeeded');
			assert.equal(loop.statusRequests(stuck.taskId!).length, 1, 'the unanswered task was not asked again meanwhile');
			const waiting = store.get(stuck.id)!;
			assert.equal(waiting.pollFailures ?? 0, 0, 'the other task finished before the hung query gave up');
			assert.equal(waiting.phase, 'pending');
			assert.equal(p.isScheduled, true, 'the hung query is still awaited');
		});

		it('waits at least as long as Retry-After before asking again', async () => {
			await setUp({ pendingMs: 100, runningMs: 100 });
			const p = startPoller();
			loop.sim.faults.push({ target: 'status', kind: 'http', status: 429, retryAfter: '1' });
			const task = await track('a patient task');
			await waitFor('the 429', () => store.get(task.id)?.pollFailures === 1);
			assert.match(store.get(task.id)?.pollError ?? '', /rate limiting.*wait 1 s/);
			await finished(p, task);
			const [limited, next] = loop.statusRequests(task.taskId!);
			assert.equal(limited.status, 429);
			assert.ok(next.time - limited.time >= 1000 - CLOCK_SLACK_MS, `asked again after ${next.time - limited.time} ms`);
		});

		it('pauses on a rejected key, tells once, asks nothing more, and carries on after resume()', async () => {
			await setUp({ pendingMs: 100, runningMs: 100 });
			let key = 'a-wrong-key';
			const p = startPoller({ query: task => loop.client({ apiKey: key }).status(task.taskId!) });
			const rejections: ApiError[] = [];
			p.onDidReject(error => rejections.push(error));
			const tasks = await Promise.all(['one', 'two', 'three'].map(prompt => submitTask(loop, prompt)));
			for (const task of tasks) {
				await store.add(task);
			}
			await waitFor('the pause', () => p.isPaused);
			await delay(4 * INTERVAL);
			assert.equal(rejections.length, 1, 'the user is told once');
			assert.equal(rejections[0].kind, 'unauthorized');
			assert.equal(p.isScheduled, false);
			const askedWhilePaused = loop.sim.stats.statusQueries;
			await delay(2 * INTERVAL);
			assert.equal(loop.sim.stats.statusQueries, askedWhilePaused, 'nothing is asked while paused');
			assert.ok(tasks.every(task => store.get(task.id)?.phase === 'pending'), 'nothing is dropped');

			key = SECRET_KEY;
			const done = Promise.all(tasks.map(task => finished(p, task)));
			p.resume();
			assert.equal(p.isPaused, false);
			for (const record of await done) {
				assert.equal(record.phase, 'succeeded');
				assert.equal(record.pollError, undefined);
			}
		});

		it('pauses only the API host whose key was rejected, and goes on polling the other host meanwhile', async () => {
			await setUp({ pendingMs: 100, runningMs: 100 });
			other = await startSimulator({ apiKey: 'sk-other-host', pendingMs: 100, runningMs: 100 });
			const keys = new Map([[loop.sim.apiUrl, 'a-wrong-key'], [other.apiUrl, 'sk-other-host']]);
			const p = startPoller({ query: task => loop.client({ origin: task.apiOrigin, apiKey: keys.get(task.apiOrigin) }).status(task.taskId!) });
			const rejections: ApiError[] = [];
			p.onDidReject(error => rejections.push(error));
			const rejected = await track('on the host with the wrong key');
			const elsewhere = makeTask({ taskId: (await loop.client({ origin: other.apiUrl, apiKey: 'sk-other-host' }).submit(MODEL, promptBody('on the other host'))).taskId, apiOrigin: other.apiUrl, submittedAt: Date.now() });
			await store.add(elsewhere);

			const done = await finished(p, elsewhere);
			assert.equal(done.phase, 'succeeded', 'the other host\'s task was held up by a key it does not use');
			assert.equal(p.isPausedFor(loop.sim.apiUrl), true);
			assert.equal(p.isPausedFor(other.apiUrl), false);
			assert.equal(rejections.length, 1);
			assert.equal(store.get(rejected.id)?.waitsForKey, true);
			assert.equal(store.get(rejected.id)?.phase, 'pending');
			const askedWhilePaused = queryTimes(rejected).length;
			await delay(3 * INTERVAL);
			assert.equal(queryTimes(rejected).length, askedWhilePaused, 'the paused host was asked again');

			keys.set(loop.sim.apiUrl, SECRET_KEY);
			const resumed = finished(p, rejected);
			p.resume(other.apiUrl);
			assert.equal(p.isPausedFor(loop.sim.apiUrl), true, 'resuming one host resumed another');
			p.resume(loop.sim.apiUrl);
			const record = await resumed;
			assert.equal(record.phase, 'succeeded');
			assert.equal(record.waitsForKey, undefined);
		});

		it('does not ask while another window holds the polling, and starts when it may', async () => {
			await setUp();
			let mayPoll = false;
			const p = startPoller({ canPoll: () => mayPoll });
			const task = await track('x');
			await delay(3 * INTERVAL);
			assert.equal(queryTimes(task).length, 0);
			mayPoll = true;
			assert.equal((await finished(p, task)).phase, 'succeeded');
		});
	});

	describe('store writes', () => {
		for (const writeDelayMs of [200, 1]) {
			it(`makes at most one store write per round for 20 tasks (store write delay ${writeDelayMs} ms)`, async () => {
				await setUp({ pendingMs: 100, runningMs: 100 }, { writeDelayMs });
				const tasks = await Promise.all(Array.from({ length: 20 }, (_, i) => submitTask(loop, `task ${i}`)));
				for (const task of tasks) {
					await store.add(task);
				}
				const p = startPoller();
				const perRound: Array<{ asked: number; writes: number }> = [];
				let writes = store.writes;
				p.onDidPoll(asked => {
					perRound.push({ asked: asked.length, writes: store.writes - writes });
					writes = store.writes;
				});
				const all = Promise.all(tasks.map(task => finished(p, task)));
				p.pollNow();
				await all;
				await nextEvent(p.onDidPoll);
				assert.ok(perRound.some(round => round.asked === 20 && round.writes === 1), `a round asked all 20 and wrote once: ${JSON.stringify(perRound)}`);
				assert.ok(perRound.every(round => round.writes <= 1), `writes per round: ${JSON.stringify(perRound)}`);
				assert.ok(tasks.every(task => store.get(task.id)?.phase === 'succeeded'));
			});
		}

		it('writes nothing for an answer that changes nothing, the first one included', async () => {
			await setUp({ pendingMs: 10_000, runningMs: 100 });
			const task = await track('a task still queued', { serviceStatus: 'Pending' });
			assert.equal(store.get(task.id)?.serviceStatus, 'Pending');
			const written = store.writes;
			const p = startPoller();
			p.pollNow();
			await nextEvent(p.onDidPoll, asked => asked.includes(task.id));
			await nextEvent(p.onDidPoll, asked => asked.includes(task.id));
			await store.flush();
			assert.equal(loop.statusRequests(task.taskId!).length, 2, 'asked twice');
			assert.equal(store.writes, written, 'a Pending answer about a Pending task was written');
		});
	});
});
