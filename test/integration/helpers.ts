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

type Answer = string | undefined | ((items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined);

/**
 * Runs `work` while input boxes and quick picks are answered, in order, from `answers`
 * (a string picks the quick pick item with that label). Restores the real ones afterwards.
 */
export async function withAnswers<T>(answers: Answer[], work: () => Thenable<T> | Promise<T>): Promise<{ result: T; asked: string[] }> {
	const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: typeof vscode.window[K] };
	const { showInputBox, showQuickPick } = window;
	const queue = [...answers];
	const asked: string[] = [];
	window.showInputBox = (async (options?: vscode.InputBoxOptions) => {
		asked.push(`input:${options?.title ?? options?.prompt ?? ''}`);
		const answer = queue.shift();
		const text = typeof answer === 'string' ? answer : undefined;
		if (text !== undefined && options?.validateInput) {
			const problem = await options.validateInput(text);
			if (problem) {
				throw new Error(`the input box refused "${text}": ${typeof problem === 'string' ? problem : problem.message}`);
			}
		}
		return text;
	}) as typeof window.showInputBox;
	window.showQuickPick = (async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>, options?: vscode.QuickPickOptions) => {
		const list = await items;
		asked.push(`pick:${options?.title ?? options?.placeHolder ?? ''}:${list.map(item => item.label).join('|')}`);
		const answer = queue.shift();
		return typeof answer === 'function' ? answer(list) : list.find(item => item.label === answer);
	}) as unknown as typeof window.showQuickPick;
	try {
		const result = await work();
		return { result, asked };
	} finally {
		window.showInputBox = showInputBox;
		window.showQuickPick = showQuickPick;
	}
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

export function sampleVideo(): Buffer {
	return fs.readFileSync(path.join(__dirname, '../../../test/simulator/sample.mp4'));
}
