/**
 * Lets one VS Code window at a time do the polling and downloading, so two open windows never
 * ask about the same task twice or write the same file. The lease is a small file naming its
 * holder and when it runs out; the holder renews it, and anyone may take it once it has run out
 * (a window that crashed stops renewing).
 */

import * as fs from 'fs';
import * as path from 'path';

interface LeaseFile {
	readonly owner: string;
	readonly expiresAt: number;
}

export class Lease {
	private held = false;
	private expiresAt = 0;

	constructor(
		private readonly file: string,
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
		if (this.held && this.expiresAt - this.now() > durationMs / 2) {
			return true;
		}
		const current = this.read();
		if (current && current.owner !== this.owner && current.expiresAt > this.now()) {
			this.held = false;
			return false;
		}
		const mine: LeaseFile = { owner: this.owner, expiresAt: this.now() + durationMs };
		try {
			fs.mkdirSync(path.dirname(this.file), { recursive: true });
			const temporary = `${this.file}.${process.pid}.tmp`;
			fs.writeFileSync(temporary, JSON.stringify(mine));
			fs.renameSync(temporary, this.file);
			// Two windows may have written at once: the file says who won.
			this.held = this.read()?.owner === this.owner;
			this.expiresAt = mine.expiresAt;
		} catch {
			this.held = false;
		}
		return this.held;
	}

	/** Gives the lease up (on window close) so another window can take over at once. */
	release(): void {
		if (this.read()?.owner === this.owner) {
			try {
				fs.rmSync(this.file, { force: true });
			} catch {
				// nothing to do: it runs out by itself
			}
		}
		this.held = false;
	}

	private read(): LeaseFile | undefined {
		try {
			const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as LeaseFile;
			return typeof parsed.owner === 'string' && typeof parsed.expiresAt === 'number' ? parsed : undefined;
		} catch {
			return undefined;
		}
	}
}
