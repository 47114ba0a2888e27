/** Typed access to the `videogen.*` settings. Read when used, never cached. */

import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { defaultModelId } from '../core/videoModels';
import { checkBaseUrl } from '../core/validation';

export type OpenOnSuccess = 'notify' | 'open' | 'none';

function config(): vscode.WorkspaceConfiguration {
	return vscode.workspace.getConfiguration('videogen');
}

export const settings = {
	baseUrl: (): string => config().get<string>('baseUrl') || 'https://api.umodelverse.ai',
	model: (): string => config().get<string>('model')?.trim() || defaultModelId,
	defaultSize: (): string => config().get<string>('defaultSize') || '720x1280',
	defaultDuration: (): number => config().get<number>('defaultDuration') || 4,
	pollIntervalMs: (): number => Math.max(1, Number(config().get<number>('pollIntervalSeconds')) || 5) * 1000,
	openOnSuccess: (): OpenOnSuccess => config().get<OpenOnSuccess>('openOnSuccess') ?? 'notify',
	/** The largest video a download may save, in bytes: `videogen.maxDownloadMegabytes`, kept within the bounds package.json states. */
	maxDownloadBytes: (): number => Math.min(65_536, Math.max(10, Number(config().get<number>('maxDownloadMegabytes')) || 2048)) * 1024 * 1024,
	/** The folder for videos: the setting (with `~` expanded), or the extension's global storage. */
	downloadFolder(context: vscode.ExtensionContext): string {
		const configured = config().get<string>('downloadFolder')?.trim();
		if (!configured) {
			return path.join(context.globalStorageUri.fsPath, 'videos');
		}
		const expanded = configured === '~' || configured.startsWith('~/') ? path.join(os.homedir(), configured.slice(1)) : configured;
		return path.resolve(expanded);
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
