/**
 * The task engine (src/core/taskEngine.ts) as the extension runs it: its settings, its storage
 * folder, the key from SecretStorage, and the HTTP stack, loaded on the first request.
 */

import * as path from 'path';
import * as vscode from 'vscode';
import type { Dispatcher } from 'undici';
import { ApiKeyStore } from './apiKeyStore';
import { Logger, scoped } from '../core/log';
import { TaskEngine } from '../core/taskEngine';
import { loadHttpStack } from './httpStackLoader';
import { settings } from './settings';

export type { GenerateRequest } from '../core/taskEngine';

export class TaskService extends TaskEngine implements vscode.Disposable {
	private dispatcher: Dispatcher | undefined;
	private readonly keyListener: vscode.Disposable;

	constructor(context: vscode.ExtensionContext, apiKey: ApiKeyStore, log: Logger) {
		const storage = context.globalStorageUri.fsPath;
		const http = scoped(log, 'http');
		super({
			storeFile: path.join(storage, 'tasks.json'),
			leaseFile: path.join(storage, 'poller.lease'),
			owner: `${vscode.env.sessionId}-${process.pid}`,
			folder: () => settings.downloadFolder(context),
			intervalMs: settings.pollIntervalMs,
			apiKey: () => apiKey.get(),
			api: (key, origin) => new (loadHttpStack().ApiClient)({ origin, apiKey: key, dispatcher: this.getDispatcher(), log: http }),
			download: options => loadHttpStack().downloadVideo(options),
			newId: randomUUID,
			log,
		});
		this.keyListener = apiKey.onDidChange(() => this.poller.resume());
	}

	override dispose(): void {
		this.keyListener.dispose();
		super.dispose();
		void this.dispatcher?.close();
	}

	/** One keep-alive pool for the whole window, made on the first request. */
	private getDispatcher(): Dispatcher {
		return this.dispatcher ??= loadHttpStack().createDispatcher();
	}
}

/** Node's `crypto` is loaded when the first task is made: loading it at activation took ~3 ms. */
function randomUUID(): string {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return (require('crypto') as typeof import('crypto')).randomUUID();
}
