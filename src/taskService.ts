/**
 * Ties the core together for the extension: the task store, the poller, the download queue and
 * the lease that lets one window do the polling. Submitting lives here too, because its order
 * matters: the task is on disk before the request leaves, and a submit that may have reached the
 * service is never sent again.
 */

import * as path from 'path';
import * as vscode from 'vscode';
import type { Dispatcher } from 'undici';
import { ApiKeyStore } from './apiKey';
import type { ApiClient } from './core/apiClient';
import { DownloadQueue } from './core/downloadQueue';
import { ApiError } from './core/errors';
import { Lease } from './core/lease';
import { Logger, scoped } from './core/log';
import { Poller } from './core/poller';
import { interruptedSubmitChange, isFinished, isUnfinished, isValidTaskId, TaskRecord } from './core/task';
import { TaskStore } from './core/taskStore';
import { Disposable } from './dispose';
import { loadNet } from './netLoader';
import { settings } from './settings';

export interface GenerateRequest {
	readonly prompt: string;
	readonly model: string;
	readonly size?: string;
	readonly duration?: number;
}

export class TaskService extends Disposable {
	readonly store: TaskStore;
	readonly poller: Poller;
	readonly downloads: DownloadQueue;
	private readonly lease: Lease;
	private readonly log: Logger;
	private dispatcher: Dispatcher | undefined;
	private reloadTimer: NodeJS.Timeout | undefined;
	/** Submits this window has on their way: only another window's can be left behind by a crash. */
	private readonly inFlight = new Set<string>();

	constructor(context: vscode.ExtensionContext, private readonly apiKey: ApiKeyStore, log: Logger) {
		super();
		this.log = scoped(log, 'tasks');
		const storage = context.globalStorageUri.fsPath;
		this.store = new TaskStore({ file: path.join(storage, 'tasks.json'), log: this.log });
		this.lease = new Lease(path.join(storage, 'poller.lease'), `${vscode.env.sessionId}-${process.pid}`);
		this.poller = new Poller({
			store: this.store,
			query: task => this.query(task),
			intervalMs: settings.pollIntervalMs,
			canPoll: () => this.holdLease(),
			log: scoped(log, 'poller'),
		});
		this.downloads = new DownloadQueue({
			store: this.store,
			folder: () => settings.downloadFolder(context),
			download: options => loadNet().downloadVideo({ ...options, dispatcher: this.getDispatcher() }),
			canDownload: () => this.holdLease(),
			log: scoped(log, 'download'),
		});
		this._register({ dispose: () => this.shutdown() });
		this._register(apiKey.onDidChange(() => this.poller.resume()));
	}

	/** Reads the task list and picks up where the last session stopped. Makes no request itself. */
	async restore(): Promise<void> {
		await this.store.load();
		this.settleInterruptedSubmits();
		this.downloads.recover();
		this.poller.schedule();
		this.watchOtherWindows();
	}

	/**
	 * Saves the task, then submits it once. Resolves with the saved record in its new phase and,
	 * when the service did not accept it, the reason (also recorded on the task). Rejects only when
	 * the task could not be saved, in which case nothing was sent.
	 */
	async submit(request: GenerateRequest, apiKey: string, origin: string): Promise<{ task: TaskRecord; error?: ApiError }> {
		const now = Date.now();
		const task: TaskRecord = {
			id: randomUUID(),
			model: request.model,
			prompt: request.prompt,
			parameters: { size: request.size, duration: request.duration },
			apiOrigin: origin,
			phase: 'submitting',
			createdAt: now,
			updatedAt: now,
		};
		await this.store.add(task);
		this.inFlight.add(task.id);
		try {
			const { taskId } = await this.client(apiKey, origin).submit(request);
			if (!isValidTaskId(taskId)) {
				throw new ApiError({ kind: 'badResponse', operation: 'submit', status: 200, model: request.model, detail: 'the task id has characters a task id never has' });
			}
			const accepted = this.store.update(task.id, { taskId, phase: 'pending', serviceStatus: 'Pending', submittedAt: Date.now() })!;
			await this.store.flush();
			this.log.info(`submitted task ${taskId} (${request.model})`);
			return { task: accepted };
		} catch (error) {
			const apiError = ApiError.is(error) ? error : new ApiError({ kind: 'network', operation: 'submit', model: request.model, detail: String(error) });
			const failed = this.store.update(task.id, { phase: apiError.maybeSubmitted ? 'submitUnknown' : 'submitFailed', error: apiError.message }) ?? task;
			await this.store.flush().catch(() => undefined);
			return { task: failed, error: apiError };
		} finally {
			this.inFlight.delete(task.id);
		}
	}

