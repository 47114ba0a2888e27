/**
 * Peak memory of a benchmark's child process, read the way the download and submit children read
 * it: the kernel's high-water mark of the resident set (VmHWM, Linux), reset just before what is
 * measured, next to `process.memoryUsage().rss` sampled by the caller.
 */

import * as fs from 'fs';

/** A `… kB` field of /proc/self/status, in bytes; `undefined` where there is none. */
export function statusField(name: string): number | undefined {
	try {
		const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'));
		return match ? Number(match[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

/** Resets VmHWM to the current RSS (Linux ≥ 4.0); false where it cannot. */
export function resetHighWaterMark(): boolean {
	try {
		fs.writeFileSync('/proc/self/clear_refs', '5');
		return true;
	} catch {
		return false;
	}
}
