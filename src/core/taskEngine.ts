/**
 * The task engine: the store, the poller, the download queue and the lease that lets one window do
 * the polling, wired together, in one place for the extension, the tests and the benchmark alike.
 * Submitting lives here too, because its order matters: the task is on disk before the request
 * leaves, and a submit that may have reached the service is never sent again. Nothing here knows
 * about VS Code: the extension (src/host/taskService.ts) gives it its settings, its key and the
 * loader of its HTTP stack; the plain-Node tests and the benchmark give it theirs.
 */

import * as fs from 'fs';
import * as path from 'path';
import type { Dispatcher } from 'undici';
import type { BackoffOptions } from './backoff';
import type { ParameterValue } from './models/catalogue';
import type { ImageSource, SerializedBody } from './models/submitBody';
import type { StatusResult, SubmitResult } from './net/apiClient';
import type * as HttpStack from './net/httpStack';
import type { Network } from './net/network';
import type { ProxySettings } from './net/proxy';
import { DownloadQueue } from './downloadQueue';
import { ApiError } from './errors';
import { boundedInterval } from './interval';
import type { KeyCheck } from './keyCheck';
import type * as LeaseModule from './lease';
import { Logger, scoped, silentLogger } from './log';
import { loadModels } from './modelsLoader';
import { Poller } from './poller';
import { interruptedSubmitChange, isFailure, isFinished, isRevivable, isValidTaskId, needsFreshLinks, newTask, TaskRecord } from './task';
import { TaskStore } from './taskStore';
import type { InsertPlace } from './videoLink';
import { l10n } from './l10n';
import { hostOf } from './validation';

/** How long checking a key waits for the service: the user watches a progress notification meanwhile. */
const keyCheckTimeoutMs = 15_000;

/** The two calls the engine makes to the API (the real `ApiClient` in the extension). */
export interface TaskApi {
	/** Sends a submit body for `model`, built and serialized from the catalogue. */
	submit(model: string, body: SerializedBody): Promise<SubmitResult>;
	status(taskId: string): Promise<StatusResult>;
}

export interface TaskEngineOptions {
	/**
	 * The folder shared by every window: the task list (`tasks.json`) and the lease that says which
	 * window polls (`poller.lease`) live here.
	 */
	readonly storageFolder: string;
	/** Who this window is, in the lease. */
	readonly owner: string;
	/** Read when each download starts. */
	readonly folder: () => string;
	/** Read on every round; kept within 10 ms to a day whatever it says (see ./interval). */
	readonly intervalMs: () => number;
	/**
	 * The key stored for an API origin, looked up for each status query of a task of that origin.
	 * A key belongs to the host it was set for: no other origin's key is ever sent there.
	 */
	readonly apiKey: (origin: string) => Promise<string | undefined>;
	/**
	 * The HTTP stack (src/core/net/httpStack.ts), called on the first request: the extension loads
	 * it lazily so activation does not pay for it.
	 */
	readonly httpStack: () => typeof HttpStack;
	/**
	 * VS Code's proxy settings and the environment, read when each request is made, so that a
	 * change applies to the next one (src/host/proxySettings.ts). Without it: no proxy.
	 */
	readonly proxySettings?: () => ProxySettings;
	/** One more certificate authority to trust, besides Node's own and the system's (the tests' private one). */
	readonly ca?: string | Buffer;
	/**
	 * The connection pool for the API, used as it is, without a proxy (tests and the benchmark). By
	 * default the engine makes its connections from `proxySettings` on the first request, and closes
	 * them on dispose.
	 */
	readonly dispatcher?: Dispatcher;
	/** Makes VideoGen's own task ids. */
	readonly newId: () => string;
	readonly log?: Logger;
	/** The API client's timeout (default: the client's own, 30 s). */
	readonly apiTimeoutMs?: number;
	/** How long a download may stay silent (default: the downloader's own, 30 s). */
	readonly downloadIdleTimeoutMs?: number;
	/** The largest video accepted, in bytes, read when each download starts (default: the downloader's own, 2 GB). */
	readonly maxDownloadBytes?: () => number;
	/** The slowest a download may come, averaged over a window (default: the downloader's own, 10 KB/s over 60 s; tests shorten it). */
	readonly downloadSpeedFloor?: { readonly bytesPerSecond: number; readonly windowMs: number };
	/** The poller's longest back-off (tests shorten it). */
	readonly maxBackoffMs?: number;
	/** Timing of automatic download retries (tests shorten it). */
	readonly downloadRetryBackoff?: BackoffOptions;
	/** How long the polling lease lasts without renewal (default: 15 s, or three intervals if longer). */
	readonly leaseMs?: () => number;
}

