/**
 * Saves a result video to disk. The body is streamed to `<name>.part`; only when every byte the
 * server promised has arrived, and the file starts like a video, is it renamed into place, so a
 * half-downloaded file (or a web page) is never shown as a video. The storage host is not trusted:
 * the body is bounded in size and in how slowly it may come, and a compressed body is refused.
 * No credentials are ever sent: the storage host is not the API host.
 *
 * Without a proxy the body comes through the downloader's own HTTP client (httpGet.ts); through a
 * proxy, through undici's proxy agent (proxiedGet.ts, network.ts). Everything else is the same.
 */

import * as fs from 'fs';
import * as path from 'path';
import { DownloadError } from '../errors';
import { formatBytes } from '../format';
import { l10n } from '../l10n';
import { Logger, silentLogger } from '../log';
import { plainToken } from '../serviceText';
import { checkResultUrl } from '../validation';
import { formatSeconds, GetOptions, httpGet, HttpGetError, readBufferBytes } from './httpGet';
import type { DownloadRoute } from './network';
import { proxiedGet } from './proxiedGet';
import { describeProxyFailure, scrub } from './proxy';
import { classifyTransportError, proxyFailure } from './transportErrors';

export interface DownloadOptions {
	readonly url: string;
	/** The final path; the data goes to `<file>.part` until complete. */
	readonly file: string;
	/** The API origin the task came from, to decide whether a loopback `http:` link is acceptable. */
	readonly apiOrigin: string;
	/** Certificate authorities to trust instead of Node's own list: the tests' HTTPS server has its own. */
	readonly ca?: string | Buffer;
	/** How the download goes out (network.ts): through a proxy, and which authorities to trust. Directly, with Node's own list, by default. */
	readonly route?: DownloadRoute;
	readonly onProgress?: (receivedBytes: number, totalBytes: number | undefined) => void;
	readonly signal?: AbortSignal;
	/** How long the connection may stay silent. */
	readonly idleTimeoutMs?: number;
	/** The largest video accepted, in bytes (the videogen.maxDownloadMegabytes setting). */
	readonly maxBytes?: number;
	/**
	 * The slowest a body may come, averaged over `slowWindowMs`: a trickle that stays below it is
	 * stopped, so that it does not hold a download slot for hours. Time spent waiting for the disk
	 * does not count against the server.
	 */
	readonly minBytesPerSecond?: number;
	readonly slowWindowMs?: number;
	readonly log?: Logger;
}

export interface DownloadResult {
	readonly file: string;
	readonly bytes: number;
}

const maxRedirects = 5;
/** Far above any clip the service makes (a 12 s 1080p video is tens of MB). */
export const defaultMaxDownloadBytes = 2 * 1024 * 1024 * 1024;
const defaultMinBytesPerSecond = 10 * 1024;
const defaultSlowWindowMs = 60_000;
/** Enough of the file's start to tell a video: `ftyp` at offset 4 (MP4, MOV), or the EBML magic (WebM, Matroska). */
const signatureBytes = 8;
/**
 * The body is copied out of the socket's read buffer into buffers of this size, which are written
 * one at a time while the next one fills, and reused. Size and count are measured: on the machine
 * of bench/results.md, saving 512 MB from the simulator took 283-322 ms with two 1 MB buffers,
 * 321-348 ms with four of 512 KB, 369-390 ms with four of 256 KB and 380-559 ms with four of 1 MB
 * (curl: 294-318 ms); and every write leaves some 500 bytes of garbage in Node's `fs.write`, so
 * fewer writes also keep a long download's memory from growing with its length.
 */
const writeBufferBytes = 1024 * 1024;
/** Write buffers a download may hold (2 MB): when both are taken, the socket waits for the disk. */
const writeBuffers = 2;

