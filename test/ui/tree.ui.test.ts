/**
 * UI tests: the VideoGen view at the default side bar width, with tasks running, failed, retried and
 * ready. Each row starts with its state; rows are grouped; failed and ready rows are coloured through
 * VideoGen's file decorations; Find filters the rows by words of the prompt; several rows are removed
 * at once with the Delete key. Screenshots of the view in the dark and light themes go to demo-output/.
 * Driven through the real web workbench (code-server in headless Chromium), in order, one window.
 *
 *   npm run compile && npx tsc -p test && npx mocha --config test/.mocharc.ui.json out/test/ui/tree.ui.test.js
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { TaskRecord } from '../../src/core/task';
import { waitFor } from '../common/waitFor';
import { reportFailuresOf } from './failures';
import { ROOT, Session, startSession } from './session';
import {
	answerGenerateVideo, openVideoGenView, resizeSideBar, runCommand, screenshotInThemes, submitQuickInput, treeRow, treeRows, typeInQuickInput,
	waitForQuickInputClosed, Locator, PROBE_MS,
} from './workbench';

const sample = path.join(ROOT, 'test', 'simulator', 'sample.mp4');
const OUT = path.join(ROOT, 'demo-output');

const RUNNING = 'A paper boat drifting down a rainy street, seen from above';
const HUMMINGBIRD = 'A hummingbird hovering over a neon-lit city rooftop at night';
const BOXER = 'A boxer throws a punch in slow motion, sweat flying under the ring lights';
const STORM = 'A storm over the sea, waves crashing against a lighthouse';
const AURORA = 'Northern lights over a frozen lake, time-lapse';
const GLASS = 'A glass city under a violet sky';

/** The list an earlier session left: two failures (one retried, and its retry ready), a refused submit, two videos. */
function earlierTasks(folder: string): TaskRecord[] {
	const now = Date.now();
	const minutes = (count: number) => now - count * 60_000;
	const base = { model: 'openai/sora-2/text-to-video', apiOrigin: 'https://api.umodelverse.ai' };
	const ready = (id: string, prompt: string, at: number, parameters: TaskRecord['parameters'], extra: Partial<TaskRecord> = {}): TaskRecord => {
		const file = path.join(folder, `${id}.mp4`);
		fs.copyFileSync(sample, file);
		return {
			...base, id, taskId: `task_${id}`, prompt, parameters, phase: 'succeeded', serviceStatus: 'Success',
			urls: [`https://storage.example.com/${id}.mp4`], download: { phase: 'done', files: [file] },
			createdAt: at, submittedAt: at + 500, finishedAt: at + 11_500, updatedAt: at + 12_000, ...extra,
		};
	};
	const failed: TaskRecord = {
		...base, id: 'boxer-1', taskId: 'task_boxer1', prompt: BOXER, parameters: { size: '720x1280', duration: 4 }, phase: 'failed',
		serviceStatus: 'Failure', error: 'The input was rejected by content moderation (policy violation).',
		createdAt: minutes(50), submittedAt: minutes(50) + 500, finishedAt: minutes(49), updatedAt: minutes(49),
	};
	return [
		ready('hummingbird', HUMMINGBIRD, minutes(60), { size: '1280x720', duration: 8 }),
		failed,
		ready('boxer-2', BOXER, minutes(45), { size: '720x1280', duration: 4 }, { retryOf: failed.id }),
		{
			...base, id: 'storm', prompt: STORM, parameters: { size: '1280x720', duration: 4 }, phase: 'submitFailed',
			error: 'The service is rate limiting requests (HTTP 429).', createdAt: minutes(40), updatedAt: minutes(40),
		},
		ready('aurora', AURORA, minutes(30), { size: '720x1280', duration: 12 }),
		{
			...base, id: 'glass', taskId: 'task_glass', prompt: GLASS, parameters: { size: '720x1280', duration: 4 }, phase: 'failed', serviceStatus: 'Failure',
			error: 'Simulated failure: the model could not render this prompt', createdAt: minutes(20), finishedAt: minutes(19), updatedAt: minutes(19),
		},
	];
}

