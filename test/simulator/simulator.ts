/**
 * A local simulator of the UModelverse video task API and of the storage host that serves the
 * finished videos. Two `http` servers (`https` when given a certificate) on loopback: the API origin
 * and a separate storage origin. Task progress is derived from timestamps, so thousands of tasks
 * cost nothing.
 *
 * See README.md next to this file for the prompt markers, fault kinds and admin endpoints.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as path from 'path';
import * as zlib from 'zlib';
import { AddressInfo, Socket } from 'net';
import { pipeline, Readable } from 'stream';
import { SIM_MODELS, SimImageForm, SimImagePlace, SimModel, SimParam } from './models';

export type { SimImageForm, SimImagePlace, SimModel, SimParam } from './models';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/** Options of {@link startSimulator}; every field is optional. */
export interface SimulatorOptions {
	/** The only API key accepted (bare or as `Bearer <key>`). Default `sim-key`. */
	apiKey?: string;
	/** Interface both servers listen on. Default `127.0.0.1`. */
	host?: string;
	/** When set, both servers speak HTTPS with this certificate, and their origins are `https:`. */
	tls?: { cert: string | Buffer; key: string | Buffer };
	/** Port of the API server. Default 0 (ephemeral). */
	apiPort?: number;
	/** Port of the storage server. Default 0 (ephemeral). */
	storagePort?: number;
	/** How long a new task stays `Pending`, in ms. Default 1000. */
	pendingMs?: number;
	/** How long a task then stays `Running` before its final status, in ms. Default 2000. */
	runningMs?: number;
	/** The file served as every result video. Default the `sample.mp4` shipped with the simulator. */
	videoFile?: string;
	/** When set, result videos are this many bytes of generated data, streamed, never held in memory. */
	syntheticVideoBytes?: number;
	/**
	 * How long both servers keep an idle keep-alive connection open, in ms; they announce it in a
	 * `Keep-Alive: timeout=` header. Default 5000, Node's own default, much shorter than the 60 s or
	 * more that load balancers and proxies in front of web APIs commonly allow.
	 */
	keepAliveTimeoutMs?: number;
	/** Oldest entries of `requests` are dropped beyond this many. Default 100000. */
	maxRecordedRequests?: number;
	/** Clock used for task timelines and request times, in ms. Default `Date.now`. */
	now?: () => number;
	/** Called once per request when its exchange ends (answered, reset or closed). */
	onRequest?: (request: RecordedRequest) => void;
	/** Models served besides (or instead of, for the same id) those of `models.ts`. */
	models?: Record<string, SimModel>;
	/** A request body larger than this is answered 413 `param_error`. Default 32 MB. */
	maxBodyBytes?: number;
}

/** Which of the two servers a request reached. */
export type SimServer = 'api' | 'storage';

/** One request as the simulator saw it. */
export interface RecordedRequest {
	server: SimServer;
	method: string;
	/** Path with query string. */
	path: string;
	/** Header names lower-cased; repeated headers joined with `, `. */
	headers: Record<string, string>;
	/** Request body as UTF-8 text (empty for GET). */
	body: string;
	/** The address the connection came from: a proxy's when the request came through one. */
	peer?: string;
	/** Arrival time in ms (simulator clock). */
	time: number;
	/** Status of the response sent, once sent; absent when none was (reset, hang). */
	status?: number;
	/** Kind of the fault injected into this request, if any. */
	fault?: FaultKind;
}

/** What a task turns into. Settable per task or per prompt through `setTaskOutcome`. */
export interface TaskOutcome {
	/**
	 * Final status. `Success`, `Failure` and `Expired` are reached after the Pending and Running
	 * phases; any other value (e.g. `Queued`, `Running`) is reported from submission on, forever.
	 */
	status: string;
	/** Result URLs reported on `Success`. */
	urls: string[];
	/** `error_message` reported on `Failure`. */
	errorMessage: string;
	/** Length of the Pending phase in ms. */
	pendingMs: number;
	/** Length of the Running phase in ms. */
	runningMs: number;
}

/** Fields `forceStatus` can override, whatever the timeline says. */
export interface StatusPatch {
	status: string;
	urls: string[];
	errorMessage: string;
}

/** A task the simulator accepted. Fields are mutable so tests can steer it. */
export interface SimTask {
	taskId: string;
	model: string;
	/** The prompt, wherever the model takes it (`input.prompt` or the text item of `input.content`); '' when absent. */
	prompt: string;
	/** The validated parameters with defaults filled in. */
	parameters: Record<string, unknown>;
	/** How the first and last frames were sent, when they were. */
	images: { first?: SimImageForm; last?: SimImageForm };
	/** Requested duration in seconds; reported as `usage.duration`. */
	duration: number;
	/** Submission time in ms (simulator clock). */
	submittedAt: number;
	outcome: TaskOutcome;
	/** Overrides set by `forceStatus`, with the time they were set. */
	forced?: Partial<StatusPatch> & { at: number };
}

/** The status of a task as the status endpoint reports it now. */
export interface TaskView {
	status: string;
	urls: string[];
	errorMessage: string;
	/** Finish time in ms, or 0 while unfinished. */
	finishedAt: number;
}

/** Matches tasks: a string equal to the task id or contained in the prompt, a RegExp tested on the prompt, or a predicate. */
export type TaskMatcher = string | RegExp | ((task: SimTask) => boolean);

/** Kind of requests a fault applies to. */
export type FaultTarget = 'submit' | 'status' | 'download' | 'any';

/** A request kind faults can hit (`any` matches all three). */
export type RequestTarget = Exclude<FaultTarget, 'any'>;

interface FaultBase {
	target: FaultTarget;
	/** How many matching requests this fault hits. Default 1; `Infinity` for all. */
	count?: number;
}

/** Reply with an HTTP error status. */
export interface HttpFault extends FaultBase {
	kind: 'http';
	status: number;
	/** Response body; default the platform error JSON (XML error for downloads). */
	body?: string;
	/** Value of a `Retry-After` header. */
	retryAfter?: string;
	/** Submit only: create the task anyway, as a server that failed after accepting would. */
	createTask?: boolean;
}

/** Destroy the connection with a TCP reset. Submit: after creating the task. Download: optionally after some bytes. */
export interface ResetFault extends FaultBase {
	kind: 'reset';
	/** Download only: send the headers and this many body bytes first. */
	afterBytes?: number;
}

/** Destroy the connection with a TCP reset without creating the task. */
export interface ResetBeforeAcceptFault extends FaultBase {
	kind: 'resetBeforeAccept';
}

/** Accept and never answer. Submit: the task is created. */
export interface HangFault extends FaultBase {
	kind: 'hang';
	/** Download only: send the headers and this many body bytes, then stall. */
	afterBytes?: number;
}

/** Reply with an HTML page, as a proxy would. Submit: the task is created. */
export interface NonJsonFault extends FaultBase {
	kind: 'nonJson';
	/** Status of the HTML reply. Default 200. */
	status?: number;
}

/** Announce the full Content-Length, send half of the body, destroy the socket. Submit: the task is created. */
export interface TruncatedFault extends FaultBase {
	kind: 'truncated';
}

/** Submit only: 200 with no task id; no task is created. */
export interface NoTaskIdFault extends FaultBase {
	kind: 'noTaskId';
}

/** Download only: full Content-Length, then end the connection cleanly after some bytes. */
export interface ShortFault extends FaultBase {
	kind: 'short';
	/** Bytes sent before the end. Default half of the body. */
	bytes?: number;
}

/** Download only: the video at a trickle, with its full Content-Length. */
export interface TrickleFault extends FaultBase {
	kind: 'trickle';
	/** Bytes a second, sent in ten pieces a second. Default 4096. */
	bytesPerSecond?: number;
}

/** Download only: the video's Content-Length, then the video and more bytes after it. */
export interface OverlongFault extends FaultBase {
	kind: 'overlong';
	/** Bytes sent beyond the declared length. Default 65536. */
	extraBytes?: number;
}

/** Download only: the video gzip-compressed, with `Content-Encoding: gzip`, still typed video/mp4. */
export interface GzipFault extends FaultBase {
	kind: 'gzip';
}

/** Download only: 200, typed video/mp4, with a body that is not a video. */
export interface NotVideoFault extends FaultBase {
	kind: 'notVideo';
	/** A web page (default) or random bytes. */
	body?: 'html' | 'random';
}

/** Download only: a 302 whose Location is not a URL; with `location: ''`, a 302 without one. */
export interface BadRedirectFault extends FaultBase {
	kind: 'badRedirect';
	/** Default `https://[storage.invalid/video.mp4` (an IPv6 bracket never closed). */
	location?: string;
}

/**
 * Reply with a platform error whose `message`, `type`, `param` and `code` are hostile text (link
 * markup, an icon, line breaks that fake a log line, terminal escapes, bidirectional marks).
 * Submit: no task.
 */
