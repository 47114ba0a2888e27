/**
 * Set API Key: asks for the key of an API host in a password box that names the host, checks it
 * with that host, and keeps it in SecretStorage. Called from the palette (the host in
 * videogen.baseUrl), from a task that waits for its host's key (that host), or from a message
 * about a host's key (that host).
 *
 * The check is a status query for a task id that cannot exist (core/keyCheck.ts), so it is never
 * billed. A key the host rejects (401) is not stored unless the user says so: the box opens again,
 * or the key stored before stays. A key that could not be checked (no connection, a timeout, a
 * server error) is stored, and the message says why it was not checked: the user may be offline
 * now and right about the key.
 */

import * as vscode from 'vscode';
import type { KeyCheck } from '../core/keyCheck';
import { checkBaseUrl, hostOf } from '../core/validation';
import { askApiKey, KeyVerdict } from '../host/askApiKey';
import { CommandContext } from './context';

export async function setApiKey({ apiKey, service }: CommandContext, argument?: unknown) {
	const origin = originArgument(argument);
	let checked: KeyCheck | undefined;
	let checkedHost = '';
	const key = await askApiKey(apiKey, origin, async (candidate, target) => {
		checkedHost = hostOf(target);
		checked = await vscode.window.withProgress(
			{ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('VideoGen: Checking the API key with {0}…', hostOf(target)) },
			() => service.checkKey(candidate, target),
		);
		return checked.outcome === 'rejected' ? askAboutRejectedKey(checked, target, !!(await apiKey.get(target))) : 'store';
	});
	if (key && checked) {
		tellOutcome(checked, checkedHost);
	}
	return !!key;
}

/** The host said the key is wrong: type it again, store it anyway, or keep what was stored (Cancel). */
async function askAboutRejectedKey(checked: Extract<KeyCheck, { outcome: 'rejected' }>, origin: string, hasOldKey: boolean): Promise<KeyVerdict> {
	const host = hostOf(origin);
	const again = vscode.l10n.t('Enter Again');
	const anyway = vscode.l10n.t('Store Anyway');
	const message = hasOldKey
		? vscode.l10n.t('{0} rejected this API key (HTTP {1}): it is not a valid key there. The key stored before stays in use.', host, checked.status)
		: vscode.l10n.t('{0} rejected this API key (HTTP {1}): it is not a valid key there. Nothing was stored.', host, checked.status);
	const detail = checked.serviceMessage ? vscode.l10n.t('The service said: {0}', checked.serviceMessage) : undefined;
	const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, again, anyway);
	return choice === again ? 'askAgain' : choice === anyway ? 'store' : 'keepOld';
}

/** Says what the check found about the key just stored. */
function tellOutcome(checked: KeyCheck, host: string): void {
	switch (checked.outcome) {
		case 'accepted':
			vscode.window.setStatusBarMessage(`$(key) ${vscode.l10n.t('VideoGen: {0} accepted the API key; it is saved in secret storage', host)}`, 6000);
			return;
		case 'rejected':
			void vscode.window.showWarningMessage(vscode.l10n.t('VideoGen: The API key for {0} was stored as you asked, although {0} rejected it (HTTP {1}).', host, checked.status));
			return;
		case 'limited':
			void vscode.window.showWarningMessage(vscode.l10n.t('VideoGen: The API key for {0} was stored. {0} knows it but refused a status query with it (HTTP {1}): {2}', host, checked.status, checked.reason));
			return;
		case 'unverified': {
			const showLog = vscode.l10n.t('Show Log');
			void vscode.window.showWarningMessage(vscode.l10n.t('VideoGen: The API key for {0} was stored, but it could not be checked: {1}', host, checked.reason), showLog).then(choice => {
				if (choice) {
					void vscode.commands.executeCommand('videogen.showLog');
				}
			});
			return;
		}
	}
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