export async function downloadVideo(options: DownloadOptions): Promise<DownloadResult> {
	const log = options.log ?? silentLogger;
	const started = Date.now();
	try {
		await fs.promises.mkdir(path.dirname(options.file), { recursive: true });
	} catch (error) {
		throw diskError(error, path.dirname(options.file));
	}
	const proxy = options.route?.proxy;
	if (proxy?.unusable) {
		throw new DownloadError('proxy', describeProxyFailure(proxy, {}, 'storage'));
	}
	const received = await follow(options, log);
	try {
		await moveIntoPlace(`${options.file}.part`, options.file);
	} catch (error) {
		await fs.promises.rm(`${options.file}.part`, { force: true });
		throw DownloadError.is(error) ? error : diskError(error, path.dirname(options.file));
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
		const outcome = await fetchOnce(url, options, log);
		if (outcome.redirect === undefined) {
			return outcome.received;
		}
		url = redirectTarget(outcome.redirect, url);
	}
	throw new DownloadError('tooManyRedirects', l10n.t('The video link redirected more than {0} times.', maxRedirects));
}

/**
 * Where a redirect leads. A Location that is missing or is no URL is the storage host's fault, an
 * answer it should not have sent, not a problem of the disk or of the link the service gave.
 */
function redirectTarget({ status, location }: Redirect, from: string): string {
	if (location) {
		try {
			return new URL(location, from).toString();
		} catch {
			// reported below
		}
	}
	throw new DownloadError('badRedirect', location
		? l10n.t('The video storage host sent a redirect to an address that is not a valid URL (HTTP {0}).', status)
		: l10n.t('The video storage host sent a redirect without saying where to (HTTP {0}).', status), status);
}

type Redirect = { readonly status: number; readonly location: string | undefined };
type HopOutcome = { readonly redirect: Redirect; readonly received?: undefined } | { readonly redirect?: undefined; readonly received: number };

/**
 * One GET. A 200 body goes to `<file>.part` through a `FileWriter`; any other answer becomes a
 * redirect to follow or a `DownloadError`. The checks on the body cost no allocation per read:
 * counting, one clock reading, and the first bytes copied into a small buffer once.
 * No authorization header, ever: the key belongs to the API host only.
 */
