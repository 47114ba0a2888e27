/**
 * The durable list of tasks: a JSON file written atomically (temporary file, then rename), so a
 * crash at any moment leaves either the old list or the new one, never half of one.
 *
 * Several VS Code windows share the file. Every write first reads what is there and merges it,
 * record by record, keeping the newer `updatedAt`; removals are remembered as tombstones for a day
 * so another window's stale copy cannot bring a removed task back.
 *
 * Writes are batched: `update()` marks the store dirty and one write follows shortly after, so a
 * poll round that touches fifty tasks costs one write, not fifty.
 *
 * A write that fails (a full disk) removes its temporary file, which would otherwise keep the disk
 * full, keeps every change in memory, and is tried again a little later; the store says once that
 * saving fails, and once that it works again. Temporary files left by a window that crashed
 * mid-write are removed when the list is loaded.
 */

import * as fs from 'fs';
import * as path from 'path';
import { Emitter, Event } from './event';
import { Logger, silentLogger } from './log';
import { needsWork, TaskRecord } from './task';
import type * as TaskListRepair from './taskListRepair';
import { hasReadableOptionals, isTaskRecord } from './taskRecordCheck';

interface StoreFile {
	readonly version: 1;
	readonly tasks: readonly TaskRecord[];
	/** id → removal time (ms). */
	readonly removed?: Readonly<Record<string, number>>;
	/**
	 * The records of the file this version cannot use (a required field missing or of the wrong
	 * type: edited by hand, damaged): never shown, but written back as they are, so that no write of
	 * this window loses a task the service may have accepted.
	 */
	readonly unreadable?: readonly unknown[];
}

export interface TaskStoreOptions {
	readonly file: string;
	readonly log?: Logger;
	/** Delay before a batched write. */
	readonly writeDelayMs?: number;
	/** Delay before a failed write is tried again (default 10 s). */
	readonly retryDelayMs?: number;
	readonly now?: () => number;
}

/** Why the task list could not be saved. */
export interface SaveFailure {
	/** The task list's file. */
	readonly file: string;
	readonly error: NodeJS.ErrnoException;
}

/** Transient progress that is shown but not written to disk. */
export interface TaskProgress {
	readonly receivedBytes: number;
	readonly totalBytes?: number;
}

/**
 * The task list as the user interface sees it: read-only, with a change event. Views, commands and
 * the player get this, never the store itself, so every change goes through the engine.
 */
export interface TaskList {
	/** Every task, newest first. */
	all(): readonly TaskRecord[];
	/** The tasks still at work (`needsWork`: submitting, polled, or with a video to save), newest first. */
	active(): readonly TaskRecord[];
	/** A task by VideoGen's own id. */
	get(id: string): TaskRecord | undefined;
	/** A task by the service's task id. */
	findByTaskId(taskId: string): TaskRecord | undefined;
	/** How far a running download has come (not saved). */
	getProgress(id: string): TaskProgress | undefined;
	/** Fires with the ids of the tasks that changed (added, updated, removed). */
	readonly onDidChange: Event<readonly string[]>;
}

const tombstoneLifetimeMs = 24 * 60 * 60 * 1000;
/** A temporary file this old is no write in progress, whoever made it. */
const staleTemporaryMs = 60_000;

export class TaskStore implements TaskList {
	private tasks = new Map<string, TaskRecord>();
	/** `all()`'s answer, kept until the next change. */
	private sorted: readonly TaskRecord[] | undefined;
	/** The ids of the tasks `needsWork` is true of, kept as each task is put in or dropped. */
	private working = new Set<string>();
	/** `active()`'s answer, kept until the next change. */
	private sortedActive: readonly TaskRecord[] | undefined;
	private removed = new Map<string, number>();
	/** The problems with the saved list already logged. */
	private readonly reported = new Set<string>();
	private readonly progress = new Map<string, TaskProgress>();
	private dirty = false;
	/** While above zero, changes wait for an explicit flush instead of the batched write. */
	private writesHeld = 0;
	private writeTimer: NodeJS.Timeout | undefined;
	private writing: Promise<void> = Promise.resolve();
	private readonly log: Logger;
	private readonly now: () => number;
	private readonly _onDidChange = new Emitter<readonly string[]>();
	/** Fires with the ids of the tasks that changed (added, updated, removed). */
	readonly onDidChange: Event<readonly string[]> = this._onDidChange.event;
	/** Counts the writes made, for the benchmark. */
	writes = 0;
	private saveFailing = false;
	private readonly _onDidChangeSaveState = new Emitter<SaveFailure | undefined>();
	/**
	 * Fires with the reason when saving the list starts to fail, and with `undefined` when a write
	 * succeeds again: once each way, however many writes fail in between.
	 */
	readonly onDidChangeSaveState: Event<SaveFailure | undefined> = this._onDidChangeSaveState.event;

