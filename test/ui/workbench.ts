/**
 * A small page driver for the VS Code web workbench (code-server), over playwright-core: what a user
 * does with keyboard and mouse, expressed as functions. Used by the UI tests and the demo.
 *
 * Selectors are the workbench's own stable classes and ARIA attributes (`.quick-input-widget`,
 * `.monaco-list-row[aria-label=...]`, `data-quick-input-id`); VS Code's menus live in a shadow root,
 * which playwright's CSS engine pierces.
 */
import type * as PlaywrightCore from 'playwright-core';
import type { Page } from '../harness/codeServer';
import { waitFor } from '../common/waitFor';

export type Locator = PlaywrightCore.Locator;
export type Frame = PlaywrightCore.Frame;

/** What a `<video>` in a webview reports. */
export interface VideoState {
	/** HTMLMediaElement.readyState: 2 = current data, 4 = enough data to play through. */
	readyState: number;
	/** MediaError code, or null while there is none. */
	error: number | null;
	/** The source the element plays (`currentSrc`, else the `src` attribute). */
	src: string;
	/** Intrinsic size, 0 until metadata arrived. */
	videoWidth: number;
	videoHeight: number;
}

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_ROWS = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;
const VIEW_CONTAINER = '[id="workbench.view.extension.videogen"]';
const ACTIVITY_ITEM = '.part.activitybar a.action-label[aria-label^="VideoGen"]'; // "VideoGen - 1 generating" while a badge shows
const SHORT = 10_000;

/** The few DOM shapes the functions run in the page touch (the project compiles without the DOM lib). */
interface DomNode {
	readonly textContent: string | null;
	getAttribute(name: string): string | null;
	readonly classList: { contains(name: string): boolean };
}

/** What findVideo reads of a `<video>` (HTMLMediaElement). */
interface DomVideo extends DomNode {
	readonly readyState: number;
	readonly error: { readonly code: number } | null;
	readonly currentSrc: string;
	readonly videoWidth: number;
	readonly videoHeight: number;
}

/** What playerImages reads of an `<img>` (HTMLImageElement). */
interface DomImage {
	readonly alt: string;
	readonly src: string;
	readonly currentSrc: string;
	readonly complete: boolean;
	readonly naturalWidth: number;
}

/** What the functions run in a webview frame read of its `document`. */
interface DomDocument {
	querySelector(selector: 'video'): DomVideo | null;
	readonly body: { readonly innerText: string };
}

/** The page's global object, as far as it has a `document`. */
interface DomWindow {
	readonly document: DomDocument;
}


/** A `RegExp` that matches `text` literally, anchored at both ends when `exact`. */
function literal(text: string, exact = false): RegExp {
	const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(exact ? `^\\s*${escaped}\\s*$` : escaped);
}

/** A CSS attribute value in double quotes. */
function cssString(value: string): string {
	return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** How often the UI tests' `waitFor` checks asks the page again. */
export const PROBE_MS = 250;

// ---------------------------------------------------------------------------------------------
// Workbench
// ---------------------------------------------------------------------------------------------

/** Waits until the workbench is visible and has finished activating the extensions at start-up. */
export async function waitForWorkbench(page: Page, timeoutMs = 60_000): Promise<void> {
	await page.waitForSelector('.monaco-workbench', { state: 'visible', timeout: timeoutMs });
	await page.waitForSelector('.part.statusbar', { state: 'visible', timeout: timeoutMs });
	await waitFor(() => 'the workbench kept activating extensions', async () => {
		const busy = await page.locator('.part.statusbar').filter({ hasText: 'Activating Extensions' }).count();
		return busy === 0 ? true : undefined;
	}, timeoutMs, PROBE_MS);
}

/**
 * Reloads the window as a user does, with "Developer: Reload Window" (the workbench saves its state,
 * then the page reloads), and waits for the new workbench.
 */
export async function reloadWindow(page: Page, timeoutMs = 60_000): Promise<void> {
	const loaded = page.waitForEvent('load', { timeout: timeoutMs });
	// The page navigates away while the palette closes: whatever the old page says after Enter is moot.
	await runCommand(page, 'Developer: Reload Window').catch(() => undefined);
	await loaded;
	await waitForWorkbench(page, timeoutMs);
}

/** The status bar's "Restricted Mode" item, which shows while the window's workspace is not trusted. */
export function restrictedModeIndicator(page: Page): Locator {
	return page.locator('.part.statusbar .statusbar-item', { hasText: literal('Restricted Mode') });
}

// ---------------------------------------------------------------------------------------------
// Quick input (command palette, input boxes, quick picks)
// ---------------------------------------------------------------------------------------------

/** The quick input widget, whatever it shows. */
export function quickInput(page: Page): Locator {
	return page.locator(QUICK_INPUT);
}

/** Waits for the quick input to be open, and to show `title` in its title bar when given. */
export async function waitForQuickInput(page: Page, title?: string, timeoutMs = 30_000): Promise<Locator> {
	const widget = quickInput(page);
	await widget.waitFor({ state: 'visible', timeout: timeoutMs });
	if (title !== undefined) {
		await page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: literal(title) }).waitFor({ state: 'visible', timeout: timeoutMs });
	}
	return widget;
}

