/** Retry timing for status queries: bounded exponential back-off with jitter, honouring `Retry-After`. */

export interface BackoffOptions {
	/** The first delay, before jitter. */
	readonly baseMs: number;
	/** No delay is longer than this, whatever the attempt or the server says. */
	readonly maxMs: number;
}

/**
 * The delay before retry number `attempt` (1 for the first retry).
 * "Equal jitter": half the exponential delay is kept, the other half is random, so retries from
 * many tasks spread out but never come back sooner than half the back-off.
 * A server's `Retry-After` is a floor (capped by `maxMs`).
 */
export function backoffDelay(attempt: number, options: BackoffOptions, retryAfterMs?: number, random: () => number = Math.random): number {
	const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
	const jittered = exponential / 2 + random() * (exponential / 2);
	const floor = retryAfterMs === undefined ? 0 : Math.min(options.maxMs, retryAfterMs);
	return Math.round(Math.max(jittered, floor));
}

/**
 * The longest wait a `Retry-After` is taken to ask for: a day. Waits are cut to the back-off's own
 * limit anyway; this keeps what a message quotes a number of seconds, not "Infinity" or a year.
 */
const maxRetryAfterMs = 24 * 60 * 60 * 1000;

/** Parses a `Retry-After` header (seconds, or an HTTP date) into milliseconds from `now`, at most a day. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
	const header = Array.isArray(value) ? value[0] : value;
	if (!header) {
		return undefined;
	}
	if (/^\s*\d+\s*$/.test(header)) {
		return Math.min(maxRetryAfterMs, Number(header) * 1000);
	}
	const date = Date.parse(header);
	return Number.isNaN(date) ? undefined : Math.min(maxRetryAfterMs, Math.max(0, date - now));
}
