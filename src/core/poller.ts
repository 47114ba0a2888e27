/**
 * Asks the service about every unfinished task, each once per interval, and stops asking when no
 * task is unfinished (no timer at all is left running then).
 *
 * A failed query is retried with bounded exponential back-off and jitter, honouring `Retry-After`.
 * A key that is missing or rejected (401) pauses the polling of that API host only, until
 * `resume(host)`: its tasks are marked as waiting for a key, and nothing is dropped meanwhile.
 * Each round makes at most one write to the task store, however many tasks it touched.
 */

import { backoffDelay } from './backoff';
import { ApiError } from './errors';
import { Emitter, Event } from './event';
import { boundedInterval, timerDelay } from './interval';
import { Logger, silentLogger } from './log';
import { isFailure, isFinalServicePhase, needsPolling, phaseForServiceStatus, TaskRecord } from './task';
import { plainText } from './serviceText';
import { TaskStore } from './taskStore';
import type { StatusResult } from './net/apiClient';
import { l10n } from './l10n';

export interface PollerOptions {
	readonly store: TaskStore;
	/** Asks the service about one task; throws `ApiError`. */
	readonly query: (task: TaskRecord) => Promise<StatusResult>;
	/** Read on every round, so a settings change takes effect at once. Kept within 10 ms to a day. */
	readonly intervalMs: () => number;
	/** Polling waits while this says no (no key, or another window is polling). */
	readonly canPoll?: () => boolean;
	readonly log?: Logger;
	readonly concurrency?: number;
	/** The longest back-off between two queries of a failing task. */
	readonly maxBackoffMs?: number;
	readonly random?: () => number;
	readonly now?: () => number;
}

/** Tasks due within this window of each other are asked about in the same round. */
const roundWindowMs = 250;
/**
 * How long a round waits for its slowest status queries, at least; then the next round may start
 * without them. A query that hangs would otherwise hold every task back until its request timeout.
 */
const roundWaitMs = 2_000;
/** A 404 this many times in a row means the service has really forgotten the task. */
const notFoundLimit = 3;
/** The interval when the one given is not a number. */
const fallbackIntervalMs = 5_000;

export class Poller {
	private readonly nextPollAt = new Map<string, number>();
	/** Consecutive 404 answers per task; any other outcome ends the streak. */
	private readonly notFoundStreak = new Map<string, number>();
	private timer: NodeJS.Timeout | undefined;
	private running = false;
	/** Tasks whose status query has not been answered yet, possibly from a round that has ended. */
	private readonly inFlight = new Set<string>();
	/** API origins whose key is missing or was rejected: their tasks wait for `resume()`. */
	private readonly paused = new Set<string>();
	private disposed = false;
	private readonly log: Logger;
	private readonly now: () => number;
	private readonly subscription;
	private readonly _onDidFinish = new Emitter<TaskRecord>();
	/** A task reached a final state on the service. */
	readonly onDidFinish: Event<TaskRecord> = this._onDidFinish.event;
	private readonly _onDidReject = new Emitter<ApiError>();
	/** A host's key is missing or was rejected (the error says which host); its polling is paused until `resume()`. */
	readonly onDidReject: Event<ApiError> = this._onDidReject.event;
	private readonly _onDidPoll = new Emitter<readonly string[]>();
	/** A round ended; carries the ids asked about (their elapsed time changed even if nothing else did). */
	readonly onDidPoll: Event<readonly string[]> = this._onDidPoll.event;
	/** Counts for the benchmark and the tests. */
	readonly stats = { rounds: 0, queries: 0 };

	constructor(private readonly options: PollerOptions) {
		this.log = options.log ?? silentLogger;
		this.now = options.now ?? Date.now;
		this.subscription = options.store.onDidChange(() => this.schedule());
	}

	/** True while a timer is waiting for the next round, a round runs, or a query is still unanswered. */
	get isScheduled(): boolean {
		return this.timer !== undefined || this.running || this.inFlight.size > 0;
	}

	/** True while the polling of some API host waits for a key. */
	get isPaused(): boolean {
		return this.paused.size > 0;
	}