/** Waits until the quick input is closed. */
export async function waitForQuickInputClosed(page: Page, timeoutMs = 30_000): Promise<void> {
	await quickInput(page).waitFor({ state: 'hidden', timeout: timeoutMs });
}

/** The text in the quick input's title bar ('' when it has none). */
export async function quickInputTitle(page: Page): Promise<string> {
	const title = page.locator(`${QUICK_INPUT} .quick-input-title`);
	return (await title.isVisible()) ? ((await title.textContent()) ?? '').trim() : '';
}

/** The validation or help message under the quick input's box ('' when none shows). */
export async function quickInputMessage(page: Page): Promise<string> {
	const message = page.locator(`${QUICK_INPUT} .quick-input-message`);
	return (await message.isVisible()) ? ((await message.textContent()) ?? '').trim() : '';
}

/** Waits for the quick input to show a message containing `text`, and returns the whole message. */
export async function waitForQuickInputMessage(page: Page, text: string, timeoutMs = SHORT): Promise<string> {
	return waitFor(() => `the quick input never showed a message with "${text}"`, async () => {
		const message = await quickInputMessage(page);
		return message.includes(text) ? message : undefined;
	}, timeoutMs, PROBE_MS);
}

/** The input element of the quick input. */
export function quickInputBox(page: Page): Locator {
	return page.locator(QUICK_INPUT_BOX);
}

/**
 * Types `text` into the open quick input, key by key as a user does, replacing what was there.
 * With `title`, first waits for the input whose title bar says so. Does not press Enter.
 */
export async function typeInQuickInput(page: Page, text: string, options: { title?: string; timeoutMs?: number; paste?: boolean } = {}): Promise<void> {
	await waitForQuickInput(page, options.title, options.timeoutMs);
	const box = quickInputBox(page);
	await box.click();
	await page.keyboard.press('Control+A');
	await page.keyboard.press('Backspace');
	if (options.paste) {
		// All at once, as a paste puts it (a long prompt typed key by key takes many seconds).
		await box.fill(text);
	} else {
		await page.keyboard.type(text, { delay: 5 });
	}
	await waitFor(() => `the quick input did not take "${text}"`, async () => ((await box.inputValue()) === text ? true : undefined), SHORT, PROBE_MS);
}

/** Presses Enter in the quick input (accepts the input box or the focused item). */
export async function submitQuickInput(page: Page): Promise<void> {
	await quickInputBox(page).click();
	await page.keyboard.press('Enter');
}

/** Presses Escape: closes the quick input, a menu or a notification that has focus. */
export async function pressEscape(page: Page): Promise<void> {
	await page.keyboard.press('Escape');
}

/** The rows of the quick input's list whose label is `label` (the label exactly, without description). */
export function quickItem(page: Page, label: string): Locator {
	return page.locator(QUICK_ROWS).filter({ has: page.locator('.label-name', { hasText: literal(label, true) }) });
}

/** The labels of the rows the quick input's list shows now, in order. */
export async function quickItemLabels(page: Page): Promise<string[]> {
	return page.locator(`${QUICK_ROWS} .quick-input-list-row:first-child .label-name`).evaluateAll(
		(nodes: DomNode[]) => nodes.map(node => (node.textContent ?? '').trim()),
	);
}

/**
 * Picks the item labelled `label` in the open quick pick: types its label to filter the list (the item
 * need not be the first one), waits until it is the focused row, presses Enter. Falls back to
 * clicking the row. With `title`, first waits for the quick pick whose title bar says so.
 */
export async function pickQuickItem(page: Page, label: string, options: { title?: string; timeoutMs?: number } = {}): Promise<void> {
	const timeoutMs = options.timeoutMs ?? 30_000;
	await waitForQuickInput(page, options.title, timeoutMs);
	// Filtered first: a long list (every model) shows only its first rows until it is scrolled.
	await quickInputBox(page).fill(label);
	const row = quickItem(page, label).first();
	await row.waitFor({ state: 'visible', timeout: timeoutMs });
	const focused = quickItem(page, label).and(page.locator(`${QUICK_ROWS}.focused`));
	try {
		await focused.first().waitFor({ state: 'visible', timeout: 3_000 });
		// Pressed on the box itself, which takes the focus first: a key sent to whatever had the focus
		// was once lost in CI, leaving the step open with its row focused.
		await quickInputBox(page).press('Enter');
	} catch {
		await row.click();
	}
}

/** What Generate Video is told: the model (the one focused when absent), the prompt, and settings to change. */
export interface VideoAnswers {
	/** The model's label in the first step, e.g. `Veo 3.1 Fast`; the focused (configured) model when absent. */
	readonly model?: string;
	readonly prompt: string;
	/** Settings to change, by label, with the label of the value to pick: `{ Size: '1280x720', 'Duration (s)': '8' }`. */
	readonly settings?: Readonly<Record<string, string>>;
	/** The prompt goes in at once, as pasted, rather than typed key by key (for a long one). */
	readonly paste?: boolean;
}

/**
 * Accepts what the open quick pick offers first (its focused row, as a user who presses Enter at once
 * does) and returns that row's label. With `title`, first waits for the quick pick whose title bar says so.
 */