/** A row's label and description as drawn, and whether the label's first `visibleChars` characters fit in the row. */
async function rowText(row: Locator, visibleChars: number): Promise<{ label: string; description: string; fits: boolean }> {
	return row.evaluate((node: unknown, chars: number) => {
		type Box = { left: number; right: number };
		type El = { textContent: string | null; querySelector(s: string): El | null; getBoundingClientRect(): Box; firstChild: unknown; ownerDocument: { createRange(): { setStart(n: unknown, o: number): void; setEnd(n: unknown, o: number): void; getBoundingClientRect(): Box } } };
		const element = node as El;
		const name = element.querySelector('.label-name');
		const description = element.querySelector('.label-description');
		const container = element.querySelector('.monaco-icon-label-container') ?? element;
		let fits = false;
		// The text node holding the label's start (the name may be split into highlighted spans).
		let text = name?.firstChild as (El & { nodeType: number; firstChild: unknown }) | undefined;
		while (text && text.nodeType !== 3) {
			text = text.firstChild as typeof text;
		}
		if (text && name) {
			const range = element.ownerDocument.createRange();
			range.setStart(text, 0);
			range.setEnd(text, Math.min(chars, (text.textContent ?? '').length));
			fits = range.getBoundingClientRect().right <= container.getBoundingClientRect().right + 0.5;
		}
		return { label: (name?.textContent ?? '').trim(), description: (description?.textContent ?? '').trim(), fits };
	}, visibleChars);
}

/** The rows shown now, top to bottom: each one's level (1 for a group, 2 for a task) and drawn text. */
async function shownRows(page: Session['page']): Promise<string[]> {
	return treeRows(page).evaluateAll((nodes: { getAttribute(n: string): string | null; querySelector(s: string): { textContent: string | null } | null }[]) => nodes.map(node => {
		const name = (node.querySelector('.label-name')?.textContent ?? '').trim();
		const description = (node.querySelector('.label-description')?.textContent ?? '').trim();
		return `${node.getAttribute('aria-level')}:${name}${description ? ` (${description})` : ''}`;
	}));
}

