/**
 * What can go wrong talking to the service, classified once so that every caller shows the same
 * words and offers the same way out.
 */

import type * as ErrorText from './errorText';
import type { ApiErrorInit, ApiErrorKind } from './errorText';
import { maxMessageLength, maxWordLength, plainText } from './serviceText';

let errorText: typeof ErrorText | undefined;

/**
 * The words of every API error (./errorText), loaded when the first error is made: in the bundle it
 * is a file of its own, `dist/errorText.js` (see esbuild.js), so activation does not pay for it.
 */
function loadErrorText(): typeof ErrorText {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return errorText ??= require('./errorText') as typeof ErrorText;
}

export type { ApiErrorInit, ApiErrorKind } from './errorText';

/** Something the user can do about an error; the VS Code side maps each to a button. */
export type ErrorAction = 'setApiKey' | 'selectModel' | 'openSettings' | 'tryAgain' | 'trackTask' | 'showLog';

/**
 * The extension is two bundles (activation code, and the HTTP stack loaded later), each with its own
 * copy of these classes, so `instanceof` cannot tell them apart: a brand shared through the global
 * symbol registry can.
 */
const apiErrorBrand = Symbol.for('videogen.ApiError');
const downloadErrorBrand = Symbol.for('videogen.DownloadError');

export class ApiError extends Error {
	/** True for an `ApiError` from either bundle. */
	static is(value: unknown): value is ApiError {
		return !!value && typeof value === 'object' && (value as Record<symbol, unknown>)[apiErrorBrand] === true;
	}

	readonly [apiErrorBrand] = true;
	readonly kind: ApiErrorKind;
	readonly operation: 'submit' | 'status';
	readonly status?: number;
	readonly serviceType?: string;
	readonly serviceMessage?: string;
	readonly param?: string;
	readonly retryAfterMs?: number;
	readonly model?: string;
	readonly origin?: string;
	readonly notSent: boolean;
	/** What went wrong, in words for the user, without the next step the message ends with. */
	readonly problem: string;

	constructor(raw: ApiErrorInit) {
		const init = plainInit(raw);
		super(loadErrorText().describeApiError(init, mayHaveBeenSubmitted(init)));
		this.problem = loadErrorText().describeApiProblem(init);
		this.name = 'ApiError';
		this.kind = init.kind;
		this.operation = init.operation;
		this.status = init.status;
		this.serviceType = init.serviceType;
		this.serviceMessage = init.serviceMessage;
		this.param = init.param;
		this.retryAfterMs = init.retryAfterMs;
		this.model = init.model;
		this.origin = init.origin;
		this.notSent = !!init.notSent;
	}

	/**
	 * For a submit: true when the service may have accepted (and billed) the task although no task
	 * id came back. Such a submit is never resent. Only a refused connection, or an answer the API
	 * documents as a refusal (400, 401, 403, 404, 429, 503), proves nothing was created.
	 */
	get maybeSubmitted(): boolean {
		return mayHaveBeenSubmitted(this);
	}

	/** True when asking the same status again later may succeed. */
	get retryable(): boolean {
		return ['rateLimited', 'server', 'timeout', 'connectionRefused', 'certificate', 'proxy', 'network', 'badResponse'].includes(this.kind);
	}

	/** The setting Open Settings shows for this error. */
	get setting(): string {
		return this.kind === 'proxy' ? 'http.proxy' : 'videogen.baseUrl';
	}

	/** The ways out to offer the user, most useful first. */
	get actions(): readonly ErrorAction[] {
		switch (this.kind) {
			case 'unauthorized': return ['setApiKey'];
			case 'forbidden': return this.model ? ['selectModel', 'setApiKey'] : ['setApiKey'];
			case 'modelUnavailable': return ['selectModel'];
			case 'connectionRefused':
			case 'certificate':
			case 'proxy': return ['openSettings', 'tryAgain'];
			default:
				if (this.maybeSubmitted) {
					return ['trackTask', 'showLog'];
				}
				return this.retryable ? ['tryAgain', 'showLog'] : ['showLog'];
		}
	}
}

/**
 * What came from the network, as plain text of a bounded length: the service's words are quoted in
 * messages that VS Code shows and that the task list keeps (see serviceText.ts).
 */
function plainInit(init: ApiErrorInit): ApiErrorInit {
	const plain = (value: string | undefined, max: number) => value === undefined ? undefined : plainText(value, max);
	return {
		...init,
		serviceType: plain(init.serviceType, maxWordLength),
		serviceMessage: plain(init.serviceMessage, maxMessageLength),
		param: plain(init.param, maxWordLength),
		detail: plain(init.detail, maxMessageLength),
	};
}

/** Answers the API documents as refusals (and 413, a body refused before it was read): nothing was created. */
const refusalStatuses = new Set([400, 401, 403, 404, 413, 429, 503]);

function mayHaveBeenSubmitted(init: Pick<ApiErrorInit, 'operation' | 'status' | 'notSent'>): boolean {
	if (init.operation !== 'submit' || init.notSent) {
		return false;
	}
	return init.status === undefined || !refusalStatuses.has(init.status);
}

export type DownloadErrorKind =
	/** 401, 403, 404, 410: only a fresh link from the service can help. */
	| 'linkExpired'
	/** Another answer than the video: a status, a web page, a head VideoGen cannot read. */
	| 'http'
	/** A redirect without a usable Location: the storage host's fault, like a 5xx. */
	| 'badRedirect'
	/** The storage host could not be reached. */
	| 'network'
	/** The proxy was unreachable or refused the tunnel: nothing reached the storage host. */
	| 'proxy'
	/** The body broke off, or ended before its Content-Length. */
	| 'incomplete'
	/** The body is, or says it is, larger than the videogen.maxDownloadMegabytes setting. */
	| 'tooLarge'
	/** The body came slower than the speed VideoGen waits for. */
	| 'tooSlow'
	/** The body is compressed, or does not start like a video file. */
	| 'notVideo'
	/** The folder or the file refused: full, read-only, or the name is taken. */
	| 'disk'
	| 'insecureUrl'
	| 'tooManyRedirects'
	/** Nothing above: a failure that proves nothing about where it came from. */
	| 'unexpected';

/** Long enough for the longest message with a folder's path in it. */
const maxDownloadMessageLength = 1000;

/** Why a video could not be saved; the message says what to do. */
export class DownloadError extends Error {
	/** True for a `DownloadError` from either bundle. */
	static is(value: unknown): value is DownloadError {
		return !!value && typeof value === 'object' && (value as Record<symbol, unknown>)[downloadErrorBrand] === true;
	}

	readonly [downloadErrorBrand] = true;

	constructor(readonly kind: DownloadErrorKind, message: string, readonly status?: number) {
		// Shown in notifications and kept in the task list, and it may quote what a storage host, a
		// proxy or a certificate said: kept plain, whatever a message built elsewhere forgot.
		super(plainText(message, maxDownloadMessageLength));
		this.name = 'DownloadError';
	}

	/**
	 * True when trying the same link again by itself may work: the connection or the storage host
	 * failed in a way that may pass. A body that is too large, too slow or not a video waits for
	 * the user's Download Again, so a broken link does not hold a download slot three times over.
	 */
	get retryable(): boolean {
		return this.kind === 'network' || this.kind === 'incomplete' || this.kind === 'badRedirect' || (this.kind === 'http' && (this.status ?? 0) >= 500)
			// A proxy that was down, or could not reach the storage host, may do better; one that refuses
			// VideoGen's credentials or its way in will not by itself.
			|| (this.kind === 'proxy' && (this.status === undefined || this.status >= 500));
	}
}