async function fetchOnce(url: string, options: DownloadOptions, log: Logger): Promise<HopOutcome> {
	const target = new URL(url);
	const started = Date.now();
	const partFile = `${options.file}.part`;
	const maxBytes = options.maxBytes ?? defaultMaxDownloadBytes;
	const minBytesPerSecond = options.minBytesPerSecond ?? defaultMinBytesPerSecond;
	const slowWindowMs = options.slowWindowMs ?? defaultSlowWindowMs;
	// Stops the request when the disk fails, as well as when the caller cancels.
	const writeFailed = new AbortController();
	const signal = options.signal ? AbortSignal.any([options.signal, writeFailed.signal]) : writeFailed.signal;
	const signature = Buffer.alloc(signatureBytes);
	let sniffed = 0;
	let writer: FileWriter | undefined;
	let refusal: DownloadError | undefined;
	let redirect: Redirect | undefined;
	let total: number | undefined;
	/** No Content-Length and no chunked coding: the body ends where the connection does, cut short or not. */
	let closeDelimited = false;
	let received = 0;
	let lastReport = 0;
	let windowStart = 0;
	let windowBytes = 0;
	const route = options.route;
	const get = (getOptions: GetOptions, onHead: Parameters<typeof httpGet>[1]) => route?.dispatcher ? proxiedGet(route.dispatcher, getOptions, onHead) : httpGet(getOptions, onHead);
	try {
		await get({ url: target, idleTimeoutMs: options.idleTimeoutMs ?? 30_000, signal, ca: options.ca ?? route?.trust?.ca, secureContext: options.ca ? undefined : route?.trust?.secureContext }, ({ status, headers }, control) => {
			log.info(`GET ${target.host}${target.pathname} ${status} ${Date.now() - started} ms`);
			if (status >= 300 && status < 400 && status !== 304) {
				redirect = { status, location: headers.get('location') };
				return undefined;
			}
			total = contentLength(headers.get('content-length'));
			closeDelimited = total === undefined && !headers.has('transfer-encoding');
			refusal = refusalOf(status, headers, total, maxBytes);
			if (refusal) {
				return undefined; // before anything is written
			}
			const fileWriter = new FileWriter(partFile, () => control.resume(), () => writeFailed.abort());
			writer = fileWriter;
			windowStart = Date.now();
			return {
				write: (buffer, start, end) => {
					received += end - start;
					if (received > maxBytes) {
						throw tooLarge(maxBytes);
					}
					if (sniffed < signatureBytes) {
						sniffed += buffer.copy(signature, sniffed, start, Math.min(end, start + signatureBytes - sniffed));
						if (sniffed === signatureBytes && !isVideoSignature(signature, sniffed)) {
							throw notVideo();
						}
					}
					const now = Date.now();
					if (now - windowStart >= slowWindowMs) {
						// The average since the window began; a window in which the disk made the
						// socket wait says nothing about the server, and starts again.
						if (!fileWriter.waited && (received - windowBytes) * 1000 < minBytesPerSecond * (now - windowStart)) {
							throw tooSlow(received - windowBytes, now - windowStart, minBytesPerSecond);
						}
						windowStart = now;
						windowBytes = received;
						fileWriter.waited = false;
					}
					if (options.onProgress && now - lastReport >= 250) {
						lastReport = now;
						options.onProgress(received, total);
					}
					return fileWriter.push(buffer, start, end);
				},
			};
		});
	} catch (error) {
		await writer?.discard();
		if (writer?.failure) {
			throw diskError(writer.failure, path.dirname(options.file));
		}
		if (DownloadError.is(error)) {
			throw error;
		}
		// Stopped at the proxy before the storage host was reached: unreachable, or it refused the tunnel.
		const atProxy = writer || !route?.proxy ? undefined : proxyFailure(error, route.proxy);
		if (atProxy && route?.proxy) {
			throw new DownloadError('proxy', describeProxyFailure(route.proxy, atProxy, 'storage'), atProxy.status);
		}
		if (error instanceof HttpGetError && error.code === 'ERR_HTTP_PARSE') {
			throw new DownloadError('http', l10n.t('The video storage host sent an answer VideoGen cannot read: {0}.', error.message));
		}
		// Whatever else stopped the exchange came from the connection: the disk's failures are the writer's.
		const detail = scrub(error instanceof HttpGetError ? error.message : classifyTransportError(error).detail ?? '', route?.proxy?.secrets ?? []);
		throw writer
			? new DownloadError('incomplete', total
				? l10n.t('The download broke off after {0} of {1} ({2}).', formatBytes(received), formatBytes(total), detail)
				: l10n.t('The download broke off after {0} ({1}).', formatBytes(received), detail))
			: new DownloadError('network', l10n.t('Could not reach the video storage host ({0}).', detail));
	}
	if (refusal) {
		throw refusal;
	}
	if (redirect !== undefined) {
		return { redirect };
	}
	if (total !== undefined && received !== total) {
		// A chunked body that came with a Content-Length it did not keep.
		await writer?.discard();
		throw new DownloadError('incomplete', l10n.t('The download ended after {0} of {1}; the partial file was discarded.', formatBytes(received), formatBytes(total)));
	}
	if (!isVideoSignature(signature, sniffed)) {
		await writer?.discard();
		throw notVideo();
	}
	try {
		await writer!.finish();
	} catch (error) {
		await writer!.discard();
		throw diskError(error, path.dirname(options.file));
	}
	if (closeDelimited && isMp4Signature(signature)) {
		let whole: boolean;
		try {
			whole = await boxesFill(partFile, received);
		} catch (error) {
			await fs.promises.rm(partFile, { force: true }).catch(() => undefined);
			throw diskError(error, path.dirname(options.file));
		}
		if (!whole) {
			await fs.promises.rm(partFile, { force: true });
			throw new DownloadError('incomplete', l10n.t('The download ended after {0} in the middle of the video: the storage host did not say how long the video is, and its connection closed before the end. The partial file was discarded.', formatBytes(received)));
		}
	}
	options.onProgress?.(received, total);
	return { received };
}

