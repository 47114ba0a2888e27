/**
 * The password box that asks for an API key: Set API Key, and a Generate Video that finds no key for
 * its host. Apart from the key store (apiKeyStore.ts) because only those commands ask, and they load
 * later than activation.
 */

import * as vscode from 'vscode';
import { hostOf } from '../core/validation';
import type { ApiKeyStore } from './apiKeyStore';

/** What becomes of a key typed into Set API Key once it was checked: stored, asked for again, or dropped for the one stored before. */
export type KeyVerdict = 'store' | 'askAgain' | 'keepOld';

/**
 * Asks for the key of an API origin (the configured one when none is given) in a password box
 * that names its host, and stores it. `check`, when given, decides about each key typed before it
 * is stored: store it, ask again, or keep what was stored before. Returns the key stored, or
 * `undefined` on cancel, when the old key is kept, or on failure.
 */
export async function askApiKey(keys: ApiKeyStore, origin?: string, check?: (key: string, origin: string) => Promise<KeyVerdict>): Promise<string | undefined> {
	const target = origin ?? await keys.configuredOrigin();
	if (!target) {
		return undefined;
	}
	const host = hostOf(target);
	for (;;) {
		const value = await vscode.window.showInputBox({
			title: vscode.l10n.t('VideoGen: Set API Key for {0}', host),
			prompt: vscode.l10n.t('Your UModelverse API key for {0}. It is kept in VS Code\'s secret storage and sent to {1} only.', target, host),
			placeHolder: vscode.l10n.t('Paste your API key'),
			password: true,
			ignoreFocusOut: true,
			validateInput: text => {
				if (!text.trim()) {
					return vscode.l10n.t('The API key cannot be empty.');
				}
				return /\s/.test(text.trim()) ? vscode.l10n.t('An API key has no spaces in it; check what was pasted.') : undefined;
			},
		});
		const key = value?.trim();
		if (!key) {
			return undefined;
		}
		const verdict = check ? await check(key, target) : 'store';
		if (verdict === 'keepOld') {
			return undefined;
		}
		if (verdict === 'store') {
			return await keys.store(target, key) ? key : undefined;
		}
	}
}

/** The key stored for an API origin, or asks for one. `undefined` when the user cancels. */
export async function keyOrAsk(keys: ApiKeyStore, origin: string): Promise<string | undefined> {
	return (await keys.get(origin)) ?? askApiKey(keys, origin);
}
