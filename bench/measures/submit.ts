/**
 * The memory a submit with a large image costs: a 10 MB PNG as the first frame of an image-to-video
 * model that takes the image itself (13.3 MB of Base64 in the body), sent to the simulator by the
 * extension's own code in a child process (bench/children/submit.ts), as the extension sends it
 * (built from the catalogue, serialized in 64 KB pieces while it is sent) and, in the same run, as
 * one JSON string through the same client.
 */

import * as fs from 'fs';
import * as path from 'path';
import { png } from '../../test/common/images';
import { startSimulator } from '../../test/simulator/simulator';
import { runNodeJson } from '../lib/child';
import { Row } from '../lib/report';
import { describe, mib, sleep, summarize } from '../lib/stats';

interface SubmitResult {
	taskId: string;
	imageBytes: number;
	bodyBytes: number;
	ms: number;
	baselineRss: number;
	sampledPeak: number;
	hwm?: number;
}

const imageBytes = 10 * 1024 * 1024;

export async function measureSubmitMemory(work: string, runs: number): Promise<Row> {
	const child = path.join(__dirname, '..', 'children', 'submit.js');
	const file = path.join(work, 'first-frame.png');
	const frame = png(320, 320);
	fs.writeFileSync(file, png(320, 320, imageBytes - frame.length));
	const sim = await startSimulator({ pendingMs: 0, runningMs: 0 });
	const streamed: SubmitResult[] = [];
	const oneString: SubmitResult[] = [];
	const ratios: number[] = [];
	try {
		for (let i = 0; i < runs; i++) {
			const steps = [
				async () => streamed.push(await runNodeJson<SubmitResult>(child, [sim.apiUrl, sim.apiKey, file, 'stream'], ['--expose-gc'])),
				async () => oneString.push(await runNodeJson<SubmitResult>(child, [sim.apiUrl, sim.apiKey, file, 'string'], ['--expose-gc'])),
			];
			// Alternated, so that each goes first in turn.
			for (const step of i % 2 ? steps.reverse() : steps) {
				await step();
				await sleep(200);
			}
			ratios.push(growth(streamed[streamed.length - 1]) / growth(oneString[oneString.length - 1]));
		}
		const accepted = [...streamed, ...oneString].every(result => sim.tasks.has(result.taskId));
		if (!accepted) {
			throw new Error('the simulator did not accept every submit');
		}
	} finally {
		await sim.close();
	}
	const growthMB = summarize(streamed.map(result => growth(result) / 1024 / 1024));
	const stringMB = summarize(oneString.map(result => growth(result) / 1024 / 1024));
	const ratio = summarize(ratios);
	// The bound: the growth at most three times the image's Base64, and the time set beside
	// encoding the same file with Buffer.toString('base64') in this process.
	const base64Bytes = Math.ceil(imageBytes / 3) * 4;
	const encodeMs: number[] = [];
	const bytes = fs.readFileSync(file);
	for (let i = 0; i < Math.max(3, runs); i++) {
		const started = process.hrtime.bigint();
		bytes.toString('base64');
		encodeMs.push(Number(process.hrtime.bigint() - started) / 1e6);
	}
	const kernelPeak = streamed.every(result => result.hwm !== undefined);
	fs.rmSync(file, { force: true });
	const met = growthMB.median * 1024 * 1024 <= 3 * base64Bytes;
	return {
		what: `peak memory growth of the process while a submit with a ${mib(imageBytes)} PNG as its first frame is built and sent (\`buildSubmitBody\`, \`serializeSubmitBody\`, \`ApiClient.submit\`; body ${mib(streamed[0].bodyBytes)} with the image's Base64; resident set: ${kernelPeak ? 'VmHWM reset just before, and ' : ''}\`rss\` sampled every 20 ms)`,
		measured: `${describe(growthMB, ' MB', 1)}; ratio to one string ${describe(ratio, '×', 2)}`,
		target: `≤ 3× the image's Base64 (${mib(base64Bytes)}), i.e. ≤ ${mib(3 * base64Bytes)}`,
		comparison: `\`Buffer.toString('base64')\` of the same file in this process: ${describe(summarize(encodeMs), ' ms', 1)}; the same body as one JSON string (\`JSON.stringify\`) through the same client, order alternated: ${describe(stringMB, ' MB', 1)}; submit time ${describe(summarize(streamed.map(r => r.ms)), ' ms', 0)} against ${describe(summarize(oneString.map(r => r.ms)), ' ms', 0)}`,
		met,
		note: met ? undefined : `the streamed body grew the process by ${growthMB.median.toFixed(1)} MB (median), more than 3× the ${mib(base64Bytes)} of Base64 (${ratio.median.toFixed(2)}× the one-string body). The pieces are freed by the garbage collector, not when sent: growth beyond a few 64 KB pieces is pieces waiting for a collection, or a piece kept by the HTTP client (look with \`--heap-prof\`).`,
	};
}

function growth(result: SubmitResult): number {
	return Math.max(result.hwm ?? 0, result.sampledPeak) - result.baselineRss;
}