/** No proxy, Node's own certificate authorities: where no proxy settings are given. */
function noProxy(): ProxySettings {
	return { proxy: '', noProxy: [], proxyStrictSSL: true, systemCertificates: false, env: {} };
}

/**
 * An image given with a request: what is sent (the image's bytes, or a link the service fetches) and
 * where it came from (`source`: a `file:` URI or the link), which is all the task keeps of it.
 */
export type FrameInput = ImageSource & { readonly source: string };

/** What the user asked for; the submit body is built from it by the model's catalogue entry. */
export interface GenerateRequest {
	readonly model: string;
	readonly prompt: string;
	readonly negativePrompt?: string;
	/**
	 * By their names in the model's catalogue entry, sent as given (start from the model's defaults).
	 * Ignored for a model the catalogue does not know, which gets the prompt alone.
	 */
	readonly parameters?: Readonly<Record<string, ParameterValue>>;
	/** The first frame, for a model that makes video from an image. */
	readonly image?: FrameInput;
	/** The last frame; only with a first frame. */
	readonly lastImage?: FrameInput;
	/** Where to offer to insert the video once it is ready (a selection in a Markdown file). */
	readonly insertBelow?: InsertPlace;
}

export class TaskEngine {
	readonly store: TaskStore;
	readonly poller: Poller;
	readonly downloads: DownloadQueue;
	private ownLease: LeaseModule.Lease | undefined;
	private readonly log: Logger;
	private reloadTimer: NodeJS.Timeout | undefined;
	private disposed = false;
	/** Submits this window has on their way: only another window's can be left behind by a crash. */
	private readonly inFlight = new Set<string>();
	private readonly subscriptions: { dispose(): void }[] = [];
	private watcher: fs.FSWatcher | undefined;
	private watchTimer: NodeJS.Timeout | undefined;
	/** The connections, made on the first request. */
	private ownNetwork: Network | undefined;
	private readonly httpLog: Logger;
	private readonly intervalMs: () => number;
	private markClosed!: () => void;
	/**
	 * Resolves once `dispose()` has written what was pending (or failed to, which the store reports).
	 * An extension's `deactivate()` returns it, so that VS Code waits for the last change to reach disk.
	 */
	readonly closed = new Promise<void>(resolve => this.markClosed = resolve);

	constructor(private readonly options: TaskEngineOptions) {
		const log = options.log ?? silentLogger;
		this.intervalMs = () => boundedInterval(options.intervalMs(), 5_000);
		this.log = scoped(log, 'tasks');
		this.httpLog = scoped(log, 'http');
		this.store = new TaskStore({ file: path.join(options.storageFolder, 'tasks.json'), log: this.log });
		this.poller = new Poller({
			store: this.store,
			query: task => this.query(task),
			intervalMs: this.intervalMs,
			canPoll: () => this.holdLease(),
			log: scoped(log, 'poller'),
			maxBackoffMs: options.maxBackoffMs,
		});
		this.downloads = new DownloadQueue({
			store: this.store,
			folder: options.folder,
			download: download => options.httpStack().downloadVideo({
				...download,
				route: this.network().forDownload(),
				idleTimeoutMs: options.downloadIdleTimeoutMs,
				maxBytes: options.maxDownloadBytes?.(),
				minBytesPerSecond: options.downloadSpeedFloor?.bytesPerSecond,
				slowWindowMs: options.downloadSpeedFloor?.windowMs,
			}),
			fileNames: options.httpStack,
			refreshLinks: id => this.refreshLinks(id),
			canDownload: () => this.holdLease(),
			log: scoped(log, 'download'),
			retryBackoff: options.downloadRetryBackoff,
		});
	}