	constructor(private readonly options: TaskStoreOptions) {
		this.log = options.log ?? silentLogger;
		this.now = options.now ?? Date.now;
	}

	get file(): string {
		return this.options.file;
	}

	/** Reads the file. A missing file is an empty list; an unreadable one is kept aside, not overwritten. */
	async load(): Promise<void> {
		// Read at once, not through the thread pool: this first read is what stands between activation
		// and the list on screen. The file is VideoGen's own, in VS Code's local storage folder, and
		// small (about 750 KB for 1,000 tasks), so it does not hold the extension host up for long;
		// later reads, made while the user works, stay asynchronous.
		await this.removeStaleTemporaries();
		const stored = await this.read({ now: true });
		this.tasks = new Map();
		this.sorted = undefined;
		this.working = new Set();
		this.sortedActive = undefined;
		for (const task of stored.tasks) {
			this.put(task);
		}
		this.removed = new Map(Object.entries(stored.removed ?? {}));
		this._onDidChange.fire([...this.tasks.keys()]);
	}

	/**
	 * Takes in what other windows wrote since the last read. Returns the ids that changed.
	 */
	async reload(): Promise<readonly string[]> {
		const stored = await this.read();
		const changed = this.merge(stored);
		if (this.isNewerThan(stored)) {
			// Another window replaced the file with a copy read before our last write: write ours again.
			this.markDirty();
		}
		if (changed.length) {
			this._onDidChange.fire(changed);
		}
		return changed;
	}

	/** Every task, newest first. The array is shared until the next change: do not modify it. */
	all(): readonly TaskRecord[] {
		this.sorted ??= [...this.tasks.values()].sort((a, b) => b.createdAt - a.createdAt);
		return this.sorted;
	}

	active(): readonly TaskRecord[] {
		this.sortedActive ??= [...this.working].map(id => this.tasks.get(id)!).sort((a, b) => b.createdAt - a.createdAt);
		return this.sortedActive;
	}

	get(id: string): TaskRecord | undefined {
		return this.tasks.get(id);
	}

	/**
	 * Every task goes in through `put` (those `load` reads too) and out through `drop`, which forget
	 * `all()`'s sorted copy and keep the ids `active()` lists.
	 */
	private put(task: TaskRecord): void {
		this.tasks.set(task.id, task);
		this.sorted = undefined;
		if (needsWork(task)) {
			this.working.add(task.id);
			this.sortedActive = undefined;
		} else if (this.working.delete(task.id)) {
			this.sortedActive = undefined;
		}
	}

	private drop(id: string): void {
		this.tasks.delete(id);
		this.sorted = undefined;
		if (this.working.delete(id)) {
			this.sortedActive = undefined;
		}
	}

	findByTaskId(taskId: string): TaskRecord | undefined {
		for (const task of this.tasks.values()) {
			if (task.taskId === taskId) {
				return task;
			}
		}
		return undefined;
	}

	getProgress(id: string): TaskProgress | undefined {
		return this.progress.get(id);
	}

	/** Adds a task and waits until it is on disk: nothing else happens to a task before that. */
	async add(task: TaskRecord): Promise<void> {
		this.put({ ...task, updatedAt: this.stamp(task.updatedAt) });
		this.removed.delete(task.id);
		this.dirty = true;
		this._onDidChange.fire([task.id]);
		await this.flush();
	}

	/** Changes a task in memory and schedules a write. Returns the new record. */
	update(id: string, change: Partial<Omit<TaskRecord, 'id' | 'createdAt'>>): TaskRecord | undefined {
		const current = this.tasks.get(id);
		if (!current) {
			return undefined;
		}
		const next: TaskRecord = { ...current, ...change, updatedAt: this.stamp(current.updatedAt) };
		this.put(next);
		if (change.download && change.download.phase !== 'downloading') {
			this.progress.delete(id);
		}
		this.markDirty();
		this._onDidChange.fire([id]);
		return next;
	}

	/** Records download progress for display; it is not written to disk. */
	setProgress(id: string, progress: TaskProgress): void {
		if (this.tasks.has(id)) {
			this.progress.set(id, progress);
			this._onDidChange.fire([id]);
		}
	}

	async remove(ids: readonly string[]): Promise<void> {
		const now = this.now();
		const gone: string[] = [];
		for (const id of ids) {
			const task = this.tasks.get(id);
			if (task) {
				// Never older than the record itself, or the merge would take the record back.
				this.removed.set(id, Math.max(now, task.updatedAt));
				this.drop(id);
				this.progress.delete(id);
				gone.push(id);
			}
		}
		if (gone.length) {
			this.dirty = true;
			this._onDidChange.fire(gone);
			await this.flush();
		}
	}

