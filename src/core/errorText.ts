/**
 * The kinds of API error and the words for each (./errors.ts makes the errors): what happened and
 * what to do next. A module of its own, loaded when the first error is made, so activation does not
 * load every message; its types are re-exported by ./errors.ts.
 */

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
	/** 404: the service does not know the task (or the path). */
	| 'notFound'
	/** 429. */
	| 'rateLimited'
	/** 408 and 5xx. */
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
	const said = init.serviceMessage ? ` The service said: "${init.serviceMessage}".` : '';
	const base = describeKind(init, said);
	if (maybeSubmitted) {
		return `${base} The task may have been submitted anyway; it is kept as "submit outcome unknown" and will not be sent again. If it appears in your UModelverse console, track it by its id.`;
	}
	return base + nextStep(init);
}

/** What to do about an error that may pass: a status query is asked again by the poller, a submit by the user. */
function nextStep(init: ApiErrorInit): string {
	switch (init.kind) {
		case 'rateLimited':
		case 'server':
		case 'timeout':
		case 'network':
		case 'badResponse':
			return init.operation === 'status' ? ' VideoGen will ask again.' : ' Try again in a moment.';
		case 'proxy':
			return init.operation === 'status' ? ' VideoGen will ask again.' : '';
		default:
			return '';
	}
}

function describeKind(init: ApiErrorInit, said: string): string {
	const retryIn = init.retryAfterMs !== undefined ? ` It asked to wait ${Math.ceil(init.retryAfterMs / 1000)} s.` : '';
	switch (init.kind) {
		case 'unauthorized': {
			const forHost = init.origin ? ` for ${hostOf(init.origin)}` : '';
			return init.status === undefined
				? `No API key is set${forHost}. Set one with "VideoGen: Set API Key".`
				: `The API key${forHost} was rejected (HTTP 401).${said} Set a valid key with "VideoGen: Set API Key".`;
		}
		case 'forbidden':
			return `The service refused the request (HTTP 403).${said} The key may not be allowed to use ${init.model ?? 'this model'}, the account's spend cap may be reached, or your IP may not be allowed. Check the key and its limits in the UModelverse console${init.model ? ', or pick another model with "VideoGen: Select Model"' : ', or set another key with "VideoGen: Set API Key"'}.`;
		case 'moderation':
			return `The prompt was rejected by the service's content check.${said} Rephrase the prompt and try again.`;
		case 'modelUnavailable': {
			const other = init.model ? loadModels().alternativeModel(init.model) : undefined;
			const suggestion = other ? ` Try another model, such as ${other.label} (${other.id}), with "VideoGen: Select Model".` : ' Pick another model with "VideoGen: Select Model".';
			return `The model ${init.model ?? ''} is not available.${said}${suggestion}`.replace('model  is', 'model is');
		}
		case 'invalidRequest':
			if (init.status === 413) {
				return `The request was too large for the service (HTTP 413).${said} The image is probably over what ${init.model ?? 'the model'} takes: use a smaller image, or give it as an https: link.`;
			}
			return `The service refused the request as invalid (HTTP ${init.status ?? 400}${init.param ? `, ${init.param}` : ''}).${said}${init.operation === 'submit' ? ' Check the prompt, the image and the model\'s settings, then try again.' : ' Check the task id.'}`;
		case 'notFound':
			return init.operation === 'status'
				? `The service no longer knows this task (HTTP 404).${said} VideoGen will ask again; if this keeps happening, the task has expired on the service.`
				: `The service did not find the submit endpoint (HTTP 404). Check the videogen.baseUrl setting.${said}`;
		case 'rateLimited':
			return `The service is rate limiting requests (HTTP 429).${retryIn}${said}`;
		case 'server':
			return `The service had a problem (HTTP ${init.status}).${said}`;
		case 'timeout':
			return `The service did not answer in time${init.detail ? ` (${init.detail})` : ''}.`;
		case 'connectionRefused':
			return `Could not connect to the VideoGen API${init.detail ? ` (${init.detail})` : ''}. Check your network and the videogen.baseUrl setting.`;
		case 'certificate':
			return `Could not connect securely to the VideoGen API: its certificate was not accepted${init.detail ? ` (${init.detail})` : ''}, so nothing was sent. Check the videogen.baseUrl setting, and whether something on your network (a proxy, security software) intercepts HTTPS: if it does, the certificate authority it uses must be trusted, in the operating system's store or in the file NODE_EXTRA_CA_CERTS names.`;
		case 'proxy':
			return init.text ?? `The proxy stopped the request${init.detail ? ` (${init.detail})` : ''}, so nothing was sent. Check the http.proxy setting.`;
		case 'network':
			return `The connection to the service broke${init.detail ? ` (${init.detail})` : ''}.`;
		case 'badResponse':
			return `The service sent an answer VideoGen could not read${init.detail ? ` (${init.detail})` : ''}.`;
	}
}