	/** Reads the task list and picks up where the last session stopped. Makes no request itself. */
	async restore(): Promise<void> {
		await this.store.load();
		this.settleInterruptedSubmits();
		this.downloads.recover();
		this.poller.schedule();
		this.rereadWhileBusy();
		// Watching the folder for other windows' writes (about a millisecond to set up) is not needed
		// to show the list: it starts right after, so `restore()` resolves as soon as the list is in.
		setImmediate(() => {
			if (!this.disposed) {
				this.watchTaskFile();
			}
		});
	}

	/**
	 * Builds the submit body from the model's catalogue entry, saves the task, then submits it once.
	 * Resolves with the saved record in its new phase and, when the service did not accept it, the
	 * reason (also recorded on the task). Rejects when the catalogue refuses the request (a
	 * `RequestError` naming the field: nothing was saved or sent), or when the task could not be
	 * saved (nothing was sent). The task keeps where each image came from, never its bytes.
	 *
	 * With `retryOf`, the new task sends again the task of that id, and says so. When the original was
	 * refused at submit (nothing was paid for it, nothing is lost), it leaves the list once its retry
	 * is accepted: the retry takes its place.
	 *
	 * When the user removed the task while its submit was on its way (Remove Task allows it), it stays
	 * removed whatever the answer: `removed` is true, and `task` is what it would have been. Accepted, it
	 * has the service's task id, which the log names too, so Track Task by ID can follow it again.
	 */
	async submit(request: GenerateRequest, apiKey: string, origin: string, options: { retryOf?: string } = {}): Promise<{ task: TaskRecord; error?: ApiError; removed?: boolean }> {
		const models = loadModels();
		const built = models.buildSubmitBody(request.model, request);
		const body = models.serializeSubmitBody(built);
		const sent = Object.entries(request.parameters ?? {}).filter(([name]) => name in built.parameters);
		const task = newTask({
			id: this.options.newId(),
			model: request.model,
			prompt: request.prompt,
			negativePrompt: request.negativePrompt?.trim() || undefined,
			parameters: Object.fromEntries(sent),
			firstFrame: request.image?.source,
			lastFrame: request.image && request.lastImage?.source,
			insertBelow: request.insertBelow,
			apiOrigin: origin,
			phase: 'submitting',
			retryOf: options.retryOf,
		});
		try {
			await this.store.add(task);
		} catch (error) {
			// Kept in the list (the store writes it once it can) as what it is: never sent.
			this.store.update(task.id, { phase: 'submitFailed', error: l10n.t('VideoGen could not save the task, so it was not submitted: {0}', error instanceof Error ? error.message : String(error)) });
			throw error;
		}
		this.inFlight.add(task.id);
		try {
			const { taskId } = await this.api(apiKey, origin).submit(request.model, body);
			if (!isValidTaskId(taskId)) {
				throw new ApiError({ kind: 'badResponse', operation: 'submit', status: 200, model: request.model, detail: l10n.t('the task id has characters a task id never has') });
			}
			const change = { taskId, phase: 'pending', serviceStatus: 'Pending', submittedAt: Date.now() } as const;
			const accepted = this.store.update(task.id, change);
			if (!accepted) {
				// Removed meanwhile: the user's choice stands, but a paid task is not lost without a word.
				this.log.warn(`task ${taskId} (${request.model}) was accepted by the service after it was removed from the list; Track Task by ID with this id follows it again`);
				return { task: { ...task, ...change }, removed: true };
			}
			// Accepted is accepted: a list that cannot be saved now is the store's to report and retry,
			// and must not turn a paid task into one whose submit "may have" arrived.
			await this.store.flush().catch(() => undefined);
			this.log.info(`submitted task ${taskId} (${request.model})`);
			await this.replaceRefusedOriginal(accepted);
			return { task: accepted };
		} catch (error) {
			const apiError = ApiError.is(error) ? error : new ApiError({ kind: 'network', operation: 'submit', model: request.model, detail: String(error) });
			const change = { phase: apiError.maybeSubmitted ? 'submitUnknown' : 'submitFailed', error: apiError.message } as const;
			const failed = this.store.update(task.id, change);
			if (!failed) {
				// Removed meanwhile: it stays removed, and its outcome is the log's (and the caller's) to tell.
				this.log.warn(`a task removed from the list while it was being submitted (${request.model}) ${apiError.maybeSubmitted ? 'may have reached the service' : 'was not submitted'}: ${apiError.message}`);
				return { task: { ...task, ...change }, error: apiError, removed: true };
			}
			await this.store.flush().catch(() => undefined);
			return { task: failed, error: apiError };
		} finally {
			this.inFlight.delete(task.id);
		}
	}