	/**
	 * Holds the batched write back until the returned function is called, so that a poll round
	 * that lasts longer than the write delay still ends in a single write (its own flush).
	 */
	holdWrites(): () => void {
		this.writesHeld++;
		let released = false;
		return () => {
			if (!released) {
				released = true;
				this.writesHeld--;
				if (this.dirty) {
					this.markDirty();
				}
			}
		};
	}

	/** Writes now if anything changed; resolves when it is on disk, rejects if the write failed. */
	flush(): Promise<void> {
		if (this.writeTimer) {
			clearTimeout(this.writeTimer);
			this.writeTimer = undefined;
		}
		const next = this.writing.catch(() => undefined).then(() => this.dirty ? this.write() : undefined);
		this.writing = next;
		return next;
	}

	dispose(): void {
		if (this.writeTimer) {
			clearTimeout(this.writeTimer);
			this.writeTimer = undefined;
		}
		this._onDidChange.dispose();
		this._onDidChangeSaveState.dispose();
	}

	private markDirty(): void {
		this.dirty = true;
		if (!this.writeTimer && this.writesHeld === 0) {
			this.writeTimer = setTimeout(() => {
				this.writeTimer = undefined;
				this.flush().catch(() => undefined); // logged, reported and tried again by write()
			}, this.options.writeDelayMs ?? 200);
		}
	}

	/** Strictly increasing per record, even when the clock stands still or goes back. */
	private stamp(previous: number): number {
		return Math.max(this.now(), (previous ?? 0) + 1);
	}

	private async write(): Promise<void> {
		this.dirty = false;
		try {
			await this.writeMerged();
		} catch (error) {
			this.dirty = true;
			this.failedToSave(error as NodeJS.ErrnoException);
			throw error;
		}
		if (this.saveFailing) {
			this.saveFailing = false;
			this.log.info(`the task list ${this.options.file} is saved again`);
			this._onDidChangeSaveState.fire(undefined);
		}
	}

	/** Says so once, and tries again later: nothing else may come along to write the changes. */
	private failedToSave(error: NodeJS.ErrnoException): void {
		if (!this.saveFailing) {
			this.saveFailing = true;
			this.log.error(`could not save the task list ${this.options.file}: ${String(error)}; the changes are kept and saving is tried again`);
			this._onDidChangeSaveState.fire({ file: this.options.file, error });
		} else {
			this.log.warn(`still cannot save the task list: ${String(error)}`);
		}
		if (!this.writeTimer) {
			this.writeTimer = setTimeout(() => {
				this.writeTimer = undefined;
				this.flush().catch(() => undefined); // reported above
			}, this.options.retryDelayMs ?? 10_000);
		}
	}

