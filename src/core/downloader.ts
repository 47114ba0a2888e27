/**
 * Saves a result video to disk. The body is streamed to `<name>.part`; only when every byte the
 * server promised has arrived is it renamed into place, so a half-downloaded file is never shown as
 * a video. No credentials are ever sent: the storage host is not the API host.
 */

import * as fs from 'fs';
import * as path from 'path';
import { pipeline } from 'stream/promises';
import { Transform } from 'stream';
import { Dispatcher, request } from 'undici';
import { DownloadError } from './errors';
import { checkResultUrl } from './validation';
import { classifyTransportError } from './apiClient';
import { Logger, silentLogger } from './log';
import { formatBytes } from './format';

export interface DownloadOptions {
	readonly url: string;
	/** The final path; the data goes to `<file>.part` until complete. */
	readonly file: string;
	/** The API origin the task came from, to decide whether a loopback `http:` link is acceptable. */
	readonly apiOrigin: string;
	readonly dispatcher: Dispatcher;
	readonly onProgress?: (receivedBytes: number, totalBytes: number | undefined) => void;
	readonly signal?: AbortSignal;
	/** How long the connection may stay silent. */
	readonly idleTimeoutMs?: number;
	readonly log?: Logger;
}

export interface DownloadResult {
	readonly file: string;
	readonly bytes: number;
}

const maxRedirects = 5;
/**
 * How much of the body may wait to be written. With the streams' 16 KB default every 64 KB socket
 * chunk stopped the socket until its disk write was done; with room for a few chunks the socket
 * keeps reading while the previous ones are written (batched into one `writev`).
 */
const writeBufferBytes = 1024 * 1024;

export async function downloadVideo(options: DownloadOptions): Promise<DownloadResult> {
	const log = options.log ?? silentLogger;
	const partFile = `${options.file}.part`;
	const started = Date.now();
	try {
		await fs.promises.mkdir(path.dirname(options.file), { recursive: true });
	} catch (error) {
		throw diskError(error, path.dirname(options.file));
	}
	const response = await follow(options, log);
	const total = contentLength(response.headers['content-length']);
	let received = 0;
	let lastReport = 0;
	const counter = new Transform({
		highWaterMark: writeBufferBytes,
		transform(chunk: Buffer, _encoding, callback) {
			received += chunk.length;
			const now = Date.now();
			if (options.onProgress && now - lastReport >= 250) {
				lastReport = now;
				options.onProgress(received, total);
			}
			callback(null, chunk);
		},
	});
	let out: fs.WriteStream;
	try {
		out = fs.createWriteStream(partFile, { highWaterMark: writeBufferBytes });
		await new Promise<void>((resolve, reject) => out.once('open', () => resolve()).once('error', reject));
	} catch (error) {
		response.body.destroy();
		throw diskError(error, path.dirname(options.file));
	}
	try {
		await pipeline(response.body, counter, out, { signal: options.signal });
	} catch (error) {
		await fs.promises.rm(partFile, { force: true });
		if (isDiskError(error)) {
			throw diskError(error, path.dirname(options.file));
		}
		const { detail } = classifyTransportError(error);
		throw new DownloadError('incomplete', `The download broke off after ${formatBytes(received)}${total ? ` of ${formatBytes(total)}` : ''} (${detail}).`);
	}
	if (total !== undefined && received !== total) {
		await fs.promises.rm(partFile, { force: true });
		throw new DownloadError('incomplete', `The download ended after ${formatBytes(received)} of ${formatBytes(total)}; the partial file was discarded.`);
	}
	try {
		await fs.promises.rename(partFile, options.file);
	} catch (error) {
		await fs.promises.rm(partFile, { force: true });
		throw diskError(error, path.dirname(options.file));
	}
	options.onProgress?.(received, total);
	log.info(`saved ${formatBytes(received)} in ${Date.now() - started} ms`);
	return { file: options.file, bytes: received };
}

/** Requests the URL, following redirects by hand so that every hop is checked. */
async function follow(options: DownloadOptions, log: Logger): Promise<Dispatcher.ResponseData> {
	let url = options.url;
	for (let hop = 0; hop <= maxRedirects; hop++) {
		const insecure = checkResultUrl(url, options.apiOrigin);
		if (insecure) {
			throw new DownloadError('insecureUrl', insecure);
		}
		const started = Date.now();
		let response: Dispatcher.ResponseData;
		try {
			// No authorization header, ever: the key belongs to the API host only.
			response = await request(url, {
				method: 'GET',
				dispatcher: options.dispatcher,
				headersTimeout: options.idleTimeoutMs ?? 30_000,
				bodyTimeout: options.idleTimeoutMs ?? 30_000,
				signal: options.signal,
			});
		} catch (error) {
			const { detail } = classifyTransportError(error);
			throw new DownloadError('network', `Could not reach the video storage host (${detail}).`);
		}
		const target = new URL(url);
		log.info(`GET ${target.host}${target.pathname} ${response.statusCode} ${Date.now() - started} ms`);
		if (response.statusCode >= 300 && response.statusCode < 400 && response.headers.location) {
			response.body.resume();
			url = new URL(String(response.headers.location), url).toString();
			continue;
		}
		if (response.statusCode === 200 && isWebPage(response.headers['content-type'])) {
			// A proxy's error page sent as 200: saving it would show a web page as the video.
			response.body.resume();
			throw new DownloadError('http', 'The video storage host sent a web page instead of the video (HTTP 200, text/html); a proxy or the storage host may be failing.', response.statusCode);
		}
		if (response.statusCode === 200) {
			return response;
		}
		response.body.resume();
		if ([401, 403, 404, 410].includes(response.statusCode)) {
			throw new DownloadError('linkExpired', `The video link has expired or is no longer valid (HTTP ${response.statusCode}). Download Again asks the service for a fresh one.`, response.statusCode);
		}
		throw new DownloadError('http', `The video storage host answered HTTP ${response.statusCode}.`, response.statusCode);
	}
	throw new DownloadError('tooManyRedirects', `The video link redirected more than ${maxRedirects} times.`);
}

function contentLength(value: string | string[] | undefined): number | undefined {
	const header = Array.isArray(value) ? value[0] : value;
	return header && /^\d+$/.test(header) ? Number(header) : undefined;
}

function isWebPage(value: string | string[] | undefined): boolean {
	const header = Array.isArray(value) ? value[0] : value;
	return !!header && /^\s*text\/html\b/i.test(header);
}

function isDiskError(error: unknown): boolean {
	const code = (error as { code?: unknown })?.code;
	return typeof code === 'string' && ['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOENT', 'EISDIR', 'ENOTDIR'].includes(code);
}

function diskError(error: unknown, folder: string): DownloadError {
	const code = (error as { code?: unknown })?.code;
	const reason = code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full' : code === 'EROFS' ? 'the disk is read-only' : `it refused the write (${String(code ?? error)})`;
	return new DownloadError('disk', `Could not save the video in ${folder}: ${reason}. Choose another folder in the videogen.downloadFolder setting, then download again.`);
}