	/** Removes the original of an accepted retry when the service had refused it: nothing of it is lost. */
	private async replaceRefusedOriginal(retry: TaskRecord): Promise<void> {
		const original = retry.retryOf === undefined ? undefined : this.store.get(retry.retryOf);
		if (original?.phase === 'submitFailed') {
			this.log.info(`removed the task that was not submitted, now that its retry ${retry.taskId} was accepted`);
			await this.remove([original.id]).catch(() => undefined); // the store reports a list it cannot save
		}
	}

	/**
	 * Says whether the service at `origin` takes `key`, without creating a task: a status query for
	 * an id no task has (see keyCheck.ts), over the same route (proxy, certificates) tasks take.
	 */
	async checkKey(key: string, origin: string): Promise<KeyCheck> {
		// What the answer means comes with the HTTP stack: activation never needs it.
		const result = await this.options.httpStack().checkKey(taskId => this.api(key, origin, keyCheckTimeoutMs).status(taskId));
		this.log.info(`an API key given for ${hostOf(origin)} was checked: ${result.outcome}${'status' in result && result.status ? ` (HTTP ${result.status})` : ''}`);
		return result;
	}

	/**
	 * Starts tracking a task that was submitted elsewhere (with the name the user gave it, if any),
	 * or attaches an id to a task whose submit outcome is unknown. An id already listed is not added
	 * again: its task is returned, and asked about now. One the poller marked expired after the
	 * service's 404s (not the service's own `Expired`) is followed again: the user who tracks it by its
	 * id again says the service does know it after all (if it does not, the 404s expire it again).
	 */
	async track(taskId: string, origin: string, model: string, attachTo?: string, name?: string): Promise<TaskRecord> {
		const existing = this.store.findByTaskId(taskId);
		if (existing && isRevivable(existing)) {
			const revived = this.store.update(existing.id, { phase: 'pending', error: undefined, pollError: undefined, pollFailures: 0 }) ?? existing;
			await this.store.flush();
			this.log.info(`task ${taskId} was expired and is followed again`);
			this.poller.pollNow([existing.id]);
			return revived;
		}
		if (existing) {
			this.poller.pollNow([existing.id]);
			return existing;
		}
		const target = attachTo ? this.store.get(attachTo) : undefined;
		if (target) {
			const attached = this.store.update(target.id, { taskId, phase: 'pending', serviceStatus: undefined, error: undefined, submittedAt: target.createdAt })!;
			await this.store.flush();
			this.poller.pollNow([target.id]);
			return attached;
		}
		const task = newTask({ id: this.options.newId(), taskId, model, prompt: '', name: name?.trim() || undefined, parameters: {}, apiOrigin: origin, phase: 'pending' });
		await this.store.add(task);
		this.poller.pollNow([task.id]);
		return task;
	}

