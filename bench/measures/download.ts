/**
 * Download of one large result from the simulator's storage host: the extension's downloader in a
 * child process (so its memory is its own), against `curl` on the same URL, alternating which
 * goes first, in the same run.
 */

import * as fs from 'fs';
import * as path from 'path';
import { ApiClient } from '../../src/core/net/apiClient';
import { buildSubmitBody, serializeSubmitBody } from '../../src/core/models/submitBody';
import { createDispatcher } from '../../src/core/net/httpStack';
import { startSimulator } from '../../test/simulator/simulator';
import { run, runNodeJson } from '../lib/child';
import { Row } from '../lib/report';
import { describe, mib, sleep, summarize } from '../lib/stats';
import { defaultModelId } from '../../src/core/videoModels';

interface DownloadResult {
	bytes: number;
	ms: number;
	baselineRss: number;
	sampledPeak: number;
	hwm?: number;
}

const child = path.join(__dirname, '..', 'children', 'download.js');

async function curlOnce(url: string, file: string): Promise<{ ms: number; bytes: number }> {
	const result = await run('curl', ['-s', '-S', '-f', '-o', file, '-w', '%{time_total} %{size_download}', url], { timeoutMs: 300_000 });
	if (result.code !== 0) {
		throw new Error(`curl failed (${result.code}): ${result.stderr.trim()}`);
	}
	const [seconds, bytes] = result.stdout.trim().split(/\s+/).map(Number);
	return { ms: seconds * 1000, bytes };
}