/** What an answer other than a redirect means, or undefined for one whose body may be the video. */
function refusalOf(status: number, headers: ReadonlyMap<string, string>, total: number | undefined, maxBytes: number): DownloadError | undefined {
	if ([401, 403, 404, 410].includes(status)) {
		return new DownloadError('linkExpired', l10n.t('The video link has expired or is no longer valid (HTTP {0}). Download Again asks the service for a fresh one.', status), status);
	}
	if (status !== 200) {
		return new DownloadError('http', l10n.t('The video storage host answered HTTP {0}.', status), status);
	}
	if (isWebPage(headers.get('content-type'))) {
		// A proxy's error page sent as 200: saving it would show a web page as the video.
		return new DownloadError('http', l10n.t('The video storage host sent a web page instead of the video (HTTP 200, text/html); a proxy or the storage host may be failing.'), status);
	}
	const encoding = headers.get('content-encoding');
	if (encoding !== undefined && !/^\s*(identity\s*)?$/i.test(encoding)) {
		// Asked for as is (Accept-Encoding: identity). Not unpacked: a video gains nothing from
		// compression, and a small compressed body can unpack to any size.
		return new DownloadError('notVideo', l10n.t('The video storage host sent the video compressed (Content-Encoding: {0}) although VideoGen asked for it as is; nothing was saved. A proxy or the storage host may be misconfigured: try Download Again later.', plainToken(encoding)), status);
	}
	if (total !== undefined && total > maxBytes) {
		return new DownloadError('tooLarge', l10n.t('The video is {0}, more than the {1} the videogen.maxDownloadMegabytes setting allows; nothing was saved. If the video really is that large, raise the setting, then Download Again.', formatBytes(total), formatBytes(maxBytes)));
	}
	return undefined;
}

function tooLarge(maxBytes: number): DownloadError {
	return new DownloadError('tooLarge', l10n.t('The video storage host sent more than {0}, the most the videogen.maxDownloadMegabytes setting allows, so the download was stopped and the partial file discarded. If the video really is that large, raise the setting, then Download Again.', formatBytes(maxBytes)));
}

function tooSlow(bytes: number, ms: number, minBytesPerSecond: number): DownloadError {
	return new DownloadError('tooSlow', l10n.t('The download was too slow ({0} in {1}, less than {2} a second), so it was stopped and the partial file discarded. The network or the storage host may be struggling: try Download Again later.', formatBytes(bytes), formatSeconds(ms), formatBytes(minBytesPerSecond)));
}

function notVideo(): DownloadError {
	return new DownloadError('notVideo', l10n.t('The service sent something that is not a video (it starts neither like an MP4 or MOV file nor like a WebM file); it was not kept. A proxy or the storage host may be failing: try Download Again later.'));
}

/** MP4 and MOV start with a box whose type, at offset 4, is `ftyp`. */
function isMp4Signature(bytes: Buffer): boolean {
	return bytes[4] === 0x66 && bytes[5] === 0x74 && bytes[6] === 0x79 && bytes[7] === 0x70;
}

/** Past this many top-level boxes the file is taken as whole: a cut-off file is not told by its count. */
const maxBoxes = 10_000;

/**
 * Whether an MP4 (or MOV) file is whole by its top-level boxes: they fill it exactly (every box
 * starts with its size, so a file cut short ends inside its last box), and they hold its index
 * (`moov`) and its media (`mdat`, or the fragments' `moof`), so a file cut between two boxes is
 * told too, unless it was cut between two fragments. 16 bytes are read per box, and a video has a
 * few, or one pair per fragment.
 */
async function boxesFill(file: string, length: number): Promise<boolean> {
	const handle = await fs.promises.open(file, 'r');
	try {
		const header = Buffer.alloc(16);
		const types = new Set<string>();
		let offset = 0;
		for (let boxes = 0; offset < length && boxes < maxBoxes; boxes++) {
			const { bytesRead } = await handle.read(header, 0, header.length, offset);
			let size = bytesRead >= 8 ? header.readUInt32BE(0) : -1;
			types.add(header.toString('latin1', 4, 8));
			if (size === 0) {
				offset = length; // the last box, which runs to the end of the file
				break;
			}
			if (size === 1) {
				size = bytesRead >= 16 ? Number(header.readBigUInt64BE(8)) : -1; // a 64-bit size follows the type
			}
			if (size < 8) {
				return false;
			}
			offset += size;
		}
		// Past the end: the last box says it is longer than what arrived. Short of it: maxBoxes was reached.
		return offset <= length && types.has('moov') && (types.has('mdat') || types.has('moof'));
	} finally {
		await handle.close();
	}
}