	private async writeMerged(): Promise<void> {
		const onDisk = await this.read();
		const changed = this.merge(onDisk);
		const cutoff = this.now() - tombstoneLifetimeMs;
		const removed = Object.fromEntries([...this.removed].filter(([, time]) => time > cutoff));
		// Records this version cannot read go back first, as they were; none of them is one of this
		// window's tasks (a reader of two records with one id takes the last, and this window's is whole).
		const unreadable = (onDisk.unreadable ?? []).filter(record => {
			const id = (record as { id?: unknown } | null)?.id;
			// Nor a task this window removed: a later version able to read it would bring it back.
			return typeof id !== 'string' || (!this.tasks.has(id) && !this.removed.has(id));
		});
		const content = { version: 1, tasks: [...unreadable, ...this.all()], removed };
		const temporary = `${this.options.file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
		await fs.promises.mkdir(path.dirname(this.options.file), { recursive: true });
		const handle = await fs.promises.open(temporary, 'w');
		try {
			try {
				await handle.writeFile(JSON.stringify(content));
				await handle.sync();
			} finally {
				await handle.close();
			}
			await fs.promises.rename(temporary, this.options.file);
		} catch (error) {
			// Half a list on a full disk keeps it full: the file goes, the list stays in memory.
			await fs.promises.rm(temporary, { force: true }).catch(() => undefined);
			throw error;
		}
		this.writes++;
		if (changed.length) {
			this._onDidChange.fire(changed);
		}
	}

	/**
	 * Removes the temporary files of writes that never finished: those of a window whose process is
	 * gone, and any old enough to be no write in progress. Another window's write under way is left.
	 */
	private async removeStaleTemporaries(): Promise<void> {
		const folder = path.dirname(this.options.file);
		const pattern = new RegExp(`^${escapeRegExp(path.basename(this.options.file))}\\.(\\d+)\\.[a-z0-9]*\\.tmp$`);
		let names: string[];
		try {
			// A few names in VideoGen's own folder: listed at once, like the first read of the list.
			names = fs.readdirSync(folder);
		} catch {
			return;
		}
		for (const name of names) {
			const pid = pattern.exec(name)?.[1];
			if (pid === undefined) {
				continue;
			}
			const file = path.join(folder, name);
			try {
				if (!isRunning(Number(pid)) || this.now() - (await fs.promises.stat(file)).mtimeMs > staleTemporaryMs) {
					await fs.promises.rm(file, { force: true });
					this.log.info(`removed ${name}, left by a write that never finished`);
				}
			} catch (error) {
				this.log.warn(`could not remove ${name}: ${String(error)}`);
			}
		}
	}

	private async read(options: { now?: boolean } = {}): Promise<StoreFile> {
		let text: string;
		try {
			text = options.now ? fs.readFileSync(this.options.file, 'utf8') : await readText(this.options.file);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
				return { version: 1, tasks: [] };
			}
			throw error;
		}
		try {
			const parsed = JSON.parse(text) as StoreFile;
			if (!Array.isArray(parsed.tasks)) {
				throw new Error('no task list');
			}
			return { version: 1, ...this.readRecords(parsed.tasks as unknown[]), removed: parsed.removed };
		} catch (error) {
			// Keep the damaged file for inspection instead of silently replacing it.
			const aside = `${this.options.file}.damaged-${this.now()}`;
			this.log.error(`the task list ${this.options.file} is damaged (${String(error)}); it was kept as ${aside}`);
			await fs.promises.rename(this.options.file, aside).catch(() => undefined);
			return { version: 1, tasks: [] };
		}
	}

	/**
	 * The records of a list just read: those this version can use, and those it cannot (kept aside,
	 * to be written back as they are). A usable record whose optional field that the views read as
	 * text or a number holds something else loses that field, with a log line naming the task by
	 * its ids, never its prompt.
	 */
	private readRecords(records: readonly unknown[]): { tasks: readonly TaskRecord[]; unreadable?: unknown[] } {
		for (const record of records) {
			if (!isWholeRecord(record)) {
				// eslint-disable-next-line @typescript-eslint/no-require-imports
				return (require('./taskListRepair') as typeof TaskListRepair).sortOutRecords(records, message => this.reportOnce(message));
			}
		}
		return { tasks: records as readonly TaskRecord[] }; // as parsed: nothing to copy
	}

	/** Logs a problem with the saved list once per window, not at every write that reads the list again. */
	private reportOnce(message: string): void {
		if (!this.reported.has(message)) {
			this.reported.add(message);
			this.log.warn(message);
		}
	}

	/** True when this window knows something the file lacks: a newer record, or a removal. */
	private isNewerThan(stored: StoreFile): boolean {
		const onDisk = new Map(stored.tasks.map(task => [task.id, task.updatedAt]));
		for (const task of this.tasks.values()) {
			if ((onDisk.get(task.id) ?? -Infinity) < task.updatedAt) {
				return true;
			}
		}
		for (const [id, time] of this.removed) {
			if ((onDisk.get(id) ?? Infinity) <= time) {
				return true;
			}
		}
		return false;
	}

	/** Takes the newer of each record; returns the ids whose in-memory record changed. */
	private merge(stored: StoreFile): string[] {
		const changed: string[] = [];
		for (const [id, time] of Object.entries(stored.removed ?? {})) {
			if ((this.removed.get(id) ?? 0) < time) {
				this.removed.set(id, time);
			}
			const local = this.tasks.get(id);
			if (local && local.updatedAt <= time) {
				this.drop(id);
				changed.push(id);
			}
		}
		for (const task of stored.tasks) {
			const local = this.tasks.get(task.id);
			const removedAt = this.removed.get(task.id);
			if (removedAt !== undefined && removedAt >= task.updatedAt) {
				continue;
			}
			if (!local || local.updatedAt < task.updatedAt) {
				this.put(task);
				changed.push(task.id);
			}
		}
		return changed;
	}
}

/**
 * `fs.readFile` with a callback, not `fs.promises.readFile`: for a list of a thousand tasks the
 * promise version took about 1.7 times as long (it reads in several round trips through its file
 * handle), and its first use loads Node's promise-based fs modules, which activation otherwise
 * never needs.
 */
function readText(file: string): Promise<string> {
	return new Promise((resolve, reject) => fs.readFile(file, 'utf8', (error, text) => error ? reject(error) : resolve(text)));
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True when a process with this id exists (it may belong to another user). */
function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * The quick check of a record read from the saved list, on every record of every read: the fields
 * a task cannot be shown or polled without, and the optional ones the views read as text or a
 * number. A record that fails it goes to ./taskListRepair (see there).
 */
function isWholeRecord(value: unknown): value is TaskRecord {
	const task = value as TaskRecord;
	return isTaskRecord(task) && hasReadableOptionals(task);
}

