/**
 * The UModelverse task API over undici: `POST /v1/tasks/submit` and `GET /v1/tasks/status`.
 * One request per call and no retries here: the caller decides (status queries are retried by the
 * poller; a submit is never resent when it may have reached the service).
 */

import { Readable } from 'stream';
import { Dispatcher, request } from 'undici';
import type { SerializedBody } from '../models/submitBody';
import { ApiError, ApiErrorInit, ApiErrorKind } from '../errors';
import { formatCount, l10n } from '../l10n';
import { Logger, silentLogger } from '../log';
import { parseRetryAfter } from '../backoff';
import { hasControlCharacters, maxMessageLength, maxWordLength, plainText } from '../serviceText';
import { describeProxyFailure, ProxyRoute, scrub } from './proxy';
import { classifyTransportError, proxyFailure } from './transportErrors';

/**
 * The most of an answer VideoGen reads. The documented answers are a few hundred bytes; the pool
 * (`apiPoolOptions` in network.ts) stops reading past this, so a huge or endless answer costs
 * at most this much memory.
 */
export const maxAnswerBytes = 1024 * 1024;
/** The most result links VideoGen keeps for one task (each becomes a file). */
export const maxResultUrls = 10;
/** The longest result link VideoGen keeps. */
export const maxUrlLength = 8 * 1024;

export interface SubmitResult {
	readonly taskId: string;
	readonly requestId?: string;
}

/** A status answer, read: every text in it plain (serviceText.ts) and bounded. */
export interface StatusResult {
	readonly taskId: string;
	/** `task_status`, verbatim but for control characters and markup. */
	readonly status: string;
	/** The result links, at most `maxResultUrls`, each at most `maxUrlLength` long. */
	readonly urls: readonly string[];
	/** What was left out of the links the service sent (too many, too long), in words for the user. */
	readonly urlsNote?: string;
	readonly submitTime?: number;
	readonly finishTime?: number;
	readonly errorMessage?: string;
	readonly usageDuration?: number;
}

export interface ApiClientOptions {
	/** The API origin, already checked by `checkBaseUrl`. */
	readonly origin: string;
	readonly apiKey: string;
	/**
	 * Shared keep-alive pool; one per process is enough. Made by `Network` (network.ts), directly or
	 * through the proxy, and it stops reading an answer past `maxAnswerBytes`.
	 */
	readonly dispatcher: Dispatcher;
	/** The proxy the dispatcher goes through, when one is configured: named in errors, its credentials kept out of them. */
	readonly proxy?: ProxyRoute;
	readonly timeoutMs?: number;
	readonly log?: Logger;
}

/** How the key is sent: the task docs show the bare key. Change it here and nowhere else. */
export function authorizationHeader(apiKey: string): string {
	return apiKey;
}

export class ApiClient {
	private readonly timeoutMs: number;
	private readonly log: Logger;

	constructor(private readonly options: ApiClientOptions) {
		this.timeoutMs = options.timeoutMs ?? 30_000;
		this.log = options.log ?? silentLogger;
	}

	/**
	 * Sends a submit body built from the catalogue (`buildSubmitBody`, then `serializeSubmitBody`) for
	 * `model`: with its exact `Content-Length`, streamed from its pieces, so an image in it is never
	 * held as one string.
	 */
	async submit(model: string, body: SerializedBody): Promise<SubmitResult> {
		const json = await this.call('submit', 'POST', '/v1/tasks/submit', body, model);
		const taskId = stringAt(json, 'output', 'task_id');
		if (!taskId) {
			throw new ApiError({ kind: 'badResponse', operation: 'submit', status: 200, model, detail: l10n.t('the answer has no task id') });
		}
		const requestId = stringAt(json, 'request_id');
		return { taskId, requestId: requestId === undefined ? undefined : plainText(requestId, maxWordLength) };
	}

	async status(taskId: string): Promise<StatusResult> {
		const json = await this.call('status', 'GET', `/v1/tasks/status?task_id=${encodeURIComponent(taskId)}`);
		const output = objectAt(json, 'output');
		const status = stringAt(output, 'task_status');
		if (!output || !status) {
			throw new ApiError({ kind: 'badResponse', operation: 'status', status: 200, detail: l10n.t('the answer has no task status') });
		}
		const errorMessage = stringAt(output, 'error_message');
		return {
			taskId: plainText(stringAt(output, 'task_id') ?? taskId, maxWordLength),
			status: plainText(status, maxWordLength),
			...resultUrls(output.urls),
			submitTime: numberAt(output, 'submit_time'),
			finishTime: numberAt(output, 'finish_time'),
			errorMessage: errorMessage ? plainText(this.redact(errorMessage)!, maxMessageLength) || undefined : undefined,
			usageDuration: secondsAt(objectAt(json, 'usage'), 'duration'),
		};
	}

