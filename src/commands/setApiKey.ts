/**
 * Set API Key: asks for the key of an API host in a password box that names the host, and keeps it
 * in SecretStorage. Called from the palette (the host in videogen.baseUrl), from a task that waits
 * for its host's key (that host), or from a message about a host's key (that host).
 */

import * as vscode from 'vscode';
import { checkBaseUrl, hostOf } from '../core/validation';
import { CommandContext } from './context';

export async function setApiKey({ apiKey }: CommandContext, argument?: unknown) {
	const origin = originArgument(argument);
	const key = await apiKey.ask(origin);
	if (key) {
		vscode.window.setStatusBarMessage(`$(key) ${origin
			? vscode.l10n.t('VideoGen: API key for {0} saved in secret storage', hostOf(origin))
			: vscode.l10n.t('VideoGen: API key saved in secret storage')}`, 4000);
	}
	return !!key;
}

/**
 * The API origin a key command is called for: a task's (a tree item, `{ task }`), or an origin
 * given as text (a message's button, a script). `undefined` means the configured host.
 */
export function originArgument(argument: unknown): string | undefined {
	if (typeof argument === 'string') {
		return checkBaseUrl(argument).origin;
	}
	if (argument && typeof argument === 'object' && 'task' in argument) {
		const origin = (argument as { task?: { apiOrigin?: unknown } }).task?.apiOrigin;
		return typeof origin === 'string' ? checkBaseUrl(origin).origin : undefined;
	}
	return undefined;
}