export interface HostileFault extends FaultBase {
	kind: 'hostile';
	/** Status of the reply. Default 400. */
	status?: number;
	/** The text. Default `HOSTILE_TEXT`. */
	text?: string;
}

/** 200 with the usual answer padded to `bytes` (default 256 MB) and that Content-Length, streamed. Submit: the task is created. */
export interface HugeFault extends FaultBase {
	kind: 'huge';
	bytes?: number;
}

/**
 * 200 with a body that never ends, until the client goes away. API: a chunked answer; the submit's
 * task is created. Download: the video, then filler.
 */
export interface EndlessFault extends FaultBase {
	kind: 'endless';
	/** API: pause between 64 KB chunks, to trickle rather than flood. Default 0. */
	chunkDelayMs?: number;
	/** Download: how the body is framed: chunked (default), or no length at all, ended only by closing. */
	framing?: 'chunked' | 'close';
}

/** A fault to inject into upcoming requests. */
export type Fault =
	| HttpFault
	| ResetFault
	| ResetBeforeAcceptFault
	| HangFault
	| NonJsonFault
	| TruncatedFault
	| NoTaskIdFault
	| ShortFault
	| TrickleFault
	| EndlessFault
	| OverlongFault
	| GzipFault
	| NotVideoFault
	| BadRedirectFault
	| HostileFault
	| HugeFault;

/** The kinds of fault. */
export type FaultKind = Fault['kind'];

/** Options of `faults.random`. */
export interface RandomFaultOptions {
	/** Probability in [0, 1] that a request is faulted. */
	rate: number;
	/** Seed of the deterministic PRNG. Default 1. */
	seed?: number;
	/** Request kinds affected. Default all three. */
	targets?: RequestTarget[];
	/**
	 * Fault kinds drawn from (those applicable to the request). Default all but `hang`, `trickle`
	 * and `endless`, which last as long as the client lets them, and `hostile` and `huge`, which a
	 * test asks for by name.
	 */
	kinds?: FaultKind[];
	/** Statuses drawn from for `http` faults. Default a retryable set per target. */
	statuses?: number[];
}

/** Counters that never reset. */
export interface SimulatorStats {
	/** Every request to the submit endpoint. */
	submitsReceived: number;
	/** Submits that created a task (paid jobs). */
	submitsAccepted: number;
	/** Every request to the status endpoint. */
	statusQueries: number;
	/** Every request for a video on the storage server. */
	downloads: number;
	/** Faults injected, queued or random. */
	faultsInjected: number;
}

/** A running simulator. */
export interface Simulator {
	/** Origin of the API server, e.g. `http://127.0.0.1:PORT`. */
	readonly apiUrl: string;
	/** Origin of the storage server, a different port from the API. */
	readonly storageUrl: string;
	readonly apiKey: string;
	/** Every request to either server, oldest first. */
	readonly requests: RecordedRequest[];
	/** Accepted tasks by id. */
	readonly tasks: Map<string, SimTask>;
	/** Submits that created a task. */
	readonly submitCount: number;
	readonly faults: FaultQueue;
	readonly stats: SimulatorStats;
	/** TCP connections accepted by the API server. */
	readonly connections: number;
	/** TCP connections accepted by the storage server. */
	readonly storageConnections: number;
	/**
	 * Sets the outcome of matching tasks: those that exist now and those submitted later.
	 * Later calls win over earlier ones and over prompt markers. Returns how many existing tasks matched.
	 */
	setTaskOutcome(match: TaskMatcher, outcome: Partial<TaskOutcome>): number;
	/** Overrides what the status endpoint reports for a task. Throws for an unknown id. */
	forceStatus(taskId: string, patch: Partial<StatusPatch>): void;
	/** What the status endpoint would report now for a task, or undefined for an unknown id. */
	view(taskId: string): TaskView | undefined;
	/** Closes both servers and destroys every open socket, hung ones too. */
	close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

const FINAL_STATUSES = new Set(['Success', 'Failure', 'Expired']);
const MAX_BODY_BYTES = 32 * 1024 * 1024;
const FAILURE_MESSAGE = 'Simulated failure: the model could not render this prompt';
/**
 * Text a hostile or broken service might send: a command link and a web link in the markup VS Code
 * turns into links in notifications, an icon, a line break followed by what looks like a line of
 * VideoGen's log, a terminal colour sequence, a line separator and a right-to-left override.
 */
export const HOSTILE_TEXT = 'Render failed. [Fix it](command:workbench.action.terminal.new) or [see](https://example.com/x) $(alert)\n[poller] task task_forged is Success\r\u001b[31mred\u001b[0m\u2028\u202eevil\u202c';
/** How far `[fail-hostile]` pads its error message: far more than VideoGen keeps, less than it reads. */
const HOSTILE_PADDING = 512 * 1024;
/** How many links `[many-urls]` reports. */
const MANY_URLS = 10_000;
/** How long the link `[long-url]` reports is, at least. */
const LONG_URL = 16 * 1024;
const HTML_PAGE = '<html><body>502 Bad Gateway</body></html>';
const ALL_TARGETS: RequestTarget[] = ['submit', 'status', 'download'];
const ALL_KINDS: FaultKind[] = [
	'http', 'reset', 'resetBeforeAccept', 'hang', 'nonJson', 'truncated', 'noTaskId', 'short',
	'trickle', 'endless', 'overlong', 'gzip', 'notVideo', 'badRedirect', 'hostile', 'huge',
];
/** Kinds that last as long as the client lets them, or that a test asks for by name: drawn at random only when asked for. */
const NOT_RANDOM_BY_DEFAULT = new Set<FaultKind>(['hang', 'trickle', 'endless', 'hostile', 'huge']);
const BAD_LOCATION = 'https://[storage.invalid/video.mp4';
const FILLER = Buffer.alloc(64 * 1024, 0x2e);

/** Fault kinds that make sense for each request kind. */
const APPLICABLE: Record<RequestTarget, ReadonlySet<FaultKind>> = {
	submit: new Set<FaultKind>(['http', 'reset', 'resetBeforeAccept', 'hang', 'nonJson', 'truncated', 'noTaskId', 'hostile', 'huge', 'endless']),
	status: new Set<FaultKind>(['http', 'reset', 'resetBeforeAccept', 'hang', 'nonJson', 'truncated', 'hostile', 'huge', 'endless']),
	download: new Set<FaultKind>(['http', 'reset', 'hang', 'nonJson', 'truncated', 'short', 'trickle', 'endless', 'overlong', 'gzip', 'notVideo', 'badRedirect']),
};

/** Submit faults after which the task exists (unless `createTask` says so for `http`). */
const CREATING_KINDS = new Set<FaultKind>(['reset', 'hang', 'nonJson', 'truncated', 'huge', 'endless']);

const RANDOM_STATUSES: Record<RequestTarget, number[]> = {
	submit: [429, 500, 503],
	status: [408, 429, 500, 502, 503, 504],
	download: [500, 502, 503],
};

/** Error `type` the platform uses for each status. */
const ERROR_TYPES: Record<number, string> = {
	400: 'param_error',
	401: 'auth_error',
	403: 'permission_error',
	404: 'not_found',
	408: 'timeout_error',
	429: 'rate_limit',
	500: 'server_error',
	502: 'bad_gateway',
	503: 'service_unavailable',
	504: 'gateway_timeout',
};

/** Names of the models the simulator accepts (unless `options.models` adds more). */
export const SIMULATED_MODELS: readonly string[] = Object.keys(SIM_MODELS);

// ---------------------------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------------------------

interface QueuedFault {
	fault: Fault;
	remaining: number;
}

interface RandomMode {
	rate: number;
	targets: RequestTarget[];
	kinds: FaultKind[];
	statuses?: number[];
	next: () => number;
}

/** Faults waiting for requests: a FIFO queue, plus an optional random mode consulted after it. */
export class FaultQueue {
	private readonly queue: QueuedFault[] = [];
	private randomMode: RandomMode | undefined;

	/** Queues faults; each hits the next `count` matching requests. Returns the queue length. */
	push(...faults: Fault[]): number {
		for (const fault of faults) {
			const remaining = fault.count ?? 1;
			if (remaining > 0) {
				this.queue.push({ fault, remaining });
			}
		}
		return this.queue.length;
	}

	/** From now on, faults each request of the given targets with probability `rate`. */
	random(options: RandomFaultOptions): void {
		this.randomMode = {
			rate: options.rate,
			targets: options.targets ?? ALL_TARGETS,
			kinds: options.kinds ?? ALL_KINDS.filter((kind) => !NOT_RANDOM_BY_DEFAULT.has(kind)),
			statuses: options.statuses,
			next: mulberry32(options.seed ?? 1),
		};
	}

	/** Drops every queued fault and stops random faults. */
	clear(): void {
		this.queue.length = 0;
		this.randomMode = undefined;
	}

	/** Number of queued faults (random mode not counted). */
	get length(): number {
		return this.queue.length;
	}

