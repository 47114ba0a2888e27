/**
 * UI tests in the real web workbench: Set API Key checks the key with its host (a wrong key is
 * refused in a dialog, a host that does not answer leaves the key stored with the reason), the
 * welcome view links to where a key is got, Track Task by ID from the view's "..." menu tracks a
 * new id even while a row is selected, an id already listed selects its row, and after Clear
 * Finished the empty view offers the videos folder. Screenshots go to .harness/ui-screenshots.
 *
 *   npm run compile && npx tsc -p test && npx mocha --config test/.mocharc.ui.json out/test/ui/files.ui.test.js
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from '../harness/codeServer';
import { keyCheckTaskId } from '../../src/core/keyCheck';
import { defaultModelId } from '../../src/core/videoModels';
import { waitFor } from '../common/waitFor';
import { reportFailuresOf } from './failures';
import { ROOT, Session, startSession } from './session';
import {
	chooseMenuItem, modalDialog, openTasksViewMenu, pressDialogButton, openVideoGenView, PROBE_MS, quickInputBox, quickInputTitle, runCommand, submitQuickInput, treeRow, treeRows,
	typeInQuickInput, waitForNotification, waitForQuickInput, waitForQuickInputClosed, welcomeButton, welcomeContent, dismissNotifications,
} from './workbench';

const SHOTS = path.join(ROOT, '.harness', 'ui-screenshots');
const WRONG_KEY = 'sk-typed-wrong-0000';

const dialog = modalDialog;

async function dialogMessage(page: Page): Promise<string> {
	await dialog(page).waitFor({ state: 'visible', timeout: 30_000 });
	return ((await dialog(page).locator('.dialog-message-text').textContent()) ?? '').trim();
}

async function dialogButtons(page: Page): Promise<string[]> {
	return dialog(page).locator('.dialog-buttons .monaco-button').evaluateAll((nodes: { textContent: string | null }[]) => nodes.map(node => (node.textContent ?? '').trim()));
}

describe('VideoGen: keys checked when set, tasks tracked by id, videos found again', function () {
	let session: Session | undefined;
	const page = () => {
		assert.ok(session, 'the workbench did not start (see the before all hook)');
		return session.page;
	};
	const keyChecks = () => session!.sim.requests.filter(r => r.path === `/v1/tasks/status?task_id=${keyCheckTaskId}`);
	/** A task submitted straight to the service, as from its console; resolves with its id. */
	const submitElsewhere = async (prompt: string) => {
		const response = await fetch(`${session!.sim.apiUrl}/v1/tasks/submit`, {
			method: 'POST',
			headers: { 'authorization': session!.sim.apiKey, 'content-type': 'application/json' },
			body: JSON.stringify({ model: defaultModelId, input: { prompt }, parameters: { size: '720x1280', duration: 4 } }),
		});
		return ((await response.json()) as { output: { task_id: string } }).output.task_id;
	};
	let firstId = '';
	const shoot = (name: string) => page().screenshot({ path: path.join(SHOTS, name) });
	const selectedRows = () => treeRows(page()).evaluateAll((nodes: { getAttribute(name: string): string | null }[]) =>
		nodes.filter(node => node.getAttribute('aria-selected') === 'true').map(node => node.getAttribute('aria-label') ?? ''));

	before(async function () {
		fs.mkdirSync(SHOTS, { recursive: true });
		// Videos wait in the view rather than open a player: Clear Finished keeps a task whose player is open.
		session = await startSession({ userSettings: { 'videogen.openOnSuccess': 'none' } });
	});

	reportFailuresOf(() => session);

	after(async function () {
		await session?.stop();
	});

	it('links the welcome view to where an API key is got', async function () {
		await openVideoGenView(page());
		await welcomeButton(page(), 'Set API Key').waitFor({ state: 'visible', timeout: 30_000 });
		const link = welcomeContent(page()).locator('a', { hasText: 'Get one in the UModelverse console' });
		await link.waitFor({ state: 'visible', timeout: 10_000 });
		assert.match((await link.getAttribute('href')) ?? '', /^https:\/\/www\.ucloud-global\.com\//);
	});

	it('refuses a wrong key in a dialog, stores nothing, and takes the right key typed again', async function () {
		await welcomeButton(page(), 'Set API Key').click();
		await waitForQuickInput(page(), 'Set API Key');
		assert.strictEqual(await quickInputBox(page()).getAttribute('type'), 'password');
		await typeInQuickInput(page(), WRONG_KEY, { title: 'Set API Key' });
		await submitQuickInput(page());
		const host = new URL(session!.sim.apiUrl).host;
		assert.strictEqual(await dialogMessage(page()), `${host} rejected this API key (HTTP 401): it is not a valid key there. Nothing was stored.`);
		const buttons = await dialogButtons(page());
		assert.ok(['Enter Again', 'Store Anyway', 'Cancel'].every(label => buttons.includes(label)), buttons.join(' | '));
		await shoot('set-api-key-rejected.png');
		assert.deepStrictEqual(keyChecks().map(r => [r.status, r.headers.authorization]), [[401, WRONG_KEY]]);

		await pressDialogButton(page(), 'Enter Again');
		await waitForQuickInput(page(), 'Set API Key');
		assert.strictEqual(await quickInputBox(page()).inputValue(), '', 'the wrong key is typed in again');
		await typeInQuickInput(page(), session!.sim.apiKey, { title: 'Set API Key' });
		await submitQuickInput(page());
		await waitForQuickInputClosed(page());
		// Stored: the welcome for a missing key gives way to the one for an empty list.
		await welcomeButton(page(), 'Set API Key').waitFor({ state: 'hidden', timeout: 30_000 });
		assert.deepStrictEqual(keyChecks().map(r => [r.status, r.headers.authorization]), [[401, WRONG_KEY], [404, session!.sim.apiKey]]);
		assert.strictEqual(session!.sim.stats.submitsReceived, 0, 'checking a key submitted a task');
	});

	it('shows progress while it checks, and stores a key it could not check, saying why', async function () {
		// The host accepts the connection and never answers the check.
		session!.sim.faults.push({ target: 'status', kind: 'hang' });
		await runCommand(page(), 'VideoGen: Set API Key');
		await typeInQuickInput(page(), session!.sim.apiKey, { title: 'Set API Key' });
		await submitQuickInput(page());
		const progress = await waitForNotification(page(), 'VideoGen: Checking the API key with', 10_000);
		assert.match(progress.message, /VideoGen: Checking the API key with 127\.0\.0\.1:\d+…/);
		await shoot('set-api-key-checking.png');
		// The Notifications center closes when the progress ends and leaves it empty: each try opens it again.
		const outcome = await waitFor(() => 'no message said what became of the key', () => waitForNotification(page(), 'VideoGen: The API key for', 2_000).catch(() => undefined), 40_000, PROBE_MS);
		assert.match(outcome.message, /was stored, but it could not be checked: .*(no answer|did not answer|time)/i);
		assert.deepStrictEqual(outcome.buttons, ['Show Log']);
		assert.ok(!outcome.message.includes(session!.sim.apiKey));
		await dismissNotifications(page());
	});

	it('tracks a new id from the view\'s "..." menu while a row is selected, names it, and selects the row of an id already listed', async function () {
		// The first stays running, so a click on its row selects it rather than open a player.
		session!.sim.setTaskOutcome('First from the console', { runningMs: 10 * 60_000 });
		const first = await submitElsewhere('First from the console');
		firstId = first;
		const second = await submitElsewhere('Second from the console [instant]');
		await runCommand(page(), 'VideoGen: Track Task by ID');
		await typeInQuickInput(page(), first, { title: 'Track Task by ID (1/2)' });
		await submitQuickInput(page());
		await typeInQuickInput(page(), 'Launch teaser', { title: 'Track Task by ID (2/2)' });
		await submitQuickInput(page());
		const firstRow = treeRow(page(), 'Launch teaser').first();
		await firstRow.waitFor({ state: 'visible', timeout: 30_000 });
		await firstRow.click();
		await waitFor(() => 'the row was not selected', async () => ((await firstRow.getAttribute('aria-selected')) === 'true' ? true : undefined), 10_000, PROBE_MS);

		const labels = await openTasksViewMenu(page());
		for (const label of ['Track Task by ID', 'Clear Finished Tasks', 'Clear Failed Tasks', 'Open Videos Folder']) {
			assert.ok(labels.includes(label), `${label} is not in the view's menu: ${labels.join(' | ')}`);
		}
		await chooseMenuItem(page(), 'Track Task by ID');
		await waitForQuickInput(page(), 'Track Task by ID (1/2)');
		assert.match(await quickInputTitle(page()), /VideoGen: Track Task by ID \(1\/2\)/, 'the selected row turned it into attaching');
		await typeInQuickInput(page(), second, { title: 'Track Task by ID (1/2)' });
		await submitQuickInput(page());
		await typeInQuickInput(page(), '', { title: 'Track Task by ID (2/2)' });
		await submitQuickInput(page());
		const secondRow = treeRow(page(), `Task ${second}`).first();
		await secondRow.waitFor({ state: 'visible', timeout: 30_000 });
		assert.strictEqual(await treeRow(page(), 'Launch teaser').count(), 1, 'the named task is still there, once');
		assert.strictEqual(await treeRow(page(), `Task ${second}`).count(), 1, 'a new row for the new id');

		// The first id again: no new row, its row selected, and a message saying so.
		await runCommand(page(), 'VideoGen: Track Task by ID');
		await typeInQuickInput(page(), first, { title: 'Track Task by ID (1/2)' });
		await submitQuickInput(page());
		await waitForQuickInputClosed(page());
		const said = await waitForNotification(page(), `Task ${first} is already in the list`, 15_000);
		assert.strictEqual(said.message, `Task ${first} is already in the list, as "Launch teaser". It is selected in the VideoGen view.`);
		await waitFor(() => 'the listed row is not the one selected', async () => {
			const selected = await selectedRows();
			return selected.length === 1 && selected[0].includes('Launch teaser') ? true : undefined;
		}, 10_000, PROBE_MS);
		// Still one row each (group headings come and go as the two tasks finish).
		assert.strictEqual(await treeRow(page(), 'Launch teaser').count(), 1);
		assert.strictEqual(await treeRow(page(), `Task ${second}`).count(), 1);
		await shoot('track-task-listed.png');
		await dismissNotifications(page());
	});

	it('after Clear Finished, offers the videos folder in the empty view instead of only "No videos yet"', async function () {
		session!.sim.forceStatus(firstId, { status: 'Success' });
		await waitFor(() => 'the tracked videos were not saved', () => (fs.readdirSync(session!.downloadFolder).filter(name => name.endsWith('.mp4')).length === 2 ? true : undefined), 60_000, PROBE_MS);
		const saved = fs.readdirSync(session!.downloadFolder).filter(name => name.endsWith('.mp4')).sort();
		assert.ok(saved.some(name => / Launch teaser\.mp4$/.test(name)), saved.join(', '));
		await openTasksViewMenu(page());
		await chooseMenuItem(page(), 'Clear Finished Tasks');
		assert.strictEqual(await dialogMessage(page()), 'Remove 2 finished tasks from the list? Failed tasks stay.');
		await pressDialogButton(page(), 'Clear');
		await welcomeButton(page(), 'Open Videos Folder').waitFor({ state: 'visible', timeout: 30_000 });
		assert.match((await welcomeContent(page()).textContent()) ?? '', /the videos saved earlier are still in the videos folder/);
		const told = await waitForNotification(page(), 'Removed 2 tasks from the list.', 15_000);
		assert.strictEqual(told.message, `Removed 2 tasks from the list. Saved videos stay in ${session!.downloadFolder}.`);
		assert.deepStrictEqual(told.buttons, ['Open Videos Folder']);
		assert.deepStrictEqual(fs.readdirSync(session!.downloadFolder).filter(name => name.endsWith('.mp4')).sort(), saved, 'a video was deleted');
		await shoot('after-clear-finished.png');
	});
});
