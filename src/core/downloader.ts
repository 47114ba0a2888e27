/**
 * Saves a result video to disk. The body is streamed to `<name>.part`; only when every byte the
 * server promised has arrived is it renamed into place, so a half-downloaded file is never shown as
 * a video. No credentials are ever sent: the storage host is not the API host.
 */

import * as fs from 'fs';
import * as path from 'path';
import type { Dispatcher } from 'undici';
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
 * How much of the body may wait for the disk. Chunks are queued as undici hands them over and
 * written in one `writev` while the socket goes on reading; past this much the socket is paused
 * until the write in flight is done. With the streams' 16 KB default every 64 KB socket chunk
 * stopped the socket until its disk write was done.
 */
const writeBufferBytes = 1024 * 1024;

export async function downloadVideo(options: DownloadOptions): Promise<DownloadResult> {
	const log = options.log ?? silentLogger;
	const started = Date.now();
	try {
		await fs.promises.mkdir(path.dirname(options.file), { recursive: true });
	} catch (error) {
		throw diskError(error, path.dirname(options.file));
	}
	const received = await follow(options, log);
	try {
		await fs.promises.rename(`${options.file}.part`, options.file);
	} catch (error) {
		await fs.promises.rm(`${options.file}.part`, { force: true });
		throw diskError(error, path.dirname(options.file));
	}
	log.info(`saved ${formatBytes(received)} in ${Date.now() - started} ms`);
	return { file: options.file, bytes: received };
}

/** Requests the URL, following redirects by hand so that every hop is checked; resolves with the bytes saved. */
async function follow(options: DownloadOptions, log: Logger): Promise<number> {
	let url = options.url;
	for (let hop = 0; hop <= maxRedirects; hop++) {
		const insecure = checkResultUrl(url, options.apiOrigin);
		if (insecure) {
			throw new DownloadError('insecureUrl', insecure);
		}
		const outcome = await new Promise<HopOutcome>((resolve, reject) => {
			const handler = new SaveResponse(url, options, log, resolve, reject);
			handler.start();
		});
		if (outcome.redirect === undefined) {
			return outcome.received;
		}
		url = new URL(outcome.redirect, url).toString();
	}
	throw new DownloadError('tooManyRedirects', `The video link redirected more than ${maxRedirects} times.`);
}

type HopOutcome = { readonly redirect: string; readonly received?: undefined } | { readonly redirect?: undefined; readonly received: number };

/**
 * One GET, handled at undici's dispatcher level: a 200 body goes from the socket straight into
 * `FileWriter`, without a Readable stream in between, which is what let the download keep up with
 * curl. Any other answer becomes a redirect to follow or a `DownloadError`.
 * No authorization header, ever: the key belongs to the API host only.
 */
class SaveResponse implements Dispatcher.DispatchHandler {
	private controller: Dispatcher.DispatchController | undefined;
	private redirect: string | undefined;
	private writer: FileWriter | undefined;
	private total: number | undefined;
	private received = 0;
	private lastReport = 0;
	private settled = false;
	private readonly started = Date.now();
	private readonly onAbort = () => this.controller?.abort(abortReason(this.options.signal));

	constructor(
		private readonly url: string,
		private readonly options: DownloadOptions,
		private readonly log: Logger,
		private readonly resolve: (outcome: HopOutcome) => void,
		private readonly reject: (error: unknown) => void,
	) { }

	start(): void {
		const target = new URL(this.url);
		const timeout = this.options.idleTimeoutMs ?? 30_000;
		this.options.signal?.addEventListener('abort', this.onAbort);
		try {
			this.options.dispatcher.dispatch({
				origin: target.origin,
				path: `${target.pathname}${target.search}`,
				method: 'GET',
				headersTimeout: timeout,
				bodyTimeout: timeout,
			}, this);
		} catch (error) {
			this.onResponseError(undefined, error as Error);
		}
	}

	onRequestStart(controller: Dispatcher.DispatchController): void {
		this.controller = controller;
		if (this.options.signal?.aborted) {
			controller.abort(abortReason(this.options.signal));
		}
	}

	onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
		if (statusCode < 200) {
			return; // 1xx: the real answer follows
		}
		const target = new URL(this.url);
		this.log.info(`GET ${target.host}${target.pathname} ${statusCode} ${Date.now() - this.started} ms`);
		const location = headers.location;
		if (statusCode >= 300 && statusCode < 400 && location) {
			// The body of a redirect is read and dropped, so that the connection can be used again.
			this.redirect = String(location);
			return;
		}
		const failure = statusCode === 200 && isWebPage(headers['content-type'])
			// A proxy's error page sent as 200: saving it would show a web page as the video.
			? new DownloadError('http', 'The video storage host sent a web page instead of the video (HTTP 200, text/html); a proxy or the storage host may be failing.', statusCode)
			: [401, 403, 404, 410].includes(statusCode)
				? new DownloadError('linkExpired', `The video link has expired or is no longer valid (HTTP ${statusCode}). Download Again asks the service for a fresh one.`, statusCode)
				: statusCode !== 200
					? new DownloadError('http', `The video storage host answered HTTP ${statusCode}.`, statusCode)
					: undefined;
		if (failure) {
			controller.abort(failure);
			return;
		}
		this.total = contentLength(headers['content-length']);
		this.writer = new FileWriter(`${this.options.file}.part`, () => controller.resume(), error => controller.abort(error));
	}

	onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
		if (!this.writer || chunk.length === 0) {
			return; // undici does hand over empty chunks, and writing nothing would look like a full disk
		}
		this.received += chunk.length;
		if (!this.writer.push(chunk)) {
			controller.pause();
		}
		const now = Date.now();
		if (this.options.onProgress && now - this.lastReport >= 250) {
			this.lastReport = now;
			this.options.onProgress(this.received, this.total);
		}
	}

	onResponseEnd(): void {
		if (this.redirect !== undefined) {
			this.settle();
			this.resolve({ redirect: this.redirect });
			return;
		}
		const writer = this.writer;
		if (!writer) {
			return; // aborted above: onResponseError follows
		}
		writer.finish().then(async () => {
			if (this.total !== undefined && this.received !== this.total) {
				await writer.discard();
				throw new DownloadError('incomplete', `The download ended after ${formatBytes(this.received)} of ${formatBytes(this.total)}; the partial file was discarded.`);
			}
			this.options.onProgress?.(this.received, this.total);
			this.settle();
			this.resolve({ received: this.received });
		}).catch((error: Error) => this.onResponseError(undefined, error));
	}

	onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
		if (this.settled) {
			return;
		}
		this.settle();
		const writer = this.writer;
		const folder = path.dirname(this.options.file);
		const failure = DownloadError.is(error) ? error
			: isDiskError(error) ? diskError(error, folder)
				: !writer ? new DownloadError('network', `Could not reach the video storage host (${classifyTransportError(error).detail}).`)
					: new DownloadError('incomplete', `The download broke off after ${formatBytes(this.received)}${this.total ? ` of ${formatBytes(this.total)}` : ''} (${classifyTransportError(error).detail}).`);
		(writer ? writer.discard() : Promise.resolve()).then(() => this.reject(failure), () => this.reject(failure));
	}

	private settle(): void {
		this.settled = true;
		this.options.signal?.removeEventListener('abort', this.onAbort);
	}
}

/**
 * Writes the chunks it is given to a file, in order, batching whatever arrived while the previous
 * write was in flight into one `writev`. The chunks are undici's own socket reads, kept until
 * written rather than copied.
 */
class FileWriter {
	private readonly fd: Promise<number>;
	private queue: Buffer[] = [];
	private queuedBytes = 0;
	private flushing: Promise<void> | undefined;
	private failure: Error | undefined;
	private discarded = false;
	private closing: Promise<void> | undefined;

	constructor(
		private readonly file: string,
		/** Called once the queue has room again after `push` returned false. */
		private readonly onRoom: () => void,
		private readonly onFailure: (error: Error) => void,
	) {
		// A plain descriptor and the callback `writev`: a FileHandle's writev cost three times the CPU.
		this.fd = new Promise((resolve, reject) => fs.open(file, 'w', (error, fd) => error ? reject(error) : resolve(fd)));
		this.fd.catch(() => undefined); // reported by the first flush
	}

	/** Queues a chunk; false when the caller should stop reading until `onRoom`. */
	push(chunk: Buffer): boolean {
		this.queue.push(chunk);
		this.queuedBytes += chunk.length;
		this.flushing ??= this.flush();
		return this.queuedBytes < writeBufferBytes;
	}

	/** Resolves when every queued chunk is on disk and the file is closed; rejects with the write's error. */
	async finish(): Promise<void> {
		this.flushing ??= this.flush();
		await this.flushing;
		if (this.failure !== undefined) {
			throw this.failure;
		}
		await this.close();
	}

	/** Closes and deletes the file; never throws. */
	async discard(): Promise<void> {
		this.discarded = true;
		await this.flushing;
		await this.close().catch(() => undefined);
		await fs.promises.rm(this.file, { force: true }).catch(() => undefined);
	}

	/** Closes the descriptor once: a second close could hit a descriptor the number was given to since. */
	private close(): Promise<void> {
		this.closing ??= this.fd.then(fd => new Promise<void>((resolve, reject) => fs.close(fd, error => error ? reject(error) : resolve())));
		return this.closing;
	}

	private async flush(): Promise<void> {
		try {
			const fd = await this.fd;
			while (this.queue.length && !this.discarded) {
				const batch = this.queue;
				const wasFull = this.queuedBytes >= writeBufferBytes;
				this.queue = [];
				this.queuedBytes = 0;
				if (wasFull) {
					this.onRoom(); // the socket reads on while this batch is written
				}
				await writeAll(fd, batch);
			}
		} catch (error) {
			this.failure = error instanceof Error ? error : new Error(String(error));
			this.onFailure(this.failure);
		} finally {
			this.flushing = undefined;
		}
	}
}

/** `writev` may write less than it was given; the rest is written until none is left. */
async function writeAll(fd: number, buffers: Buffer[]): Promise<void> {
	let pending = buffers.filter(buffer => buffer.length > 0);
	while (pending.length) {
		const bytesWritten = await new Promise<number>((resolve, reject) => fs.writev(fd, pending, (error, written) => error ? reject(error) : resolve(written)));
		if (bytesWritten <= 0) {
			throw Object.assign(new Error('the disk accepted no more data'), { code: 'ENOSPC' });
		}
		let skip = bytesWritten;
		while (pending.length && skip >= pending[0].length) {
			skip -= pending[0].length;
			pending = pending.slice(1);
		}
		if (pending.length && skip > 0) {
			pending = [pending[0].subarray(skip), ...pending.slice(1)];
		}
	}
}

function abortReason(signal: AbortSignal | undefined): Error {
	const reason: unknown = signal?.reason;
	return reason instanceof Error ? reason : new DOMException('The download was cancelled.', 'AbortError');
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
