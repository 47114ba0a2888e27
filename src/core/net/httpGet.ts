/**
 * A small HTTP/1.1 GET for large downloads that reads into one buffer it reuses (the `onread`
 * option of Node's sockets, plain and TLS).
 *
 * Why not undici, which the API client uses: undici hands over a newly allocated Buffer for every
 * socket read, and V8 frees those only after about 64 MB of them, so every big download grew the
 * extension host by some 70 MB. Here the bytes are copied out of the read buffer by the caller
 * (into its own reused write buffers), and the process grows by a few MB whatever the file's size.
 *
 * Deliberately small: one GET per connection (`Connection: close`), no request body, no
 * compression asked for, and no proxy: when one is configured, downloads go through undici's proxy
 * agent instead (proxiedGet.ts, network.ts). The response is framed by `Content-Length`, by chunked
 * transfer coding, or by the connection closing.
 */

import * as net from 'net';
import * as tls from 'tls';
import { l10n } from '../l10n';
import { plainToken } from '../serviceText';

export interface GetOptions {
	readonly url: URL;
	/**
	 * How long the connection may stay silent (connecting, waiting for the head, or mid-body); also
	 * the longest the whole head may take to arrive, and each line of a chunked body's framing.
	 */
	readonly idleTimeoutMs: number;
	readonly signal?: AbortSignal;
	/** Certificate authorities to trust instead of Node's own list: the tests' HTTPS server has its own. */
	readonly ca?: string | Buffer | string[];
	/** The TLS context holding the authorities to trust (trust.ts), when not Node's own list. */
	readonly secureContext?: tls.SecureContext;
}

export interface ResponseHead {
	readonly status: number;
	/** Header names lower-cased; repeated headers joined with `, `. */
	readonly headers: ReadonlyMap<string, string>;
}

/**
 * Receives the body, `buffer[start, end)` at a time, and only during the call: the buffer is reused
 * for the next read. A range rather than a slice of it, so that reading allocates nothing.
 */
export interface BodySink {
	/** Returns false to stop reading until `resume()` is called. */
	write(buffer: Buffer, start: number, end: number): boolean;
}

/** Given to the head callback: lets the body sink restart reading after it asked to stop. */
export interface ReadControl {
	resume(): void;
}

/** An exchange that failed other than by a socket error; the message is a fragment, such as "no data for 30 s". */
export class HttpGetError extends Error {
	constructor(message: string, readonly code: 'ERR_PREMATURE_CLOSE' | 'ERR_HTTP_PARSE' | 'TimeoutError' | 'AbortError') {
		super(message);
		this.name = code === 'TimeoutError' || code === 'AbortError' ? code : 'HttpGetError';
	}
}

/** The size of the read buffer: the most a single read hands to the body sink. */
export const readBufferBytes = 64 * 1024;
const maxHeadBytes = 64 * 1024;
const maxLineBytes = 8 * 1024;

/**
 * Sends one GET and resolves once the whole response is received. `onHead` is called with the final
 * (non-1xx) head and returns where the body goes, or undefined to not read it: the connection is
 * then closed and the promise resolves at once.
 */
export function httpGet(options: GetOptions, onHead: (head: ResponseHead, control: ReadControl) => BodySink | undefined): Promise<ResponseHead> {
	return new Promise((resolve, reject) => new Exchange(options, onHead, resolve, reject).start());
}

type Framing = { readonly kind: 'length'; remaining: number } | { readonly kind: 'chunked' } | { readonly kind: 'close' };
type ChunkState = 'size' | 'data' | 'dataEnd';

class Exchange implements ReadControl {
	private socket: net.Socket | undefined;
	private head = '';
	private response: ResponseHead | undefined;
	private sink: BodySink | undefined;
	private framing: Framing | undefined;
	private chunkState: ChunkState = 'size';
	private chunkRemaining = 0;
	private line = '';
	/** When the chunk line being collected began (or reading resumed): a line a byte at a time must still end in time. */
	private lineStarted = 0;
	private paused = false;
	private finished = false;
	/**
	 * Runs from the start until the final head is read: the idle timeout alone would let a server
	 * hold the download for days with a byte of its head at a time, or with one `100 Continue` after another.
	 */
	private headDeadline: NodeJS.Timeout | undefined;
	private readonly onAbort = () => this.fail(new HttpGetError('cancelled', 'AbortError'));

	constructor(
		private readonly options: GetOptions,
		private readonly onHead: (head: ResponseHead, control: ReadControl) => BodySink | undefined,
		private readonly resolve: (head: ResponseHead) => void,
		private readonly reject: (error: unknown) => void,
	) { }

