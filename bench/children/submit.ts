/**
 * Child process of the benchmark: submits one request whose first frame is a large image given as
 * bytes, to the simulator, and reports how much the process's resident memory grew meanwhile.
 * Prints one JSON line.
 *
 *   node submit.js <api origin> <api key> <image file> stream
 *       as the extension sends it: buildSubmitBody, serializeSubmitBody, ApiClient.submit (the image
 *       encoded 48 KB at a time while the body is sent)
 *   node submit.js <api origin> <api key> <image file> string
 *       the same body as one JSON string (JSON.stringify), sent by the same client: what a string
 *       body costs
 *
 * The image file is read, and the connection opened with a small submit, before the baseline is
 * taken: what is measured is building and sending the body. Peak memory is read as in
 * download.ts: the kernel's high-water mark (VmHWM, reset just before) and `rss` sampled every 20 ms.
 */

import * as fs from 'fs';
import { buildSubmitBody, SerializedBody, serializeSubmitBody, SubmitBody } from '../../src/core/models/submitBody';
import { ApiClient } from '../../src/core/net/apiClient';
import { createDispatcher } from '../../src/core/net/httpStack';
import { resetHighWaterMark, statusField } from '../lib/memory';

const submitModel = 'MiniMax-Hailuo-2.3';

/** The body as one string, sent in one piece: what `JSON.stringify` and a string body cost. */
function asOneString(body: SubmitBody): SerializedBody {
	const text = JSON.stringify(body);
	return {
		byteLength: Buffer.byteLength(text),
		*chunks() {
			yield Buffer.from(text, 'utf8');
		},
	};
}

async function main(): Promise<void> {
	const [origin, apiKey, file, mode] = process.argv.slice(2);
	const image = fs.readFileSync(file);
	const dispatcher = createDispatcher();
	const client = new ApiClient({ origin, apiKey, dispatcher, timeoutMs: 120_000 });
	const request = (bytes: Uint8Array) => buildSubmitBody(submitModel, { prompt: 'A bench scene from a large first frame. [instant]', parameters: { resolution: '768P', duration: 6 }, image: { bytes, mimeType: 'image/png' } });
	// Loads and warms everything a submit uses, and opens the connection, with a small image.
	await client.submit(submitModel, serializeSubmitBody(request(image.subarray(0, 4096))));
	(global as { gc?: () => void }).gc?.();
	await new Promise(resolve => setTimeout(resolve, 100));
	const hwmReset = resetHighWaterMark();
	const baselineRss = process.memoryUsage().rss;
	let sampledPeak = baselineRss;
	const sampler = setInterval(() => {
		sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
	}, 20);
	const started = process.hrtime.bigint();
	const body = mode === 'string' ? asOneString(request(image)) : serializeSubmitBody(request(image));
	const { taskId } = await client.submit(submitModel, body);
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	clearInterval(sampler);
	sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
	const hwm = hwmReset ? statusField('VmHWM') : undefined;
	await dispatcher.close();
	process.stdout.write(`${JSON.stringify({ taskId, imageBytes: image.length, bodyBytes: body.byteLength, ms, baselineRss, sampledPeak, hwm })}\n`);
}

main().catch(error => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
