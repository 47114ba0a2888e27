/**
 * The kinds of API error and the words for each (./errors.ts makes the errors): what happened and
 * what to do next. A module of its own, loaded when the first error is made, so activation does not
 * load every message; its types are re-exported by ./errors.ts. Each message is made of whole
 * sentences in the user's language (./l10n.ts).
 */

import { l10n, sentences } from './l10n';
import { loadModels } from './modelsLoader';
import { hostOf } from './validation';

export type ApiErrorKind =
	/** 401: the key is missing or wrong. */
	| 'unauthorized'
	/** 403: the key may not use this model, the spend cap is reached, or the IP is not allowed. */
	| 'forbidden'
	/** 400 `param_error` and other bad requests. */
	| 'invalidRequest'
	/** 400 `sensitive_check_error`: moderation refused the prompt. */
	| 'moderation'
	/** 400 `model_error`, or a model the service no longer serves. */
	| 'modelUnavailable'
	/** 404: the service does not know the task (the API's own JSON error), or the submit path (any 404). */
	| 'notFound'
	/** 429. */
	| 'rateLimited'
	/** 408 and 5xx, and a status query's 404 that is not the API's JSON error (a proxy's or CDN's page). */
	| 'server'
	/** No answer within the time allowed. */
	| 'timeout'
	/** No connection could be made (refused, host not found, dropped before it was up): nothing was sent. */
	| 'connectionRefused'
	/** The server's certificate was not accepted, so the connection was never up: nothing was sent. */
	| 'certificate'
	/** The proxy was unreachable, refused the tunnel to the API, or cannot be used: nothing was sent. */
	| 'proxy'
	/** The connection broke once the request was on its way. */
	| 'network'
	/** An answer that is not what the API documents (HTML, truncated JSON, no task id). */
	| 'badResponse';

export interface ApiErrorInit {
	readonly kind: ApiErrorKind;
	readonly operation: 'submit' | 'status';
	readonly status?: number;
	/** The service's error `type`, `message` and `param`, as it sent them: `ApiError` makes them plain text. */
	readonly serviceType?: string;
	readonly serviceMessage?: string;
	readonly param?: string;
	readonly retryAfterMs?: number;
	/** True when the request certainly did not create anything on the service. */
	readonly notSent?: boolean;
	readonly model?: string;
	readonly detail?: string;
	/**
	 * For kind `proxy`: what happened, composed by the HTTP stack, which knows the proxy and how to
	 * name it without its credentials (src/core/net/proxy.ts).
	 */
	readonly text?: string;
	/** The API origin whose key is missing or was rejected, when it is worth naming (another host's tasks poll on). */
	readonly origin?: string;
}

/** The message of an API error: what happened, in the service's words where it gave some, and what to do next. */
export function describeApiError(init: ApiErrorInit, maybeSubmitted: boolean): string {
	const said = init.serviceMessage ? l10n.t('The service said: "{0}".', init.serviceMessage) : undefined;
	const base = describeKind(init, said);
	if (maybeSubmitted) {
		return sentences(base, l10n.t('The task may have been submitted anyway; it is kept as "submit outcome unknown" and will not be sent again. If it appears in your UModelverse console, track it by its id.'));
	}
	return sentences(base, nextStep(init));
}

/** What went wrong, without what VideoGen or the user does next (Set API Key's check says that itself). */
export function describeApiProblem(init: ApiErrorInit): string {
	return describeKind(init, init.serviceMessage ? l10n.t('The service said: "{0}".', init.serviceMessage) : undefined);
}

/** What to do about an error that may pass: a status query is asked again by the poller, a submit by the user. */
function nextStep(init: ApiErrorInit): string | undefined {
	switch (init.kind) {
		case 'rateLimited':
		case 'server':
		case 'timeout':
		case 'network':
		case 'badResponse':
			return init.operation === 'status' ? l10n.t('VideoGen will ask again.') : l10n.t('Try again in a moment.');
		case 'proxy':
			return init.operation === 'status' ? l10n.t('VideoGen will ask again.') : undefined;
		default:
			return undefined;
	}
}

