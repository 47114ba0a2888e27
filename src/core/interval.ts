/**
 * How long the engine waits between rounds, made safe for a timer. Node's timers take at most
 * 2^31 - 1 ms (24.8 days): a longer delay, `Infinity` or `NaN` fires at once instead, which turns
 * polling into a busy loop. The settings are clamped where they are read; this is the engine's own
 * guard, whatever its caller passes.
 */

/** The longest delay a Node timer honours. */
export const maxTimerMs = 2 ** 31 - 1;

/** The longest interval the engine accepts: a day. */
export const maxIntervalMs = 24 * 60 * 60_000;

/** The shortest: anything shorter would be a busy loop in all but name. */
export const minIntervalMs = 10;

/** `ms` brought within [`minIntervalMs`, `maxIntervalMs`]; `NaN` (or anything not a number) becomes `fallbackMs`. */
export function boundedInterval(ms: number, fallbackMs: number): number {
	if (typeof ms !== 'number' || Number.isNaN(ms)) {
		return fallbackMs;
	}
	return Math.min(maxIntervalMs, Math.max(minIntervalMs, ms));
}

/** A delay a timer waits for as asked: not negative, not `NaN`, not beyond what a timer honours. */
export function timerDelay(ms: number): number {
	return Number.isNaN(ms) ? 0 : Math.min(maxTimerMs, Math.max(0, ms));
}
