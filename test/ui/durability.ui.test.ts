/**
 * UI tests: what survives when things go wrong around the real workbench (code-server in headless
 * Chromium), against the API simulator running in this process.
 *
 * - The extension host is killed with SIGKILL (no deactivate, no flush, no lease release) while a
 *   task is generating and while its video is half downloaded; the window is then reloaded.
 * - Two browser windows on the same code-server share one user data folder, hence one task list
 *   and one polling lease, while each runs its own extension host.
 *
 *   npm run compile && npx tsc -p test && npx mocha --timeout 300000 out/test/ui/durability.ui.test.js
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Host, Page } from '../harness/codeServer';
import type { Simulator } from '../simulator/simulator';
import { reportFailure } from './failures';
import { Session, startSession } from './session';
import { waitFor } from '../common/waitFor';
import { savedVideo, videoNamePattern } from '../common/videoNames';
import {
	answerGenerateVideo, openVideoGenView, quickInputTitle, reloadWindow, runCommand, submitQuickInput,
	treeRow, typeInQuickInput, waitForQuickInput, waitForWorkbench, PROBE_MS,
} from './workbench';

/** `videogen.pollIntervalSeconds` in every session (startSession's default), in ms. */
const INTERVAL_MS = 1000;
/** Size of every result video in the first suite: big enough to stall a download in the middle. */
const VIDEO_BYTES = 4 * 1024 * 1024;
/** Where the stalled download stops sending. */
const STALL_AFTER_BYTES = 100_000;

// ---------------------------------------------------------------------------------------------
// Processes: the extension hosts code-server started
// ---------------------------------------------------------------------------------------------

/** State and process group of a live process, from /proc; `undefined` once it is gone. */
function procStat(pid: number): { state: string; pgid: number } | undefined {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		// "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return { state: fields[0], pgid: Number(fields[2]) };
	} catch {
		return undefined;
	}
}

function cmdline(pid: number): string[] {
	try {
		return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
	} catch {
		return [];
	}
}

function allPids(): number[] {
	return fs.readdirSync('/proc').filter(name => /^\d+$/.test(name)).map(Number);
}

/** The process group of `host`'s code-server: the group of the process started with its user data folder. */
function codeServerGroup(host: Host): number {
	const userData = path.join(host.stateDir, 'ud');
	for (const pid of allPids()) {
		const args = cmdline(pid);
		const at = args.indexOf('--user-data-dir');
		if (at >= 0 && args[at + 1] === userData && args.some(arg => arg.endsWith('entry.js'))) {
			const stat = procStat(pid);
			if (stat) {
				return stat.pgid;
			}
		}
	}
	throw new Error(`no code-server process runs with ${userData}`);
}

/** The live extension host processes of `host` (one per connected window), lowest pid first. */
function extensionHosts(host: Host): number[] {
	const group = codeServerGroup(host);
	return allPids().filter(pid => {
		const stat = procStat(pid);
		return !!stat && stat.pgid === group && stat.state !== 'Z' && cmdline(pid).some(arg => arg === '--type=extensionHost');
	}).sort((a, b) => a - b);
}

/** Waits until `host` has exactly `count` extension hosts and returns their pids. */
function waitForExtensionHosts(host: Host, count: number, timeoutMs = 60_000): Promise<number[]> {
	let last: number[] = [];
	return waitFor(() => `expected ${count} extension host(s), found ${last.length} (${last.join(', ')})`, () => {
		last = extensionHosts(host);
		return last.length === count ? last : undefined;
	}, timeoutMs, PROBE_MS);
}

/** SIGKILL, as a crash or the OOM killer would: the extension gets no chance to save or let go of anything. */
async function killProcess(pid: number): Promise<void> {
	process.kill(pid, 'SIGKILL');
	await waitFor(() => `process ${pid} outlived SIGKILL`, () => {
		const stat = procStat(pid);
		return !stat || stat.state === 'Z' ? true : undefined;
	}, 10_000, PROBE_MS);
}

// ---------------------------------------------------------------------------------------------
// What the user does, and what the simulator saw
// ---------------------------------------------------------------------------------------------

/**
 * "VideoGen: Generate Video" from the command palette: the API key first when the window asks for
 * it (the first Generate), then the model focused, the prompt, and Generate with the model's settings as they
 * start (720x1280, 4 s). The VideoGen view is opened first, to watch the task.
 */