	/** Faults still queued, in order. */
	get pending(): Fault[] {
		return this.queue.map((entry) => entry.fault);
	}

	/** Whether random faults are on. */
	get isRandom(): boolean {
		return this.randomMode !== undefined;
	}

	/** Takes the fault for the next request of `target`, if any. Used by the servers. */
	take(target: RequestTarget): Fault | undefined {
		return this.takeQueued(target) ?? this.drawRandom(target);
	}

	private takeQueued(target: RequestTarget): Fault | undefined {
		const index = this.queue.findIndex((entry) => appliesTo(entry.fault, target));
		if (index < 0) {
			return undefined;
		}
		const entry = this.queue[index];
		entry.remaining -= 1;
		if (entry.remaining <= 0) {
			this.queue.splice(index, 1);
		}
		return entry.fault;
	}

	private drawRandom(target: RequestTarget): Fault | undefined {
		const mode = this.randomMode;
		if (!mode || !mode.targets.includes(target) || mode.next() >= mode.rate) {
			return undefined;
		}
		const kinds = mode.kinds.filter((kind) => APPLICABLE[target].has(kind));
		if (kinds.length === 0) {
			return undefined;
		}
		const kind = pick(kinds, mode.next);
		return randomFault(kind, target, mode);
	}
}

function appliesTo(fault: Fault, target: RequestTarget): boolean {
	return (fault.target === target || fault.target === 'any') && APPLICABLE[target].has(fault.kind);
}

function randomFault(kind: FaultKind, target: RequestTarget, mode: RandomMode): Fault {
	if (kind === 'http') {
		const status = pick(mode.statuses ?? RANDOM_STATUSES[target], mode.next);
		return { target, kind, status, retryAfter: status === 429 ? '1' : undefined };
	}
	return { target, kind } as Fault;
}

function pick<T>(items: T[], next: () => number): T {
	return items[Math.floor(next() * items.length) % items.length];
}

/** A small deterministic PRNG returning numbers in [0, 1). */
function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Checks a fault that arrived as JSON; throws a readable message when it is malformed. */
export function parseFault(value: unknown): Fault {
	if (!isObject(value)) {
		throw new Error('a fault must be a JSON object');
	}
	const target = value.target;
	if (target !== 'any' && !ALL_TARGETS.includes(target as RequestTarget)) {
		throw new Error('fault.target must be one of submit, status, download, any');
	}
	if (!ALL_KINDS.includes(value.kind as FaultKind)) {
		throw new Error(`fault.kind must be one of ${ALL_KINDS.join(', ')}`);
	}
	if (value.kind === 'http' && typeof value.status !== 'number') {
		throw new Error('an http fault needs a numeric status');
	}
	if (value.count !== undefined && typeof value.count !== 'number') {
		throw new Error('fault.count must be a number');
	}
	return value as unknown as Fault;
}

// ---------------------------------------------------------------------------------------------
// Video bytes
// ---------------------------------------------------------------------------------------------

/** Where video bytes come from: a file, or generated data. */
interface ByteSource {
	size: number;
	/** Streams bytes `start`..`end` inclusive. */
	open(start: number, end: number): Readable;
}

const BLOCK_SIZE = 64 * 1024;

function fileSource(file: string): ByteSource {
	const size = fs.statSync(file).size;
	return { size, open: (start, end) => fs.createReadStream(file, { start, end }) };
}

/**
 * Generated bytes that begin with an MP4 `ftyp` box, so magic-number checks pass, followed by an
 * empty `moov` box and an `mdat` box that runs to the end, so a check of the file's boxes finds it whole.
 */
function syntheticSource(size: number): ByteSource {
	const block = Buffer.alloc(BLOCK_SIZE);
	for (let i = 0; i < BLOCK_SIZE; i++) {
		block[i] = (i * 251 + 13) & 0xff;
	}
	const first = Buffer.from(block);
	const ftyp = Buffer.from('00000018667479706973736f6d000002006973736f6d6d703431', 'hex');
	ftyp.copy(first, 0);
	// Where the `ftyp` box says it ends (24 bytes): an empty `moov` box, then the `mdat` box.
	const end = ftyp.readUInt32BE(0);
	const at = end + 8;
	const mdat = size - at;
	if (mdat >= 8) {
		first.writeUInt32BE(8, end);
		first.write('moov', end + 4, 'latin1');
	}
	if (mdat > 0xffffffff) {
		// A 64-bit size: 1 where the size goes, the real one after the type.
		first.writeUInt32BE(1, at);
		first.write('mdat', at + 4, 'latin1');
		first.writeBigUInt64BE(BigInt(mdat), at + 8);
	} else if (mdat >= 8) {
		first.writeUInt32BE(mdat, at);
		first.write('mdat', at + 4, 'latin1');
	}
	return { size, open: (start, end) => Readable.from(syntheticChunks(first, block, start, end), { objectMode: false }) };
}

function* syntheticChunks(first: Buffer, block: Buffer, start: number, end: number): Generator<Buffer> {
	let position = start;
	while (position <= end) {
		const offset = position % BLOCK_SIZE;
		const length = Math.min(BLOCK_SIZE - offset, end - position + 1);
		const source = position < BLOCK_SIZE ? first : block;
		yield source.subarray(offset, offset + length);
		position += length;
	}
}

/** Finds the sample video whether the module runs compiled (out/test/simulator) or from its source folder. */
function defaultVideoFile(): string {
	const candidates = [
		path.join(__dirname, '../../../test/simulator/sample.mp4'),
		path.join(__dirname, 'sample.mp4'),
	];
	const found = candidates.find((candidate) => fs.existsSync(candidate));
	if (!found) {
		throw new Error('sample.mp4 not found next to the simulator; pass options.videoFile');
	}
	return found;
}

interface ByteRange {
	start: number;
	end: number;
	partial: boolean;
}

/** Parses a single-range `Range` header. Multiple or malformed ranges get the whole file, as RFC 9110 allows. */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' {
	const whole: ByteRange = { start: 0, end: size - 1, partial: false };
	const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
	if (!match || (match[1] === '' && match[2] === '')) {
		return whole;
	}
	if (match[1] === '') {
		const suffix = Number(match[2]);
		return suffix === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1, partial: true };
	}
	const start = Number(match[1]);
	const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
	return start >= size || end < start ? 'unsatisfiable' : { start, end, partial: true };
}

// ---------------------------------------------------------------------------------------------
// Small HTTP helpers
// ---------------------------------------------------------------------------------------------

/** A response the API would send, before any fault gets at it. */
interface Reply {
	status: number;
	body: string;
	contentType?: string;
	headers?: Record<string, string>;
}

function jsonReply(status: number, value: unknown): Reply {
	return { status, body: JSON.stringify(value) };
}

/** The platform's error body. */
function errorReply(status: number, type: string, message: string, param = '', code = type): Reply {
	return jsonReply(status, { error: { message, type, param, code } });
}

function defaultErrorReply(status: number): Reply {
	const type = ERROR_TYPES[status] ?? (status >= 500 ? 'server_error' : 'request_error');
	return errorReply(status, type, `Simulated ${status} ${http.STATUS_CODES[status] ?? 'error'}`);
}

function storageErrorBody(status: number): string {
	const [code, message] =
		status === 404 ? ['NoSuchKey', 'The specified key does not exist.'] :
			status === 403 ? ['AccessDenied', 'Request has expired'] :
				['InternalError', `Simulated ${status} ${http.STATUS_CODES[status] ?? 'error'}`];
	return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

function send(res: http.ServerResponse, reply: Reply): void {
	const body = Buffer.from(reply.body, 'utf8');
	res.writeHead(reply.status, {
		'Content-Type': reply.contentType ?? 'application/json; charset=utf-8',
		'Content-Length': String(body.length),
		...reply.headers,
	});
	res.end(body);
}

/** Announces the whole body but writes only its first half, then drops the connection. */
function sendTruncated(res: http.ServerResponse, reply: Reply): void {
	const body = Buffer.from(reply.body, 'utf8');
	res.writeHead(reply.status, {
		'Content-Type': reply.contentType ?? 'application/json; charset=utf-8',
		'Content-Length': String(body.length),
	});
	res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
}

/**
 * Sends `reply` as JSON padded to `size` bytes with a `padding` field in front, streamed 64 KB at a
 * time: with its Content-Length, or chunked and endless when `size` is Infinity. Stops when the
 * client goes away.
 */
async function sendPadded(res: http.ServerResponse, reply: Reply, size: number, chunkDelayMs = 0): Promise<void> {
	const rest = reply.body.trim().slice(1);
	const head = Buffer.from('{"padding":"');
	const tail = Buffer.from(rest === '}' || rest === '' ? '"}' : `",${rest}`);
	const endless = size === Infinity;
	const fill = Math.max(0, size - head.length - tail.length);
	res.writeHead(endless ? 200 : reply.status, {
		'Content-Type': 'application/json; charset=utf-8',
		...(endless ? {} : { 'Content-Length': String(head.length + fill + tail.length) }),
	});
	const block = Buffer.alloc(BLOCK_SIZE, 'x');
	if (!(await writeChunk(res, head))) {
		return;
	}
	for (let sent = 0; endless || sent < fill; sent += block.length) {
		if (!(await writeChunk(res, endless ? block : block.subarray(0, Math.min(block.length, fill - sent))))) {
			return;
		}
		if (chunkDelayMs > 0) {
			await new Promise(resolve => setTimeout(resolve, chunkDelayMs));
		}
	}
	res.end(tail);
}

function resetConnection(res: http.ServerResponse): void {
	res.socket?.resetAndDestroy();
}

function htmlReply(status: number): Reply {
	return { status, body: HTML_PAGE, contentType: 'text/html; charset=utf-8' };
}

function redirect(res: http.ServerResponse, location: string): void {
	res.writeHead(302, { Location: location, 'Content-Length': '0' });
	res.end();
}

/**
 * The request's body as text. A body over `maxBytes` is read to its end without being kept and then
 * refused (the caller answers 413), as a server that answers a body too large does: the client learns
 * why instead of seeing its connection reset.
 */
function readBody(req: http.IncomingMessage, maxBytes: number): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= maxBytes) {
				chunks.push(chunk);
			} else {
				chunks.length = 0;
			}
		});
		req.on('end', () => size > maxBytes ? reject(new Error('request body too large')) : resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
	const flat: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value !== undefined) {
			flat[name] = Array.isArray(value) ? value.join(', ') : value;
		}
	}
	return flat;
}