export async function acceptFirstQuickItem(page: Page, options: { title?: string; timeoutMs?: number } = {}): Promise<string> {
	await waitForQuickInput(page, options.title, options.timeoutMs);
	const focused = page.locator(`${QUICK_ROWS}.focused .label-name`).first();
	await focused.waitFor({ state: 'visible', timeout: options.timeoutMs ?? 30_000 });
	const label = ((await focused.textContent()) ?? '').trim();
	await quickInputBox(page).click();
	await page.keyboard.press('Enter');
	return label;
}

/**
 * Answers "Generate Video", whose first step (the model) is open or about to open: takes the model,
 * types the prompt, changes the settings asked for in the Settings step, then picks Generate and waits
 * until the questions are gone. `beforeEnter` runs with the prompt typed, before it is submitted;
 * `beforeGenerate` with the Settings step showing, before Generate.
 */
export async function answerGenerateVideo(page: Page, video: VideoAnswers, hooks: { beforeEnter?: () => Promise<unknown>; beforeGenerate?: () => Promise<unknown> } = {}): Promise<void> {
	if (video.model) {
		await pickQuickItem(page, video.model, { title: ': Model (' });
	} else {
		await waitForQuickInput(page, ': Model (');
		await submitQuickInput(page);
	}
	await typeInQuickInput(page, video.prompt, { title: ': Prompt (', paste: video.paste });
	await hooks.beforeEnter?.();
	await submitQuickInput(page);
	await changeSettings(page, video.settings ?? {});
	await hooks.beforeGenerate?.();
	await pickQuickItem(page, 'Generate', { title: ': Settings (' });
	await waitForQuickInputClosed(page);
}

/** In Generate Video's Settings step, picks each setting by its label and then the value's label. */
export async function changeSettings(page: Page, settings: Readonly<Record<string, string>>): Promise<void> {
	for (const [label, value] of Object.entries(settings)) {
		await pickQuickItem(page, label, { title: ': Settings (' });
		await pickQuickItem(page, value, { title: `: ${label} (` });
	}
	await waitForQuickInput(page, ': Settings (');
}

/**
 * A button of the quick input's title bar by its tooltip: `Back`, or a step's own such as `Recent
 * prompts`. Its label may go on with the key that presses it too (`Back (Ctrl+Alt+-)`).
 */
export function quickInputButton(page: Page, tooltip: string): Locator {
	return page.locator(`${QUICK_INPUT} .quick-input-titlebar .action-label[aria-label=${cssString(tooltip)}], ${QUICK_INPUT} .quick-input-titlebar .action-label[aria-label^=${cssString(`${tooltip} (`)}]`);
}

/** Clicks the quick input's Back button and waits for the step whose title contains `title`. */
export async function quickInputBack(page: Page, title: string): Promise<void> {
	await quickInputButton(page, 'Back').first().click();
	await waitForQuickInput(page, title);
}

/** The label of the quick pick row focused now ('' when none). */
export async function focusedQuickItem(page: Page): Promise<string> {
	const row = page.locator(`${QUICK_ROWS}.focused .label-name`).first();
	return (await row.count()) ? ((await row.textContent()) ?? '').trim() : '';
}

/**
 * Opens the command palette (F1, then Ctrl+Shift+P if F1 was swallowed) and waits for its `>` box.
 * A quick input that is still closing (an input box just accepted) is given time to go first.
 */
export async function openCommandPalette(page: Page): Promise<void> {
	for (const key of ['F1', 'Control+Shift+P', 'F1']) {
		if (await quickInput(page).isVisible()) {
			await quickInput(page).waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => undefined);
		}
		if (await quickInput(page).isVisible()) {
			await pressEscape(page);
			await quickInput(page).waitFor({ state: 'hidden', timeout: SHORT }).catch(() => undefined);
		}
		await page.keyboard.press(key);
		try {
			await quickInput(page).waitFor({ state: 'visible', timeout: 5_000 });
			await waitFor(() => 'no > in the palette', async () => ((await quickInputBox(page).inputValue()).startsWith('>') ? true : undefined), 5_000, PROBE_MS);
			return;
		} catch {
			// Focus was somewhere that ate the key (a webview still loading, say): try again.
		}
	}
	throw new Error('the command palette did not open (F1 / Ctrl+Shift+P)');
}

/**
 * Runs a command from the command palette as a user does: F1, type the title, Enter on it.
 * `title` is the label the palette shows, e.g. 'VideoGen: Generate Video'. Tries again when the
 * palette closed under it (a quick input of an earlier command closing late takes the palette along).
 */
