/**
 * A download's GET through a proxy: the same contract as httpGet.ts (a head callback that returns
 * where the body goes, a sink that can ask to stop reading until `resume()`), carried by undici's
 * `EnvHttpProxyAgent` (network.ts), which opens the tunnel through the proxy and gives it the
 * proxy's credentials. The downloader does the rest, the same way for both.
 */

import type { Dispatcher } from 'undici';
import { l10n } from '../l10n';
import { BodySink, GetOptions, headTimeout, HttpGetError, idleTimeout, ReadControl, ResponseHead } from './httpGet';

/** Sends one GET through `dispatcher`; resolves once the whole response is received, as `httpGet` does. */
export function proxiedGet(dispatcher: Dispatcher, options: GetOptions, onHead: (head: ResponseHead, control: ReadControl) => BodySink | undefined): Promise<ResponseHead> {
	return new Promise((resolve, reject) => {
		const { url, signal, idleTimeoutMs } = options;
		let controller: Dispatcher.DispatchController | undefined;
		let head: ResponseHead | undefined;
		let sink: BodySink | undefined;
		let settled = false;
		// undici's own headers timeout starts again at each 1xx answer but 100, so a storage host that
		// sends 103 after 103 could hold the download for as long as it likes: as in httpGet, the whole
		// head is given the idle timeout from the start.
		const headDeadline = setTimeout(() => {
			const timeout = headTimeout(url, idleTimeoutMs);
			controller?.abort(timeout);
			settle(timeout);
		}, idleTimeoutMs);
		const settle = (error?: unknown) => {
			if (!settled) {
				settled = true;
				clearTimeout(headDeadline);
				signal?.removeEventListener('abort', onAbort);
				return error === undefined ? resolve(head!) : reject(translate(error, head, idleTimeoutMs, url));
			}
		};
		const onAbort = () => {
			controller?.abort(new HttpGetError('cancelled', 'AbortError'));
			settle(new HttpGetError('cancelled', 'AbortError'));
		};
		if (signal?.aborted) {
			onAbort();
			return;
		}
		signal?.addEventListener('abort', onAbort);
		dispatcher.dispatch({
			origin: url.origin,
			path: `${url.pathname}${url.search}`,
			method: 'GET',
			headers: { 'user-agent': 'VideoGen', 'accept': '*/*', 'accept-encoding': 'identity' },
			headersTimeout: idleTimeoutMs,
			bodyTimeout: idleTimeoutMs,
		}, {
			onRequestStart(started) {
				controller = started;
				if (settled) {
					started.abort(new HttpGetError('cancelled', 'AbortError'));
				}
			},
			onResponseStart(started, status, headers) {
				if (status < 200) {
					return; // 103 Early Hints and the like, which undici hands on too: the real head follows
				}
				clearTimeout(headDeadline);
				head = { status, headers: headerMap(headers) };
				try {
					sink = onHead(head, { resume: () => started.resume() });
				} catch (error) {
					started.abort(error instanceof Error ? error : new Error(String(error)));
					settle(error);
					return;
				}
				if (!sink) {
					// The body is not wanted: the connection is dropped rather than read to its end.
					settle();
					started.abort(new HttpGetError('not read', 'AbortError'));
				}
			},
			onResponseData(started, chunk) {
				if (settled || !sink) {
					return;
				}
				try {
					if (!sink.write(chunk, 0, chunk.length)) {
						started.pause(); // undici's body timeout does not run while paused: the disk's wait is not the server's silence
					}
				} catch (error) {
					started.abort(error instanceof Error ? error : new Error(String(error)));
					settle(error);
				}
			},
			onResponseEnd() {
				settle();
			},
			onResponseError(_started, error) {
				settle(error);
			},
		});
	});
}

/** Header names lower-cased and repeated headers joined with `, `, as httpGet gives them. */
function headerMap(headers: Record<string, string | string[] | undefined>): Map<string, string> {
	const map = new Map<string, string>();
	for (const [name, value] of Object.entries(headers)) {
		if (value !== undefined) {
			map.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
		}
	}
	return map;
}

/** undici's errors for what httpGet reports in its own words; the rest (the proxy's, the network's) as they are. */
function translate(error: unknown, head: ResponseHead | undefined, idleTimeoutMs: number, url: URL): unknown {
	const code = (error as { code?: unknown })?.code;
	switch (code) {
		case 'UND_ERR_HEADERS_TIMEOUT':
			return headTimeout(url, idleTimeoutMs);
		case 'UND_ERR_BODY_TIMEOUT':
			return idleTimeout(url, idleTimeoutMs);
		case 'UND_ERR_SOCKET':
		case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
			return new HttpGetError(head ? l10n.t('the connection closed before the whole body arrived') : l10n.t('the connection closed before an answer arrived'), 'ERR_PREMATURE_CLOSE');
		default:
			if (typeof code === 'string' && code.startsWith('HPE_')) {
				return new HttpGetError(l10n.t('its answer is not valid HTTP/1.1 ({0})', code), 'ERR_HTTP_PARSE');
			}
			return error;
	}
}
