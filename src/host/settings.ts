/** Typed access to the `videogen.*` settings. Read when used, never cached. */

import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { DownloadError } from '../core/errors';
import { defaultModelId } from '../core/videoModels';
import { checkBaseUrl, checkDownloadFolder } from '../core/validation';

export type OpenOnSuccess = 'notify' | 'open' | 'none';

function config(): vscode.WorkspaceConfiguration {
	return vscode.workspace.getConfiguration('videogen');
}

/**
 * The range of each number setting, as package.json declares it (a test checks they agree). VS Code
 * only warns about a value outside it, and a hand-edited settings.json can hold anything, `1e309`
 * (read as Infinity) included.
 */
export const numberRanges = {
	pollIntervalSeconds: { minimum: 1, maximum: 600, default: 5 },
	defaultDuration: { minimum: 4, maximum: 12, default: 4 },
	maxDownloadMegabytes: { minimum: 10, maximum: 65_536, default: 2048 },
} as const;

/** A number setting brought within its range; a value that is not a number is the default. */
function boundedNumber(name: keyof typeof numberRanges): number {
	const { minimum, maximum, default: fallback } = numberRanges[name];
	const value = config().get<unknown>(name);
	const number = typeof value === 'string' && value.trim() ? Number(value) : value;
	return typeof number === 'number' && !Number.isNaN(number) ? Math.min(maximum, Math.max(minimum, number)) : fallback;
}

export const settings = {
	baseUrl: (): string => config().get<string>('baseUrl') || 'https://api.umodelverse.ai',
	model: (): string => config().get<string>('model')?.trim() || defaultModelId,
	defaultSize: (): string => config().get<string>('defaultSize') || '720x1280',
	defaultDuration: (): number => boundedNumber('defaultDuration'),
	pollIntervalMs: (): number => boundedNumber('pollIntervalSeconds') * 1000,
	/** Whether Generate Video keeps recent prompts and an unsubmitted draft (`videogen.promptHistory`). */
	promptHistory: (): boolean => config().get<boolean>('promptHistory') !== false,
	/** `videogen.player.loop`: the player's videos start again when they end. */
	playerLoop: (): boolean => config().get<boolean>('player.loop') === true,
	/** `videogen.player.autoplay`: the player starts the video, muted, as it opens. */
	playerAutoplay: (): boolean => config().get<boolean>('player.autoplay') !== false,
	openOnSuccess: (): OpenOnSuccess => config().get<OpenOnSuccess>('openOnSuccess') ?? 'notify',
	/** The largest video a download may save, in bytes: `videogen.maxDownloadMegabytes`, kept within the bounds package.json states. */
	maxDownloadBytes: (): number => boundedNumber('maxDownloadMegabytes') * 1024 * 1024,
	/**
	 * The folder for videos: the setting (`~` and a relative path taken from the home folder), or
	 * the extension's global storage. Throws, as a failed download, when the setting cannot be used.
	 */
	downloadFolder(context: vscode.ExtensionContext): string {
		const configured = config().get<unknown>('downloadFolder');
		const { folder, error } = checkDownloadFolder(typeof configured === 'string' ? configured : '', os.homedir());
		if (error) {
			throw new DownloadError('disk', error);
		}
		return folder ?? path.join(context.globalStorageUri.fsPath, 'videos');
	},
	/** The API origin, or the reason the base URL setting cannot be used. */
	apiOrigin: () => checkBaseUrl(settings.baseUrl()),
};

export async function setModel(model: string): Promise<void> {
	await config().update('model', model, vscode.ConfigurationTarget.Global);
}

/** Opens the Settings editor on VideoGen's settings. */
export function openSettings(setting = 'videogen'): Thenable<unknown> {
	return vscode.commands.executeCommand('workbench.action.openSettings', setting);
}