function isLoopback(address: string | undefined): boolean {
	return address === '::1' || /^(::ffff:)?127\./.test(address ?? '');
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve((server.address() as AddressInfo).port);
		});
	});
}

function origin(host: string, port: number, scheme: 'http' | 'https'): string {
	return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** A response, or the socket of one whose bytes are written by hand. */
type BodyWriter = http.ServerResponse | Socket;

/** Writes `head` on the response's socket itself, for bodies Node's server would frame otherwise; returns the socket. */
function rawBody(res: http.ServerResponse, head: string): Socket {
	const socket = res.socket!;
	socket.write(head);
	return socket;
}

/** Random bytes that do not start like any video file. */
function notAVideo(length: number): Buffer {
	const bytes = crypto.randomBytes(length);
	bytes.fill(0, 0, Math.min(8, length));
	return bytes;
}

/** Writes one chunk and resolves once it is handed to the socket (false if the connection closed). */
function writeChunk(res: BodyWriter, chunk: Buffer): Promise<boolean> {
	return new Promise((resolve) => {
		if (res.destroyed) {
			resolve(false);
			return;
		}
		const onClose = (): void => resolve(false);
		res.once('close', onClose);
		res.write(chunk, (error) => {
			res.off('close', onClose);
			resolve(!error);
		});
	});
}

// ---------------------------------------------------------------------------------------------
// Submit validation
// ---------------------------------------------------------------------------------------------

interface ValidSubmit {
	model: string;
	/** The prompt, wherever the model takes it ('' when it is optional and absent). */
	prompt: string;
	parameters: Record<string, unknown>;
	duration: number;
	images: SimTask['images'];
}

/** Validates a submit body as the platform does; returns the request or the 400 to send. */
function validateSubmit(body: unknown, models: Record<string, SimModel>): ValidSubmit | Reply {
	if (!isObject(body)) {
		return errorReply(400, 'param_error', 'Request body must be a JSON object', '');
	}
	if (typeof body.model !== 'string' || body.model === '') {
		return errorReply(400, 'param_error', 'model is required and must be a string', 'model');
	}
	const spec = Object.prototype.hasOwnProperty.call(models, body.model) ? models[body.model] : undefined;
	if (!spec) {
		return errorReply(400, 'model_error', `Model ${body.model} does not exist or is not available`, 'model', 'model_not_found');
	}
	const input = isObject(body.input) ? body.input : undefined;
	if (!input) {
		return errorReply(400, 'param_error', 'input is required and must be an object', 'input');
	}
	if (body.parameters !== undefined && !isObject(body.parameters)) {
		return errorReply(400, 'param_error', 'parameters must be an object', 'parameters');
	}
	const parameters = isObject(body.parameters) ? body.parameters : {};
	try {
		return validateModel(body.model, spec, input, parameters);
	} catch (error) {
		if (error instanceof ParamError) {
			return errorReply(400, 'param_error', error.message, error.param);
		}
		throw error;
	}
}

/** A 400 `param_error` naming `param`, thrown from deep in the checks. */
class ParamError extends Error {
	constructor(readonly param: string, message: string) {
		super(message);
	}
}

function refuse(param: string, message: string): never {
	throw new ParamError(param, `${param} ${message}`);
}

/** The body path an image place writes. */
function placePath(place: SimImagePlace): string {
	return 'at' in place ? place.at : 'input.content';
}

function validateModel(model: string, spec: SimModel, input: Record<string, unknown>, parameters: Record<string, unknown>): ValidSubmit {
	const places = [spec.first, spec.last].filter((place): place is SimImagePlace => place !== undefined);
	const inputFields = new Set([spec.prompt.slice('input.'.length), ...(spec.negativePrompt ? ['negative_prompt'] : [])]);
	const parameterFields = new Set([...Object.keys(spec.params), ...Object.keys(spec.fixed ?? {})]);
	for (const path of places.map(placePath)) {
		const [root, name] = path.split('.');
		(root === 'input' ? inputFields : parameterFields).add(name);
	}
	for (const name of Object.keys(input)) {
		if (!inputFields.has(name)) {
			refuse(`input.${name}`, `is not an input of ${model}`);
		}
	}
	for (const name of Object.keys(parameters)) {
		if (!parameterFields.has(name)) {
			refuse(`parameters.${name}`, `is not a parameter of ${model}; it takes ${[...parameterFields].join(', ')}`);
		}
	}
	const fromContent = spec.prompt === 'input.content' ? readContent(spec, input.content) : undefined;
	const prompt = fromContent ? fromContent.prompt : readPrompt(spec, input.prompt);
	if (spec.promptMaxChars !== undefined && [...prompt].length > spec.promptMaxChars) {
		refuse(spec.prompt, `must be at most ${spec.promptMaxChars} characters for ${model}`);
	}
	if (input.negative_prompt !== undefined && typeof input.negative_prompt !== 'string') {
		refuse('input.negative_prompt', 'must be a string');
	}
	const body = { input, parameters };
	const images = fromContent?.images ?? {
		first: spec.first && readImage(spec, spec.first, valueAt(body, placePath(spec.first))),
		last: spec.last && readImage(spec, spec.last, valueAt(body, placePath(spec.last))),
	};
	if (!images.first && spec.firstRequired) {
		refuse(placePath(spec.first!), `is required for ${model}`);
	}
	if (images.last && !images.first) {
		refuse(placePath(spec.last!), 'needs a first frame as well');
	}
	const filled: Record<string, unknown> = {};
	for (const [name, rule] of Object.entries(spec.params)) {
		const value = parameters[name] ?? rule.def;
		if (value === undefined) {
			if (rule.required) {
				refuse(`parameters.${name}`, `is required for ${model}: ${describeRule(rule)}`);
			}
			continue;
		}
		if (!passes(rule, value)) {
			refuse(`parameters.${name}`, `must be ${describeRule(rule)} for ${model}`);
		}
		filled[name] = value;
	}
	const imageCase = images.last ? 'firstLast' : images.first ? 'first' : 'none';
	for (const [name, cases] of Object.entries(spec.fixed ?? {})) {
		const wanted = cases[imageCase];
		if (wanted === undefined) {
			refuse(`parameters.${name}`, `has no value for ${model} with ${imageCase === 'none' ? 'no image' : 'these images'}`);
		}
		if (parameters[name] !== wanted) {
			refuse(`parameters.${name}`, `must be "${wanted}" for ${model} with ${imageCase === 'none' ? 'no image' : imageCase === 'first' ? 'a first frame' : 'a first and a last frame'}`);
		}
		filled[name] = wanted;
	}
	for (const rule of spec.rules ?? []) {
		const [name, value] = rule.if;
		if (filled[name] === value && filled[rule.param] !== undefined && !passes(rule.rule, filled[rule.param])) {
			refuse(`parameters.${rule.param}`, `must be ${describeRule(rule.rule)} for ${model} when ${name} is ${value}`);
		}
	}
	const duration = filled.duration ?? firstAllowed(spec.params.duration);
	return { model, prompt, parameters: filled, duration: typeof duration === 'number' ? duration : 0, images };
}

function readPrompt(spec: SimModel, value: unknown): string {
	if (value === undefined && spec.promptOptional) {
		return '';
	}
	if (typeof value !== 'string' || (!spec.promptOptional && value.trim() === '')) {
		refuse('input.prompt', 'is required and must be a non-empty string');
	}
	return value;
}

/** Reads an `input.content` list: one `text` item (the prompt), and image items by role. */
function readContent(spec: SimModel, content: unknown): { prompt: string; images: SimTask['images'] } {
	if (!Array.isArray(content) || content.length === 0) {
		refuse('input.content', 'is required: a list with a text item');
	}
	let prompt: string | undefined;
	const images: SimTask['images'] = {};
	for (const item of content) {
		if (isObject(item) && item.type === 'text') {
			if (prompt !== undefined || typeof item.text !== 'string' || item.text.trim() === '') {
				refuse('input.content', 'must have exactly one text item with a non-empty text');
			}
			prompt = item.text;
		} else if (isObject(item) && item.type === 'image_url') {
			const slot = spec.first && 'role' in spec.first && spec.first.role === item.role ? 'first'
				: spec.last && 'role' in spec.last && spec.last.role === item.role ? 'last' : undefined;
			if (!slot || images[slot] || !isObject(item.image_url)) {
				refuse('input.content', 'image items need an image_url object and a role of first_frame or last_frame, each role once');
			}
			images[slot] = readImage(spec, spec[slot]!, item.image_url.url, 'input.content');
		} else {
			refuse('input.content', 'items must be {"type":"text"} or {"type":"image_url"}');
		}
	}
	if (prompt === undefined && !spec.promptOptional) {
		refuse('input.content', 'must have a text item with the prompt');
	}
	return { prompt: prompt ?? '', images };
}

function valueAt(body: Record<string, unknown>, path: string): unknown {
	let node: unknown = body;
	for (const key of path.split('.')) {
		node = isObject(node) ? node[key] : undefined;
	}
	return node;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Checks one image at its place; returns how it was written, or undefined when it is absent. */
function readImage(spec: SimModel, place: SimImagePlace, value: unknown, param = placePath(place)): SimImageForm | undefined {
	if (value === undefined) {
		return undefined;
	}
	if ('inline' in place) {
		if (!isObject(value) || typeof value.bytesBase64Encoded !== 'string' || typeof value.mimeType !== 'string') {
			refuse(param, 'must be {"bytesBase64Encoded": raw Base64, "mimeType": "image/..."}');
		}
		if (!isBase64(value.bytesBase64Encoded)) {
			refuse(param, 'bytesBase64Encoded must be raw Base64, without a data: prefix');
		}
		checkImageBytes(spec, param, value.bytesBase64Encoded, value.mimeType);
		return 'base64';
	}
	if (typeof value !== 'string' || value === '') {
		refuse(param, `must be a string: ${place.forms.join(' or ')}`);
	}
	const dataUri = /^data:([^;,]+);base64,/.exec(value);
	const form: SimImageForm = /^https?:/i.test(value) ? 'url' : dataUri ? 'dataUri' : 'base64';
	if (!place.forms.includes(form)) {
		refuse(param, `must be ${place.forms.map((f) => ({ url: 'an https URL', base64: 'raw Base64', dataUri: 'a data:image/...;base64, URI' })[f]).join(' or ')}`);
	}
	if (form === 'url') {
		if (!/^https:\/\/[^/\s]+/i.test(value)) {
			refuse(param, 'must be an https URL');
		}
		return form;
	}
	const text = dataUri ? value.slice(dataUri[0].length) : value;
	if (!isBase64(text)) {
		refuse(param, 'is not valid Base64');
	}
	checkImageBytes(spec, param, text, dataUri?.[1]);
	return form;
}

function isBase64(text: string): boolean {
	return text.length > 0 && text.length % 4 === 0 && BASE64.test(text);
}

/** Type, size and pixel checks on an image sent as Base64. */
function checkImageBytes(spec: SimModel, param: string, base64: string, declared: string | undefined): void {
	const bytes = Buffer.from(base64, 'base64');
	const rules = spec.imageRules ?? {};
	const type = imageType(bytes);
	if (declared !== undefined && !/^image\/[a-z0-9.+-]+$/i.test(declared)) {
		refuse(param, `has the MIME type "${declared}", which is not an image type`);
	}
	if (declared !== undefined && type !== undefined && declared.toLowerCase() !== type) {
		refuse(param, `is declared ${declared} but holds ${type}`);
	}
	const actual = type ?? declared?.toLowerCase();
	if (rules.types && (actual === undefined || !rules.types.includes(actual))) {
		refuse(param, `must be one of ${rules.types.join(', ')}`);
	}
	if (rules.maxBytes !== undefined && bytes.length > rules.maxBytes) {
		refuse(param, `must be at most ${rules.maxBytes} bytes`);
	}
	const size = imageSize(bytes);
	if (size && rules.minSide !== undefined && Math.min(size.width, size.height) < rules.minSide) {
		refuse(param, `must be at least ${rules.minSide} pixels on each side`);
	}
	if (size && rules.ratio && (size.width / size.height < rules.ratio[0] - 1e-9 || size.width / size.height > rules.ratio[1] + 1e-9)) {
		refuse(param, `must have a width to height ratio from ${rules.ratio[0]} to ${rules.ratio[1]}`);
	}
}

function imageType(bytes: Buffer): string | undefined {
	if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
		return 'image/png';
	}
	if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
		return 'image/jpeg';
	}
	if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') {
		return 'image/webp';
	}
	if (bytes.toString('latin1', 0, 4) === 'GIF8') {
		return 'image/gif';
	}
	return undefined;
}

