/**
 * Shared pieces of the extension-host tests: the real extension, the project's API simulator
 * started in this process on loopback, and settings pointed at it.
 *
 * Two things are replaced, and only these: `window.showInputBox` / `showQuickPick` answers (a test
 * inside the host cannot type; the UI tests under test/ui type for real through the workbench)
 * and `window.show*Message` (recorded so tests can read the words the user would see).
 */

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { VideoGenApi } from '../../src/extension';
import { Simulator, startSimulator, SimulatorOptions } from '../simulator/simulator';
export { waitFor } from '../common/waitFor';

export const extensionId = 'videogen.videogen';

export async function activateExtension(): Promise<VideoGenApi> {
	const extension = vscode.extensions.getExtension<VideoGenApi>(extensionId);
	assert.ok(extension, `${extensionId} is not installed in this host`);
	const api = await extension.activate();
	await api.ready;
	return api;
}

export interface Environment {
	readonly sim: Simulator;
	readonly api: VideoGenApi;
	readonly downloadFolder: string;
	dispose(): Promise<void>;
}

/** Starts a simulator, points VideoGen's settings at it and stores its key through the real command. */
export async function setUpEnvironment(options: SimulatorOptions = {}): Promise<Environment> {
	const api = await activateExtension();
	const sim = await startSimulator({ pendingMs: 300, runningMs: 700, ...options });
	const downloadFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'videogen-host-test-'));
	const config = vscode.workspace.getConfiguration('videogen');
	await config.update('baseUrl', sim.apiUrl, vscode.ConfigurationTarget.Global);
	await config.update('pollIntervalSeconds', 1, vscode.ConfigurationTarget.Global);
	await config.update('downloadFolder', downloadFolder, vscode.ConfigurationTarget.Global);
	await config.update('openOnSuccess', 'none', vscode.ConfigurationTarget.Global);
	await withAnswers([sim.apiKey], () => vscode.commands.executeCommand('videogen.setApiKey'));
	return {
		sim, api, downloadFolder,
		async dispose() {
			// Forget this simulator's tasks: once it is gone they could never finish.
			for (const task of api.tasks().filter(t => t.apiOrigin === sim.apiUrl)) {
				await recordMessages(() => vscode.commands.executeCommand('videogen.removeTask', task.id), () => 'Remove');
			}
			await sim.close();
			fs.rmSync(downloadFolder, { recursive: true, force: true });
		},
	};
}

/** Presses the Back button of a multi-step input. */
export const BACK = Symbol('Back');

/**
 * An answer to the next question: text for an input box, the label of a quick pick item (or a
 * function choosing one), `undefined` for Esc, {@link BACK}, `{ button }` to press a button by its
 * tooltip, or a `Uri` for a file dialog.
 */
