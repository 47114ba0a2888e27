/**
 * Saves the videos of succeeded tasks, a couple at a time, as soon as the store shows them.
 * A download cut short by a crash is started again from the beginning on the next start.
 */

import * as fs from 'fs';
import * as path from 'path';
import { backoffDelay, BackoffOptions } from './backoff';
import { DownloadError } from './errors';
import { Emitter, Event } from './event';
import { Logger, silentLogger } from './log';
import { needsDownload, TaskRecord } from './task';
import { TaskStore } from './taskStore';
import type * as VideoFiles from './videoFiles';
import type { DownloadOptions, DownloadResult } from './net/downloader';
import { l10n } from './l10n';

export interface DownloadQueueOptions {
	readonly store: TaskStore;
	/** The folder videos go to, read when each download starts. */
	readonly folder: () => string;
	/** Saves one URL (the downloader). */
	readonly download: (options: DownloadOptions) => Promise<DownloadResult>;
	/**
	 * How a task's files are named (./videoFiles.ts), asked for when a download starts: the
	 * extension gets it with the HTTP stack, which every download loads anyway, so that a window
	 * with nothing to download never loads it.
	 */
	readonly fileNames: () => Pick<typeof VideoFiles, 'videoFiles' | 'fileNameKey'>;
	readonly log?: Logger;
	readonly concurrency?: number;
	/**
	 * Asks the service for fresh links of a task. A download whose link expired is handed to it
	 * once per task before the failure is reported.
	 */
	readonly refreshLinks?: (id: string) => Promise<unknown>;
	/** Downloads wait while this says no (another window is doing them). */
	readonly canDownload?: () => boolean;
	/** Timing of the automatic retries (tests shorten it). */
	readonly retryBackoff?: BackoffOptions;
	/** For the jitter of automatic retries. */
	readonly random?: () => number;
}

/** A download that fails in a way that may pass (a broken connection, a 5xx) is tried this many times in all. */
const maxAttempts = 3;
const defaultRetryBackoff: BackoffOptions = { baseMs: 2_000, maxMs: 30_000 };

export class DownloadQueue {
	/** The downloads this queue runs now, by task, to cancel them. */
	private readonly running = new Map<string, AbortController>();
	/** The files the running downloads write, by task: no other task may be given their names. */
	private readonly writing = new Map<string, readonly string[]>();
	/** Automatic tries so far of a download that keeps failing in a way that may pass. */
	private readonly attempts = new Map<string, number>();
	private readonly retryTimers = new Map<string, NodeJS.Timeout>();
	/** Tasks whose expired link was already refreshed once by itself. */
	private readonly refreshedOnce = new Set<string>();
	private readonly log: Logger;
	private readonly subscription;
	private disposed = false;
	private readonly _onDidSave = new Emitter<TaskRecord>();
	/** Every video of a task is on disk. */
	readonly onDidSave: Event<TaskRecord> = this._onDidSave.event;
	private readonly _onDidFail = new Emitter<{ task: TaskRecord; error: DownloadError }>();
	readonly onDidFail: Event<{ task: TaskRecord; error: DownloadError }> = this._onDidFail.event;

	constructor(private readonly options: DownloadQueueOptions) {
		this.log = options.log ?? silentLogger;
		this.subscription = options.store.onDidChange(() => this.kick());
	}

	/** After a restart: downloads that were running when the window closed start over. */
	recover(): void {
		for (const task of this.options.store.active()) {
			if (task.download?.phase === 'downloading' && !this.running.has(task.id)) {
				this.log.info(`download of ${task.taskId} was interrupted; starting it again`);
				this.options.store.update(task.id, { download: { phase: 'waiting' } });
			}
		}
		this.kick();
	}

	/**
	 * Starts the downloads that are waiting, up to the limit. Asks `canDownload` only once a video
	 * is waiting: in the extension it takes the lease, a file written, which a window with nothing
	 * to save (every activation with a list of finished tasks) has no need of.
	 */
	kick(): void {
		if (this.disposed) {
			return;
		}
		let allowed: boolean | undefined;
		for (const task of this.options.store.active()) {
			if (this.running.size >= (this.options.concurrency ?? 2)) {
				return;
			}
			if (needsDownload(task) && !this.running.has(task.id)) {
				allowed ??= !this.options.canDownload || this.options.canDownload();
				if (!allowed) {
					return;
				}
				void this.run(task);
			}
		}
	}

	/** Forgets a failed download and tries again. */
	retry(id: string): void {
		const timer = this.retryTimers.get(id);
		if (timer) {
			clearTimeout(timer);
			this.retryTimers.delete(id);
		}
		const task = this.options.store.get(id);
		if (task && task.download?.phase !== 'downloading') {
			this.options.store.update(id, { download: { phase: 'waiting' } });
		}
	}

	cancel(id: string): void {
		this.running.get(id)?.abort();
		clearTimeout(this.retryTimers.get(id));
		this.retryTimers.delete(id);
		this.attempts.delete(id);
		this.refreshedOnce.delete(id);
	}

