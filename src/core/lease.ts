/**
 * Lets one VS Code window at a time do the polling and downloading, so two open windows never
 * ask about the same task twice or write the same file.
 *
 * The lease is a folder of numbered terms. A term is a small file naming its holder and when it
 * runs out, and it is created with an exclusive create (`open(…, 'wx')`), which the file system
 * grants to exactly one of the windows that ask for the same name at once. The holder renews by
 * taking the next term; any window may take the next term once the newest one has run out (a
 * window that crashed stops renewing). Term numbers only grow (giving the lease up is one more
 * term, already run out), so a window that read an old term can never take one already taken.
 *
 * An earlier version kept one file and checked who won by reading it back after a rename; two
 * windows could both read themselves back as the holder. test/system/leaseRace.test.ts races
 * several processes for the lease hundreds of times to show the folder of terms cannot.
 */

import * as fs from 'fs';
import * as path from 'path';
import { maxIntervalMs } from './interval';

export interface LeaseHolder {
	readonly owner: string;
	readonly expiresAt: number;
}

/** The newest term in the folder: its number (0 for none) and, when readable, its holder. */
interface Term {
	readonly term: number;
	readonly holder?: LeaseHolder;
	/** The file is there but not (yet) readable: its holder is still writing it, or it is damaged. */
	readonly unreadableSince?: number;
}

const termName = /^\d+$/;

export class Lease {
	private held = false;
	private expiresAt = 0;

	constructor(
		/** The lease's folder (`poller.lease` in the storage folder). */
		private readonly folder: string,
		private readonly owner: string,
		private readonly now: () => number = Date.now,
	) { }

	get isHeld(): boolean {
		return this.held;
	}

	/**
	 * Takes or renews the lease for `durationMs`; returns whether this owner holds it now.
	 * Cheap to call often: a lease held with more than half its time left is not rewritten.
	 */
	tryAcquire(durationMs: number): boolean {
		// A lease that never runs out would outlive a crashed window; one of no time is no lease.
		const duration = Number.isFinite(durationMs) && durationMs > 0 ? Math.min(durationMs, maxIntervalMs) : maxIntervalMs;
		if (this.held && this.expiresAt - this.now() > duration / 2) {
			return true;
		}
		this.held = this.take(duration);
		return this.held;
	}

	/** Gives the lease up (on window close) so another window can take over at once. */
	release(): void {
		const newest = this.newest();
		if (newest?.holder?.owner === this.owner && newest.holder.expiresAt > this.now()) {
			// Not a removal: the next term, already run out, keeps the numbers growing.
			this.create(newest.term + 1, { owner: this.owner, expiresAt: 0 });
		}
		this.held = false;
	}

	/** Who holds the newest term, as the folder says now (for tests and the log). */
	holder(): LeaseHolder | undefined {
		return this.newest()?.holder;
	}

	private take(duration: number): boolean {
		const now = this.now();
		const newest = this.newest();
		if (!newest) {
			return false; // the folder changed while it was read: another window is at work
		}
		if (newest.unreadableSince !== undefined ? newest.unreadableSince + duration > now : newest.holder && newest.holder.owner !== this.owner && newest.holder.expiresAt > now) {
			return false;
		}
		const mine: LeaseHolder = { owner: this.owner, expiresAt: now + duration };
		if (!this.create(newest.term + 1, mine)) {
			return false;
		}
		this.expiresAt = mine.expiresAt;
		this.removeBefore(newest.term + 1);
		return true;
	}

	/** Creates term `term` with `holder` in it, unless it exists. True when this call created it. */
	private create(term: number, holder: LeaseHolder): boolean {
		try {
			fs.mkdirSync(this.folder, { recursive: true });
			fs.writeFileSync(path.join(this.folder, String(term)), JSON.stringify(holder), { flag: 'wx' });
			return true;
		} catch {
			// EEXIST: another window took this term first. Anything else: the folder cannot be
			// written, and a lease that cannot be written is not held.
			return false;
		}
	}

	/** The newest term; `undefined` when it cannot be told (it was replaced while being read, or the folder is unreadable). */
	private newest(): Term | undefined {
		let names: string[];
		try {
			names = fs.readdirSync(this.folder);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			return code === 'ENOENT' ? { term: 0 } : code === 'ENOTDIR' ? this.fromSingleFile() : undefined;
		}
		const term = names.filter(name => termName.test(name)).reduce((max, name) => Math.max(max, Number(name)), 0);
		if (!term) {
			return { term: 0 };
		}
		const file = path.join(this.folder, String(term));
		let text: string;
		try {
			text = fs.readFileSync(file, 'utf8');
		} catch {
			return undefined; // taken over and removed since the folder was listed
		}
		const holder = parse(text);
		if (holder) {
			return { term, holder };
		}
		try {
			return { term, unreadableSince: fs.statSync(file).mtimeMs };
		} catch {
			return undefined;
		}
	}

	/**
	 * Version 0.1.0 kept the lease in a single file where the folder now is. A window still running
	 * it (until it reloads) may hold it: that is respected until it runs out. Then the file is
	 * replaced by the folder, whose name the old version cannot write over, so it never polls again.
	 */
	private fromSingleFile(): Term | undefined {
		let text: string;
		try {
			text = fs.readFileSync(this.folder, 'utf8');
		} catch {
			return undefined;
		}
		const holder = parse(text);
		if (holder && holder.owner !== this.owner && holder.expiresAt > this.now()) {
			return { term: 0, holder };
		}
		try {
			fs.unlinkSync(this.folder); // fails on a folder another window has just made: it is then read again next time
			fs.mkdirSync(this.folder, { recursive: true });
		} catch {
			return undefined;
		}
		return { term: 0 };
	}

	/** Removes the terms before `term`; a window still reading one of them finds it gone and reads again next time. */
	private removeBefore(term: number): void {
		let names: string[];
		try {
			names = fs.readdirSync(this.folder);
		} catch {
			return;
		}
		for (const name of names) {
			if (termName.test(name) && Number(name) < term) {
				try {
					fs.rmSync(path.join(this.folder, name), { force: true });
				} catch {
					// left for the next holder to remove
				}
			}
		}
	}
}

function parse(text: string): LeaseHolder | undefined {
	try {
		const parsed = JSON.parse(text) as LeaseHolder;
		return parsed && typeof parsed.owner === 'string' && typeof parsed.expiresAt === 'number' ? parsed : undefined;
	} catch {
		return undefined;
	}
}