/** Pixel size of a PNG (IHDR) or a JPEG (first SOFn segment). */
function imageSize(bytes: Buffer): { width: number; height: number } | undefined {
	const type = imageType(bytes);
	if (type === 'image/png' && bytes.length >= 24) {
		return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
	}
	if (type !== 'image/jpeg') {
		return undefined;
	}
	let at = 2;
	while (at + 9 < bytes.length && bytes[at] === 0xff) {
		const marker = bytes[at + 1];
		if (marker === 0xff) {
			at += 1;
		} else if ([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf].includes(marker)) {
			return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
		} else if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
			at += 2;
		} else {
			at += 2 + bytes.readUInt16BE(at + 2);
		}
	}
	return undefined;
}

function passes(rule: SimParam, value: unknown): boolean {
	if ('oneOf' in rule) {
		return (typeof value === 'string' || typeof value === 'number') && rule.oneOf.includes(value);
	}
	if ('bool' in rule) {
		return typeof value === 'boolean';
	}
	return Number.isInteger(value) && (value as number) >= rule.from && (value as number) <= rule.to;
}

function describeRule(rule: SimParam): string {
	if ('oneOf' in rule) {
		return `one of ${rule.oneOf.map((v) => JSON.stringify(v)).join(', ')}`;
	}
	if ('bool' in rule) {
		return 'true or false';
	}
	return `an integer from ${rule.from} to ${rule.to}`;
}

function firstAllowed(rule: SimParam | undefined): unknown {
	return !rule ? undefined : 'oneOf' in rule ? rule.oneOf[0] : 'from' in rule ? rule.from : undefined;
}

// ---------------------------------------------------------------------------------------------
// Prompt markers and task timeline
// ---------------------------------------------------------------------------------------------

/** What the markers in a prompt ask for; urls are filled in by the caller. */
interface MarkerPlan {
	status: string;
	errorMessage: string;
	urlCount: number;
	viaRedirect: boolean;
	longUrl: boolean;
	pendingMs: number;
	runningMs: number;
}

function planFromPrompt(prompt: string, pendingMs: number, runningMs: number): MarkerPlan {
	const has = (marker: string): boolean => prompt.toLowerCase().includes(`[${marker}]`);
	const custom = /\[status:([^\]]+)\]/i.exec(prompt);
	const plan: MarkerPlan = { status: 'Success', errorMessage: '', urlCount: 1, viaRedirect: has('redirect'), longUrl: has('long-url'), pendingMs, runningMs };
	if (has('fail')) {
		Object.assign(plan, { status: 'Failure', errorMessage: FAILURE_MESSAGE });
	} else if (has('fail-hostile')) {
		Object.assign(plan, { status: 'Failure', errorMessage: `${HOSTILE_TEXT} ${'x'.repeat(HOSTILE_PADDING)}` });
	} else if (has('fail-silent')) {
		plan.status = 'Failure';
	} else if (has('expire')) {
		plan.status = 'Expired';
	} else if (custom) {
		plan.status = custom[1].trim();
	}
	plan.urlCount = has('nourls') ? 0 : has('many-urls') ? MANY_URLS : has('multi') ? 2 : 1;
	if (has('slow')) {
		plan.runningMs = runningMs * 5;
	}
	if (has('instant')) {
		Object.assign(plan, { pendingMs: 0, runningMs: 0 });
	}
	return plan;
}

