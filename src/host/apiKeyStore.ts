/**
 * The API key lives in VS Code's SecretStorage and nowhere else: not in settings, state, logs or
 * messages. If SecretStorage is unavailable (Linux without a keyring), the user is told so and the
 * key is not written anywhere in plain text instead.
 */

import * as vscode from 'vscode';
import { Disposable } from './dispose';
import { Logger } from '../core/log';

const secretKey = 'videogen.apiKey';
const contextKey = 'videogen.hasApiKey';

export class ApiKeyStore extends Disposable {
	private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
	/** The key was set, replaced or cleared (in this window or another). */
	readonly onDidChange = this._onDidChange.event;

	constructor(private readonly secrets: vscode.SecretStorage, private readonly log: Logger) {
		super();
		this._register(secrets.onDidChange(e => {
			if (e.key === secretKey) {
				void this.updateContext();
				this._onDidChange.fire();
			}
		}));
		void this.updateContext();
	}

	/** The stored key, or `undefined`. Never throws: a broken keyring is reported once and treated as no key. */
	async get(): Promise<string | undefined> {
		try {
			return (await this.secrets.get(secretKey)) || undefined;
		} catch (error) {
			this.reportBrokenKeyring(error);
			return undefined;
		}
	}

	/** The stored key, or asks for one. `undefined` when the user cancels. */
	async getOrAsk(): Promise<string | undefined> {
		return (await this.get()) ?? this.ask();
	}

	/** Asks for a key in a password box and stores it. Returns it, or `undefined` on cancel or failure. */
	async ask(): Promise<string | undefined> {
		const value = await vscode.window.showInputBox({
			title: 'VideoGen: Set API Key',
			prompt: 'Your UModelverse API key. It is kept in VS Code\'s secret storage and sent only to the API host in videogen.baseUrl.',
			placeHolder: 'Paste your API key',
			password: true,
			ignoreFocusOut: true,
			validateInput: text => {
				if (!text.trim()) {
					return 'The API key cannot be empty.';
				}
				return /\s/.test(text.trim()) ? 'An API key has no spaces in it; check what was pasted.' : undefined;
			},
		});
		const key = value?.trim();
		if (!key) {
			return undefined;
		}
		try {
			await this.secrets.store(secretKey, key);
		} catch (error) {
			this.reportBrokenKeyring(error);
			return undefined;
		}
		this.log.info('[apiKey] an API key was stored');
		await this.updateContext();
		this._onDidChange.fire();
		return key;
	}

	async clear(): Promise<void> {
		try {
			await this.secrets.delete(secretKey);
		} catch (error) {
			this.reportBrokenKeyring(error);
			return;
		}
		this.log.info('[apiKey] the API key was removed');
		await this.updateContext();
		this._onDidChange.fire();
	}

	private async updateContext(): Promise<void> {
		const has = !!(await this.get());
		await vscode.commands.executeCommand('setContext', contextKey, has);
	}

	private reportBrokenKeyring(error: unknown): void {
		// The error text of a keyring failure does not contain the key; log its kind only.
		this.log.error(`[apiKey] secret storage failed: ${error instanceof Error ? error.name : 'error'}`);
		void vscode.window.showErrorMessage(
			'VideoGen could not use VS Code\'s secret storage, so the API key cannot be kept. On Linux this usually means no keyring (such as GNOME Keyring or KWallet) is running: start one, then run "VideoGen: Set API Key" again. The key was not saved anywhere else.',
		);
	}
}