	dispose(): void {
		this.disposed = true;
		this.subscription.dispose();
		for (const controller of this.running.values()) {
			controller.abort();
		}
		for (const timer of this.retryTimers.values()) {
			clearTimeout(timer);
		}
		this.retryTimers.clear();
		this._onDidSave.dispose();
		this._onDidFail.dispose();
	}

	/**
	 * Picks the files a task's videos go to: names no file in the folder has, and no other task
	 * holds (saved, or being written), so that no video ever replaces another file.
	 */
	private async filesFor(task: TaskRecord): Promise<string[]> {
		const { fileNameKey, videoFiles } = this.options.fileNames();
		const folder = path.resolve(this.options.folder());
		const taken = new Set((await fs.promises.readdir(folder).catch(() => [] as string[])).map(fileNameKey));
		// From here to the end nothing waits, so two downloads starting together see each other's names.
		const held = [...this.writing.entries()].filter(([id]) => id !== task.id).map(([, files]) => files);
		for (const other of this.options.store.all()) {
			if (other.id !== task.id && other.download?.files) {
				held.push(other.download.files);
			}
		}
		for (const file of held.flat()) {
			if (path.dirname(path.resolve(file)) === folder) {
				taken.add(fileNameKey(path.basename(file)));
			}
		}
		const files = videoFiles(task, folder, key => taken.has(key));
		this.writing.set(task.id, files);
		return files;
	}

	private async run(task: TaskRecord): Promise<void> {
		const controller = new AbortController();
		this.running.set(task.id, controller);
		this.options.store.update(task.id, { download: { phase: 'downloading', receivedBytes: 0 } });
		/** Files this attempt put in place: a task's videos are saved all together or not at all. */
		const placed: string[] = [];
		try {
			const files = await this.filesFor(task);
			const urls = task.urls ?? [];
			for (let index = 0; index < urls.length; index++) {
				placed.push((await this.options.download({
					url: urls[index],
					file: files[index],
					apiOrigin: task.apiOrigin,
					signal: controller.signal,
					log: this.log,
					onProgress: (receivedBytes, totalBytes) => this.options.store.setProgress(task.id, { receivedBytes, totalBytes }),
				})).file);
			}
			this.attempts.delete(task.id);
			const saved = this.options.store.update(task.id, { download: { phase: 'done', files } });
			// The video is saved whether or not the list can be written now: the store says so and tries again.
			await this.options.store.flush().catch(() => undefined);
			if (saved) {
				this._onDidSave.fire(saved);
			}
		} catch (error) {
			// Their names were free when the download began, so these files are this task's own.
			await Promise.all(placed.map(file => fs.promises.rm(file, { force: true }).catch(() => undefined)));
			// Only what the downloader classified says where a failure came from; anything else proves nothing.
			const failure = DownloadError.is(error) ? error : new DownloadError('unexpected', l10n.t('Saving the video failed unexpectedly ({0}). Download Again tries again; the VideoGen log has the details.', String(error).slice(0, 200)));
			if (controller.signal.aborted && this.disposed) {
				return; // the window is closing; recover() starts it again next time
			}
			const attempt = (this.attempts.get(task.id) ?? 0) + 1;
			if (failure.retryable && attempt < maxAttempts && !controller.signal.aborted) {
				// A broken connection or a storage hiccup: the same link is tried again by itself.
				this.attempts.set(task.id, attempt);
				const delay = backoffDelay(attempt, this.options.retryBackoff ?? defaultRetryBackoff, undefined, this.options.random);
				this.log.warn(`download of ${task.taskId} failed (${failure.message}); trying again in ${Math.round(delay / 1000)} s`);
				this.options.store.update(task.id, { download: { phase: 'failed', error: `${failure.message} Trying again in ${Math.ceil(delay / 1000)} s.` } });
				this.retryTimers.set(task.id, setTimeout(() => {
					this.retryTimers.delete(task.id);
					this.retry(task.id);
				}, delay));
				return;
			}
			this.attempts.delete(task.id);
			this.log.warn(`download of ${task.taskId} failed: ${failure.message}`);
			const failed = this.options.store.update(task.id, {
				download: { phase: 'failed', error: failure.message, linkExpired: failure.kind === 'linkExpired' },
			});
			if (failure.kind === 'linkExpired' && this.options.refreshLinks && !this.refreshedOnce.has(task.id)) {
				// Links expire: a fresh one from the service is tried once by itself before the user hears of it.
				this.refreshedOnce.add(task.id);
				this.options.refreshLinks(task.id).catch(error => this.log.warn(`could not refresh the links of ${task.taskId}: ${String(error)}`));
			} else if (failed) {
				this._onDidFail.fire({ task: failed, error: failure });
			}
		} finally {
			this.running.delete(task.id);
			this.writing.delete(task.id);
			if (!this.disposed) {
				this.kick();
			}
		}
	}
}
