/**
 * What a failed request's transport error means, for the API client and the downloader alike:
 * whether it timed out, whether the connection could not be made (refused, host not found, a
 * certificate not accepted) or broke on the way, and whether the request can be proven never to
 * have been sent.
 *
 * "Not sent" is proven by the caller, not guessed from the error: the API client knows whether
 * undici handed the request to a connected socket (it writes it at once then). Before that moment
 * nothing of the request left the process, whatever the error says; after it, even a reset may
 * come after the service took the request.
 */

import type { ApiErrorInit } from '../errors';
import type { ProxyRoute } from './proxy';

/**
 * Errors raised before any answer arrived. `sent` is false only when the request is known never
 * to have been written; left out, the request may have been sent.
 */
export function classifyTransportError(error: unknown, sent = true): Omit<ApiErrorInit, 'operation'> {
	const code = errorCode(error);
	const detail = code ?? (error instanceof Error ? error.message : String(error));
	const notSent = !sent;
	if (code && isCertificateError(code)) {
		return { kind: 'certificate', notSent, detail };
	}
	switch (code) {
		case 'ECONNREFUSED':
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
		case 'UND_ERR_CONNECT_TIMEOUT':
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
			return { kind: 'connectionRefused', notSent, detail };
		case 'UND_ERR_HEADERS_TIMEOUT':
		case 'UND_ERR_BODY_TIMEOUT':
		case 'ABORT_ERR':
		case 'TimeoutError':
		case 'AbortError':
			return { kind: 'timeout', notSent, detail };
		default:
			// A connection that broke before the request was written was never really up.
			return { kind: sent ? 'network' : 'connectionRefused', notSent, detail };
	}
}

/**
 * Errors raised while connecting to a proxy (refused, unreachable, its TLS handshake), marked by
 * the proxy's connection pool (network.ts): the request never reached the host behind the proxy.
 */
const proxyConnectionErrors = new WeakSet<object>();

export function markProxyConnectionError(error: unknown): void {
	if (error && typeof error === 'object') {
		proxyConnectionErrors.add(error);
	}
}

/** The proxy's part in a failed request, when it stopped it: its answer to the tunnel request, or the failure to reach it. */
export interface ProxyFailure {
	/** The proxy's answer to CONNECT, when it refused the tunnel (407 for credentials, 403, 502, …). */
	readonly status?: number;
	/** What went wrong, without the proxy's credentials. */
	readonly detail: string;
	/** True when the proxy's own certificate was not accepted. */
	readonly certificate?: boolean;
}

/**
 * Whether a request failed at the proxy, before anything reached the host behind it: the proxy
 * could not be reached, or it answered the tunnel request with something other than 200. undici
 * says the latter only in its message (`Proxy response (407) !== 200 when HTTP Tunneling`).
 */
export function proxyFailure(error: unknown, proxy: ProxyRoute | undefined): ProxyFailure | undefined {
	if (!proxy) {
		return undefined;
	}
	for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
		const refused = /Proxy response \((\d{3})\) !== 200 when HTTP Tunneling/.exec(String((e as { message?: unknown }).message));
		if (refused) {
			return { status: Number(refused[1]), detail: `HTTP ${refused[1]}` };
		}
	}
	for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
		if (proxyConnectionErrors.has(e)) {
			const code = errorCode(error);
			if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
				return { detail: 'it did not answer in time' };
			}
			return { detail: code ?? (error instanceof Error ? error.message : String(error)), certificate: !!code && isCertificateError(code) };
		}
	}
	return undefined;
}

/**
 * Node's names for a certificate that was not accepted in the TLS handshake: OpenSSL's verify
 * errors (`DEPTH_ZERO_SELF_SIGNED_CERT`, `SELF_SIGNED_CERT_IN_CHAIN`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`,
 * `UNABLE_TO_GET_ISSUER_CERT_LOCALLY`, `CERT_HAS_EXPIRED`, `CERT_NOT_YET_VALID`, `CERT_REVOKED`, …)
 * and Node's own `ERR_TLS_CERT_ALTNAME_INVALID` for a certificate made out to another host.
 */
function isCertificateError(code: string): boolean {
	return /CERT|^UNABLE_TO_(GET|VERIFY|DECRYPT|DECODE)_|^INVALID_(CA|PURPOSE)$|^HOSTNAME_MISMATCH$|^PATH_LENGTH_EXCEEDED$/.test(code);
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