	/**
	 * A task still `submitting` long after its submit must have ended was left by a window that
	 * closed or crashed mid-submit: it becomes "submit outcome unknown". Checked at start and on
	 * every re-read of the list, so one left by another window settles without a restart.
	 */
	private settleInterruptedSubmits(): void {
		const now = Date.now();
		for (const task of this.store.all()) {
			const change = this.inFlight.has(task.id) ? undefined : interruptedSubmitChange(task, now);
			if (change) {
				this.store.update(task.id, change);
			}
		}
	}

	/** Starts tracking a task that was submitted elsewhere, or attaches an id to a task whose submit outcome is unknown. */
	async track(taskId: string, origin: string, attachTo?: string): Promise<TaskRecord> {
		const existing = this.store.findByTaskId(taskId);
		if (existing) {
			this.poller.pollNow([existing.id]);
			return existing;
		}
		const now = Date.now();
		const target = attachTo ? this.store.get(attachTo) : undefined;
		if (target) {
			const attached = this.store.update(target.id, { taskId, phase: 'pending', serviceStatus: undefined, error: undefined, submittedAt: target.createdAt })!;
			await this.store.flush();
			this.poller.pollNow([target.id]);
			return attached;
		}
		const task: TaskRecord = {
			id: randomUUID(),
			taskId,
			model: settings.model(),
			prompt: '',
			parameters: {},
			apiOrigin: origin,
			phase: 'pending',
			createdAt: now,
			submittedAt: now,
			updatedAt: now,
		};
		await this.store.add(task);
		this.poller.pollNow([task.id]);
		return task;
	}

	/** Asks about every unfinished task now, and re-asks finished ones that are missing their video. */
	async refresh(): Promise<void> {
		await this.store.reload();
		this.poller.pollNow();
		const stale = this.store.all().filter(task => task.phase === 'succeeded' && (!task.urls?.length || task.download?.linkExpired));
		for (const task of stale) {
			await this.refreshLinks(task.id);
		}
	}

	/** Gets fresh links for a succeeded task and downloads again. */
	async refreshLinks(id: string): Promise<TaskRecord | undefined> {
		const before = this.store.get(id);
		const after = await this.poller.refreshTask(id);
		if (after?.urls?.length && (after.download?.phase === 'failed' || !after.download || JSON.stringify(after.urls) !== JSON.stringify(before?.urls))) {
			this.downloads.retry(id);
		}
		return this.store.get(id);
	}

	async remove(ids: readonly string[]): Promise<void> {
		ids.forEach(id => this.downloads.cancel(id));
		await this.store.remove(ids);
	}

	async clearFinished(): Promise<number> {
		const finished = this.store.all().filter(isFinished).map(task => task.id);
		await this.remove(finished);
		return finished.length;
	}

	private async query(task: TaskRecord) {
		const apiKey = await this.apiKey.get();
		if (!apiKey) {
			throw new ApiError({ kind: 'unauthorized', operation: 'status', detail: 'no API key is set' });
		}
		return this.client(apiKey, task.apiOrigin).status(task.taskId!);
	}

	private client(apiKey: string, origin: string): ApiClient {
		const { ApiClient } = loadNet();
		return new ApiClient({ origin, apiKey, dispatcher: this.getDispatcher(), log: scoped(this.log, 'http') });
	}

	private getDispatcher(): Dispatcher {
		return this.dispatcher ??= loadNet().createDispatcher();
	}

	/** True when this window holds (or just took) the polling lease. */
	private holdLease(): boolean {
		return this.lease.tryAcquire(Math.max(15_000, settings.pollIntervalMs() * 3));
	}

	/**
	 * Every window reads the task list the others write: one that is not polling keeps its tree
	 * current and takes over when the polling window goes away; the polling one learns of tasks
	 * submitted in other windows (its own writes, which also merge, stop while nothing changes).
	 */
	private watchOtherWindows(): void {
		const tick = () => {
			this.reloadTimer = undefined;
			if (this.isDisposed || !this.store.all().some(isUnfinished)) {
				return;
			}
			this.store.reload().then(() => this.settleInterruptedSubmits(), error => this.log.warn(`could not read the task list: ${String(error)}`));
			if (!this.lease.isHeld) {
				this.downloads.kick();
			}
			this.reloadTimer = setTimeout(tick, settings.pollIntervalMs());
		};
		this._register(this.store.onDidChange(() => {
			if (!this.reloadTimer && !this.isDisposed) {
				this.reloadTimer = setTimeout(tick, settings.pollIntervalMs());
			}
		}));
		tick();
	}

	private shutdown(): void {
		if (this.reloadTimer) {
			clearTimeout(this.reloadTimer);
		}
		this.poller.dispose();
		this.downloads.dispose();
		void this.store.flush().catch(() => undefined).finally(() => this.store.dispose());
		this.lease.release();
		void this.dispatcher?.close();
	}
}

/** Node's `crypto` is loaded when the first task is made: loading it at activation took ~3 ms. */
function randomUUID(): string {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return (require('crypto') as typeof import('crypto')).randomUUID();
}
