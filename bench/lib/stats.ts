/** Summaries of repeated measurements: median and spread, never a single lucky number. */

export interface Summary {
	readonly n: number;
	readonly median: number;
	readonly min: number;
	readonly max: number;
	/** 25th and 75th percentiles. */
	readonly q1: number;
	readonly q3: number;
}

export function summarize(values: readonly number[]): Summary {
	if (!values.length) {
		return { n: 0, median: NaN, min: NaN, max: NaN, q1: NaN, q3: NaN };
	}
	const sorted = [...values].sort((a, b) => a - b);
	return {
		n: sorted.length,
		median: quantile(sorted, 0.5),
		min: sorted[0],
		max: sorted[sorted.length - 1],
		q1: quantile(sorted, 0.25),
		q3: quantile(sorted, 0.75),
	};
}

/** Linear interpolation between closest ranks, on sorted values. */
function quantile(sorted: readonly number[], q: number): number {
	const position = (sorted.length - 1) * q;
	const lower = Math.floor(position);
	const upper = Math.ceil(position);
	return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

/** `12.3 ms (min–max 11.0–15.2, n=15)`. */
export function describe(summary: Summary, unit: string, digits = 1): string {
	const f = (value: number) => value.toFixed(digits);
	if (summary.n === 1) {
		return `${f(summary.median)}${unit}`;
	}
	return `**${f(summary.median)}${unit}** (min–max ${f(summary.min)}–${f(summary.max)}, IQR ${f(summary.q1)}–${f(summary.q3)}, n=${summary.n})`;
}

export function kib(bytes: number): string {
	return `${(bytes / 1024).toFixed(1)} KB`;
}

export function mib(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function msSince(start: bigint): number {
	return Number(process.hrtime.bigint() - start) / 1e6;
}

export function sleep(ms: number): Promise<void> {
	return new Promise(resolve => setTimeout(resolve, ms));
}
