/**
 * The UModelverse task API over undici: `POST /v1/tasks/submit` and `GET /v1/tasks/status`.
 * One request per call and no retries here: the caller decides (status queries are retried by the
 * poller; a submit is never resent when it may have reached the service).
 */

import { Readable } from 'stream';
import { Dispatcher, request } from 'undici';
import type { SerializedBody } from '../models/submitBody';
import { ApiError, ApiErrorInit, ApiErrorKind } from '../errors';
import { Logger, silentLogger } from '../log';
import { parseRetryAfter } from '../backoff';
import { classifyTransportError } from './transportErrors';

export interface SubmitResult {
	readonly taskId: string;
	readonly requestId?: string;
}

export interface StatusResult {
	readonly taskId: string;
	/** Verbatim `task_status`. */
	readonly status: string;
	readonly urls: readonly string[];
	readonly submitTime?: number;
	readonly finishTime?: number;
	readonly errorMessage?: string;
	readonly usageDuration?: number;
}

export interface ApiClientOptions {
	/** The API origin, already checked by `checkBaseUrl`. */
	readonly origin: string;
	readonly apiKey: string;
	/** Shared keep-alive pool; one per process is enough. */
	readonly dispatcher: Dispatcher;
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
			throw new ApiError({ kind: 'badResponse', operation: 'submit', status: 200, model, detail: 'the answer has no task id' });
		}
		return { taskId, requestId: stringAt(json, 'request_id') };
	}

	async status(taskId: string): Promise<StatusResult> {
		const json = await this.call('status', 'GET', `/v1/tasks/status?task_id=${encodeURIComponent(taskId)}`);
		const output = objectAt(json, 'output');
		const status = stringAt(output, 'task_status');
		if (!output || !status) {
			throw new ApiError({ kind: 'badResponse', operation: 'status', status: 200, detail: 'the answer has no task status' });
		}
		const urls = Array.isArray(output.urls) ? output.urls.filter((u): u is string => typeof u === 'string' && u.length > 0) : [];
		return {
			taskId: stringAt(output, 'task_id') ?? taskId,
			status,
			urls,
			submitTime: numberAt(output, 'submit_time'),
			finishTime: numberAt(output, 'finish_time'),
			errorMessage: stringAt(output, 'error_message') || undefined,
			usageDuration: numberAt(objectAt(json, 'usage'), 'duration'),
		};
	}

	private async call(operation: 'submit' | 'status', method: 'GET' | 'POST', path: string, body?: SerializedBody, model?: string): Promise<Record<string, unknown>> {
		const started = Date.now();
		const fail = (init: Omit<ApiErrorInit, 'operation' | 'model'>): never => {
			const error = new ApiError({ ...init, operation, model, serviceMessage: this.redact(init.serviceMessage), param: this.redact(init.param), detail: this.redact(init.detail) });
			this.log.warn(`${method} ${path} failed after ${Date.now() - started} ms: ${init.status ?? ''} ${error.kind}${init.detail ? ` (${this.redact(init.detail)})` : ''}`);
			throw error;
		};

		let response: Dispatcher.ResponseData;
		try {
			response = await request(this.options.origin + path, {
				method,
				body: body && Readable.from(body.chunks(), { objectMode: false }),
				dispatcher: this.options.dispatcher,
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
			return fail(classifyTransportError(error));
		}

		let text: string;
		try {
			text = await response.body.text();
		} catch (error) {
			const transport = classifyTransportError(error);
			return fail({ ...transport, kind: transport.kind === 'timeout' ? 'timeout' : 'badResponse', status: response.statusCode, notSent: false, detail: `the answer was cut short: ${transport.detail}` });
		}
		this.log.info(`${method} ${path} ${response.statusCode} ${Date.now() - started} ms`);

		const json = parseJson(text);
		if (response.statusCode !== 200) {
			const error = objectAt(json, 'error');
			return fail({
				kind: kindForStatus(response.statusCode, stringAt(error, 'type'), stringAt(error, 'code'), stringAt(error, 'message')),
				status: response.statusCode,
				serviceType: stringAt(error, 'type'),
				serviceMessage: stringAt(error, 'message') ?? (json ? undefined : summarizeNonJson(text)),
				param: stringAt(error, 'param') || undefined,
				retryAfterMs: parseRetryAfter(response.headers['retry-after']),
			});
		}
		if (!json) {
			return fail({ kind: 'badResponse', status: 200, detail: text.trim().startsWith('{') ? 'the answer was cut short' : 'the answer is not JSON' });
		}
		return json;
	}

	/** The key never leaves in an error text, even if a proxy echoes it back. */
	private redact(text: string | undefined): string | undefined {
		return text && this.options.apiKey ? text.split(this.options.apiKey).join('***') : text;
	}
}

/**
 * Extra time for sending a large body (an image): one second per 100 KB, the pace of a slow
 * upload, so a 13 MB body on a slow line is not cut off by the timeout meant for the answer.
 */
function sendAllowanceMs(body: SerializedBody | undefined): number {
	return body ? Math.ceil(body.byteLength / 100_000) * 1_000 : 0;
}

function kindForStatus(status: number, type: string | undefined, code: string | undefined, message: string | undefined): ApiErrorKind {
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
		case 404: return 'notFound';
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

function numberAt(value: unknown, key: string): number | undefined {
	const found = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
	return typeof found === 'number' && Number.isFinite(found) ? found : undefined;
}