export async function runCommand(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
	const row = page.locator(`${QUICK_ROWS}[aria-label=${cssString(title)}], ${QUICK_ROWS}[aria-label^=${cssString(`${title},`)}]`).first();
	for (let attempt = 1; ; attempt++) {
		await openCommandPalette(page);
		const box = quickInputBox(page);
		try {
			// The palette can close under the typing too (a webview that takes the focus as it opens).
			await box.fill(`>${title}`, { timeout: attempt < 3 ? 5_000 : timeoutMs });
			await row.waitFor({ state: 'visible', timeout: attempt < 3 ? 10_000 : timeoutMs });
			if ((await box.inputValue()) !== `>${title}`) {
				throw new Error('the palette was replaced');
			}
		} catch (error) {
			if (attempt < 3) {
				continue;
			}
			throw new Error(`the command palette did not offer "${title}": ${String(error).split('\n')[0]}`, { cause: error });
		}
		break;
	}
	const focused = await row.evaluate((element: DomNode) => element.classList.contains('focused'));
	if (focused) {
		await page.keyboard.press('Enter');
	} else {
		await row.click();
	}
	// The palette closes, or another quick input (the command's own) replaces it.
	await waitFor(() => `the command palette did not run "${title}"`, async () => {
		if (!(await quickInput(page).isVisible())) {
			return true;
		}
		return (await quickInputBox(page).inputValue()) === `>${title}` ? undefined : true;
	}, timeoutMs, PROBE_MS);
}

// ---------------------------------------------------------------------------------------------
// The VideoGen view
// ---------------------------------------------------------------------------------------------

/** The VideoGen view container in the side bar. */
export function videoGenView(page: Page): Locator {
	return page.locator(`.part.sidebar ${VIEW_CONTAINER}`);
}

/** Opens the VideoGen view from the activity bar (a click; not when it is already showing, which would close it). */
export async function openVideoGenView(page: Page, timeoutMs = 30_000): Promise<Locator> {
	const item = page.locator(ACTIVITY_ITEM);
	await item.waitFor({ state: 'visible', timeout: timeoutMs });
	const view = videoGenView(page);
	// While a reloaded window restores its layout the item may be checked before the view shows:
	// click only when the item is not checked, so a click never closes a view that is about to appear.
	await waitFor(() => 'the VideoGen view did not open from the activity bar', async () => {
		if (await view.isVisible()) {
			return true;
		}
		const checked = await item.evaluate((a: DomNode & { parentElement: DomNode | null }) => !!a.parentElement?.classList.contains('checked'));
		if (!checked) {
			await item.click({ timeout: 5_000 });
		}
		await view.waitFor({ state: 'visible', timeout: 2_000 }).catch(() => undefined);
		return (await view.isVisible()) ? true : undefined;
	}, timeoutMs, 500);
	return view;
}

/** Drags the sash at the side bar's right edge so that the side bar is about `width` pixels wide. */
export async function resizeSideBar(page: Page, width: number): Promise<void> {
	const bar = await page.locator('.part.sidebar').boundingBox();
	if (!bar) {
		throw new Error('the side bar is not showing');
	}
	const edge = bar.x + bar.width;
	const sashes: { x: number; y: number; width: number; height: number }[] = await page.locator('.monaco-sash.vertical').evaluateAll(
		(nodes: { getBoundingClientRect(): { x: number; y: number; width: number; height: number } }[]) => nodes.map(node => {
			const box = node.getBoundingClientRect();
			return { x: box.x, y: box.y, width: box.width, height: box.height };
		}),
	);
	const sash = sashes.filter(box => box.height > bar.height / 2).sort((a, b) => Math.abs(a.x - edge) - Math.abs(b.x - edge))[0];
	if (!sash || Math.abs(sash.x - edge) > 20) {
		throw new Error('no sash at the side bar\'s edge');
	}
	const x = sash.x + sash.width / 2;
	const y = sash.y + sash.height / 2;
	await page.mouse.move(x, y);
	await page.mouse.down();
	await page.mouse.move(x + (bar.x + width - edge) / 2, y, { steps: 5 });
	await page.mouse.move(bar.x + width, y, { steps: 5 });
	await page.mouse.up();
}

/** The welcome content of the Tasks view (shown while the tree is empty or there is no key). */
export function welcomeContent(page: Page): Locator {
	return videoGenView(page).locator('.welcome-view-content');
}

/** A button of the Tasks view's welcome content. */
export function welcomeButton(page: Page, label: string): Locator {
	return welcomeContent(page).locator('.monaco-button', { hasText: literal(label, true) });
}

/** The tree rows of the Tasks view. */
export function treeRows(page: Page): Locator {
	return videoGenView(page).locator('.monaco-list-row');
}

/** The row of the Tasks view whose text (label and description, e.g. "…, Ready · 4s") contains `text`. */
export function treeRow(page: Page, text: string | RegExp): Locator {
	return treeRows(page).filter({ hasText: typeof text === 'string' ? literal(text) : text });
}

/**
 * Expands a collapsed row of the Tasks view (a click on its twistie), e.g. to show why a task failed.
 * With `opensByItselfWithinMs`, first gives the extension that long to open the row itself.
 */
export async function expandTreeRow(page: Page, text: string | RegExp, options: { opensByItselfWithinMs?: number } = {}): Promise<void> {
	const row = treeRow(page, text).first();
	await row.waitFor({ state: 'visible', timeout: SHORT });
	const expanded = async () => ((await row.getAttribute('aria-expanded')) === 'true' ? true : undefined);
	if (options.opensByItselfWithinMs) {
		// A click while the extension is opening the row would close it again.
		if (await waitFor(() => '', expanded, options.opensByItselfWithinMs, PROBE_MS).catch(() => false)) {
			return;
		}
	}
	if ((await row.getAttribute('aria-expanded')) === 'false') {
		await row.locator('.monaco-tl-twistie').click();
		await waitFor(() => 'the row did not expand', expanded, SHORT, PROBE_MS);
	}
}

