/**
 * What a failed request's transport error means, for the API client and the downloader alike:
 * whether the request can be proven never to have been sent (the connection was refused or the
 * host not found), whether it timed out, or whether something else broke on the way.
 */

import type { ApiErrorInit } from '../errors';

/** Errors raised before any answer arrived. */
export function classifyTransportError(error: unknown): Omit<ApiErrorInit, 'operation'> {
	const code = errorCode(error);
	const detail = code ?? (error instanceof Error ? error.message : String(error));
	switch (code) {
		case 'ECONNREFUSED':
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
		case 'UND_ERR_CONNECT_TIMEOUT':
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
			return { kind: 'connectionRefused', notSent: true, detail };
		case 'UND_ERR_HEADERS_TIMEOUT':
		case 'UND_ERR_BODY_TIMEOUT':
		case 'ABORT_ERR':
		case 'TimeoutError':
		case 'AbortError':
			return { kind: 'timeout', detail };
		default:
			return { kind: 'network', detail };
	}
}

function errorCode(error: unknown): string | undefined {
	for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
		const { code, name } = e as { code?: unknown; name?: unknown };
		if (typeof code === 'string' && code !== 'UND_ERR_ABORTED') {
			return code;
		}
		if (name === 'TimeoutError' || name === 'AbortError') {
			return name;
		}
	}
	return undefined;
}