/** MP4 and MOV start with a box whose type, at offset 4, is `ftyp`; WebM and Matroska with the EBML magic 1A 45 DF A3. */
function isVideoSignature(bytes: Buffer, length: number): boolean {
	const ftyp = length >= 8 && isMp4Signature(bytes);
	const ebml = length >= 4 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3;
	return ftyp || ebml;
}

/**
 * Renames the finished `.part` to its final name, unless a file of that name appeared while the
 * video was downloading: the name was free when the download started (the download queue picks
 * names no file and no other task holds), and another file is never replaced.
 */
async function moveIntoPlace(part: string, file: string): Promise<void> {
	const existing = await fs.promises.lstat(file).then(() => true, (error: NodeJS.ErrnoException) => error.code === 'ENOENT' ? false : Promise.reject(error));
	if (existing) {
		throw new DownloadError('disk', l10n.t('Could not save the video in {0}: a file named {1} appeared there during the download, and VideoGen does not replace it. Download Again saves the video under another name.', path.dirname(file), path.basename(file)));
	}
	await fs.promises.rename(part, file);
}

/**
 * Writes a body to a file in order. The bytes it is given are copied into one of two 1 MB buffers
 * (the HTTP client reuses its read buffer); each write takes what arrived while the previous one was
 * in progress, a buffer at most. `push` says when to stop reading because every buffer is
 * taken. Writing allocates nothing of its own: no promise or closure per write, only what Node's
 * `fs.write` makes, so a long download leaves no more garbage behind than a short one.
 * Exported for the benchmark, which writes with it behind Node's TLS alone (bench/children/download.ts).
 */
export class FileWriter {
	/** The error that stopped the writing, if one did. */
	failure: Error | undefined;
	/** Set when the socket had to wait for the disk; the reader clears it. */
	waited = false;
	private fd: number | undefined;
	private readonly opened: Promise<void>;
	private readonly spare: Buffer[] = [];
	/** Full buffers waiting to be written, and how much of each holds data. */
	private readonly ready: Buffer[] = [];
	private readonly readyLengths: number[] = [];
	private current: Buffer | undefined;
	private filled = 0;
	private allocated = 0;
	private waiting = false;
	/** The buffer being written, how much of it is data, and how much is written. */
	private writing: Buffer | undefined;
	private writingLength = 0;
	private written = 0;
	private discarded = false;
	/** Called once nothing is being written. */
	private onIdle: (() => void) | undefined;
	private closing: Promise<void> | undefined;
	private readonly afterWrite = (error: NodeJS.ErrnoException | null, bytes: number): void => this.wrote(error, bytes);

	constructor(
		private readonly file: string,
		/** Called when a buffer is free again after `push` returned false. */
		private readonly onRoom: () => void,
		private readonly onFailure: (error: Error) => void,
	) {
		this.opened = new Promise<void>((resolve, reject) => fs.open(file, 'w', (error, fd) => error ? reject(error) : resolve(void (this.fd = fd))));
		this.opened.then(() => this.writeNext(), error => this.fail(error));
	}

	/** Copies `buffer[start, end)` in; false when the caller should stop reading until `onRoom`. */
	push(buffer: Buffer, start: number, end: number): boolean {
		for (let offset = start; offset < end;) {
			if (!this.current) {
				this.current = this.spare.pop() ?? this.allocate();
				this.filled = 0;
			}
			const copied = buffer.copy(this.current, this.filled, offset, end);
			this.filled += copied;
			offset += copied;
			if (this.filled === this.current.length) {
				this.ready.push(this.current);
				this.readyLengths.push(this.filled);
				this.current = undefined;
			}
		}
		this.writeNext();
		const room = (this.current ? this.current.length - this.filled : 0) + (this.spare.length + writeBuffers - this.allocated) * writeBufferBytes;
		this.waiting = room < readBufferBytes;
		this.waited ||= this.waiting;
		return !this.waiting;
	}