	private async call(operation: 'submit' | 'status', method: 'GET' | 'POST', path: string, body?: SerializedBody, model?: string): Promise<Record<string, unknown>> {
		const started = Date.now();
		const fail = (init: Omit<ApiErrorInit, 'operation' | 'model'>): never => {
			const error = new ApiError({ ...init, operation, model, serviceMessage: this.redact(init.serviceMessage), param: this.redact(init.param), detail: this.redact(init.detail) });
			const said = [error.status, error.kind, error.serviceMessage ? `"${error.serviceMessage}"` : undefined].filter(part => part !== undefined).join(' ');
			this.log.warn(`${method} ${path} failed after ${Date.now() - started} ms: ${said}${init.detail ? ` (${plainText(this.redact(init.detail)!, maxMessageLength)})` : ''}${error.notSent ? ', not sent' : ''}`);
			throw error;
		};

		const proxy = this.options.proxy;
		if (proxy?.unusable) {
			return fail({ kind: 'proxy', notSent: true, text: describeProxyFailure(proxy, {}, 'api') });
		}
		// Whether the request reached a connected socket: until then, nothing of it was sent.
		const progress = { sent: false };
		let response: Dispatcher.ResponseData;
		try {
			response = await request(this.options.origin + path, {
				method,
				body: body && Readable.from(body.chunks(), { objectMode: false }),
				dispatcher: noteWhenSent(this.options.dispatcher, progress),
				headers: {
					'authorization': authorizationHeader(this.options.apiKey),
					'accept': 'application/json',
					...(body !== undefined ? { 'content-type': 'application/json', 'content-length': String(body.byteLength) } : {}),
				},
				headersTimeout: this.timeoutMs,
				bodyTimeout: this.timeoutMs,
				signal: AbortSignal.timeout(this.timeoutMs + 1_000 + sendAllowanceMs(body)),
			});
		} catch (error) {
			// Stopped at the proxy: it was unreachable or refused the tunnel, so the API never saw the request.
			const atProxy = progress.sent ? undefined : proxyFailure(error, proxy);
			if (atProxy && proxy) {
				return fail({ kind: 'proxy', notSent: true, detail: atProxy.detail, text: describeProxyFailure(proxy, atProxy, 'api') });
			}
			return fail(classifyTransportError(error, progress.sent));
		}

		let text: string;
		try {
			text = await response.body.text();
		} catch (error) {
			const transport = classifyTransportError(error);
			const detail = transport.detail === 'UND_ERR_RES_EXCEEDED_MAX_SIZE'
				? l10n.t('the answer is larger than {0} MB, so VideoGen stopped reading it', maxAnswerBytes / 1024 / 1024)
				: l10n.t('the answer was cut short: {0}', transport.detail ?? '');
			return fail({ ...transport, kind: transport.kind === 'timeout' ? 'timeout' : 'badResponse', status: response.statusCode, notSent: false, detail });
		}
		// A status query is made every few seconds per task: at debug level, or the log is nothing else.
		const line = `${method} ${path} ${response.statusCode} ${Date.now() - started} ms`;
		if (method === 'GET') {
			this.log.debug(line);
		} else {
			this.log.info(line);
		}

		const json = parseJson(text);
		if (response.statusCode !== 200) {
			const error = objectAt(json, 'error');
			return fail({
				kind: kindForStatus(response.statusCode, operation, error !== undefined, stringAt(error, 'type'), stringAt(error, 'code'), stringAt(error, 'message')),
				status: response.statusCode,
				serviceType: stringAt(error, 'type'),
				serviceMessage: stringAt(error, 'message') ?? (json ? undefined : summarizeNonJson(text)),
				param: stringAt(error, 'param') || undefined,
				retryAfterMs: parseRetryAfter(response.headers['retry-after']),
			});
		}
		if (!json) {
			return fail({ kind: 'badResponse', status: 200, detail: text.trim().startsWith('{') ? l10n.t('the answer was cut short') : l10n.t('the answer is not JSON') });
		}
		return json;
	}

	/** The key and the proxy's credentials never leave in an error text, even if a proxy echoes them back. */
	private redact(text: string | undefined): string | undefined {
		const secrets = [...this.options.apiKey ? [this.options.apiKey] : [], ...this.options.proxy?.secrets ?? []];
		return text && scrub(text, secrets);
	}
}

/**
 * The pool, seen through an interceptor that notes when undici hands the request to a connected
 * socket (`onRequestStart`, called just before it writes the request). A request that fails before
 * then was provably never sent: the connection was refused, or its TLS handshake failed.
 */
function noteWhenSent(dispatcher: Dispatcher, progress: { sent: boolean }): Dispatcher {
	return dispatcher.compose(dispatch => (options, handler) => dispatch(options, {
		onRequestStart(controller, context) {
			progress.sent = true;
			handler.onRequestStart?.(controller, context);
		},
		onRequestUpgrade: (controller, statusCode, headers, socket) => handler.onRequestUpgrade?.(controller, statusCode, headers, socket),
		onResponseStart: (controller, statusCode, headers, statusMessage) => handler.onResponseStart?.(controller, statusCode, headers, statusMessage),
		onResponseData: (controller, chunk) => handler.onResponseData?.(controller, chunk),
		onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(controller, trailers),
		onResponseError: (controller, error) => handler.onResponseError?.(controller, error),
	}));
}

