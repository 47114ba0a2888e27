/**
 * Child process of the benchmark: downloads one URL with the extension's own downloader
 * (`downloadVideo` from src/core/net/httpStack.ts, which also loads undici as the extension does) and reports how
 * long it took and how much the process's resident memory grew meanwhile. Prints one JSON line.
 *
 *   node download.js <url> <file> <api origin>
 *   node download.js <url> --discard             the same request through the same HTTP client
 *                                                 (src/core/net/httpGet.ts), body thrown away: what
 *                                                 receiving alone costs
 *
 * Peak memory is read two ways: the kernel's high-water mark (VmHWM, reset just before the
 * download through /proc/self/clear_refs), and `process.memoryUsage().rss` sampled every 20 ms.
 */

import { downloadVideo } from '../../src/core/net/httpStack';
import { httpGet } from '../../src/core/net/httpGet';
import { resetHighWaterMark, statusField } from '../lib/memory';

async function main(): Promise<void> {
	const [url, file, apiOrigin] = process.argv.slice(2);
	// Settle what loading the modules allocated, so the baseline is the idle process.
	(global as { gc?: () => void }).gc?.();
	await new Promise(resolve => setTimeout(resolve, 100));
	const hwmReset = resetHighWaterMark();
	const baselineRss = process.memoryUsage().rss;
	let sampledPeak = baselineRss;
	const sampler = setInterval(() => {
		sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
	}, 20);
	let progressCalls = 0;
	const started = process.hrtime.bigint();
	let result: { bytes: number };
	if (file === '--discard') {
		result = { bytes: await discardBody(url) };
	} else {
		result = await downloadVideo({ url, file, apiOrigin, onProgress: () => void progressCalls++ });
	}
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	clearInterval(sampler);
	sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
	const hwm = hwmReset ? statusField('VmHWM') : undefined;
	process.stdout.write(`${JSON.stringify({ bytes: result.bytes, ms, baselineRss, sampledPeak, hwm, progressCalls })}\n`);
}

/** Receives the body as the downloader does (`httpGet`), and only counts it. */
async function discardBody(url: string): Promise<number> {
	let bytes = 0;
	await httpGet({ url: new URL(url), idleTimeoutMs: 30_000 }, head => {
		if (head.status !== 200) {
			throw new Error(`HTTP ${head.status}`);
		}
		return {
			write: chunk => {
				bytes += chunk.length;
				return true;
			},
		};
	});
	return bytes;
}

main().catch(error => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