export type Answer =
	| string
	| undefined
	| typeof BACK
	| { readonly button: string }
	| vscode.Uri
	| ((items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined);

/** One question as it was shown. */
export interface Asked {
	readonly kind: 'input' | 'pick' | 'dialog';
	/** The title as the workbench shows it, with the step count: `Generate Video: Prompt (2/3)`. */
	readonly title: string;
	/** An input box's text when it opened. */
	readonly value?: string;
	/** A quick pick's item labels, separators left out. */
	readonly labels?: readonly string[];
	/** The label of the item focused when it opened. */
	readonly active?: string;
	/** The tooltips of its buttons (`Back` included). */
	readonly buttons?: readonly string[];
	/** An input box's prompt line. */
	readonly prompt?: string;
	/** The message under an input box when it opened (a note such as a prompt's length; never an error on an untouched box). */
	readonly message?: string;
	/** A quick pick's items, for checks on their descriptions. */
	readonly items?: readonly vscode.QuickPickItem[];
}

type MutableWindow = { -readonly [K in keyof typeof vscode.window]: typeof vscode.window[K] };

/**
 * Runs `work` while the questions it asks are answered, in order, from `answers`: `showInputBox`,
 * `showQuickPick`, `showOpenDialog`, and the quick picks and input boxes made with `createQuickPick`
 * and `createInputBox` (the multi-step Generate Video). `asked` lists each question as a line,
 * `input:<title>` or `pick:<title>:<label>|<label>…`; `shown` as an {@link Asked}. The real functions
 * are back afterwards. Fails when a question goes unanswered or an answer does not fit it.
 */
export async function withAnswers<T>(answers: Answer[], work: () => Thenable<T> | Promise<T>): Promise<{ result: T; asked: string[]; shown: Asked[] }> {
	const window = vscode.window as MutableWindow;
	const originals = { showInputBox: window.showInputBox, showQuickPick: window.showQuickPick, showOpenDialog: window.showOpenDialog, createQuickPick: window.createQuickPick, createInputBox: window.createInputBox };
	const queue = [...answers];
	const shown: Asked[] = [];
	let failure: Error | undefined;
	const next = (question: string): Answer => {
		if (!queue.length) {
			failure ??= new Error(`no answer left for "${question}"`);
			return undefined;
		}
		return queue.shift();
	};
	window.showInputBox = (async (options?: vscode.InputBoxOptions) => {
		shown.push({ kind: 'input', title: options?.title ?? options?.prompt ?? '', value: options?.value, prompt: options?.prompt });
		const answer = next(options?.title ?? '');
		const text = typeof answer === 'string' ? answer : undefined;
		if (text !== undefined && options?.validateInput) {
			const problem = await options.validateInput(text);
			if (problem && (typeof problem === 'string' || problem.severity === vscode.InputBoxValidationSeverity.Error)) {
				throw new Error(`the input box refused "${text}": ${typeof problem === 'string' ? problem : problem.message}`);
			}
		}
		return text;
	}) as typeof window.showInputBox;
	window.showQuickPick = (async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>, options?: vscode.QuickPickOptions) => {
		const list = await items;
		shown.push({ kind: 'pick', title: options?.title ?? options?.placeHolder ?? '', labels: list.map(item => item.label), items: list });
		const answer = next(options?.title ?? '');
		return typeof answer === 'function' ? answer(list) : list.find(item => item.label === answer);
	}) as unknown as typeof window.showQuickPick;
	window.showOpenDialog = (async (options?: vscode.OpenDialogOptions) => {
		shown.push({ kind: 'dialog', title: options?.title ?? '' });
		const answer = next(options?.title ?? 'a file dialog');
		return answer instanceof vscode.Uri ? [answer] : undefined;
	}) as typeof window.showOpenDialog;
	window.createQuickPick = (() => new ScriptedQuickInput('pick', shown, next, error => failure ??= error)) as unknown as typeof window.createQuickPick;
	window.createInputBox = (() => new ScriptedQuickInput('input', shown, next, error => failure ??= error)) as unknown as typeof window.createInputBox;
	try {
		const result = await work();
		if (failure) {
			throw failure;
		}
		if (queue.length) {
			throw new Error(`${queue.length} answer(s) left unused: ${queue.map(String).join(', ')}`);
		}
		const asked = shown.map(question => question.kind === 'pick' ? `pick:${question.title}:${question.labels!.join('|')}` : `${question.kind}:${question.title}`);
		return { result, asked, shown };
	} finally {
		Object.assign(window, originals);
	}
}

/**
 * A quick pick or input box made with `createQuickPick` / `createInputBox`, answered from the script
 * when shown: it fires the events the workbench fires when a user picks, types, presses Back or Esc.
 */
class ScriptedQuickInput {
	title: string | undefined;
	step: number | undefined;
	totalSteps: number | undefined;
	enabled = true;
	busy = false;
	ignoreFocusOut = false;
	value = '';
	valueSelection: readonly [number, number] | undefined;
	placeholder: string | undefined;
	prompt: string | undefined;
	password = false;
	validationMessage: string | vscode.InputBoxValidationMessage | undefined;
	buttons: readonly vscode.QuickInputButton[] = [];
	items: readonly vscode.QuickPickItem[] = [];
	activeItems: readonly vscode.QuickPickItem[] = [];
	selectedItems: readonly vscode.QuickPickItem[] = [];
	canSelectMany = false;
	matchOnDescription = false;
	matchOnDetail = false;
	keepScrollPosition = false;
	private readonly accept = new vscode.EventEmitter<void>();
	private readonly hidden = new vscode.EventEmitter<void>();
	private readonly button = new vscode.EventEmitter<vscode.QuickInputButton>();
	private readonly changeValue = new vscode.EventEmitter<string>();
	private readonly changeActive = new vscode.EventEmitter<readonly vscode.QuickPickItem[]>();
	private readonly changeSelection = new vscode.EventEmitter<readonly vscode.QuickPickItem[]>();
	readonly onDidAccept = this.accept.event;
	readonly onDidHide = this.hidden.event;
	readonly onDidTriggerButton = this.button.event;
	readonly onDidChangeValue = this.changeValue.event;
	readonly onDidChangeActive = this.changeActive.event;
	readonly onDidChangeSelection = this.changeSelection.event;
	readonly onDidTriggerItemButton = new vscode.EventEmitter<never>().event;
	private visible = false;

	constructor(
		private readonly kind: 'pick' | 'input',
		private readonly shown: Asked[],
		private readonly next: (question: string) => Answer,
		private readonly fail: (error: Error) => void,
	) {}