describe('the VideoGen view at the default width', function () {
	let session: Session | undefined;
	const page = () => {
		assert.ok(session, 'the workbench did not start (see the before all hook)');
		return session.page;
	};
	const taskRow = (prompt: string) => treeRow(page(), prompt.slice(0, 30)).and(page().locator('.monaco-list-row[aria-level="2"]')).first();

	before(async function () {
		session = await startSession({
			tempPrefix: 'videogen-ui-tree-',
			viewport: { width: 1400, height: 900 },
			// The task submitted here stays running while the view is looked at.
			simulator: { pendingMs: 1000, runningMs: 10 * 60_000 },
			// Find filters rather than highlights, on words as typed (the two toggles of the Find box, set here as defaults).
			userSettings: { 'workbench.list.defaultFindMode': 'filter', 'workbench.list.defaultFindMatchType': 'contiguous' },
			tasksJson: folder => JSON.stringify({ version: 1, tasks: earlierTasks(folder), removed: {} }),
		});
		fs.mkdirSync(OUT, { recursive: true });
	});

	reportFailuresOf(() => session);

	after(async function () {
		await session?.stop();
	});

	it('starts every row with its state, which stays in view at the default side bar width', async function () {
		await openVideoGenView(page());
		await resizeSideBar(page(), 300);
		await runCommand(page(), 'VideoGen: Set API Key');
		await typeInQuickInput(page(), session!.sim.apiKey, { title: 'Set API Key' });
		await submitQuickInput(page());
		await waitForQuickInputClosed(page());
		await runCommand(page(), 'VideoGen: Generate Video');
		await answerGenerateVideo(page(), { prompt: RUNNING });
		await waitFor(() => 'the new task never showed as running', async () => (/^\d+s · A paper boat/.test((await rowText(taskRow(RUNNING), 3)).label) ? true : undefined), 30_000, PROBE_MS);
		const expected: [string, RegExp, number][] = [
			[RUNNING, /^\d+s · A paper boat drifting/, 4],
			[GLASS, /^Simulated failure · A glass city/, 'Simulated failure'.length],
			[STORM, /^Not submitted · A storm over the sea/, 'Not submitted'.length],
			[BOXER, /^moderation · A boxer throws/, 'moderation'.length],
			[AURORA, /^12s 720×1280 · Northern lights/, '12s 720×1280'.length],
			[HUMMINGBIRD, /^8s 1280×720 · A hummingbird/, '8s 1280×720'.length],
		];
		const side = await page().locator('.part.sidebar').boundingBox();
		assert.ok(side && Math.abs(side.width - 300) < 12, `the side bar is ${side?.width} px wide`);
		for (const [prompt, start, stateLength] of expected) {
			const { label, fits } = await rowText(taskRow(prompt), stateLength);
			assert.match(label, start);
			assert.ok(fits, `the state of "${label}" is cut off at 300 px`);
		}
		await page().mouse.move(900, 700);
		await screenshotInThemes(page(), theme => path.join(OUT, `tree-${theme.name}.png`));
	});

	it('groups the rows: In progress, Failed, Ready, each heading with its count', async function () {
		const rows = (await shownRows(page())).filter(row => row.startsWith('1:'));
		assert.deepStrictEqual(rows, ['1:In progress (1)', '1:Failed (3)', '1:Ready (3)']);
		const all = await shownRows(page());
		const under = (group: string) => all.slice(all.indexOf(group) + 1).filter(row => row.startsWith('2:')).slice(0, 1)[0];
		assert.match(under('1:In progress (1)'), /^2:\d+s · A paper boat/);
		assert.match(under('1:Ready (3)'), /^2:12s 720×1280 · Northern lights/, 'newest first in each group');
	});

	it('colours failed and ready rows through VideoGen\'s decorations, and marks the retried task', async function () {
		const look = (prompt: string) => taskRow(prompt).locator('.monaco-icon-label').first().evaluate((node: unknown) => {
			type El = { className: string; querySelector(s: string): El | null };
			const element = node as El;
			const view = (globalThis as unknown as { getComputedStyle(e: unknown, pseudo?: string): { color: string; content: string } });
			return {
				classes: element.className,
				color: view.getComputedStyle(element.querySelector('.label-name')).color,
				badge: view.getComputedStyle(element, '::after').content,
			};
		});
		const failed = await look(GLASS);
		const ready = await look(AURORA);
		const running = await look(RUNNING);
		const retried = await look(BOXER);
		assert.match(failed.classes, /monaco-decoration-itemColor-/, 'the failed row has no decoration colour');
		assert.match(ready.classes, /monaco-decoration-itemColor-/, 'the ready row has no decoration colour');
		assert.doesNotMatch(running.classes, /monaco-decoration-itemColor-/, 'a running row is left as it is');
		assert.notStrictEqual(failed.color, running.color);
		assert.notStrictEqual(ready.color, running.color);
		assert.notStrictEqual(failed.color, ready.color);
		assert.match(retried.badge, /↻/, `the retried task has no badge (${retried.badge})`);
		assert.doesNotMatch(failed.badge, /↻/);
	});

	it('shows a failed task\'s whole prompt, details and reason in its tooltip, built on the first hover', async function () {
		const row = taskRow(GLASS);
		await row.hover();
		// The tooltip comes from a bundle of its own (dist/taskTooltip.js), required on this first hover.
		const hover = page().locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Simulated failure: the model could not render this prompt' }).first();
		await hover.waitFor({ state: 'visible', timeout: 10_000 });
		const text = ((await hover.textContent()) ?? '').replace(/\s+/g, ' '); // the tooltip's spaces may be no-break spaces
		assert.ok(text.includes(GLASS), `the tooltip has not the whole prompt: ${text}`);
		assert.match(text, /Task id:\s*task_glass/, `the tooltip has not the task id: ${text}`);
		assert.match(text, /Model:/, `the tooltip has not the model: ${text}`);
		await page().mouse.move(700, 10);
		await page().keyboard.press('Escape');
	});

	it('filters the rows by words of the prompt typed in Find', async function () {
		// Focus the list without opening anything: the running row has no command.
		await taskRow(RUNNING).click();
		await page().keyboard.press('Control+Alt+F');
		const find = page().locator('.part.sidebar .monaco-tree-type-filter input').first();
		await find.waitFor({ state: 'visible', timeout: 10_000 });
		// Typed key by key into the Find box (once it has the focus: a key before that would move through the rows).
		await find.pressSequentially('lighthouse');
		// A key typed while the list redraws (the running task changes every second) can miss the box:
		// what is tested here is the filter, so the box is made to hold the whole word.
		if (await find.inputValue() !== 'lighthouse') {
			await find.fill('lighthouse');
		}
		let rows: string[] = [];
		await waitFor(() => `the rows were not filtered: ${JSON.stringify(rows)}`, async () => {
			rows = (await shownRows(page())).filter(row => row.startsWith('2:'));
			return rows.length === 1 && rows[0].includes(STORM) ? true : undefined;
		}, 10_000, PROBE_MS);
		await find.fill('city rooftop');
		await waitFor(() => `the rows were not filtered: ${JSON.stringify(rows)}`, async () => {
			rows = (await shownRows(page())).filter(row => row.startsWith('2:'));
			return rows.length === 1 && rows[0].includes('A hummingbird') ? true : undefined;
		}, 10_000, PROBE_MS);
		await page().keyboard.press('Escape');
		await waitFor(() => 'the rows did not come back', async () => ((await shownRows(page())).filter(row => row.startsWith('2:')).length >= 7 ? true : undefined), 10_000, PROBE_MS);
	});

	it('removes the selected rows with the Delete key, leaving their videos on disk', async function () {
		const video = path.join(session!.downloadFolder, 'aurora.mp4');
		assert.ok(fs.existsSync(video));
		await page().keyboard.press('Escape');
		await page().waitForTimeout(500);
		// A click on one row, Ctrl+click on the other (once more if a click landed while the running row was redrawn).
		const selected = () => page().locator('.part.sidebar .monaco-list-row.selected').evaluateAll((nodes: { getAttribute(n: string): string | null }[]) => nodes.map(node => node.getAttribute('aria-label') ?? ''));
		let shown: string[] = [];
		await waitFor(() => `the two rows were not selected: ${JSON.stringify(shown)}`, async () => {
			await taskRow(GLASS).click();
			await taskRow(AURORA).click({ modifiers: ['Control'] });
			await page().waitForTimeout(300);
			shown = await selected();
			return shown.length === 2 && shown.some(label => label.startsWith(GLASS)) && shown.some(label => label.startsWith(AURORA)) ? true : undefined;
		}, 15_000, PROBE_MS);
		await page().keyboard.press('Delete');
		await waitFor(() => 'the two rows are still listed', async () => (await treeRow(page(), GLASS).count() === 0 && await treeRow(page(), AURORA).count() === 0 ? true : undefined), 10_000, PROBE_MS);
		assert.strictEqual(await page().locator('.monaco-dialog-box').count(), 0, 'Remove asked about finished tasks');
		assert.ok(await taskRow(RUNNING).isVisible(), 'the running task stayed');
		assert.ok(fs.existsSync(video), 'Remove deleted the video from disk');
	});
});