/** Status of a task at `now`, from its timestamps and any forced override. */
export function viewTask(task: SimTask, now: number): TaskView {
	const natural = naturalView(task, now);
	const forced = task.forced;
	if (!forced) {
		return natural;
	}
	const status = forced.status ?? natural.status;
	const forcedFinal = forced.status !== undefined && FINAL_STATUSES.has(forced.status);
	return {
		status,
		urls: forced.urls ?? (status === 'Success' ? task.outcome.urls : []),
		errorMessage: forced.errorMessage ?? (status === 'Failure' ? task.outcome.errorMessage : ''),
		finishedAt: forcedFinal ? (natural.finishedAt || forced.at) : forced.status === undefined ? natural.finishedAt : 0,
	};
}

function naturalView(task: SimTask, now: number): TaskView {
	const { outcome } = task;
	const unfinished = (status: string): TaskView => ({ status, urls: [], errorMessage: '', finishedAt: 0 });
	if (!FINAL_STATUSES.has(outcome.status)) {
		return unfinished(outcome.status);
	}
	const elapsed = now - task.submittedAt;
	if (elapsed < outcome.pendingMs) {
		return unfinished('Pending');
	}
	if (elapsed < outcome.pendingMs + outcome.runningMs) {
		return unfinished('Running');
	}
	return {
		status: outcome.status,
		urls: outcome.status === 'Success' ? outcome.urls : [],
		errorMessage: outcome.status === 'Failure' ? outcome.errorMessage : '',
		finishedAt: task.submittedAt + outcome.pendingMs + outcome.runningMs,
	};
}

function matches(match: TaskMatcher, task: SimTask): boolean {
	if (typeof match === 'string') {
		return task.taskId === match || task.prompt.includes(match);
	}
	return match instanceof RegExp ? match.test(task.prompt) : match(task);
}

function statusBody(task: SimTask, view: TaskView): unknown {
	return {
		output: {
			task_id: task.taskId,
			task_status: view.status,
			urls: view.urls,
			submit_time: Math.floor(task.submittedAt / 1000),
			finish_time: view.finishedAt ? Math.floor(view.finishedAt / 1000) : 0,
			error_message: view.errorMessage,
		},
		usage: { duration: task.duration },
		request_id: crypto.randomUUID(),
	};
}

// ---------------------------------------------------------------------------------------------
// The simulator
// ---------------------------------------------------------------------------------------------

interface OutcomeRule {
	match: TaskMatcher;
	outcome: Partial<TaskOutcome>;
}

class SimulatorImpl implements Simulator {
	apiUrl = '';
	storageUrl = '';
	readonly apiKey: string;
	readonly requests: RecordedRequest[] = [];
	readonly tasks = new Map<string, SimTask>();
	readonly faults = new FaultQueue();
	readonly stats: SimulatorStats = { submitsReceived: 0, submitsAccepted: 0, statusQueries: 0, downloads: 0, faultsInjected: 0 };
	connections = 0;
	storageConnections = 0;

	private readonly apiServer: http.Server;
	private readonly storageServer: http.Server;
	private readonly sockets = new Set<Socket>();
	private readonly rules: OutcomeRule[] = [];
	private readonly source: ByteSource;
	private readonly now: () => number;
	private readonly models: Record<string, SimModel>;
	private closing: Promise<void> | undefined;

	constructor(private readonly options: SimulatorOptions) {
		this.apiKey = options.apiKey ?? 'sim-key';
		this.now = options.now ?? Date.now;
		this.models = { ...SIM_MODELS, ...options.models };
		this.source = options.syntheticVideoBytes !== undefined
			? syntheticSource(options.syntheticVideoBytes)
			: fileSource(options.videoFile ?? defaultVideoFile());
		this.apiServer = this.createServer('api');
		this.storageServer = this.createServer('storage');
	}

	get submitCount(): number {
		return this.stats.submitsAccepted;
	}

	async start(): Promise<void> {
		const host = this.options.host ?? '127.0.0.1';
		try {
			const scheme = this.options.tls ? 'https' : 'http';
			this.apiUrl = origin(host, await listen(this.apiServer, this.options.apiPort ?? 0, host), scheme);
			this.storageUrl = origin(host, await listen(this.storageServer, this.options.storagePort ?? 0, host), scheme);
		} catch (error) {
			await this.close();
			throw error;
		}
	}

	setTaskOutcome(match: TaskMatcher, outcome: Partial<TaskOutcome>): number {
		this.rules.push({ match, outcome });
		let count = 0;
		for (const task of this.tasks.values()) {
			if (matches(match, task)) {
				Object.assign(task.outcome, outcome);
				count++;
			}
		}
		return count;
	}

	forceStatus(taskId: string, patch: Partial<StatusPatch>): void {
		const task = this.tasks.get(taskId);
		if (!task) {
			throw new Error(`unknown task ${taskId}`);
		}
		task.forced = { ...task.forced, ...patch, at: this.now() };
	}

	view(taskId: string): TaskView | undefined {
		const task = this.tasks.get(taskId);
		return task && viewTask(task, this.now());
	}

	close(): Promise<void> {
		this.closing ??= Promise.all([this.apiServer, this.storageServer].map((server) => this.closeServer(server))).then(() => undefined);
		return this.closing;
	}

	private closeServer(server: http.Server): Promise<void> {
		return new Promise((resolve) => {
			if (!server.listening) {
				resolve();
				return;
			}
			server.close(() => resolve());
			for (const socket of this.sockets) {
				socket.destroy();
			}
		});
	}