	/** True while the polling of this API origin waits for a key. */
	isPausedFor(origin: string): boolean {
		return this.paused.has(origin);
	}

	/** Asks about the given tasks (all polling tasks when omitted) right away. */
	pollNow(ids?: readonly string[]): void {
		const now = this.now();
		for (const task of this.options.store.active()) {
			if ((!ids || ids.includes(task.id)) && needsPolling(task)) {
				this.nextPollAt.set(task.id, now);
			}
		}
		this.schedule();
	}

	/**
	 * Asks about one task now, even a finished one: a success that came without a link, or whose
	 * link expired before the video was saved, gets fresh links this way.
	 */
	async refreshTask(id: string): Promise<TaskRecord | undefined> {
		const task = this.options.store.get(id);
		if (!task?.taskId) {
			return task;
		}
		await this.pollOne(task);
		await this.options.store.flush();
		this.schedule();
		return this.options.store.get(id);
	}

	/** Lifts the pause of one API origin (its key was set), or of every one. */
	resume(origin?: string): void {
		const origins = origin === undefined ? [...this.paused] : [origin].filter(o => this.paused.has(o));
		if (!origins.length) {
			return;
		}
		origins.forEach(o => this.paused.delete(o));
		this.log.info(`resuming the polling of ${origins.join(', ')}`);
		this.pollNow(this.options.store.active().filter(task => origins.includes(task.apiOrigin)).map(task => task.id));
	}

	/** Works out when the next round is due and sets one timer for it, or none. */
	schedule(): void {
		if (this.disposed) {
			return;
		}
		if (this.running) {
			return; // the round reschedules when it ends
		}
		const due = this.nextDue();
		if (this.timer) {
			clearTimeout(this.timer);
			this.timer = undefined;
		}
		if (due === undefined) {
			return;
		}
		this.timer = setTimeout(() => {
			this.timer = undefined;
			void this.round();
		}, timerDelay(due - this.now()));
	}

	dispose(): void {
		this.disposed = true;
		if (this.timer) {
			clearTimeout(this.timer);
			this.timer = undefined;
		}
		this.subscription.dispose();
		this._onDidFinish.dispose();
		this._onDidReject.dispose();
		this._onDidPoll.dispose();
	}

	private nextDue(): number | undefined {
		let due: number | undefined;
		const polling = new Set<string>();
		for (const task of this.options.store.active()) {
			if (!needsPolling(task)) {
				continue;
			}
			polling.add(task.id);
			if (this.paused.has(task.apiOrigin)) {
				continue; // due again once its host has a key
			}
			if (this.inFlight.has(task.id)) {
				continue; // due again once it is answered
			}
			let at = this.nextPollAt.get(task.id);
			if (at === undefined) {
				// A task met for the first time: asked one interval after it was submitted.
				at = Math.max(this.now(), (task.submittedAt ?? task.createdAt) + this.interval());
				this.nextPollAt.set(task.id, at);
			}
			due = due === undefined ? at : Math.min(due, at);
		}
		for (const id of this.nextPollAt.keys()) {
			if (!polling.has(id)) {
				this.nextPollAt.delete(id);
				this.notFoundStreak.delete(id);
			}
		}
		return due;
	}