	start(): void {
		const { url } = this.options;
		if (this.options.signal?.aborted) {
			this.reject(new HttpGetError('cancelled', 'AbortError'));
			return;
		}
		const secure = url.protocol === 'https:';
		const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
		const port = Number(url.port) || (secure ? 443 : 80);
		const onread = { buffer: Buffer.allocUnsafe(readBufferBytes), callback: (length: number, buffer: Buffer) => this.onRead(buffer, length) };
		const socket = secure
			// `onread` works on TLS sockets too (Node's tls.connect documents it); its typings lack it.
			? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ALPNProtocols: ['http/1.1'], ca: this.options.ca, secureContext: this.options.secureContext, onread } as tls.ConnectionOptions)
			: net.connect({ host, port, onread });
		this.socket = socket;
		this.headDeadline = setTimeout(() => this.fail(headTimeout(url, this.options.idleTimeoutMs)), this.options.idleTimeoutMs);
		socket.setTimeout(this.options.idleTimeoutMs, () => this.fail(idleTimeout(url, this.options.idleTimeoutMs)));
		socket.once(secure ? 'secureConnect' : 'connect', () => {
			socket.write(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUser-Agent: VideoGen\r\nAccept: */*\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n`);
		});
		socket.on('error', error => this.fail(error));
		// VS Code replaces `net` and `tls` for extensions, and with `http.experimental.systemCertificatesV2`
		// its connect functions make the socket themselves and `onread` is dropped. The data then
		// arrives as 'data' events, and is handled the same way, only without the buffer reuse.
		socket.on('data', (chunk: Buffer) => {
			if (!this.onRead(chunk, chunk.length)) {
				socket.pause();
			}
		});
		// Flowing, so that 'end' is emitted: with `onread` no data goes through the stream itself.
		socket.resume();
		socket.on('end', () => {
			if (this.framing?.kind === 'close') {
				this.succeed();
			}
		});
		socket.on('close', () => this.fail(new HttpGetError(this.response ? l10n.t('the connection closed before the whole body arrived') : l10n.t('the connection closed before an answer arrived'), 'ERR_PREMATURE_CLOSE')));
		this.options.signal?.addEventListener('abort', this.onAbort);
	}

	resume(): void {
		if (this.paused && !this.finished) {
			this.paused = false;
			// The wait for the disk is not the server's: a line begun before it starts its time again.
			this.lineStarted = performance.now();
			this.socket?.setTimeout(this.options.idleTimeoutMs);
			this.socket?.resume();
		}
	}

	/** Returns false to stop reading (Node then stops the socket before the next read). */
	private onRead(buffer: Buffer, length: number): boolean {
		try {
			this.feed(buffer, 0, length);
		} catch (error) {
			this.fail(error);
			return false;
		}
		if (this.paused) {
			this.socket?.setTimeout(0); // waiting for the disk is not the server's silence
			return false;
		}
		return !this.finished;
	}

	private feed(buffer: Buffer, start: number, end: number): void {
		let offset = start;
		while (offset < end && !this.finished) {
			if (!this.framing) {
				offset = this.readHead(buffer, offset, end);
			} else if (this.framing.kind === 'chunked') {
				offset = this.readChunked(buffer, offset, end);
			} else {
				const take = this.framing.kind === 'length' ? Math.min(end - offset, this.framing.remaining) : end - offset;
				this.deliver(buffer, offset, offset + take);
				offset += take;
				if (this.framing.kind === 'length' && (this.framing.remaining -= take) === 0) {
					this.succeed();
				}
			}
		}
	}

	/** Collects the head; returns where the body starts in `buffer`, or `end` if the head goes on. */
	private readHead(buffer: Buffer, start: number, end: number): number {
		const before = this.head.length;
		this.head += buffer.toString('latin1', start, end);
		const headEnd = this.head.indexOf('\r\n\r\n');
		if (headEnd < 0) {
			if (this.head.length > maxHeadBytes) {
				throw new HttpGetError(l10n.t('its headers are longer than {0} KB', maxHeadBytes / 1024), 'ERR_HTTP_PARSE');
			}
			return end;
		}
		const bodyStart = start + headEnd + 4 - before;
		const head = parseHead(this.head.slice(0, headEnd));
		this.head = '';
		if (head.status < 200) {
			return bodyStart; // 100 Continue and the like: the real head follows
		}
		clearTimeout(this.headDeadline);
		this.response = head;
		this.framing = framingOf(head);
		this.sink = this.onHead(head, this);
		if (!this.sink || (this.framing.kind === 'length' && this.framing.remaining === 0)) {
			this.succeed();
			return end;
		}
		return bodyStart;
	}

	private readChunked(buffer: Buffer, start: number, end: number): number {
		let offset = start;
		while (offset < end && !this.finished) {
			if (this.chunkState === 'data') {
				const take = Math.min(end - offset, this.chunkRemaining);
				this.deliver(buffer, offset, offset + take);
				offset += take;
				if ((this.chunkRemaining -= take) === 0) {
					this.chunkState = 'dataEnd';
				}
				continue;
			}
			const newline = buffer.indexOf(0x0a, offset);
			const stop = newline < 0 || newline >= end ? end : newline + 1;
			if (!this.line) {
				this.lineStarted = performance.now();
			}
			this.line += buffer.toString('latin1', offset, stop);
			offset = stop;
			if (!this.line.endsWith('\n')) {
				if (this.line.length > maxLineBytes) {
					throw new HttpGetError(l10n.t('a chunk header is too long'), 'ERR_HTTP_PARSE');
				}
				if (performance.now() - this.lineStarted > this.options.idleTimeoutMs) {
					throw new HttpGetError(l10n.t('a chunk header took longer than {0} to arrive', formatSeconds(this.options.idleTimeoutMs)), 'TimeoutError');
				}
				continue;
			}
			const line = this.line.replace(/\r?\n$/, '');
			this.line = '';
			if (this.chunkState === 'dataEnd') {
				if (line !== '') {
					throw new HttpGetError(l10n.t('a chunk is longer than it said'), 'ERR_HTTP_PARSE');
				}
				this.chunkState = 'size';
			} else if (this.chunkState === 'size') {
				const size = /^([0-9a-fA-F]{1,12})[ \t]*(;.*)?$/.exec(line);
				if (!size) {
					throw new HttpGetError(l10n.t('its chunked body is malformed'), 'ERR_HTTP_PARSE');
				}
				this.chunkRemaining = parseInt(size[1], 16);
				if (this.chunkRemaining === 0) {
					// The body is whole. Trailers, if any, are not waited for: nothing here needs them,
					// and a server could send them forever. The connection is closed either way.
					this.succeed();
				} else {
					this.chunkState = 'data';
				}
			}
		}
		return offset;
	}

	private deliver(buffer: Buffer, start: number, end: number): void {
		if (end > start && this.sink && !this.sink.write(buffer, start, end)) {
			this.paused = true;
		}
	}

	private succeed(): void {
		if (this.finished) {
			return;
		}
		this.finish();
		this.resolve(this.response!);
	}

	private fail(error: unknown): void {
		if (this.finished) {
			return;
		}
		this.finish();
		this.reject(error);
	}

	private finish(): void {
		this.finished = true;
		clearTimeout(this.headDeadline);
		this.options.signal?.removeEventListener('abort', this.onAbort);
		this.socket?.setTimeout(0);
		this.socket?.destroy();
	}
}

function parseHead(text: string): ResponseHead {
	const [statusLine, ...lines] = text.split('\r\n');
	const status = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(statusLine);
	if (!status) {
		throw new HttpGetError(l10n.t('it is not HTTP/1.1'), 'ERR_HTTP_PARSE');
	}
	const headers = new Map<string, string>();
	for (const line of lines) {
		const field = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/.exec(line);
		if (!field) {
			throw new HttpGetError(l10n.t('a header line is malformed'), 'ERR_HTTP_PARSE');
		}
		const name = field[1].toLowerCase();
		const previous = headers.get(name);
		headers.set(name, previous === undefined ? field[2] : `${previous}, ${field[2]}`);
	}
	return { status: Number(status[1]), headers };
}

function framingOf(head: ResponseHead): Framing {
	if (head.status === 204 || head.status === 304) {
		return { kind: 'length', remaining: 0 };
	}
	const coding = head.headers.get('transfer-encoding');
	if (coding !== undefined) {
		if (!/(^|,)\s*chunked\s*$/i.test(coding)) {
			throw new HttpGetError(l10n.t('it uses a transfer coding VideoGen does not read ({0})', plainToken(coding)), 'ERR_HTTP_PARSE');
		}
		return { kind: 'chunked' };
	}
	const length = head.headers.get('content-length');
	if (length !== undefined) {
		const values = new Set(length.split(',').map(value => value.trim()));
		const [value] = values;
		if (values.size !== 1 || !/^\d{1,15}$/.test(value)) {
			throw new HttpGetError(l10n.t('its Content-Length is malformed'), 'ERR_HTTP_PARSE');
		}
		return { kind: 'length', remaining: Number(value) };
	}
	return { kind: 'close' };
}

/** The whole head did not arrive within `ms`: the same words for both routes (proxiedGet.ts). */
export function headTimeout(url: URL, ms: number): HttpGetError {
	return new HttpGetError(l10n.t('no complete answer from {0} within {1}', url.host, formatSeconds(ms)), 'TimeoutError');
}

/** The connection stayed silent for `ms`: the same words for both routes (proxiedGet.ts). */
export function idleTimeout(url: URL, ms: number): HttpGetError {
	return new HttpGetError(l10n.t('no data from {0} for {1}', url.host, formatSeconds(ms)), 'TimeoutError');
}

/** A time limit in words: `400 ms`, `30 s`. */
export function formatSeconds(ms: number): string {
	return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