function describeKind(init: ApiErrorInit, said: string | undefined): string {
	switch (init.kind) {
		case 'unauthorized': {
			const host = init.origin ? hostOf(init.origin) : undefined;
			if (init.status === undefined) {
				return host
					? l10n.t('No API key is set for {0}. Set one with "VideoGen: Set API Key".', host)
					: l10n.t('No API key is set. Set one with "VideoGen: Set API Key".');
			}
			return sentences(
				host ? l10n.t('The API key for {0} was rejected (HTTP 401).', host) : l10n.t('The API key was rejected (HTTP 401).'),
				said,
				l10n.t('Set a valid key with "VideoGen: Set API Key".'));
		}
		case 'forbidden':
			return sentences(
				l10n.t('The service refused the request (HTTP 403).'),
				said,
				init.model
					? l10n.t('The key may not be allowed to use {0}, the account\'s spend cap may be reached, or your IP may not be allowed. Check the key and its limits in the UModelverse console, or pick another model with "VideoGen: Select Model".', init.model)
					: l10n.t('The key may not be allowed to use this model, the account\'s spend cap may be reached, or your IP may not be allowed. Check the key and its limits in the UModelverse console, or set another key with "VideoGen: Set API Key".'));
		case 'moderation':
			return sentences(l10n.t('The prompt was rejected by the service\'s content check.'), said, l10n.t('Rephrase the prompt and try again.'));
		case 'modelUnavailable': {
			const other = init.model ? loadModels().alternativeModel(init.model) : undefined;
			return sentences(
				init.model ? l10n.t('The model {0} is not available.', init.model) : l10n.t('The model is not available.'),
				said,
				other
					? l10n.t('Try another model, such as {0} ({1}), with "VideoGen: Select Model".', other.label, other.id)
					: l10n.t('Pick another model with "VideoGen: Select Model".'));
		}
		case 'invalidRequest':
			if (init.status === 413) {
				return sentences(
					l10n.t('The request was too large for the service (HTTP 413).'),
					said,
					init.model
						? l10n.t('The image is probably over what {0} takes: use a smaller image, or give it as an https: link.', init.model)
						: l10n.t('The image is probably over what the model takes: use a smaller image, or give it as an https: link.'));
			}
			return sentences(
				init.param
					? l10n.t('The service refused the request as invalid (HTTP {0}, {1}).', init.status ?? 400, init.param)
					: l10n.t('The service refused the request as invalid (HTTP {0}).', init.status ?? 400),
				said,
				init.operation === 'submit'
					? l10n.t('Check the prompt, the image and the model\'s settings, then try again.')
					: l10n.t('Check the task id.'));
		case 'notFound':
			return init.operation === 'status'
				? sentences(l10n.t('The service no longer knows this task (HTTP 404).'), said, l10n.t('VideoGen will ask again; if this keeps happening, the task has expired on the service.'))
				: sentences(l10n.t('The service did not find the submit endpoint (HTTP 404). Check the videogen.baseUrl setting.'), said);
		case 'rateLimited':
			return sentences(
				l10n.t('The service is rate limiting requests (HTTP 429).'),
				init.retryAfterMs !== undefined ? l10n.t('It asked to wait {0} s.', Math.ceil(init.retryAfterMs / 1000)) : undefined,
				said);
		case 'server':
			return sentences(l10n.t('The service had a problem (HTTP {0}).', init.status ?? ''), said);
		case 'timeout':
			return init.detail
				? l10n.t('The service did not answer in time ({0}).', init.detail)
				: l10n.t('The service did not answer in time.');
		case 'connectionRefused':
			return init.detail
				? l10n.t('Could not connect to the VideoGen API ({0}). Check your network and the videogen.baseUrl setting.', init.detail)
				: l10n.t('Could not connect to the VideoGen API. Check your network and the videogen.baseUrl setting.');
		case 'certificate':
			return init.detail
				? l10n.t('Could not connect securely to the VideoGen API: its certificate was not accepted ({0}), so nothing was sent. Check the videogen.baseUrl setting, and whether something on your network (a proxy, security software) intercepts HTTPS: if it does, the certificate authority it uses must be trusted, in the operating system\'s store or in the file NODE_EXTRA_CA_CERTS names.', init.detail)
				: l10n.t('Could not connect securely to the VideoGen API: its certificate was not accepted, so nothing was sent. Check the videogen.baseUrl setting, and whether something on your network (a proxy, security software) intercepts HTTPS: if it does, the certificate authority it uses must be trusted, in the operating system\'s store or in the file NODE_EXTRA_CA_CERTS names.');
		case 'proxy':
			return init.text ?? (init.detail
				? l10n.t('The proxy stopped the request ({0}), so nothing was sent. Check the http.proxy setting.', init.detail)
				: l10n.t('The proxy stopped the request, so nothing was sent. Check the http.proxy setting.'));
		case 'network':
			return init.detail
				? l10n.t('The connection to the service broke ({0}).', init.detail)
				: l10n.t('The connection to the service broke.');
		case 'badResponse':
			return init.detail
				? l10n.t('The service sent an answer VideoGen could not read ({0}).', init.detail)
				: l10n.t('The service sent an answer VideoGen could not read.');
	}
}
