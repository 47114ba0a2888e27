/**
 * The task engine (src/core/taskEngine.ts) as the extension runs it, behind the narrow surface the
 * user interface needs: the task list to read, the events it shows, and the few operations its
 * commands make. The engine gets VS Code's settings (VideoGen's, and the proxy's), its storage
 * folder, the key from SecretStorage, and the HTTP stack, loaded on the first request.
 */

import * as vscode from 'vscode';
import type { ApiError, DownloadError } from '../core/errors';
import type { Event } from '../core/event';
import type { KeyCheck } from '../core/keyCheck';
import { Logger } from '../core/log';
import type { TaskRecord } from '../core/task';
import { GenerateRequest, TaskEngine } from '../core/taskEngine';
import type { SaveFailure, TaskList } from '../core/taskStore';
import { ApiKeyStore } from './apiKeyStore';
import { loadHttpStack } from './httpStackLoader';
import { readProxySettings } from './proxySettings';
import { settings } from './settings';

export type { GenerateRequest } from '../core/taskEngine';

export class TaskService implements vscode.Disposable {
	private readonly engine: TaskEngine;
	private readonly subscriptions: vscode.Disposable[] = [];

	/** Every task, to read; changes go through the operations below. */
	readonly tasks: TaskList;
	/** A poll round changed these tasks (VideoGen's own ids). */
	readonly onDidPoll: Event<readonly string[]>;
	/** A task reached a final state on the service. */
	readonly onDidFinish: Event<TaskRecord>;
	/** Every video of a task is on disk. */
	readonly onDidSaveVideo: Event<TaskRecord>;
	/** A download failed for good (after its automatic retries and one refresh of an expired link). */
	readonly onDidFailDownload: Event<{ task: TaskRecord; error: DownloadError }>;
	/** The service refused the key or the model while polling; polling waits for the user. */
	readonly onDidRejectPolling: Event<ApiError>;
	/** Saving the task list started to fail (with the reason), or works again (`undefined`). */
	readonly onDidChangeSaveState: Event<SaveFailure | undefined>;

	constructor(private readonly context: vscode.ExtensionContext, apiKey: ApiKeyStore, log: Logger) {
		this.engine = new TaskEngine({
			storageFolder: context.globalStorageUri.fsPath,
			owner: `${vscode.env.sessionId}-${process.pid}`,
			folder: () => settings.downloadFolder(context),
			intervalMs: settings.pollIntervalMs,
			maxDownloadBytes: settings.maxDownloadBytes,
			apiKey: origin => apiKey.get(origin),
			httpStack: loadHttpStack,
			proxySettings: readProxySettings,
			newId: randomUUID,
			log,
		});
		this.tasks = this.engine.store;
		this.onDidPoll = this.engine.poller.onDidPoll;
		this.onDidFinish = this.engine.poller.onDidFinish;
		this.onDidSaveVideo = this.engine.downloads.onDidSave;
		this.onDidFailDownload = this.engine.downloads.onDidFail;
		this.onDidRejectPolling = this.engine.poller.onDidReject;
		this.onDidChangeSaveState = this.engine.store.onDidChangeSaveState;
		this.subscriptions.push(
			apiKey.onDidChange(origin => this.engine.poller.resume(origin)),
			vscode.workspace.onDidChangeConfiguration(e => {
				if (e.affectsConfiguration('videogen.pollIntervalSeconds')) {
					this.engine.poller.schedule();
				}
			}),
		);
	}

	/** Poll rounds and status queries made so far by this window (for the benchmark). */
	get pollStats(): { readonly rounds: number; readonly queries: number } {
		return this.engine.poller.stats;
	}

	/** Reads the task list and picks up where the last session stopped. Makes no request itself. */
	restore(): Promise<void> {
		return this.engine.restore();
	}

	submit(request: GenerateRequest, key: string, origin: string, options?: { retryOf?: string }): ReturnType<TaskEngine['submit']> {
		return this.engine.submit(request, key, origin, options);
	}

	track(taskId: string, origin: string, model: string, attachTo?: string, name?: string): Promise<TaskRecord> {
		return this.engine.track(taskId, origin, model, attachTo, name);
	}

	/** Whether the service at `origin` takes `key`, asked without creating a task (see core/keyCheck.ts). */
	checkKey(key: string, origin: string): Promise<KeyCheck> {
		return this.engine.checkKey(key, origin);
	}

	refresh(): Promise<void> {
		return this.engine.refresh();
	}

	retryDownload(id: string): Promise<void> {
		return this.engine.retryDownload(id);
	}

	remove(ids: readonly string[]): Promise<void> {
		return this.engine.remove(ids);
	}

	/** Forgets the tasks that ended with a video, except those `keep` spares; returns the ids removed. */
	clearFinished(keep?: (task: TaskRecord) => boolean): Promise<string[]> {
		return this.engine.clearFinished(keep);
	}

	/** Forgets the tasks that failed, except those `keep` spares; returns the ids removed. */
	clearFailed(keep?: (task: TaskRecord) => boolean): Promise<string[]> {
		return this.engine.clearFailed(keep);
	}

	/** The folder videos are saved in now (the videogen.downloadFolder setting, or the extension's storage). Throws when the setting cannot be used. */
	videosFolder(): string {
		return settings.downloadFolder(this.context);
	}

	/** The folder videos are saved in now, or `undefined` when the videogen.downloadFolder setting cannot be used. */
	videosFolderIfValid(): string | undefined {
		try {
			return this.videosFolder();
		} catch {
			return undefined;
		}
	}

	/** Resolves once `dispose()` has written the last change to the task list. */
	get closed(): Promise<void> {
		return this.engine.closed;
	}

	dispose(): void {
		try {
			this.subscriptions.forEach(s => s.dispose());
		} finally {
			this.engine.dispose(); // which writes the list's last change, whatever happened above
		}
	}
}

/** Node's `crypto` is loaded when the first task is made: loading it at activation took ~3 ms. */
function randomUUID(): string {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return (require('crypto') as typeof import('crypto')).randomUUID();
}