	private async round(): Promise<void> {
		if (this.disposed) {
			return;
		}
		if (this.options.canPoll && !this.options.canPoll()) {
			// Someone else is polling (or there is no key): look again in one interval.
			const later = this.now() + this.interval();
			for (const id of this.nextPollAt.keys()) {
				this.nextPollAt.set(id, later);
			}
			this.schedule();
			return;
		}
		this.running = true;
		const asked: string[] = [];
		try {
			const horizon = this.now() + roundWindowMs;
			const due = this.options.store.active().filter(task => needsPolling(task) && !this.paused.has(task.apiOrigin) && !this.inFlight.has(task.id) && (this.nextPollAt.get(task.id) ?? 0) <= horizon);
			this.stats.rounds++;
			for (const task of due) {
				this.inFlight.add(task.id);
			}
			const queries = forEachLimited(due, this.options.concurrency ?? 8, async task => {
				try {
					if (!this.paused.has(task.apiOrigin) && !this.disposed) {
						asked.push(task.id);
						await this.pollOne(task);
					}
				} finally {
					this.inFlight.delete(task.id);
					if (!this.running) {
						this.schedule(); // answered after its round ended
					}
				}
			}).catch(error => this.log.error(`a poll round failed: ${String(error)}`));
			// The store's batched write would otherwise fire mid-round when a round outlasts its delay.
			const release = this.options.store.holdWrites();
			let timer: NodeJS.Timeout | undefined;
			try {
				const waited = await Promise.race([
					queries.then(() => true),
					new Promise<boolean>(resolve => timer = setTimeout(() => resolve(false), Math.max(this.interval(), roundWaitMs))),
				]);
				if (!waited) {
					this.log.warn(`${this.inFlight.size} status quer${this.inFlight.size === 1 ? 'y has' : 'ies have'} no answer yet; the next round goes ahead without ${this.inFlight.size === 1 ? 'it' : 'them'}`);
				}
			} finally {
				clearTimeout(timer);
				release();
			}
			await this.options.store.flush().catch(error => this.log.error(`could not save the task list: ${String(error)}`));
		} finally {
			this.running = false;
		}
		if (!this.disposed) {
			this._onDidPoll.fire(asked);
			this.schedule();
		}
	}

	private async pollOne(task: TaskRecord): Promise<void> {
		const interval = this.interval();
		this.stats.queries++;
		let result: StatusResult;
		try {
			result = await this.options.query(task);
		} catch (error) {
			this.handleFailure(task, error);
			return;
		}
		this.notFoundStreak.delete(task.id);
		const current = this.options.store.get(task.id);
		if (!current) {
			return; // removed while we asked
		}
		const phase = phaseForServiceStatus(result.status);
		const unknownRounds = phase === 'unknown' ? (current.serviceStatus === result.status ? (current.pollFailures ?? 0) + 1 : 1) : 0;
		const change: Partial<TaskRecord> = {
			phase,
			serviceStatus: result.status,
			urls: result.urls.length ? result.urls : current.urls,
			urlsNote: result.urls.length ? result.urlsNote : current.urlsNote ?? result.urlsNote,
			submittedAt: current.submittedAt ?? (result.submitTime ? result.submitTime * 1000 : undefined),
			finishedAt: result.finishTime ? result.finishTime * 1000 : current.finishedAt,
			// Kept from the final answer only: before it, the figure may still change, and each change would be a write.
			usageSeconds: isFinalServicePhase(phase) ? result.usageDuration ?? current.usageSeconds : current.usageSeconds,
			error: errorFor(phase, result),
			pollFailures: unknownRounds,
			pollError: undefined,
			waitsForKey: undefined,
		};
		// No failures recorded yet is the same as zero: a first answer that changes nothing writes nothing.
		const before: Partial<TaskRecord> = { ...current, pollFailures: current.pollFailures ?? 0 };
		const changed = (Object.keys(change) as (keyof TaskRecord)[]).some(key => JSON.stringify(change[key]) !== JSON.stringify(before[key]));
		const updated = changed ? this.options.store.update(task.id, change) ?? current : current;
		if (change.urlsNote && change.urlsNote !== current.urlsNote) {
			this.log.warn(`task ${task.taskId}: ${change.urlsNote}`);
		}
		// An unknown status is asked about again with back-off: it may never change.
		const delay = phase === 'unknown' ? backoffDelay(unknownRounds, this.backoff(interval), undefined, this.options.random) : interval;
		this.nextPollAt.set(task.id, this.now() + delay);
		if (!needsPolling(updated)) {
			this.nextPollAt.delete(task.id);
			if (needsPolling(current)) {
				this.log.info(finalLine(updated, result.status));
				this._onDidFinish.fire(updated);
			}
		}
	}