/** What each row of the Tasks view says, top to bottom: its accessible label (`prompt, status · time · size · duration`). */
export async function treeRowLabels(page: Page): Promise<string[]> {
	return treeRows(page).evaluateAll((nodes: DomNode[]) => nodes.map(node => node.getAttribute('aria-label') ?? (node.textContent ?? '').trim()));
}

/** Opens the context menu of the Tasks view's row whose text contains `text` (a right-click), and returns its labels. */
export async function openTreeRowMenu(page: Page, text: string | RegExp): Promise<string[]> {
	const row = treeRow(page, text).first();
	await row.waitFor({ state: 'visible', timeout: SHORT });
	await row.click({ button: 'right' });
	await page.locator('.monaco-menu .action-item').first().waitFor({ state: 'visible', timeout: SHORT });
	return menuLabels(page);
}

/** A button of a view's title bar, e.g. 'Generate Video'. */
export function viewTitleAction(page: Page, label: string): Locator {
	return page.locator(`.part.sidebar .title-actions .action-label[aria-label=${cssString(label)}]`);
}

/**
 * Opens the Tasks view's own "..." menu and lists its items. With the Gallery beside it, the view's
 * actions are in its section header (shown while the pointer is over it), and the side bar's own "..."
 * only lists the views; with one view, they are in the side bar's title.
 */
export async function openTasksViewMenu(page: Page): Promise<string[]> {
	const header = page.locator('.part.sidebar .pane-header').filter({ has: page.locator('.title', { hasText: /^Tasks$/ }) }).first();
	let more = page.locator('.part.sidebar .title-actions .action-label[aria-label*="More Actions"]').first();
	if (await header.count()) {
		await header.hover();
		more = header.locator('.actions .action-label[aria-label*="More Actions"]').first();
	}
	await more.waitFor({ state: 'visible', timeout: 10_000 });
	await more.click();
	await page.locator('.monaco-menu .action-item').first().waitFor({ state: 'visible', timeout: 10_000 });
	return menuLabels(page);
}

// ---------------------------------------------------------------------------------------------
// Editors, menus, notifications
// ---------------------------------------------------------------------------------------------

/** The tab of an editor whose title contains `title`. */
export function editorTab(page: Page, title: string | RegExp): Locator {
	return page.locator('.part.editor .tabs-container .tab').filter({ hasText: typeof title === 'string' ? literal(title) : title });
}

/** The Monaco text editor that has focus (or the first one). */
export function activeTextEditor(page: Page): Locator {
	return page.locator('.part.editor .editor-instance .monaco-editor').first();
}

/** Opens a new untitled text editor (File: New Untitled Text File) and waits for its text area. */
export async function newUntitledFile(page: Page): Promise<Locator> {
	await runCommand(page, 'File: New Untitled Text File');
	const editor = activeTextEditor(page);
	await editor.waitFor({ state: 'visible', timeout: 30_000 });
	await editor.locator('.view-lines').click();
	return editor;
}

/** An item of the open context menu. */
export function menuItem(page: Page, label: string): Locator {
	return page.locator('.monaco-menu .action-item .action-label', { hasText: literal(label, true) });
}

/**
 * Chooses an item of the open context menu as a user does: the pointer rests on it a moment, then
 * clicks (a menu ignores a click that comes in the same instant it opened). Waits for the menu to close.
 */
export async function chooseMenuItem(page: Page, label: string): Promise<void> {
	const item = menuItem(page, label).first();
	await item.waitFor({ state: 'visible', timeout: SHORT });
	await item.hover();
	await page.waitForTimeout(300);
	await item.click();
	const menu = page.locator('.monaco-menu').first();
	if (!(await menu.waitFor({ state: 'hidden', timeout: 3_000 }).then(() => true, () => false))) {
		// Still open: the item has the focus from the pointer, and Enter runs it.
		await page.keyboard.press('Enter');
		await menu.waitFor({ state: 'hidden', timeout: SHORT });
	}
}

/** The labels of the open context menu, separators left out. */
export async function menuLabels(page: Page): Promise<string[]> {
	return page.locator('.monaco-menu .action-item .action-label').evaluateAll(
		(nodes: DomNode[]) => nodes.map(node => (node.textContent ?? '').trim()).filter(Boolean),
	);
}

/** The workbench's modal dialog (a modal `showWarningMessage`). */
export function modalDialog(page: Page): Locator {
	return page.locator('.monaco-dialog-box');
}

/** Presses the modal dialog's button labelled `label` and waits for the dialog to close. */
export async function pressDialogButton(page: Page, label: string): Promise<void> {
	await modalDialog(page).locator('.dialog-buttons .monaco-button', { hasText: label }).first().click({ timeout: 30_000 });
	await modalDialog(page).waitFor({ state: 'hidden', timeout: SHORT });
}

/** The toasts shown now: their messages, for failure reports and checks. */
export async function notificationToasts(page: Page): Promise<string[]> {
	return page.locator('.notification-toast-container .notification-list-item-message').evaluateAll(
		(nodes: DomNode[]) => nodes.map(node => (node.textContent ?? '').trim()),
	);
}

