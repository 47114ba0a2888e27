/**
 * The words of the API errors (./errors.ts): what happened and what to do next, for each kind. A
 * module of its own, loaded when the first error is made, so activation does not load every message.
 * Each message is made of whole sentences in the user's language (./l10n.ts).
 */

import type { ApiErrorInit } from './errors';
import { l10n, sentences } from './l10n';
import { loadModels } from './modelsLoader';
import { hostOf } from './validation';

/** The message of an API error: what happened, in the service's words where it gave some, and what to do next. */
export function describeApiError(init: ApiErrorInit, maybeSubmitted: boolean): string {
	const said = init.serviceMessage ? l10n.t('The service said: "{0}".', init.serviceMessage) : undefined;
	const base = describeKind(init, said);
	if (maybeSubmitted) {
		return sentences(base, l10n.t('The task may have been submitted anyway; it is kept as "submit outcome unknown" and will not be sent again. If it appears in your UModelverse console, track it by its id.'));
	}
	return sentences(base, nextStep(init));
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
				? l10n.t('Could not connect securely to the VideoGen API: its certificate was not accepted ({0}), so nothing was sent. Check the videogen.baseUrl setting, and whether something on your network (a proxy, security software) intercepts HTTPS.', init.detail)
				: l10n.t('Could not connect securely to the VideoGen API: its certificate was not accepted, so nothing was sent. Check the videogen.baseUrl setting, and whether something on your network (a proxy, security software) intercepts HTTPS.');
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
