/**
 * Child process of the benchmark: downloads one URL with the extension's own downloader and
 * dispatcher (`downloadVideo`, `createDispatcher` from src/net.ts) and reports how long it took and
 * how much the process's resident memory grew meanwhile. Prints one JSON line.
 *
 *   node download.js <url> <file> <api origin>
 *   node download.js <url> --discard             the same request through the same dispatcher,
 *                                                 received the same way (a dispatch handler), body
 *                                                 thrown away: what the HTTP stack alone costs
 *
 * Peak memory is read two ways: the kernel's high-water mark (VmHWM, reset just before the
 * download through /proc/self/clear_refs), and `process.memoryUsage().rss` sampled every 20 ms.
 */

import * as fs from 'fs';
import type { Dispatcher } from 'undici';
import { createDispatcher, downloadVideo } from '../../src/net';

function statusField(name: string): number | undefined {
	try {
		const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'));
		return match ? Number(match[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

/** Resets VmHWM to the current RSS (Linux ≥ 4.0). */
function resetHighWaterMark(): boolean {
	try {
		fs.writeFileSync('/proc/self/clear_refs', '5');
		return true;
	} catch {
		return false;
	}
}

async function main(): Promise<void> {
	const [url, file, apiOrigin] = process.argv.slice(2);
	const dispatcher = createDispatcher();
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
		result = { bytes: await discardBody(dispatcher, url) };
	} else {
		result = await downloadVideo({ url, file, apiOrigin, dispatcher, onProgress: () => void progressCalls++ });
	}
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	clearInterval(sampler);
	sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
	const hwm = hwmReset ? statusField('VmHWM') : undefined;
	await dispatcher.close();
	process.stdout.write(`${JSON.stringify({ bytes: result.bytes, ms, baselineRss, sampledPeak, hwm, progressCalls })}\n`);
}

/** Receives the body as the downloader does, at undici's dispatcher level, and only counts it. */
function discardBody(dispatcher: Dispatcher, url: string): Promise<number> {
	const target = new URL(url);
	let bytes = 0;
	return new Promise((resolve, reject) => {
		dispatcher.dispatch({ origin: target.origin, path: target.pathname, method: 'GET' }, {
			onRequestStart: () => undefined, // marks this as a handler of undici's current interface
			onResponseStart: (_controller, statusCode) => {
				if (statusCode !== 200) {
					reject(new Error(`HTTP ${statusCode}`));
				}
			},
			onResponseData: (_controller, chunk) => {
				bytes += chunk.length;
			},
			onResponseEnd: () => resolve(bytes),
			onResponseError: (_controller, error) => reject(error),
		});
	});
}

main().catch(error => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