async function generate(page: Page, sim: Simulator, prompt: string): Promise<void> {
	await page.bringToFront();
	await openVideoGenView(page);
	await runCommand(page, 'VideoGen: Generate Video');
	await waitForQuickInput(page);
	const asked = await waitFor(() => 'Generate Video asked neither for the key nor for a model', async () => {
		const title = await quickInputTitle(page);
		return /Set API Key/.test(title) ? 'key' : /: Model \(/.test(title) ? 'model' : undefined;
	}, 30_000, PROBE_MS);
	if (asked === 'key') {
		await typeInQuickInput(page, sim.apiKey, { title: 'Set API Key' });
		await submitQuickInput(page);
	}
	await answerGenerateVideo(page, { prompt });
}

/** The accessible label of the task's row in the VideoGen view ('' while it has none). */
async function rowLabel(page: Page, prompt: string): Promise<string> {
	const row = treeRow(page, prompt.slice(0, 40)).first();
	return (await row.count()) ? (await row.getAttribute('aria-label', { timeout: 2_000 }).catch(() => '')) ?? '' : '';
}

/** Waits until the task's row shows `status` (e.g. /, Ready\b/) and returns its label. */
async function waitForRow(page: Page, prompt: string, status: RegExp, timeoutMs: number): Promise<string> {
	const seen: string[] = [];
	return waitFor(() => `the row of "${prompt}" never matched ${status}; it went ${seen.join(' → ')}`, async () => {
		const label = await rowLabel(page, prompt);
		const state = label ? label.slice(label.lastIndexOf(', ') + 2).split(' · ')[0] : '(no row)';
		if (seen[seen.length - 1] !== state) {
			seen.push(state);
		}
		return status.test(label) ? label : undefined;
	}, timeoutMs, 200);
}

/** The simulator's task for a prompt (each prompt is used once). */
function simTask(sim: Simulator, prompt: string) {
	const tasks = [...sim.tasks.values()].filter(task => task.prompt === prompt);
	assert.strictEqual(tasks.length, 1, `the simulator has ${tasks.length} task(s) for "${prompt}"`);
	return tasks[0];
}

function submitsOf(sim: Simulator, prompt: string): number {
	return sim.requests.filter(request => request.server === 'api' && request.method === 'POST' && request.path.startsWith('/v1/tasks/submit')
		&& (JSON.parse(request.body || '{}') as { input?: { prompt?: string } }).input?.prompt === prompt).length;
}

/** The status queries the simulator received about a task, with their arrival times. */
function statusQueries(sim: Simulator, taskId: string): number[] {
	return sim.requests.filter(request => request.server === 'api' && request.path === `/v1/tasks/status?task_id=${encodeURIComponent(taskId)}`)
		.map(request => request.time);
}

// ---------------------------------------------------------------------------------------------
// A killed extension host
// ---------------------------------------------------------------------------------------------

describe('VideoGen when the extension host is killed', function () {
	let session: Session | undefined;

	const page = () => {
		assert.ok(session, 'the workbench did not start (see the before all hook)');
		return session.page;
	};

	/** Kills the window's extension host, then reloads the window as a user would; returns the pid killed. */
	async function killExtensionHostAndReload(beforeReload?: () => void): Promise<number> {
		const [victim] = await waitForExtensionHosts(session!.host, 1);
		await killProcess(victim);
		beforeReload?.();
		// The workbench may restart the extension host by itself, or offer to: a reload is what a user does either way.
		await reloadWindow(page());
		const [successor] = await waitForExtensionHosts(session!.host, 1);
		assert.notStrictEqual(successor, victim, 'the reloaded window runs a new extension host');
		await openVideoGenView(page());
		return victim;
	}

	before(async function () {
		session = await startSession({
			simulator: { syntheticVideoBytes: VIDEO_BYTES },
			userSettings: { 'videogen.openOnSuccess': 'none' },
			tempPrefix: 'videogen-ui-durability-',
		});
	});

	afterEach(async function () {
		if (this.currentTest?.state === 'failed') {
			await reportFailure(this.currentTest.title, session ? [session.page] : [], session);
		}
		session?.sim.faults.clear();
	});

	after(async function () {
		await session?.stop();
	});

	it('keeps a task that was generating, polls it again after the reload and finishes it, having submitted it once', async function () {
		const prompt = 'A lighthouse keeper climbing the stairs at night [slow]';
		await generate(page(), session!.sim, prompt);
		await waitForRow(page(), prompt, /, Generating\b/, 30_000);
		const { taskId } = simTask(session!.sim, prompt);

		let killedAt = 0;
		await killExtensionHostAndReload(() => { killedAt = Date.now(); });

		const label = await waitForRow(page(), prompt, /, Ready\b/, 90_000);
		console.log(`      [ui] after the kill and reload: "${label}"`);
		assert.strictEqual(await treeRow(page(), prompt.slice(0, 40)).count(), 1, 'one row for the task');
		assert.strictEqual(submitsOf(session!.sim, prompt), 1, 'the task was submitted exactly once');
		assert.strictEqual(session!.sim.stats.submitsReceived, 1, 'nothing else was submitted');
		const after = statusQueries(session!.sim, taskId).filter(time => time > killedAt);
		assert.ok(after.length > 0, 'the reloaded window asked about the task again');
		const video = savedVideo(session!.downloadFolder, prompt);
		assert.ok(video, 'the video was saved under a name made from its prompt');
		assert.strictEqual(fs.statSync(video).size, VIDEO_BYTES, 'the whole video was saved');
	});

	it('starts a download cut off by the killed extension host again and saves the whole video under its final name', async function () {
		const prompt = 'Rain on a tin roof, close-up, slow shutter';
		const sim = session!.sim;
		const downloadsBefore = sim.stats.downloads;
		// The next download sends its headers and the first bytes, then nothing more.
		sim.faults.push({ target: 'download', kind: 'hang', afterBytes: STALL_AFTER_BYTES });
		await generate(page(), sim, prompt);
		await waitForRow(page(), prompt, /, Downloading\b/, 60_000);
		// The stalled body reached the disk as the partial file, never under the video's own name.
		const part = await waitFor(() => `no partial file of "${prompt}" with the first ${STALL_AFTER_BYTES} bytes`, () => {
			const file = savedVideo(session!.downloadFolder, prompt, '.part');
			return file && fs.statSync(file).size >= STALL_AFTER_BYTES ? file : undefined;
		}, 15_000, PROBE_MS);
		const final = part.slice(0, -'.part'.length);
		const ofTask = (name: string) => name.startsWith(path.basename(final));
		assert.ok(!fs.existsSync(final), 'no video under its final name while the download is incomplete');
		assert.deepStrictEqual(fs.readdirSync(session!.downloadFolder).filter(ofTask), [path.basename(part)]);

		await killExtensionHostAndReload(() => sim.faults.clear());

		const label = await waitForRow(page(), prompt, /, Ready\b/, 90_000);
		console.log(`      [ui] after the kill and reload: "${label}"`);
		assert.strictEqual(fs.statSync(final).size, VIDEO_BYTES, 'the whole video is saved under its final name');
		assert.deepStrictEqual(fs.readdirSync(session!.downloadFolder).filter(ofTask), [path.basename(final)],
			'no partial file is left beside the video');
		assert.ok(sim.stats.downloads >= downloadsBefore + 2, 'the download was started again from the beginning');
		assert.strictEqual(submitsOf(sim, prompt), 1, 'the task was submitted exactly once');
	});
});

// ---------------------------------------------------------------------------------------------
// Two windows
// ---------------------------------------------------------------------------------------------

describe('VideoGen in two windows of the same VS Code', function () {
	let session: Session | undefined;
	let windowB: Page | undefined;
	/** The extension host of the second window. */
	let hostOfB: number | undefined;
	const prompts = {
		a: 'Window A: a fox crossing a snowy field at dawn [slow]',
		b: 'Window B: koi circling in a shaded pond [slow]',
		c: 'Window B alone: paper lanterns rising over a lake',
	};

	const windowA = () => {
		assert.ok(session, 'the workbench did not start (see the before all hook)');
		return session.page;
	};
	const pageB = () => {
		assert.ok(windowB, 'the second window did not open (see the earlier tests)');
		return windowB;
	};

	/** The task list on disk: the one file in code-server's user data that VideoGen keeps its tasks in. */
	function taskListFile(): string {
		const found: string[] = [];
		const walk = (dir: string) => {
			for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
				const full = path.join(dir, entry.name);
				if (entry.isDirectory()) {
					walk(full);
				} else if (entry.name === 'tasks.json' && path.basename(dir) === 'videogen.videogen') {
					found.push(full);
				}
			}
		};
		walk(path.join(session!.host.stateDir, 'ud'));
		assert.strictEqual(found.length, 1, `one task list in the user data, found ${found.length}`);
		return found[0];
	}

	before(async function () {
		session = await startSession({
			// The [slow] tasks run 25 s: long enough for both windows to be seen showing both of them
			// unfinished, even on a loaded machine where driving two windows' palettes takes a while.
			simulator: { pendingMs: 1000, runningMs: 5000 },
			userSettings: { 'videogen.openOnSuccess': 'none' },
			tempPrefix: 'videogen-ui-windows-',
		});
	});

	afterEach(async function () {
		if (this.currentTest?.state === 'failed') {
			const pages = [session?.page, windowB].filter((p): p is Page => !!p);
			await reportFailure(this.currentTest.title, pages, session);
		}
	});

	after(async function () {
		await windowB?.close().catch(() => undefined);
		await session?.stop();
	});

	it('opens a second window on the same workbench with its own extension host', async function () {
		await openVideoGenView(windowA());
		const [hostOfA] = await waitForExtensionHosts(session!.host, 1);
		windowB = await session!.browser.newPage();
		await pageB().setViewportSize({ width: 1280, height: 800 });
		await pageB().goto(session!.host.url, { timeout: 60_000 });
		await waitForWorkbench(pageB());
		await openVideoGenView(pageB());
		const hosts = await waitForExtensionHosts(session!.host, 2);
		assert.ok(hosts.includes(hostOfA), 'the first window keeps its extension host');
		hostOfB = hosts.find(pid => pid !== hostOfA);
	});

	it('shows the tasks of both windows in both trees, asks about each task from one window only, and saves each video once', async function () {
		const sim = session!.sim;
		await generate(windowA(), sim, prompts.a);
		await generate(pageB(), sim, prompts.b);
		for (const page of [windowA(), pageB()]) {
			for (const prompt of [prompts.a, prompts.b]) {
				await waitForRow(page, prompt, /, (Queued|Generating)\b/, 30_000);
			}
		}
		for (const page of [windowA(), pageB()]) {
			for (const prompt of [prompts.a, prompts.b]) {
				await waitForRow(page, prompt, /, Ready\b/, 60_000);
			}
		}
		for (const prompt of [prompts.a, prompts.b]) {
			const task = simTask(sim, prompt);
			const runningMs = task.outcome.pendingMs + task.outcome.runningMs;
			const limit = Math.ceil(runningMs / INTERVAL_MS) + 2;
			const asked = statusQueries(sim, task.taskId).length;
			console.log(`      [ui] "${prompt.slice(0, 20)}…" ran ${runningMs / 1000}s and was asked about ${asked} times (at most ${limit})`);
			assert.ok(asked >= 1, 'the task was asked about');
			assert.ok(asked <= limit, `asked about ${asked} times in ${runningMs} ms: more than once per interval, so both windows polled`);
			assert.strictEqual(submitsOf(sim, prompt), 1, `"${prompt}" was submitted exactly once`);
		}
		const downloads = sim.requests.filter(request => request.server === 'storage' && request.method === 'GET').length;
		assert.strictEqual(downloads, 2, 'each video was downloaded once, by one window');
		const saved = fs.readdirSync(session!.downloadFolder).sort();
		assert.strictEqual(saved.length, 2, saved.join(', '));
		for (const prompt of [prompts.a, prompts.b]) {
			assert.ok(saved.some(name => videoNamePattern(prompt).test(name)), `no video of "${prompt}" among ${saved.join(', ')}`);
		}

		const list = JSON.parse(fs.readFileSync(taskListFile(), 'utf8')) as { tasks: { taskId?: string; prompt: string; phase: string; download?: { phase: string } }[] };
		for (const prompt of [prompts.a, prompts.b]) {
			const stored = list.tasks.filter(task => task.prompt === prompt);
			assert.strictEqual(stored.length, 1, `the task list holds "${prompt}" once`);
			assert.strictEqual(stored[0].taskId, simTask(sim, prompt).taskId);
			assert.strictEqual(stored[0].phase, 'succeeded');
			assert.strictEqual(stored[0].download?.phase, 'done');
		}
	});

	it('lets the remaining window take over when the other one closes: a new task there reaches Ready', async function () {
		const sim = session!.sim;
		assert.ok(hostOfB, 'the second window\'s extension host is known (see the first test)');
		await windowA().close();
		// The closed window's extension host ends: whatever is polled from now on, the remaining window polls.
		assert.deepStrictEqual(await waitForExtensionHosts(session!.host, 1), [hostOfB]);
		await generate(pageB(), sim, prompts.c);
		const label = await waitForRow(pageB(), prompts.c, /, Ready\b/, 60_000);
		console.log(`      [ui] in the remaining window: "${label}"`);
		const task = simTask(sim, prompts.c);
		assert.ok(statusQueries(sim, task.taskId).length >= 1);
		assert.ok(savedVideo(session!.downloadFolder, prompts.c), 'the video was saved');
		assert.strictEqual(submitsOf(sim, prompts.c), 1);
	});
});