/**
 * Waits for a notification whose message starts with `start`, in the Notifications center (opened for
 * it), and returns its message and buttons. The workbench shows no toasts while its smoke-test driver
 * is on, as it is in this rig, so the center is where a notification can be read.
 */
export async function waitForNotification(page: Page, start: string, timeoutMs = 30_000): Promise<{ message: string; buttons: string[] }> {
	const center = page.locator('.notifications-center');
	if (!(await center.isVisible())) {
		await runCommand(page, 'Notifications: Show Notifications');
		await center.waitFor({ state: 'visible', timeout: SHORT });
	}
	const item = center.locator('.notification-list-item').filter({ has: page.locator('.notification-list-item-message', { hasText: new RegExp(`^\\s*${literal(start).source}`) }) }).first();
	await item.waitFor({ state: 'visible', timeout: timeoutMs });
	return {
		message: ((await item.locator('.notification-list-item-message').textContent()) ?? '').trim(),
		buttons: await item.locator('.notification-list-item-buttons-container .monaco-button').evaluateAll((nodes: DomNode[]) => nodes.map(node => (node.textContent ?? '').trim())),
	};
}

/** Clears every notification and closes the Notifications center. */
export async function dismissNotifications(page: Page): Promise<void> {
	await clearNotifications(page);
	if (await page.locator('.notifications-center').isVisible()) {
		await runCommand(page, 'Notifications: Hide Notifications');
	}
}

/** Closes every notification (Notifications: Clear All Notifications). */
export async function clearNotifications(page: Page): Promise<void> {
	await runCommand(page, 'Notifications: Clear All Notifications');
	await page.locator('.notification-toast-container .notification-toast').first().waitFor({ state: 'hidden', timeout: SHORT }).catch(() => undefined);
}

/** The row of a file or folder in the Explorer, by its name. */
export function explorerRow(page: Page, name: string): Locator {
	return page.locator(`.part.sidebar .explorer-folders-view .monaco-list-row[aria-label=${cssString(name)}], .part.sidebar .explorer-folders-view .monaco-list-row[aria-label^=${cssString(`${name},`)}]`);
}

/** Shows the Explorer and right-clicks the file `name` in it, and waits for the context menu. */
export async function openExplorerContextMenu(page: Page, name: string): Promise<void> {
	await runCommand(page, 'View: Show Explorer');
	const row = explorerRow(page, name).first();
	await row.waitFor({ state: 'visible', timeout: 30_000 });
	await row.click({ button: 'right' });
	await page.locator('.monaco-menu .action-item').first().waitFor({ state: 'visible', timeout: SHORT });
}

// ---------------------------------------------------------------------------------------------
// Webviews
// ---------------------------------------------------------------------------------------------

/** Reads the first `<video>` of every frame (webviews are nested iframes); `undefined` when none has one. */
export async function findVideo(page: Page): Promise<VideoState | undefined> {
	for (const frame of page.frames()) {
		if (frame === page.mainFrame() || frame.isDetached()) {
			continue;
		}
		const state: VideoState | null = await frame.evaluate(() => {
			const video = (globalThis as unknown as DomWindow).document.querySelector('video');
			return video ? {
				readyState: video.readyState,
				error: video.error ? video.error.code : null,
				src: video.currentSrc || video.getAttribute('src') || '',
				videoWidth: video.videoWidth,
				videoHeight: video.videoHeight,
			} : null;
		}).catch(() => null);
		if (state) {
			return state;
		}
	}
	return undefined;
}

/**
 * Waits until a webview frame has a `<video>` with `readyState >= minReadyState` (default 2, it has a
 * frame to show) or a media error, and returns what it reports.
 */
export async function waitForVideoFrame(page: Page, options: { minReadyState?: number; timeoutMs?: number } = {}): Promise<VideoState> {
	const minReadyState = options.minReadyState ?? 2;
	let last: VideoState | undefined;
	return waitFor(() => (last
		? `the player's <video> stayed at readyState ${last.readyState} (src ${last.src})`
		: 'no webview frame ever had a <video>'), async () => {
		last = await findVideo(page);
		return last && (last.readyState >= minReadyState || last.error !== null) ? last : undefined;
	}, options.timeoutMs ?? 60_000, 500);
}

/** The `<img>`s of the webview frame that has a `<video>`: their alt text, source and whether they loaded. */
export async function playerImages(page: Page): Promise<{ alt: string; src: string; loaded: boolean }[]> {
	for (const frame of page.frames()) {
		if (frame === page.mainFrame() || frame.isDetached()) {
			continue;
		}
		const images: { alt: string; src: string; loaded: boolean }[] | null = await frame.evaluate(() => {
			const doc = (globalThis as unknown as { document: { querySelector(s: 'video'): unknown; querySelectorAll(s: 'img'): ArrayLike<DomImage> } }).document;
			return doc.querySelector('video')
				? Array.from(doc.querySelectorAll('img')).map(img => ({ alt: img.alt, src: img.currentSrc || img.src, loaded: img.complete && img.naturalWidth > 0 }))
				: null;
		}).catch(() => null);
		if (images) {
			return images;
		}
	}
	return [];
}

