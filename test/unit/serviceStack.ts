/**
 * The extension's task wiring without VS Code: the real TaskStore, Poller, DownloadQueue, Lease,
 * ApiClient and downloader, put together the way src/taskService.ts puts them together.
 *
 * What is replaced, and why: TaskService itself needs `vscode` (its settings, its storage folder,
 * its session id), which plain Node does not have. So its few lines of wiring are repeated here,
 * line for line: persist the task, then submit it once; a failed submit becomes `submitUnknown`
 * when it may have reached the service, else `submitFailed`; polling and downloading only while
 * the lease is held; every window re-reads the task list every interval while a task is unfinished.
 * Everything the wiring calls is the real code. Keep this file in step with TaskService.
 */

import * as crypto from 'crypto';
import * as path from 'path';
import type { Dispatcher } from 'undici';
import { ApiClient } from '../../src/core/apiClient';
import { downloadVideo } from '../../src/core/downloader';
import { DownloadQueue } from '../../src/core/downloadQueue';
import { ApiError } from '../../src/core/errors';
import { Lease } from '../../src/core/lease';
import { Poller } from '../../src/core/poller';
import { interruptedSubmitChange, isFinished, isValidTaskId, TaskRecord } from '../../src/core/task';
import { TaskStore } from '../../src/core/taskStore';

export const MODEL = 'openai/sora-2/text-to-video';

export interface StackOptions {
	readonly storeFile: string;
	readonly folder: string;
	readonly origin: string;
	readonly apiKey: string;
	readonly dispatcher: Dispatcher;
	readonly intervalMs: number;
	/** The API client's timeout (the extension uses the client's default, 30 s). */
	readonly timeoutMs?: number;
	/** How long a download may stay silent (the extension uses the downloader's default, 30 s). */
	readonly idleTimeoutMs?: number;
	/** The poller's longest back-off (the extension uses the poller's default, 5 min). */
	readonly maxBackoffMs?: number;
	/** Polling and downloads happen only while this stack holds the lease in this file (default: beside the store). */
	readonly leaseFile?: string;
	/** Who this stack is, in the lease (a window's session and process in the extension). */
	readonly owner?: string;
}

export interface SubmitOutcome {
	readonly task: TaskRecord;
	readonly error?: ApiError;
}

export class ServiceStack {
	readonly store: TaskStore;
	readonly poller: Poller;
	readonly downloads: DownloadQueue;
	readonly lease: Lease;
	/** Submit requests this stack handed to the API client. */
	submitsSent = 0;
	/** Status queries this stack made, per VideoGen task id, with the time each was asked. */
	readonly queries = new Map<string, number[]>();
	private reloadTimer: NodeJS.Timeout | undefined;
	private disposed = false;

	constructor(private readonly options: StackOptions) {
		this.store = new TaskStore({ file: options.storeFile });
		this.lease = new Lease(options.leaseFile ?? path.join(path.dirname(options.storeFile), 'poller.lease'), options.owner ?? `stack-${process.pid}-${crypto.randomUUID()}`);
		const canRun = () => this.holdLease();
		this.poller = new Poller({
			store: this.store,
			query: task => {
				const asked = this.queries.get(task.id) ?? [];
				asked.push(Date.now());
				this.queries.set(task.id, asked);
				return this.client().status(task.taskId!);
			},
			intervalMs: () => options.intervalMs,
			canPoll: canRun,
			maxBackoffMs: options.maxBackoffMs,
		});
		this.downloads = new DownloadQueue({
			store: this.store,
			folder: () => options.folder,
			download: download => downloadVideo({ ...download, dispatcher: options.dispatcher, idleTimeoutMs: options.idleTimeoutMs }),
			canDownload: canRun,
			// Automatic download retries wait milliseconds here instead of seconds.
			retryBackoff: { baseMs: 20, maxMs: 100 },
		});
	}

	/** TaskService.restore(): read the list, settle interrupted submits, restart downloads, poll. */
	async restore(): Promise<void> {
		await this.store.load();
		const now = Date.now();
		for (const task of this.store.all()) {
			const change = interruptedSubmitChange(task, now);
			if (change) {
				this.store.update(task.id, change);
			}
		}
		this.downloads.recover();
		this.poller.schedule();
		this.watchOtherWindows();
	}

	/** TaskService.submit(): on disk first, then one request, never a second one. */
	async submit(request: { prompt: string; size?: string; duration?: number; model?: string }): Promise<SubmitOutcome> {
		const model = request.model ?? MODEL;
		const now = Date.now();
		const task: TaskRecord = {
			id: crypto.randomUUID(),
			model,
			prompt: request.prompt,
			parameters: { size: request.size, duration: request.duration },
			apiOrigin: this.options.origin,
			phase: 'submitting',
			createdAt: now,
			updatedAt: now,
		};
		await this.store.add(task);
		try {
			this.submitsSent++;
			const { taskId } = await this.client().submit({ model, prompt: request.prompt, size: request.size, duration: request.duration });
			if (!isValidTaskId(taskId)) {
				throw new ApiError({ kind: 'badResponse', operation: 'submit', status: 200, model, detail: 'the task id has characters a task id never has' });
			}
			const accepted = this.store.update(task.id, { taskId, phase: 'pending', serviceStatus: 'Pending', submittedAt: Date.now() })!;
			await this.store.flush();
			return { task: accepted };
		} catch (error) {
			const apiError = ApiError.is(error) ? error : new ApiError({ kind: 'network', operation: 'submit', model, detail: String(error) });
			const failed = this.store.update(task.id, { phase: apiError.maybeSubmitted ? 'submitUnknown' : 'submitFailed', error: apiError.message }) ?? task;
			await this.store.flush().catch(() => undefined);
			return { task: failed, error: apiError };
		}
	}

	/** TaskService.refreshLinks(): fresh links for a succeeded task, then download again. */
	async refreshLinks(id: string): Promise<TaskRecord | undefined> {
		const before = this.store.get(id);
		const after = await this.poller.refreshTask(id);
		if (after?.urls?.length && (after.download?.phase === 'failed' || !after.download || JSON.stringify(after.urls) !== JSON.stringify(before?.urls))) {
			this.downloads.retry(id);
		}
		return this.store.get(id);
	}

	/** TaskService's shutdown(), less closing the dispatcher (the test owns it). */
	dispose(): void {
		this.disposed = true;
		if (this.reloadTimer) {
			clearTimeout(this.reloadTimer);
		}
		this.poller.dispose();
		this.downloads.dispose();
		void this.store.flush().catch(() => undefined).finally(() => this.store.dispose());
		this.lease.release();
	}

	private client(): ApiClient {
		return new ApiClient({ origin: this.options.origin, apiKey: this.options.apiKey, dispatcher: this.options.dispatcher, timeoutMs: this.options.timeoutMs });
	}

	/** TaskService.holdLease(). */
	private holdLease(): boolean {
		return this.lease.tryAcquire(Math.max(15_000, this.options.intervalMs * 3));
	}

	/** TaskService.watchOtherWindows(). */
	private watchOtherWindows(): void {
		const tick = () => {
			this.reloadTimer = undefined;
			if (this.disposed || !this.store.all().some(task => !isFinished(task))) {
				return;
			}
			this.store.reload().catch(() => undefined);
			if (!this.lease.isHeld) {
				this.downloads.kick();
			}
			this.reloadTimer = setTimeout(tick, this.options.intervalMs);
		};
		this.store.onDidChange(() => {
			if (!this.reloadTimer && !this.disposed) {
				this.reloadTimer = setTimeout(tick, this.options.intervalMs);
			}
		});
		tick();
	}
}