/**
 * The links of a status answer that VideoGen keeps: strings that look like a link (no spaces or
 * control characters) of at most `maxUrlLength`, the first `maxResultUrls` of them, and what was
 * left out, in words.
 */
function resultUrls(value: unknown): Pick<StatusResult, 'urls' | 'urlsNote'> {
	const sent = Array.isArray(value) ? value.filter((u): u is string => typeof u === 'string' && u.length > 0) : [];
	const usable = sent.filter(url => url.length <= maxUrlLength && !/\s/.test(url) && !hasControlCharacters(url));
	const urls = usable.slice(0, maxResultUrls);
	const unusable = sent.length - usable.length;
	const capped = usable.length > urls.length;
	if (!unusable && !capped) {
		return { urls };
	}
	return { urls, urlsNote: leftOutNote(sent.length, unusable, capped) };
}

/**
 * What VideoGen left out of the links the service sent, as one whole sentence for each case. More
 * links than it keeps means at least `maxResultUrls` + 1 were sent, so those sentences are plural.
 */
function leftOutNote(sent: number, unusable: number, capped: boolean): string {
	const count = formatCount(sent);
	const limit = formatCount(maxUrlLength);
	if (capped) {
		if (!unusable) {
			return l10n.t('The service sent {0} video links; VideoGen keeps the first {1}.', count, maxResultUrls);
		}
		return unusable === 1
			? l10n.t('The service sent {0} video links; VideoGen does not use 1 that is longer than {1} characters or not a link and keeps the first {2} of the others.', count, limit, maxResultUrls)
			: l10n.t('The service sent {0} video links; VideoGen does not use {1} that are longer than {2} characters or not a link and keeps the first {3} of the others.', count, formatCount(unusable), limit, maxResultUrls);
	}
	if (sent === 1) {
		return l10n.t('The service sent 1 video link; VideoGen does not use 1 that is longer than {0} characters or not a link.', limit);
	}
	return unusable === 1
		? l10n.t('The service sent {0} video links; VideoGen does not use 1 that is longer than {1} characters or not a link.', count, limit)
		: l10n.t('The service sent {0} video links; VideoGen does not use {1} that are longer than {2} characters or not a link.', count, formatCount(unusable), limit);
}

/**
 * Extra time for sending a large body (an image): one second per 100 KB, the pace of a slow
 * upload, so a 13 MB body on a slow line is not cut off by the timeout meant for the answer.
 */
function sendAllowanceMs(body: SerializedBody | undefined): number {
	return body ? Math.ceil(body.byteLength / 100_000) * 1_000 : 0;
}

/**
 * The kind of a refusal. `apiError` is true when the body is the API's own JSON error
 * (`{ "error": { ... } }`), which says the API itself answered.
 */
function kindForStatus(status: number, operation: 'submit' | 'status', apiError: boolean, type: string | undefined, code: string | undefined, message: string | undefined): ApiErrorKind {
	switch (status) {
		case 400:
			if (type === 'sensitive_check_error') {
				return 'moderation';
			}
			if (type === 'model_error' || /model/i.test(code ?? '') && /not (found|exist|support|available)/i.test(message ?? '')) {
				return 'modelUnavailable';
			}
			return 'invalidRequest';
		case 401: return 'unauthorized';
		case 403: return 'forbidden';
		// Only the API's own 404 says it does not know the task: a status query's 404 page from a proxy
		// or CDN in front of it (during a deploy, say) may pass, and is asked again like a 5xx. A submit
		// is never asked again, and its 404, page or not, most likely means a wrong base URL.
		case 404: return apiError || operation === 'submit' ? 'notFound' : 'server';
		case 429: return 'rateLimited';
		default: return status === 408 || status >= 500 ? 'server' : 'invalidRequest';
	}
}

function parseJson(text: string): Record<string, unknown> | undefined {
	try {
		const value: unknown = JSON.parse(text);
		return value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
	} catch {
		return undefined;
	}
}

function summarizeNonJson(text: string): string | undefined {
	const plain = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
	return plain ? plain.slice(0, 120) : undefined;
}

function objectAt(value: unknown, ...keys: string[]): Record<string, unknown> | undefined {
	let current = value;
	for (const key of keys) {
		current = current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
	}
	return current && typeof current === 'object' && !Array.isArray(current) ? current as Record<string, unknown> : undefined;
}

function stringAt(value: unknown, ...keys: string[]): string | undefined {
	const parent = keys.length > 1 ? objectAt(value, ...keys.slice(0, -1)) : value as Record<string, unknown> | undefined;
	const found = parent && typeof parent === 'object' ? parent[keys[keys.length - 1]] : undefined;
	return typeof found === 'string' ? found : undefined;
}

/** A count of seconds the service reports: kept only when it is a whole, plausible number (≤ 30 days). */
function secondsAt(value: unknown, key: string): number | undefined {
	const found = numberAt(value, key);
	return found !== undefined && Number.isInteger(found) && found >= 0 && found <= 30 * 24 * 3600 ? found : undefined;
}

function numberAt(value: unknown, key: string): number | undefined {
	const found = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
	return typeof found === 'number' && Number.isFinite(found) ? found : undefined;
}