/** Finds the webview frame with a `<video>` and returns the text of its page (prompt, details). */
export async function playerText(page: Page): Promise<string> {
	for (const frame of page.frames()) {
		if (frame === page.mainFrame() || frame.isDetached()) {
			continue;
		}
		const text: string | null = await frame.evaluate(() => {
			const doc = (globalThis as unknown as DomWindow).document;
			return doc.querySelector('video') ? String(doc.body.innerText) : null;
		}).catch(() => null);
		if (text) {
			return text;
		}
	}
	return '';
}

/** The first webview frame (any frame but the workbench's own) that holds `selector`, once one does. */
async function webviewFrameWith(page: Page, selector: string, what: string, timeoutMs: number): Promise<Frame> {
	return waitFor(() => `no webview frame ${what}`, async () => {
		for (const frame of page.frames()) {
			if (frame !== page.mainFrame() && !frame.isDetached() && await frame.locator(selector).count().catch(() => 0) > 0) {
				return frame;
			}
		}
		return undefined;
	}, timeoutMs, PROBE_MS);
}

/** The webview frame that shows the player (the one with a `<video>`). */
export async function playerFrame(page: Page, timeoutMs = 30_000): Promise<Frame> {
	return webviewFrameWith(page, 'video', 'has a <video>', timeoutMs);
}

/** The labels of the player's action buttons, in order (not the prompt's Show more). */
export async function playerButtonLabels(page: Page): Promise<string[]> {
	const frame = await playerFrame(page);
	return frame.locator('button[data-action]').evaluateAll((nodes: DomNode[]) => nodes.map(node => (node.textContent ?? '').trim()));
}

/** Clicks the player's button labelled `label`, as a user does. */
export async function clickPlayerButton(page: Page, label: string): Promise<void> {
	const frame = await playerFrame(page);
	await frame.locator('button', { hasText: literal(label, true) }).click({ timeout: SHORT });
}


// ---------------------------------------------------------------------------------------------
// Gallery
// ---------------------------------------------------------------------------------------------

/** What the gallery functions read of a tile and its `<video>` (the tests compile without the DOM library). */
export interface DomTile {
	readonly hidden: boolean;
	querySelector(selector: string): ({ readonly textContent: string | null } & Partial<GalleryVideo>) | null;
	querySelectorAll(selector: string): ArrayLike<unknown>;
	scrollIntoView(options?: unknown): void;
}
export interface GalleryVideo {
	readonly readyState: number;
	readonly paused: boolean;
	readonly muted: boolean;
	readonly currentTime: number;
	readonly videoWidth: number;
	readonly currentSrc: string;
}

/** Opens the Gallery view with the Tasks view's title bar button (shown while the pointer is on the view's header). */
export async function showGallery(page: Page): Promise<Frame> {
	await page.locator('.part.sidebar .pane-header', { hasText: 'Tasks' }).first().hover();
	await page.locator('.part.sidebar .pane-header .action-label[aria-label="Show Gallery"]').first().click({ timeout: SHORT });
	return galleryFrame(page);
}

/** The webview frame of the gallery (the one with its grid), once it shows tiles. */
export async function galleryFrame(page: Page, timeoutMs = 60_000): Promise<Frame> {
	return webviewFrameWith(page, '#grid .tile', 'shows the gallery\'s tiles', timeoutMs);
}

/** What the video of the gallery's tile `index` reports; `undefined` while the tile has none. */
export function tileVideo(frame: Frame, index: number): Promise<GalleryVideo | undefined> {
	return frame.locator('#grid .tile').nth(index).evaluate((tile: DomTile) => {
		const video = tile.querySelector('video');
		return video ? { readyState: video.readyState!, paused: video.paused!, muted: video.muted!, currentTime: video.currentTime!, videoWidth: video.videoWidth!, currentSrc: video.currentSrc! } : undefined;
	});
}

/** Waits until tile `index` shows its first frame (its video has current data) and returns the video's state. */
export function waitForPoster(frame: Frame, index: number, timeoutMs = 30_000): Promise<GalleryVideo> {
	let last: GalleryVideo | undefined;
	return waitFor(() => `tile ${index}'s video stayed at ${last ? `readyState ${last.readyState}` : 'no video'}`, async () => {
		last = await tileVideo(frame, index);
		return last && last.readyState >= 2 ? last : undefined;
	}, timeoutMs, PROBE_MS);
}

/** Drags the sash above the Gallery view's header up, so that the gallery has most of the side bar's height. */
export async function growGallery(page: Page): Promise<void> {
	const header = await page.locator('.part.sidebar .pane-header', { hasText: 'Gallery' }).first().boundingBox();
	if (!header) {
		throw new Error('the Gallery view has no header');
	}
	const sashes: { x: number; y: number; width: number; height: number }[] = await page.locator('.part.sidebar .monaco-sash.horizontal').evaluateAll(
		(nodes: { getBoundingClientRect(): { x: number; y: number; width: number; height: number } }[]) => nodes.map(node => {
			const box = node.getBoundingClientRect();
			return { x: box.x, y: box.y, width: box.width, height: box.height };
		}),
	);
	const sash = sashes.sort((a, b) => Math.abs(a.y - header.y) - Math.abs(b.y - header.y))[0];
	if (!sash || Math.abs(sash.y - header.y) > 12) {
		throw new Error('no sash above the Gallery view');
	}
	const x = sash.x + sash.width / 2;
	const y = sash.y + sash.height / 2;
	await page.mouse.move(x, y);
	await page.mouse.down();
	await page.mouse.move(x, y - 200, { steps: 5 });
	await page.mouse.move(x, 230, { steps: 5 });
	await page.mouse.up();
}

