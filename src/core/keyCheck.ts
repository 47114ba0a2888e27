/**
 * Checking an API key when it is set, without creating a task (each submit is billed): a status
 * query for a task id no service ever gives out. The service authenticates the request before it
 * looks for the task, so its answer says whether the key is good:
 *
 * - 401 (`auth_error`), or a 403 whose error type or words are about the key itself: the key is wrong.
 * - 404 ("task not found", the API's own JSON error), 400 (a bad request), or even a status: the key
 *   got past authentication. A 404 page from a proxy or CDN in front of the API says nothing about
 *   the key: the API client reports it as a server problem (`kindForStatus` in net/apiClient.ts).
 * - 403 for another reason (`permission_error`: an IP allow-list, a spend cap): the key is known but
 *   limited; it is kept, and the reason is shown.
 * - anything else (no connection, a timeout, 429, 5xx, an answer that cannot be read): the key could
 *   not be checked; it is kept, and the reason is shown.
 *
 * Nothing here knows about VS Code; the words are those of the ApiError, which never hold the key.
 */

import { ApiError } from './errors';

/** The id asked about: the service's ids look nothing like it, so no task can have it. */
export const keyCheckTaskId = 'videogen-key-check-0000';

export type KeyCheck =
	/** The service took the key (it answered about the task, or that there is no such task). */
	| { readonly outcome: 'accepted'; readonly status?: number }
	/** The service said the key is wrong. */
	| { readonly outcome: 'rejected'; readonly status: number; readonly reason: string; readonly serviceMessage?: string }
	/** The service knows the key but refused the query for another reason. */
	| { readonly outcome: 'limited'; readonly status: number; readonly reason: string }
	/** No answer that says anything about the key. */
	| { readonly outcome: 'unverified'; readonly reason: string };

/** What the status query's result says about the key. */
export function keyCheckOutcome(result: { readonly ok: true } | { readonly ok: false; readonly error: unknown }): KeyCheck {
	if (result.ok) {
		return { outcome: 'accepted', status: 200 };
	}
	const error = result.error;
	if (!ApiError.is(error)) {
		return { outcome: 'unverified', reason: error instanceof Error ? error.message : String(error) };
	}
	const status = error.status ?? 0;
	switch (error.kind) {
		case 'unauthorized':
			return { outcome: 'rejected', status, reason: error.message, serviceMessage: error.serviceMessage };
		case 'forbidden':
			return namesAuthentication(error)
				? { outcome: 'rejected', status, reason: error.message, serviceMessage: error.serviceMessage }
				: { outcome: 'limited', status, reason: error.message };
		case 'notFound':
		case 'invalidRequest':
		case 'moderation':
		case 'modelUnavailable':
			return { outcome: 'accepted', status };
		default:
			return { outcome: 'unverified', reason: error.problem };
	}
}

/** A 403 that is about the key itself: the type `auth_error`, or words such as "invalid API key". */
function namesAuthentication(error: ApiError): boolean {
	return error.serviceType === 'auth_error' || /\b(invalid|wrong|unknown|expired|revoked)\b.{0,20}\b(api[ _-]?)?key\b|\bunauthori[sz]ed\b|\bauthentication\b/i.test(error.serviceMessage ?? '');
}

/** Asks `status` about {@link keyCheckTaskId} and says what its answer means for the key. */
export async function checkKey(status: (taskId: string) => Promise<unknown>): Promise<KeyCheck> {
	try {
		await status(keyCheckTaskId);
		return keyCheckOutcome({ ok: true });
	} catch (error) {
		return keyCheckOutcome({ ok: false, error });
	}
}