	/** Resolves when every byte is on disk and the file is closed; rejects with the write's error. */
	async finish(): Promise<void> {
		await this.opened.catch(() => undefined);
		await this.drained();
		if (this.failure) {
			throw this.failure;
		}
		await this.close();
	}

	/** Closes and deletes the file; never throws. */
	async discard(): Promise<void> {
		this.discarded = true;
		await this.opened.catch(() => undefined);
		await this.drained();
		await this.close().catch(() => undefined);
		await fs.promises.rm(this.file, { force: true }).catch(() => undefined);
	}

	/** Resolves once nothing is being written and, unless discarded or failed, nothing waits to be. */
	private drained(): Promise<void> {
		this.writeNext();
		return this.writing ? new Promise(resolve => this.onIdle = resolve) : Promise.resolve();
	}

	/**
	 * Starts the next write, unless one is under way: a full buffer, or else whatever arrived while
	 * the disk was busy, so that a slow or stalled body is on disk too, not only in memory.
	 */
	private writeNext(): void {
		if (this.writing || this.fd === undefined || this.failure || this.discarded) {
			return;
		}
		if (!this.ready.length && this.current && this.filled) {
			this.ready.push(this.current);
			this.readyLengths.push(this.filled);
			this.current = undefined;
		}
		const next = this.ready.shift();
		if (!next) {
			return;
		}
		this.writing = next;
		this.writingLength = this.readyLengths.shift()!;
		this.written = 0;
		fs.write(this.fd, next, 0, this.writingLength, null, this.afterWrite);
	}

	/** `write` may write less than it was given; the rest is written until none is left. */
	private wrote(error: NodeJS.ErrnoException | null, bytes: number): void {
		if (!error && bytes <= 0) {
			error = Object.assign(new Error('the disk accepted no more data'), { code: 'ENOSPC' });
		}
		if (error) {
			this.writing = undefined;
			this.fail(error);
		} else if ((this.written += bytes) < this.writingLength) {
			fs.write(this.fd!, this.writing!, this.written, this.writingLength - this.written, null, this.afterWrite);
			return;
		} else {
			this.spare.push(this.writing!);
			this.writing = undefined;
			if (this.waiting) {
				this.waiting = false;
				this.onRoom();
			}
			this.writeNext();
		}
		if (!this.writing && this.onIdle) {
			const idle = this.onIdle;
			this.onIdle = undefined;
			idle();
		}
	}

	private fail(error: unknown): void {
		if (!this.failure) {
			this.failure = error instanceof Error ? error : new Error(String(error));
			this.onFailure(this.failure);
		}
	}

	private allocate(): Buffer {
		this.allocated++; // beyond `writeBuffers` only if a read arrived after `push` said to stop
		return Buffer.allocUnsafe(writeBufferBytes);
	}

	/** Closes the descriptor once: a second close could hit a descriptor the number was given to since. */
	private close(): Promise<void> {
		this.closing ??= this.fd === undefined
			? Promise.resolve()
			: new Promise<void>((resolve, reject) => fs.close(this.fd!, error => error ? reject(error) : resolve()));
		return this.closing;
	}
}

/** The declared length; httpGet has already refused one that is malformed or repeated with different values. */
function contentLength(header: string | undefined): number | undefined {
	const value = header?.split(',')[0].trim();
	return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

function isWebPage(header: string | undefined): boolean {
	return !!header && /^\s*text\/html\b/i.test(header);
}

function diskError(error: unknown, folder: string): DownloadError {
	const code = (error as { code?: unknown })?.code;
	if (code === 'ENOSPC' || code === 'EDQUOT') {
		return new DownloadError('disk', l10n.t('Could not save the video in {0}: the disk is full. Choose another folder in the videogen.downloadFolder setting, then download again.', folder));
	}
	if (code === 'EROFS') {
		return new DownloadError('disk', l10n.t('Could not save the video in {0}: the disk is read-only. Choose another folder in the videogen.downloadFolder setting, then download again.', folder));
	}
	return new DownloadError('disk', l10n.t('Could not save the video in {0}: it refused the write ({1}). Choose another folder in the videogen.downloadFolder setting, then download again.', folder, String(code ?? error)));
}