/** Waits until the gallery's first tile is in view with its first frame, for a picture. */
export async function galleryPostersShown(page: Page): Promise<Frame> {
	const frame = await galleryFrame(page);
	await frame.locator('#grid .tile').first().evaluate((tile: DomTile) => tile.scrollIntoView({ block: 'end' }));
	await waitForPoster(frame, 0);
	return frame;
}

// ---------------------------------------------------------------------------------------------
// Themes and pictures
// ---------------------------------------------------------------------------------------------

/** The two themes the pictures are taken in: the name in the file, the theme's label, the workbench's class. */
export const SCREENSHOT_THEMES = [
	{ name: 'light', label: 'Light Modern', workbenchClass: 'vs' },
	{ name: 'dark', label: 'Dark Modern', workbenchClass: 'vs-dark' },
] as const;
export type ScreenshotTheme = typeof SCREENSHOT_THEMES[number];

/** The colour theme in use: the item Preferences: Color Theme focuses when it opens (the picker is closed again). */
export async function currentColorTheme(page: Page): Promise<string> {
	await runCommand(page, 'Preferences: Color Theme');
	await waitForQuickInput(page);
	const label = await waitFor(() => 'the theme picker focused no theme', async () => (await focusedQuickItem(page)) || undefined, SHORT, PROBE_MS);
	await pressEscape(page);
	await waitForQuickInputClosed(page);
	return label;
}

/**
 * Picks a colour theme by its label in Preferences: Color Theme; with `workbenchClass` (`vs`,
 * `vs-dark`), waits until the workbench shows it.
 */
export async function setColorTheme(page: Page, label: string, workbenchClass?: string): Promise<void> {
	for (let attempt = 1; ; attempt++) {
		await runCommand(page, 'Preferences: Color Theme');
		try {
			await waitForQuickInput(page, undefined, 5_000);
			await pickQuickItem(page, label);
			break;
		} catch (error) {
			// A webview that takes the focus as it shows (a player just brought to the front) closes the picker.
			if (attempt === 3) {
				throw error;
			}
		}
	}
	await waitForQuickInputClosed(page);
	if (workbenchClass) {
		await waitFor(() => `the theme ${label} never applied`, async () => (await page.locator(`.monaco-workbench.${workbenchClass}`).count() ? true : undefined), 15_000, PROBE_MS);
	}
	// Webviews take the new colours a moment later.
	await page.waitForTimeout(500);
}

/**
 * Takes a picture of the page in each of SCREENSHOT_THEMES, to `file(theme)`; `ready` runs in each
 * theme before its picture (the pointer out of the way, posters loaded). The theme stays the last one.
 */
export async function screenshotInThemes(page: Page, file: (theme: ScreenshotTheme) => string, ready?: (theme: ScreenshotTheme) => Promise<unknown>): Promise<string[]> {
	const files: string[] = [];
	for (const theme of SCREENSHOT_THEMES) {
		await setColorTheme(page, theme.label, theme.workbenchClass);
		await ready?.(theme);
		files.push(file(theme));
		await page.screenshot({ path: files[files.length - 1] });
	}
	return files;
}

// ---------------------------------------------------------------------------------------------
// The player's Insert into Document
// ---------------------------------------------------------------------------------------------

/** Opens a file of the workspace from the Explorer (a double-click) and waits for its tab. */
export async function openWorkspaceFile(page: Page, name: string): Promise<void> {
	await runCommand(page, 'View: Show Explorer');
	await explorerRow(page, name).first().dblclick();
	await editorTab(page, name).first().waitFor({ state: 'visible', timeout: 30_000 });
}

/**
 * Insert into Document as a user does it: opens the workspace's Markdown file `name` with the cursor at
 * its end, goes back to the player whose tab title contains `playerTitle`, presses Insert into Document
 * there, then saves the file (Ctrl+S in its editor).
 */
export async function insertIntoMarkdownFile(page: Page, name: string, playerTitle: string): Promise<void> {
	await openWorkspaceFile(page, name);
	const editor = page.locator('.part.editor .editor-instance .monaco-editor').filter({ has: page.locator('.view-lines') }).first();
	await editor.locator('.view-lines').click();
	await page.keyboard.press('Control+End');
	// Back to the player: its button, not the editor, has the focus when it is pressed.
	await editorTab(page, playerTitle).first().click();
	await playerFrame(page);
	await clickPlayerButton(page, 'Insert into Document');
	await editorTab(page, name).first().click();
	await page.keyboard.press('Control+S');
}

/** The Markdown file beside the player (View: Split Editor Right), the player in front, for a picture. */
export async function showBesidePlayer(page: Page, playerTitle: string): Promise<void> {
	await runCommand(page, 'View: Split Editor Right');
	await editorTab(page, playerTitle).first().click();
	await playerFrame(page);
	// The player's webview takes the focus a moment after it shows.
	await page.waitForTimeout(500);
}