	/** Asks about every unfinished task now, and re-asks finished ones that are missing their video. */
	async refresh(): Promise<void> {
		await this.store.reload();
		this.poller.pollNow();
		const stale = this.store.all().filter(needsFreshLinks);
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

	/** The user asks for a video again: fresh links first (they expire), then the download. */
	async retryDownload(id: string): Promise<void> {
		await this.refreshLinks(id);
		if (this.store.get(id)?.download?.phase === 'failed') {
			this.downloads.retry(id);
		}
	}

	async remove(ids: readonly string[]): Promise<void> {
		ids.forEach(id => this.downloads.cancel(id));
		await this.store.remove(ids);
	}

	/**
	 * Clear Finished: forgets the tasks that ended with a video (their files stay where they are).
	 * Failed tasks stay, for their reason and for Generate Again; `keep` spares others (those open in a player).
	 */
	async clearFinished(keep: (task: TaskRecord) => boolean = () => false): Promise<string[]> {
		return this.clear(task => isFinished(task) && !isFailure(task) && !keep(task));
	}

	/** Clear Failed: forgets the tasks that failed, expired or were refused at submit, except those `keep` spares. */
	async clearFailed(keep: (task: TaskRecord) => boolean = () => false): Promise<string[]> {
		return this.clear(task => isFailure(task) && !keep(task));
	}

	private async clear(which: (task: TaskRecord) => boolean): Promise<string[]> {
		const ids = this.store.all().filter(which).map(task => task.id);
		await this.remove(ids);
		return ids;
	}

	/** Stops every timer, writes what is pending and gives the lease up so another window takes over. */
	dispose(): void {
		this.disposed = true;
		try {
			if (this.reloadTimer) {
				clearTimeout(this.reloadTimer);
			}
			clearTimeout(this.watchTimer);
			this.watcher?.close();
			this.subscriptions.forEach(s => s.dispose());
			this.poller.dispose();
			this.downloads.dispose();
		} finally {
			// Whatever failed above, the last write is made and `closed` resolves: VS Code waits for it.
			void this.store.flush().catch(() => undefined).finally(() => {
				this.store.dispose();
				this.markClosed();
			});
			this.ownLease?.release();
			void this.ownNetwork?.close();
		}
	}

	/**
	 * The lease that lets one window poll and download. Its code is a bundle of its own, loaded the
	 * first time a task needs polling or a video saving: a window whose tasks are all finished (most
	 * activations) never takes the lease, and does not load it.
	 */
	get lease(): LeaseModule.Lease {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		this.ownLease ??= new (require('./lease') as typeof LeaseModule).Lease(path.join(this.options.storageFolder, 'poller.lease'), this.options.owner);
		return this.ownLease;
	}

	/** An API client for a key and an origin, on the shared connections (through the proxy, when one is set). */
	protected api(apiKey: string, origin: string, timeoutMs = this.options.apiTimeoutMs): TaskApi {
		const stack = this.options.httpStack();
		const { dispatcher, proxy } = this.options.dispatcher ? { dispatcher: this.options.dispatcher, proxy: undefined } : this.network().forApi(origin);
		return new stack.ApiClient({ origin, apiKey, dispatcher, proxy, log: this.httpLog, timeoutMs });
	}

	/** The routes of requests, made on the first one; they follow the proxy settings as they change. */
	private network(): Network {
		return this.ownNetwork ??= new (this.options.httpStack().Network)({
			settings: this.options.proxySettings ?? noProxy,
			ca: this.options.ca,
			proxyTimeoutMs: this.options.apiTimeoutMs,
			log: this.httpLog,
		});
	}

	/**
	 * A task still `submitting` long after its submit must have ended was left by a window that
	 * closed or crashed mid-submit: it becomes "submit outcome unknown". Checked at start and on
	 * every re-read of the list, so one left by another window settles without a restart.
	 */
	private settleInterruptedSubmits(): void {
		const now = Date.now();
		for (const task of this.store.active()) {
			const change = this.inFlight.has(task.id) ? undefined : interruptedSubmitChange(task, now);
			if (change) {
				this.store.update(task.id, change);
			}
		}
	}

	/** Asks the task's own API host, with the key set for that host and no other. */
	private async query(task: TaskRecord): Promise<StatusResult> {
		const origin = task.apiOrigin;
		const apiKey = await this.options.apiKey(origin);
		if (!apiKey) {
			throw new ApiError({ kind: 'unauthorized', operation: 'status', detail: 'no API key is set', origin });
		}
		try {
			return await this.api(apiKey, origin).status(task.taskId!);
		} catch (error) {
			if (ApiError.is(error) && error.kind === 'unauthorized') {
				// Named in the message: with tasks on several hosts, the user must know whose key to set.
				throw new ApiError({ kind: 'unauthorized', operation: 'status', status: error.status, serviceType: error.serviceType, serviceMessage: error.serviceMessage, origin });
			}
			throw error;
		}
	}

	/** True when this window holds (or just took) the polling lease. */
	private holdLease(): boolean {
		return this.lease.tryAcquire(this.options.leaseMs?.() ?? Math.max(15_000, this.intervalMs() * 3));
	}

	/**
	 * Another window's change to the task list shows here at once, even in a window with nothing
	 * of its own to follow: the file's folder is watched (no timer, no request). Where the file
	 * system cannot be watched, the periodic re-read below still catches up.
	 */
	private watchTaskFile(): void {
		const name = path.basename(this.store.file);
		try {
			fs.mkdirSync(path.dirname(this.store.file), { recursive: true });
			this.watcher = fs.watch(path.dirname(this.store.file), (_event, file) => {
				if (file !== name || this.disposed || this.watchTimer) {
					return;
				}
				this.watchTimer = setTimeout(() => {
					this.watchTimer = undefined;
					this.store.reload().then(() => {
						this.settleInterruptedSubmits();
						this.poller.schedule();
						this.downloads.kick();
					}, error => this.log.warn(`could not read the task list: ${String(error)}`));
				}, 100);
			});
			this.watcher.on('error', () => this.watcher?.close());
		} catch (error) {
			this.log.info(`the task list's folder cannot be watched (${String(error)}); other windows' changes show within a poll interval`);
		}
	}

	/**
	 * Every window reads the task list the others write: one that is not polling keeps its tree
	 * current and takes over when the polling window goes away; the polling one learns of tasks
	 * submitted in other windows (its own writes, which also merge, stop while nothing changes).
	 */
	private rereadWhileBusy(): void {
		const tick = () => {
			this.reloadTimer = undefined;
			// A video still to be saved counts too: the window that holds the lease may be gone
			// (a crashed window's lease runs out by itself) and this one must take the download over.
			if (this.disposed || !this.store.active().length) {
				return;
			}
			this.store.reload().then(() => this.settleInterruptedSubmits(), error => this.log.warn(`could not read the task list: ${String(error)}`));
			if (this.holdLease()) {
				// Only the lease holder downloads, so a download shown as running that is not running
				// here was left by a window that closed or crashed: start it again.
				this.downloads.recover();
			}
			this.reloadTimer = setTimeout(tick, this.intervalMs());
		};
		this.subscriptions.push(this.store.onDidChange(() => {
			if (!this.reloadTimer && !this.disposed) {
				this.reloadTimer = setTimeout(tick, this.intervalMs());
			}
		}));
		tick();
	}
}
