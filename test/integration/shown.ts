/**
 * Records what the user is shown (words and buttons) while some work runs, on top of
 * helpers.recordMessages (which replaces `window.show*Message`: a test cannot read a toast).
 */

import { recordMessages } from './helpers';

export interface Shown {
	/** `error`, `warning` or `info`. */
	readonly level: string;
	readonly text: string;
	readonly buttons: readonly string[];
}

/** Runs `work`; `press` picks the button the user presses for a message (none by default), at once or later. */
export async function recordShown<T>(work: () => Thenable<T> | Promise<T>, press: (shown: Shown) => string | undefined | Promise<string | undefined> = () => undefined): Promise<{ result: T; shown: Shown[] }> {
	const shown: Shown[] = [];
	const { result, messages } = await recordMessages(work, (text, buttons) => {
		const entry = { level: '', text, buttons };
		shown.push(entry);
		return press(entry);
	});
	// recordMessages prefixes each message with its level, in the same order.
	messages.forEach((message, index) => Object.assign(shown[index], { level: message.slice(0, message.indexOf(':')) }));
	return { result, shown };
}
