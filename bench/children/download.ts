/**
 * Child process of the benchmark: downloads one URL and reports how long it took and how much the
 * process's resident memory grew meanwhile. Prints one JSON line.
 *
 *   node download.js ours <url> <file> <api origin> [--proxy URL] [--ca FILE]
 *        the extension's own downloader (`downloadVideo` from src/core/net/httpStack.ts, which also
 *        loads undici as the extension does), routed as the extension routes it (network.ts):
 *        directly, or through the proxy given, trusting the authority given
 *   node download.js undici <url> <file> <api origin> [--ca FILE]
 *        the same downloader with no proxy, its GET carried by an undici Agent instead of its own
 *        HTTP client: the route a download takes through a proxy, without the proxy
 *   node download.js receive <url>
 *        the same request through the downloader's own HTTP client (src/core/net/httpGet.ts), body
 *        thrown away: what receiving alone costs
 *   node download.js node-get <url> <file> [--ca FILE]
 *        Node's own `https.get` (`http.get` for an http: link) piped to a file: the baseline
 *   node download.js tunnel <https url> <file> --proxy URL [--ca FILE]
 *        Node's TLS socket laid over a tunnel through the proxy (opened by undici's `Client.connect`),
 *        one GET written by hand, the body written by the downloader's own file writer: no HTTP
 *        client at all. The most any download built on Node's TLS can do through a proxy
 *
 * Peak memory is read two ways: the kernel's high-water mark (VmHWM, reset just before the
 * download through /proc/self/clear_refs), and `process.memoryUsage().rss` sampled every 20 ms.
 */

import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as tls from 'tls';
import { Agent, Client } from 'undici';
import { downloadVideo, Network } from '../../src/core/net/httpStack';
import { FileWriter } from '../../src/core/net/downloader';
import { httpGet } from '../../src/core/net/httpGet';
import { resetHighWaterMark, statusField } from '../lib/memory';

function option(args: string[], name: string): string | undefined {
	const index = args.indexOf(name);
	return index >= 0 ? args[index + 1] : undefined;
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const [mode, url, file, apiOrigin] = args;
	const proxy = option(args, '--proxy');
	const caFile = option(args, '--ca');
	const ca = caFile ? fs.readFileSync(caFile, 'utf8') : undefined;
	// Made before the baseline, as the extension makes its routes on the first request.
	const network = new Network({ settings: () => ({ proxy: proxy ?? '', noProxy: [], proxyStrictSSL: true, systemCertificates: false, env: {} }), ca });
	const route = network.forDownload();
	const agent = mode === 'undici' ? new Agent({ connect: ca ? { ca } : undefined }) : undefined;
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
	let bytes: number;
	switch (mode) {
		case 'ours':
			bytes = (await downloadVideo({ url, file, apiOrigin, route, onProgress: () => void progressCalls++ })).bytes;
			break;
		case 'undici':
			bytes = (await downloadVideo({ url, file, apiOrigin, route: { dispatcher: agent }, onProgress: () => void progressCalls++ })).bytes;
			break;
		case 'receive':
			bytes = await receive(url);
			break;
		case 'node-get':
			bytes = await nodeGet(url, file, ca);
			break;
		case 'tunnel':
			bytes = await tunnel(url, file, proxy!, ca);
			break;
		default:
			throw new Error(`unknown mode ${mode}`);
	}
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	clearInterval(sampler);
	sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
	const hwm = hwmReset ? statusField('VmHWM') : undefined;
	await network.close();
	await agent?.close();
	process.stdout.write(`${JSON.stringify({ bytes, ms, baselineRss, sampledPeak, hwm, progressCalls })}\n`);
}

/** Receives the body as the downloader does without a proxy (`httpGet`), and only counts it. */
async function receive(url: string): Promise<number> {
	let bytes = 0;
	await httpGet({ url: new URL(url), idleTimeoutMs: 30_000 }, head => {
		if (head.status !== 200) {
			throw new Error(`HTTP ${head.status}`);
		}
		return {
			write: (_buffer, start, end) => {
				bytes += end - start;
				return true;
			},
		};
	});
	return bytes;
}

/** Node's own client, the plain way: `https.get(url).pipe(fs.createWriteStream(file))`. */
function nodeGet(url: string, file: string, ca: string | undefined): Promise<number> {
	return new Promise((resolve, reject) => {
		const get = url.startsWith('https:') ? https.get : http.get;
		get(url, { ca }, response => {
			if (response.statusCode !== 200) {
				reject(new Error(`HTTP ${response.statusCode}`));
				return;
			}
			const out = fs.createWriteStream(file);
			response.pipe(out);
			out.on('finish', () => resolve(out.bytesWritten));
			out.on('error', reject);
			response.on('error', reject);
		}).on('error', reject);
	});
}

/**
 * Opens a tunnel to the link's host through `proxy` with undici, lays Node's TLS over it, sends one
 * GET and writes the body with the downloader's file writer. Bench-only: the product never opens a
 * tunnel itself, and this reads no more of the head than its status line.
 */
async function tunnel(url: string, file: string, proxy: string, ca: string | undefined): Promise<number> {
	const target = new URL(url);
	const proxyClient = new Client(proxy);
	try {
		const { socket, statusCode } = await proxyClient.connect({ path: target.host, headers: { host: target.host } });
		if (statusCode !== 200) {
			throw new Error(`the proxy answered the tunnel with ${statusCode}`);
		}
		return await new Promise<number>((resolve, reject) => {
			const secure = tls.connect({ socket: socket as net.Socket, host: target.hostname, ca }, () => {
				secure.write(`GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n`);
			});
			const writer = new FileWriter(file, () => secure.resume(), reject);
			let head = '';
			let body = -1;
			secure.on('data', (chunk: Buffer) => {
				let start = 0;
				if (body < 0) {
					const before = head.length;
					head += chunk.toString('latin1');
					const end = head.indexOf('\r\n\r\n');
					if (end < 0) {
						return;
					}
					if (!/^HTTP\/1\.1 200 /.test(head)) {
						secure.destroy();
						reject(new Error(`the storage host answered ${head.slice(0, head.indexOf('\r\n'))}`));
						return;
					}
					start = end + 4 - before;
					body = 0;
				}
				body += chunk.length - start;
				if (!writer.push(chunk, start, chunk.length)) {
					secure.pause();
				}
			});
			secure.on('end', () => writer.finish().then(() => resolve(Math.max(body, 0)), reject));
			secure.on('error', reject);
		});
	} finally {
		await proxyClient.close();
	}
}

main().catch(error => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