	private handleFailure(task: TaskRecord, error: unknown): void {
		const apiError = ApiError.is(error) ? error : undefined;
		const current = this.options.store.get(task.id);
		if (!current) {
			return;
		}
		const failures = (current.pollFailures ?? 0) + 1;
		const message = apiError?.message ?? l10n.t('Checking the task failed: {0}', String(error));
		if (apiError?.kind === 'unauthorized') {
			// Only this host's tasks wait: another host's key says nothing about this one. Queries of
			// one round run side by side: only the first rejection pauses and tells the user.
			const origin = task.apiOrigin;
			const first = !this.paused.has(origin);
			this.paused.add(origin);
			// A key the service rejected is explained under the task; a missing one by the waiting state itself.
			this.options.store.update(task.id, { pollError: apiError.status === undefined ? undefined : message });
			for (const waiting of this.options.store.active()) {
				if (waiting.apiOrigin === origin && needsPolling(waiting) && !waiting.waitsForKey) {
					this.options.store.update(waiting.id, { waitsForKey: true });
				}
			}
			if (first) {
				this.log.warn(`${apiError.status === undefined ? 'no API key is set' : 'the API key was rejected'} for ${origin}; its tasks wait until a key is set`);
				this._onDidReject.fire(apiError);
			}
			return;
		}
		const notFound = apiError?.kind === 'notFound' ? (this.notFoundStreak.get(task.id) ?? 0) + 1 : 0;
		if (notFound) {
			this.notFoundStreak.set(task.id, notFound);
		} else {
			this.notFoundStreak.delete(task.id);
		}
		if (notFound >= notFoundLimit) {
			this.notFoundStreak.delete(task.id);
			const gone = this.options.store.update(task.id, { phase: 'expired', pollFailures: failures, pollError: undefined, error: l10n.t('The service no longer knows this task (HTTP 404, {0} times in a row). It has probably expired; nothing more can be learned about it.', notFoundLimit) });
			this.nextPollAt.delete(task.id);
			if (gone) {
				this._onDidFinish.fire(gone);
			}
			return;
		}
		this.options.store.update(task.id, { pollFailures: failures, pollError: message });
		const delay = backoffDelay(failures, this.backoff(this.interval()), apiError?.retryAfterMs, this.options.random);
		this.nextPollAt.set(task.id, this.now() + delay);
		this.log.info(`task ${task.taskId}: query failed (${apiError?.kind ?? 'error'}), next try in ${Math.round(delay / 1000)} s`);
	}

	/** The interval as given, made safe for a timer (see ./interval). */
	private interval(): number {
		return boundedInterval(this.options.intervalMs(), fallbackIntervalMs);
	}

	private backoff(intervalMs: number) {
		return { baseMs: intervalMs, maxMs: Math.max(intervalMs, this.options.maxBackoffMs ?? 5 * 60_000) };
	}
}

function errorFor(phase: TaskRecord['phase'], result: StatusResult): string | undefined {
	switch (phase) {
		case 'failed':
			return result.errorMessage || l10n.t('The service reported a failure without giving a reason.');
		case 'expired':
			return result.errorMessage || l10n.t('The service reports that the task expired.');
		case 'succeeded':
			if (result.urls.length) {
				return undefined;
			}
			return result.urlsNote
				? l10n.t('The service reported success but sent no video link VideoGen can use. {0} Refresh to ask again.', result.urlsNote)
				: l10n.t('The service reported success but sent no video link. Refresh to ask again.');
		default:
			return undefined;
	}
}

/** Runs `work` over `items` with at most `limit` at a time. */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
		while (next < items.length) {
			await work(items[next++]);
		}
	});
	await Promise.all(workers);
}

/**
 * The log's line for a task that reached a final state: what it was (model, the prompt's first words)
 * and, for a failure, the service's reason, so Show Log on a failure explains it.
 */
export function finalLine(task: TaskRecord, status: string): string {
	const prompt = plainText(task.prompt.trim().split(/\r?\n/)[0] ?? '', 60);
	const what = `task ${task.taskId} (${task.model}${prompt ? `, "${prompt}"` : ''}) is ${status}`;
	return task.error && isFailure(task) ? `${what}: ${task.error}` : what;
}