	show(): void {
		if (this.visible) {
			return;
		}
		this.visible = true;
		const title = `${this.title ?? ''}${this.step ? ` (${this.step}${this.totalSteps ? `/${this.totalSteps}` : ''})` : ''}`;
		const items = this.items.filter(item => item.kind !== vscode.QuickPickItemKind.Separator);
		this.shown.push(this.kind === 'pick'
			? { kind: 'pick', title, labels: items.map(item => item.label), active: this.activeItems[0]?.label, buttons: this.buttons.map(tooltipOf), items }
			: { kind: 'input', title, value: this.value, prompt: this.prompt, message: typeof this.validationMessage === 'string' ? this.validationMessage : this.validationMessage?.message, buttons: this.buttons.map(tooltipOf) });
		const answer = this.next(title);
		// The workbench answers after the extension's show() returns.
		setTimeout(() => this.answer(title, answer, items), 0);
	}

	hide(): void {
		if (this.visible) {
			this.visible = false;
			this.hidden.fire();
		}
	}

	dispose(): void {
		this.hide();
	}

	private answer(title: string, answer: Answer, items: readonly vscode.QuickPickItem[]): void {
		if (!this.visible) {
			return;
		}
		if (answer === undefined) {
			this.hide();
		} else if (answer === BACK || (typeof answer === 'object' && 'button' in answer)) {
			const tooltip = answer === BACK ? 'Back' : answer.button;
			const button = this.buttons.find(candidate => tooltipOf(candidate) === tooltip);
			if (!button) {
				return this.refuse(`"${title}" has no ${tooltip} button (it has ${this.buttons.map(tooltipOf).join(', ') || 'none'})`);
			}
			this.button.fire(button);
		} else if (this.kind === 'input') {
			if (typeof answer !== 'string') {
				return this.refuse(`"${title}" is an input box; the answer is not text`);
			}
			this.value = answer;
			this.changeValue.fire(answer);
			this.accept.fire();
			const problem = this.validationMessage;
			if (this.visible && problem && (typeof problem === 'string' || problem.severity === vscode.InputBoxValidationSeverity.Error)) {
				this.refuse(`the input box refused "${answer}": ${typeof problem === 'string' ? problem : problem.message}`);
			}
		} else {
			const item = typeof answer === 'function' ? answer(items) : items.find(candidate => candidate.label === answer);
			if (!item) {
				return this.refuse(`"${title}" has no item ${String(answer)}: ${items.map(candidate => candidate.label).join(' | ')}`);
			}
			this.activeItems = [item];
			this.selectedItems = [item];
			this.changeActive.fire(this.activeItems);
			this.changeSelection.fire(this.selectedItems);
			this.accept.fire();
		}
	}

	private refuse(message: string): void {
		this.fail(new Error(message));
		this.hide();
	}
}

function tooltipOf(button: vscode.QuickInputButton): string {
	return button === vscode.QuickInputButtons.Back ? 'Back' : button.tooltip ?? '';
}

/**
 * Records the messages shown while `work` runs. `reply` picks the button to press for a message
 * (none by default, as if the user closed it), at once or, as a promise, later.
 */
export async function recordMessages<T>(work: () => Thenable<T> | Promise<T>, reply: (message: string, buttons: string[]) => string | undefined | Promise<string | undefined> = () => undefined): Promise<{ result: T; messages: string[] }> {
	const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: typeof vscode.window[K] };
	const originals = { error: window.showErrorMessage, warning: window.showWarningMessage, info: window.showInformationMessage };
	const messages: string[] = [];
	const recorder = (level: string) => ((message: string, ...rest: unknown[]) => {
		messages.push(`${level}: ${message}`);
		const buttons = rest.filter((item): item is string => typeof item === 'string');
		return Promise.resolve(reply(message, buttons));
	}) as typeof window.showErrorMessage;
	window.showErrorMessage = recorder('error');
	window.showWarningMessage = recorder('warning');
	window.showInformationMessage = recorder('info');
	try {
		const result = await work();
		return { result, messages };
	} finally {
		window.showErrorMessage = originals.error;
		window.showWarningMessage = originals.warning;
		window.showInformationMessage = originals.info;
	}
}

/** Every file under a folder, recursively (none when it does not exist). */
export function filesUnder(folder: string): string[] {
	if (!fs.existsSync(folder)) {
		return [];
	}
	return fs.readdirSync(folder, { withFileTypes: true }).flatMap(entry => {
		const full = path.join(folder, entry.name);
		return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
	});
}

export function sampleVideo(): Buffer {
	return fs.readFileSync(path.join(__dirname, '../../../test/simulator/sample.mp4'));
}

/**
 * What a task's row says of its state in full, as its screen-reader label gives it after the prompt:
 * `Ready · 3s · 1280x720 · 8s` (the row itself starts with a short form of it, `8s 1280×720`).
 */
export function stateOf(item: vscode.TreeItem | undefined): string {
	const label = item?.accessibilityInformation?.label ?? '';
	return label.slice(label.lastIndexOf(', ') + 2);
}