export async function measureDownload(work: string, runs: number, bytes: number, curlAvailable: boolean): Promise<Row[]> {
	const sim = await startSimulator({ syntheticVideoBytes: bytes, pendingMs: 0, runningMs: 0 });
	const dispatcher = createDispatcher();
	const client = new ApiClient({ origin: sim.apiUrl, apiKey: sim.apiKey, dispatcher });
	const { taskId } = await client.submit(defaultModelId, serializeSubmitBody(buildSubmitBody(defaultModelId, { prompt: 'A bench scene with a large result. [instant]', parameters: { size: '720x1280', duration: 4 } })));
	const status = await client.status(taskId);
	await dispatcher.close();
	const url = status.urls[0];
	if (status.status !== 'Success' || !url) {
		throw new Error(`the simulator did not finish the download task: ${status.status}`);
	}
	const folder = fs.mkdtempSync(path.join(work, 'download-'));
	const ours: DownloadResult[] = [];
	const discard: DownloadResult[] = [];
	const curl: { ms: number; bytes: number }[] = [];
	const ratios: number[] = [];
	const discardRatios: number[] = [];
	try {
		for (let i = 0; i < runs; i++) {
			const steps = [
				async () => {
					const file = path.join(folder, `ours-${i}.mp4`);
					const result = await runNodeJson<DownloadResult>(child, [url, file, sim.apiUrl], ['--expose-gc'], 300_000);
					fs.rmSync(file, { force: true });
					if (result.bytes !== bytes) {
						throw new Error(`the downloader saved ${result.bytes} of ${bytes} bytes`);
					}
					ours.push(result);
				},
				async () => {
					const result = await runNodeJson<DownloadResult>(child, [url, '--discard'], ['--expose-gc'], 300_000);
					if (result.bytes !== bytes) {
						throw new Error(`the HTTP stack received ${result.bytes} of ${bytes} bytes`);
					}
					discard.push(result);
				},
				async () => {
					if (!curlAvailable) {
						return;
					}
					const file = path.join(folder, `curl-${i}.mp4`);
					const result = await curlOnce(url, file);
					fs.rmSync(file, { force: true });
					if (result.bytes !== bytes) {
						throw new Error(`curl saved ${result.bytes} of ${bytes} bytes`);
					}
					curl.push(result);
				},
			];
			// Rotated, so that each one goes first in turn.
			const order = [...steps.slice(i % steps.length), ...steps.slice(0, i % steps.length)];
			for (const step of order) {
				// Dirty pages of the previous file are written out first, so neither side pays for the other's.
				await run('sync', []).catch(() => undefined);
				await step();
				await sleep(200);
			}
			if (curlAvailable) {
				// Paired in the same iteration: throughput ratio = curl's time / ours.
				ratios.push(curl[curl.length - 1].ms / ours[ours.length - 1].ms);
				discardRatios.push(curl[curl.length - 1].ms / discard[discard.length - 1].ms);
			}
		}
	} finally {
		fs.rmSync(folder, { recursive: true, force: true });
		await sim.close();
	}
	const throughput = (b: number, ms: number) => b / 1024 / 1024 / (ms / 1000);
	const growth = (r: DownloadResult) => (Math.max(r.hwm ?? 0, r.sampledPeak) - r.baselineRss) / 1024 / 1024;
	const oursMBps = summarize(ours.map(r => throughput(r.bytes, r.ms)));
	const curlMBps = summarize(curl.map(r => throughput(r.bytes, r.ms)));
	const discardMBps = summarize(discard.map(r => throughput(r.bytes, r.ms)));
	const ratio = summarize(ratios);
	const discardRatio = summarize(discardRatios);
	const growthMB = summarize(ours.map(growth));
	const discardGrowthMB = summarize(discard.map(growth));
	const kernelPeak = ours.every(r => r.hwm !== undefined);
	const size = mib(bytes);
	const throughputMet = curlAvailable ? ratio.median >= 0.9 : undefined;
	const memoryMet = growthMB.median <= 64;
	const stack = 'receiving alone (the same request through the downloader\'s HTTP client, body thrown away, no file)';
	return [
		{
			what: `download of a ${size} result from the simulator's storage host on loopback (\`downloadVideo()\`, to a file)`,
			measured: `${describe(oursMBps, ' MB/s', 0)}; ratio to curl ${curlAvailable ? describe(ratio, '×', 2) : 'n/a'}`,
			target: '≥ 0.9× curl',
			comparison: (curlAvailable
				? `\`curl -s -o file URL\`, same URL, order rotated: ${describe(curlMBps, ' MB/s', 0)}`
				: '**curl is not installed: the comparison with curl was SKIPPED** (install curl and run again)')
				+ `; ${stack}: ${describe(discardMBps, ' MB/s', 0)}${curlAvailable ? `, ${describe(discardRatio, '×', 2)} curl` : ''}`,
			met: throughputMet,
			note: throughputMet === false
				? `the downloader reached ${ratio.median.toFixed(2)}× curl (median of paired runs). ${stack[0].toUpperCase()}${stack.slice(1)} reached ${discardRatio.median.toFixed(2)}× curl in the same runs, `
				+ (discardRatio.median < 0.9
					? 'so the gap is in receiving: profile src/core/net/httpGet.ts with `--cpu-prof`.'
					: 'so saving the file is the difference: profile the FileWriter in src/core/downloader.ts (write size, buffers in flight) against the disk.')
				: curlAvailable ? undefined : 'curl was not found, so the throughput target could not be checked.',
		},
		{
			what: `peak memory growth of the process during that download (resident set: ${kernelPeak ? 'the kernel\'s high-water mark VmHWM, reset just before the download, and ' : ''}\`process.memoryUsage().rss\` sampled every 20 ms)`,
			measured: describe(growthMB, ' MB', 1),
			target: '≤ 64 MB',
			comparison: `${stack}: ${describe(discardGrowthMB, ' MB', 1)}; file ${size}; resident set before the download ${mib(summarize(ours.map(r => r.baselineRss)).median)}`,
			met: memoryMet,
			note: memoryMet ? undefined : `the resident set grew by ${growthMB.median.toFixed(1)} MB (median; up to ${growthMB.max.toFixed(1)} MB); ${stack} grew by ${discardGrowthMB.median.toFixed(1)} MB in the same runs. `
				+ 'The downloader reads into one reused 64 KB buffer and copies into four reused 256 KB write buffers, so growth beyond a few MB is new: look for buffers allocated per read with `--heap-prof` or smaps.',
		},
	];
}