	private createServer(kind: SimServer): http.Server {
		const handler: http.RequestListener = (req, res) => {
			this.handle(kind, req, res).catch((error: unknown) => this.internalError(res, error));
		};
		const server = this.options.tls ? https.createServer(this.options.tls, handler) : http.createServer(handler);
		if (this.options.keepAliveTimeoutMs !== undefined) {
			server.keepAliveTimeout = this.options.keepAliveTimeoutMs;
		}
		server.on('connection', (socket: Socket) => {
			if (kind === 'api') {
				this.connections++;
			} else {
				this.storageConnections++;
			}
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		return server;
	}

	private internalError(res: http.ServerResponse, error: unknown): void {
		if (!res.headersSent && !res.destroyed) {
			const tooLarge = error instanceof Error && error.message === 'request body too large';
			send(res, tooLarge ? errorReply(413, 'param_error', 'Request body too large') : defaultErrorReply(500));
		} else {
			res.destroy();
		}
	}

	private async handle(kind: SimServer, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const body = await readBody(req, this.options.maxBodyBytes ?? MAX_BODY_BYTES);
		const record = this.record(kind, req, body, res);
		const url = new URL(req.url ?? '/', 'http://simulator');
		if (kind === 'api') {
			this.routeApi(req, res, url, body, record);
		} else {
			this.routeStorage(req, res, url, record);
		}
	}

	private record(server: SimServer, req: http.IncomingMessage, body: string, res: http.ServerResponse): RecordedRequest {
		const record: RecordedRequest = {
			server,
			method: req.method ?? 'GET',
			path: req.url ?? '/',
			headers: flattenHeaders(req.headers),
			body,
			peer: req.socket.remoteAddress,
			time: this.now(),
		};
		this.requests.push(record);
		const max = this.options.maxRecordedRequests ?? 100000;
		if (this.requests.length > max) {
			this.requests.splice(0, this.requests.length - Math.floor(max * 0.9));
		}
		const noteStatus = (): void => {
			if (res.headersSent) {
				record.status = res.statusCode;
			}
		};
		res.once('finish', noteStatus);
		res.once('close', () => {
			noteStatus();
			this.options.onRequest?.(record);
		});
		return record;
	}

	// --- API server -----------------------------------------------------------------------

	private routeApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: string, record: RecordedRequest): void {
		const method = req.method ?? 'GET';
		if (url.pathname === '/v1/tasks/submit') {
			this.onlyMethod(res, method, 'POST', () => this.handleSubmit(req, res, body, record));
		} else if (url.pathname === '/v1/tasks/status') {
			this.onlyMethod(res, method, 'GET', () => this.handleStatus(req, res, url, record));
		} else if (url.pathname.startsWith('/files/')) {
			this.onlyMethod(res, method, 'GET', () => this.handleFileRedirect(res, url));
		} else if (url.pathname.startsWith('/_sim/')) {
			this.handleAdmin(req, res, url, body);
		} else {
			send(res, errorReply(404, 'not_found', `No route for ${method} ${url.pathname}`));
		}
	}

	private onlyMethod(res: http.ServerResponse, method: string, allowed: string, handler: () => void): void {
		if (method === allowed) {
			handler();
		} else {
			send(res, { ...errorReply(405, 'param_error', `Method ${method} not allowed`), headers: { Allow: allowed } });
		}
	}

	private authorized(req: http.IncomingMessage): boolean {
		const header = req.headers.authorization;
		return header === this.apiKey || header === `Bearer ${this.apiKey}`;
	}

	private takeFault(target: RequestTarget, record: RecordedRequest): Fault | undefined {
		const fault = this.faults.take(target);
		if (fault) {
			this.stats.faultsInjected++;
			record.fault = fault.kind;
		}
		return fault;
	}

	private handleSubmit(req: http.IncomingMessage, res: http.ServerResponse, body: string, record: RecordedRequest): void {
		this.stats.submitsReceived++;
		const fault = this.takeFault('submit', record);
		const creates = !fault || CREATING_KINDS.has(fault.kind) || (fault.kind === 'http' && fault.createTask === true);
		// Faults that create no task replace the reply entirely, so none is computed for them.
		const reply = creates ? this.submitReply(req, body) : defaultErrorReply(500);
		if (fault) {
			this.deliverFault(res, reply, fault);
		} else {
			send(res, reply);
		}
	}

	/** Authenticates, validates and, when all is well, creates the task. */
	private submitReply(req: http.IncomingMessage, body: string): Reply {
		if (!this.authorized(req)) {
			return errorReply(401, 'auth_error', 'Invalid API key', '', 'invalid_api_key');
		}
		let parsed: unknown;
		try {
			parsed = JSON.parse(body);
		} catch {
			return errorReply(400, 'param_error', 'Request body is not valid JSON', '', 'invalid_json');
		}
		const valid = validateSubmit(parsed, this.models);
		if ('status' in valid) {
			return valid;
		}
		if (valid.prompt.toLowerCase().includes('[moderate]')) {
			return errorReply(400, 'sensitive_check_error', 'The prompt was rejected by content moderation', 'input.prompt', 'sensitive_content');
		}
		const task = this.createTask(valid);
		return jsonReply(200, { output: { task_id: task.taskId }, request_id: crypto.randomUUID() });
	}

	private createTask(request: ValidSubmit): SimTask {
		const taskId = `task_${crypto.randomBytes(12).toString('hex')}`;
		const plan = planFromPrompt(request.prompt, this.options.pendingMs ?? 1000, this.options.runningMs ?? 2000);
		const task: SimTask = {
			taskId,
			model: request.model,
			prompt: request.prompt,
			parameters: request.parameters,
			images: request.images,
			duration: request.duration,
			submittedAt: this.now(),
			outcome: {
				status: plan.status,
				urls: this.resultUrls(taskId, plan.urlCount, plan.viaRedirect, plan.longUrl),
				errorMessage: plan.errorMessage,
				pendingMs: plan.pendingMs,
				runningMs: plan.runningMs,
			},
		};
		for (const rule of this.rules) {
			if (matches(rule.match, task)) {
				Object.assign(task.outcome, rule.outcome);
			}
		}
		this.tasks.set(taskId, task);
		this.stats.submitsAccepted++;
		return task;
	}

	private resultUrls(taskId: string, count: number, viaRedirect: boolean, long: boolean): string[] {
		const base = viaRedirect ? `${this.apiUrl}/files/` : `${this.storageUrl}/videos/`;
		const query = long ? `?padding=${'a'.repeat(LONG_URL)}` : '';
		return Array.from({ length: count }, (_, index) => `${base}${taskId}${index === 0 ? '' : `-${index + 1}`}.mp4${query}`);
	}

	private handleStatus(req: http.IncomingMessage, res: http.ServerResponse, url: URL, record: RecordedRequest): void {
		this.stats.statusQueries++;
		const fault = this.takeFault('status', record);
		const reply = this.statusReply(req, url);
		if (fault) {
			this.deliverFault(res, reply, fault);
		} else {
			send(res, reply);
		}
	}

	private statusReply(req: http.IncomingMessage, url: URL): Reply {
		if (!this.authorized(req)) {
			return errorReply(401, 'auth_error', 'Invalid API key', '', 'invalid_api_key');
		}
		const taskId = url.searchParams.get('task_id');
		if (!taskId) {
			return errorReply(400, 'param_error', 'task_id is required', 'task_id');
		}
		const task = this.tasks.get(taskId);
		if (!task) {
			return errorReply(404, 'param_error', 'task not found', 'task_id', 'task_not_found');
		}
		return jsonReply(200, statusBody(task, viewTask(task, this.now())));
	}

	/** Sends `reply` spoiled by an API fault. */
	private deliverFault(res: http.ServerResponse, reply: Reply, fault: Fault): void {
		switch (fault.kind) {
			case 'http': {
				const base = fault.body !== undefined ? { status: fault.status, body: fault.body } : defaultErrorReply(fault.status);
				send(res, { ...base, status: fault.status, headers: fault.retryAfter !== undefined ? { 'Retry-After': fault.retryAfter } : undefined });
				return;
			}
			case 'reset':
			case 'resetBeforeAccept':
				resetConnection(res);
				return;
			case 'hang':
				return;
			case 'nonJson':
				send(res, htmlReply(fault.status ?? 200));
				return;
			case 'noTaskId':
				send(res, jsonReply(200, { output: {}, request_id: crypto.randomUUID() }));
				return;
			case 'truncated':
			case 'short':
				sendTruncated(res, reply);
				return;
			case 'hostile': {
				const text = fault.text ?? HOSTILE_TEXT;
				send(res, errorReply(fault.status ?? 400, text, text, text, text));
				return;
			}
			case 'huge':
				void sendPadded(res, reply, fault.bytes ?? 256 * 1024 * 1024);
				return;
			case 'endless':
				void sendPadded(res, reply, Infinity, fault.chunkDelayMs ?? 0);
				return;
		}
	}

	private handleFileRedirect(res: http.ServerResponse, url: URL): void {
		const name = url.pathname.slice('/files/'.length);
		redirect(res, `${this.storageUrl}/videos/${name}`);
	}

	// --- Admin endpoints --------------------------------------------------------------------

	private handleAdmin(req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: string): void {
		if (!isLoopback(req.socket.remoteAddress)) {
			send(res, errorReply(403, 'forbidden', 'The simulator admin endpoints answer only on loopback'));
			return;
		}
		try {
			send(res, this.adminReply(req.method ?? 'GET', url.pathname, body));
		} catch (error) {
			send(res, errorReply(400, 'param_error', error instanceof Error ? error.message : String(error)));
		}
	}

	private adminReply(method: string, pathname: string, body: string): Reply {
		const route = `${method} ${pathname}`;
		const json = (): unknown => (body.trim() === '' ? {} : JSON.parse(body));
		switch (route) {
			case 'POST /_sim/faults': {
				const value = json();
				const faults = (Array.isArray(value) ? value : [value]).map(parseFault);
				return jsonReply(200, { queued: this.faults.push(...faults) });
			}
			case 'POST /_sim/random':
				this.faults.random(json() as RandomFaultOptions);
				return jsonReply(200, { random: true });
			case 'POST /_sim/clear':
				this.faults.clear();
				return jsonReply(200, { cleared: true });
			case 'GET /_sim/stats':
				return jsonReply(200, this.snapshot());
			case 'POST /_sim/force':
				return this.adminForce(json());
			case 'POST /_sim/outcome':
				return this.adminOutcome(json());
			default:
				return errorReply(404, 'not_found', `No admin route ${route}`);
		}
	}

	private adminForce(value: unknown): Reply {
		if (!isObject(value) || typeof value.taskId !== 'string') {
			return errorReply(400, 'param_error', 'force needs {taskId, status?, urls?, errorMessage?}', 'taskId');
		}
		if (!this.tasks.has(value.taskId)) {
			return errorReply(404, 'param_error', 'task not found', 'taskId', 'task_not_found');
		}
		const patch: Partial<StatusPatch> = {};
		if (typeof value.status === 'string') {
			patch.status = value.status;
		}
		if (Array.isArray(value.urls)) {
			patch.urls = value.urls.map(String);
		}
		if (typeof value.errorMessage === 'string') {
			patch.errorMessage = value.errorMessage;
		}
		this.forceStatus(value.taskId, patch);
		return jsonReply(200, { taskId: value.taskId, ...this.view(value.taskId) });
	}

	private adminOutcome(value: unknown): Reply {
		if (!isObject(value) || typeof value.match !== 'string' || !isObject(value.outcome)) {
			return errorReply(400, 'param_error', 'outcome needs {match: string, outcome: {...}}', 'match');
		}
		return jsonReply(200, { matched: this.setTaskOutcome(value.match, value.outcome as Partial<TaskOutcome>) });
	}

	/** Counters and a summary of every task, as `GET /_sim/stats` returns them. */
	private snapshot(): unknown {
		const now = this.now();
		return {
			...this.stats,
			submitCount: this.submitCount,
			connections: this.connections,
			storageConnections: this.storageConnections,
			queuedFaults: this.faults.length,
			randomFaults: this.faults.isRandom,
			tasks: [...this.tasks.values()].map((task) => ({
				taskId: task.taskId,
				model: task.model,
				prompt: task.prompt,
				status: viewTask(task, now).status,
				submittedAt: task.submittedAt,
			})),
		};
	}

	// --- Storage server ---------------------------------------------------------------------

	private routeStorage(req: http.IncomingMessage, res: http.ServerResponse, url: URL, record: RecordedRequest): void {
		const method = req.method ?? 'GET';
		const video = /^\/videos\/([^/]+)\.mp4$/.exec(url.pathname);
		const bounce = /^\/redirect\/([^/]+\.mp4)$/.exec(url.pathname);
		if (video && (method === 'GET' || method === 'HEAD')) {
			this.handleDownload(req, res, video[1], record);
		} else if (bounce && method === 'GET') {
			redirect(res, `${this.storageUrl}/videos/${bounce[1]}`);
		} else {
			this.sendStorageError(res, 404);
		}
	}

	private sendStorageError(res: http.ServerResponse, status: number, body = storageErrorBody(status), headers?: Record<string, string>): void {
		send(res, { status, body, contentType: 'application/xml', headers });
	}

	/** Whether `name` (a task id, or a task id with `-N` for further URLs) names a known task. */
	private videoExists(name: string): boolean {
		return this.tasks.has(name) || this.tasks.has(name.replace(/-\d+$/, ''));
	}

	private handleDownload(req: http.IncomingMessage, res: http.ServerResponse, name: string, record: RecordedRequest): void {
		this.stats.downloads++;
		const fault = this.takeFault('download', record);
		if (fault && this.preemptDownload(res, fault)) {
			return;
		}
		if (!this.videoExists(name)) {
			this.sendStorageError(res, 404);
			return;
		}
		const range = parseRange(req.headers.range, this.source.size);
		if (range === 'unsatisfiable') {
			this.sendStorageError(res, 416, '', { 'Content-Range': `bytes */${this.source.size}` });
			return;
		}
		this.streamVideo(req, res, range, fault, record);
	}

	/** Applies a download fault that replaces the whole response; returns false when the body should still flow. */
	private preemptDownload(res: http.ServerResponse, fault: Fault): boolean {
		switch (fault.kind) {
			case 'http': {
				const headers = fault.retryAfter !== undefined ? { 'Retry-After': fault.retryAfter } : undefined;
				this.sendStorageError(res, fault.status, fault.body ?? storageErrorBody(fault.status), headers);
				return true;
			}
			case 'nonJson':
				send(res, htmlReply(fault.status ?? 200));
				return true;
			case 'reset':
				if (fault.afterBytes === undefined) {
					resetConnection(res);
					return true;
				}
				return false;
			case 'hang':
				return fault.afterBytes === undefined;
			case 'notVideo': {
				const body = fault.body === 'random' ? notAVideo(Math.min(this.source.size, 64 * 1024)) : Buffer.from(HTML_PAGE);
				res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(body.length) });
				res.end(body);
				return true;
			}
			case 'badRedirect': {
				const location = fault.location ?? BAD_LOCATION;
				res.writeHead(302, location ? { Location: location, 'Content-Length': '0' } : { 'Content-Length': '0' });
				res.end();
				return true;
			}
			default:
				return false;
		}
	}

	/** Sends the video spoiled by a fault that changes how the body flows; false for other faults. */
	private streamFaulty(res: http.ServerResponse, range: ByteRange, fault: Fault, record: RecordedRequest): boolean {
		const status = range.partial ? 206 : 200;
		const length = range.end - range.start + 1;
		switch (fault.kind) {
			case 'gzip':
				res.writeHead(status, { 'Content-Type': 'video/mp4', 'Content-Encoding': 'gzip' });
				pipeline(this.source.open(range.start, range.end), zlib.createGzip(), res, () => undefined);
				return true;
			case 'trickle':
				res.writeHead(status, { 'Content-Type': 'video/mp4', 'Content-Length': String(length) });
				void this.streamTrickle(res, range, Math.max(10, fault.bytesPerSecond ?? 4096));
				return true;
			case 'endless':
				if (fault.framing === 'close') {
					// Node's server always frames a body; this one is written on the socket itself.
					record.status = status;
					void this.streamEndless(rawBody(res, `HTTP/1.1 ${status} OK\r\nContent-Type: video/mp4\r\nConnection: close\r\n\r\n`), range);
				} else {
					res.writeHead(status, { 'Content-Type': 'video/mp4' });
					void this.streamEndless(res, range);
				}
				return true;
			case 'overlong':
				record.status = status;
				void this.streamOverlong(rawBody(res, `HTTP/1.1 ${status} OK\r\nContent-Type: video/mp4\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`), range, fault.extraBytes ?? 64 * 1024);
				return true;
			default:
				return false;
		}
	}

	/** The range in pieces of a tenth of `bytesPerSecond`, one every 100 ms. */
	private async streamTrickle(res: http.ServerResponse, range: ByteRange, bytesPerSecond: number): Promise<void> {
		const piece = Math.ceil(bytesPerSecond / 10);
		const stream = this.source.open(range.start, range.end);
		try {
			for await (const chunk of stream) {
				for (let offset = 0; offset < (chunk as Buffer).length; offset += piece) {
					await new Promise((resolve) => setTimeout(resolve, 100));
					if (!(await writeChunk(res, (chunk as Buffer).subarray(offset, offset + piece)))) {
						return;
					}
				}
			}
			res.end();
		} finally {
			stream.destroy();
		}
	}

	/** The range, then filler for as long as the client reads. */
	private async streamEndless(out: BodyWriter, range: ByteRange): Promise<void> {
		const stream = this.source.open(range.start, range.end);
		try {
			for await (const chunk of stream) {
				if (!(await writeChunk(out, chunk as Buffer))) {
					return;
				}
			}
		} finally {
			stream.destroy();
		}
		while (await writeChunk(out, FILLER)) {
			// until the client goes away
		}
	}

	/** The range, then `extra` bytes beyond the length the head declared, then the end. */
	private async streamOverlong(out: Socket, range: ByteRange, extra: number): Promise<void> {
		const stream = this.source.open(range.start, range.end);
		try {
			for await (const chunk of stream) {
				if (!(await writeChunk(out, chunk as Buffer))) {
					return;
				}
			}
		} finally {
			stream.destroy();
		}
		for (let sent = 0; sent < extra; sent += FILLER.length) {
			if (!(await writeChunk(out, FILLER.subarray(0, Math.min(FILLER.length, extra - sent))))) {
				return;
			}
		}
		out.end();
	}

	private streamVideo(req: http.IncomingMessage, res: http.ServerResponse, range: ByteRange, fault: Fault | undefined, record: RecordedRequest): void {
		if (fault && req.method !== 'HEAD' && this.streamFaulty(res, range, fault, record)) {
			return;
		}
		const length = range.end - range.start + 1;
		res.writeHead(range.partial ? 206 : 200, {
			'Content-Type': 'video/mp4',
			'Content-Length': String(length),
			'Accept-Ranges': 'bytes',
			...(range.partial ? { 'Content-Range': `bytes ${range.start}-${range.end}/${this.source.size}` } : {}),
		});
		if (req.method === 'HEAD') {
			res.end();
			return;
		}
		const cut = fault && cutOf(fault, length);
		if (!cut) {
			const stream = this.source.open(range.start, range.end);
			res.once('close', () => stream.destroy());
			stream.once('error', () => res.destroy());
			stream.pipe(res);
			return;
		}
		void this.streamCut(res, range.start, cut);
	}

	/** Sends the first `cut.bytes` of the body, then ends, resets or stalls the connection. */
	private async streamCut(res: http.ServerResponse, start: number, cut: Cut): Promise<void> {
		res.flushHeaders();
		if (cut.bytes > 0) {
			const stream = this.source.open(start, start + cut.bytes - 1);
			for await (const chunk of stream) {
				if (!(await writeChunk(res, chunk as Buffer))) {
					stream.destroy();
					return;
				}
			}
		}
		if (cut.then === 'end') {
			res.socket?.end();
		} else if (cut.then === 'reset') {
			resetConnection(res);
		}
	}
}

interface Cut {
	bytes: number;
	then: 'end' | 'reset' | 'stall';
}

/** How a body-spoiling download fault cuts a body of `length` bytes, if it does. */
function cutOf(fault: Fault, length: number): Cut | undefined {
	const clamp = (bytes: number | undefined, fallback: number): number => Math.max(0, Math.min(length, bytes ?? fallback));
	switch (fault.kind) {
		case 'short':
			return { bytes: clamp(fault.bytes, Math.floor(length / 2)), then: 'end' };
		case 'truncated':
			return { bytes: Math.floor(length / 2), then: 'end' };
		case 'reset':
			return { bytes: clamp(fault.afterBytes, 0), then: 'reset' };
		case 'hang':
			return { bytes: clamp(fault.afterBytes, 0), then: 'stall' };
		default:
			return undefined;
	}
}

/**
 * Starts the API server and the storage server on loopback.
 * @example
 * const sim = await startSimulator({ pendingMs: 50, runningMs: 50 });
 * // point the client at sim.apiUrl with sim.apiKey ...
 * await sim.close();
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
	const simulator = new SimulatorImpl(options);
	await simulator.start();
	return simulator;
}
