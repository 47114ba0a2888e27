/**
 * The API keys live in VS Code's SecretStorage and nowhere else: not in settings, state, logs or
 * messages. If SecretStorage is unavailable (Linux without a keyring), the user is told so and the
 * key is not written anywhere in plain text instead.
 *
 * A key belongs to the API host it was set for, and is stored under that host's origin: after
 * `videogen.baseUrl` changes, the tasks still unfinished on the old host are asked about with the
 * old host's key, and the new host's key never travels to the old host, nor the other way round.
 */

import * as vscode from 'vscode';
import { Logger } from '../core/log';
import { hostOf } from '../core/validation';
import { Disposable } from './dispose';
import { openSettings, settings } from './settings';

/** The one key of version 0.1.0, for whichever host was configured then. */
const legacySecret = 'videogen.apiKey';
/** `videogen.apiKey:<origin>`: the key of one API origin. */
const secretPrefix = `${legacySecret}:`;
/** True when the configured API host has a key (drives the welcome view). */
const contextKey = 'videogen.hasApiKey';

export class ApiKeyStore extends Disposable {
	private readonly _onDidChange = this._register(new vscode.EventEmitter<string>());
	/** The key of this API origin was set, replaced or cleared (in this window or another). */
	readonly onDidChange = this._onDidChange.event;
	private migration: Promise<void> | undefined;

	constructor(private readonly secrets: vscode.SecretStorage, private readonly log: Logger) {
		super();
		this._register(secrets.onDidChange(e => {
			if (e.key.startsWith(secretPrefix)) {
				void this.updateContext();
				this._onDidChange.fire(e.key.slice(secretPrefix.length));
			}
		}));
		this._register(vscode.workspace.onDidChangeConfiguration(e => {
			if (e.affectsConfiguration('videogen.baseUrl')) {
				void this.updateContext();
			}
		}));
		void this.updateContext();
	}

	/** The key stored for an API origin, or `undefined`. Never throws: a broken keyring is reported once and treated as no key. */
	async get(origin: string): Promise<string | undefined> {
		await this.migrated();
		try {
			return (await this.secrets.get(secretPrefix + origin)) || undefined;
		} catch (error) {
			this.reportBrokenKeyring(error);
			return undefined;
		}
	}

	/**
	 * Stores the key of an API origin. Returns false when the keyring failed (the user was told).
	 * Asking for a key is src/host/askApiKey.ts, loaded with the commands that ask.
	 */
	async store(origin: string, key: string): Promise<boolean> {
		await this.migrated(); // or the old key, moved later, would replace this one
		try {
			await this.secrets.store(secretPrefix + origin, key);
		} catch (error) {
			this.reportBrokenKeyring(error);
			return false;
		}
		this.log.info(`[apiKey] an API key was stored for ${hostOf(origin)}`);
		await this.updateContext();
		this._onDidChange.fire(origin);
		return true;
	}

	/** Removes the key of an API origin (the configured one when none is given). Returns the origin, or `undefined` when nothing was removed. */
	async clear(origin?: string): Promise<string | undefined> {
		const target = origin ?? await this.configuredOrigin();
		if (!target) {
			return undefined;
		}
		await this.migrated();
		try {
			await this.secrets.delete(secretPrefix + target);
		} catch (error) {
			this.reportBrokenKeyring(error);
			return undefined;
		}
		this.log.info(`[apiKey] the API key for ${hostOf(target)} was removed`);
		await this.updateContext();
		this._onDidChange.fire(target);
		return target;
	}

	/** The configured API origin; when the base URL setting cannot be used, says so and returns `undefined`. */
	async configuredOrigin(): Promise<string | undefined> {
		const base = settings.apiOrigin();
		if (!base.origin) {
			if (await vscode.window.showErrorMessage(base.error!, vscode.l10n.t('Open Settings'))) {
				void openSettings('videogen.baseUrl');
			}
		}
		return base.origin;
	}

	private migrated(): Promise<void> {
		return this.migration ??= this.migrate();
	}

	/**
	 * Version 0.1.0 kept a single key, for the host configured then (the default one unless
	 * `videogen.baseUrl` said otherwise). It becomes that host's key, once, and is never sent to
	 * any other host. While the base URL cannot be used it stays where it is, unused.
	 */
	private async migrate(): Promise<void> {
		let key: string | undefined;
		try {
			key = await this.secrets.get(legacySecret);
		} catch {
			this.migration = undefined; // a broken keyring is reported by the read that follows
			return;
		}
		const origin = settings.apiOrigin().origin;
		if (!key) {
			return;
		}
		if (!origin) {
			this.log.warn('[apiKey] the API key of version 0.1.0 waits for a valid videogen.baseUrl to say which host it belongs to');
			this.migration = undefined;
			return;
		}
		try {
			await this.secrets.store(secretPrefix + origin, key);
			await this.secrets.delete(legacySecret);
		} catch (error) {
			this.reportBrokenKeyring(error);
			this.migration = undefined;
			return;
		}
		this.log.info(`[apiKey] the API key of version 0.1.0 is now the key for ${hostOf(origin)}, the host it was set for`);
	}

	private async updateContext(): Promise<void> {
		const origin = settings.apiOrigin().origin;
		const has = !!origin && !!(await this.get(origin));
		await vscode.commands.executeCommand('setContext', contextKey, has);
	}

	private reportBrokenKeyring(error: unknown): void {
		// The error text of a keyring failure does not contain the key; log its kind only.
		this.log.error(`[apiKey] secret storage failed: ${error instanceof Error ? error.name : 'error'}`);
		void vscode.window.showErrorMessage(
			vscode.l10n.t('VideoGen could not use VS Code\'s secret storage, so the API key cannot be kept. On Linux this usually means no keyring (such as GNOME Keyring or KWallet) is running: start one, then run "VideoGen: Set API Key" again. The key was not saved anywhere else.'),
		);
	}
}
