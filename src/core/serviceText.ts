/**
 * Text that came from the network (the service's error messages, statuses, ids, error types), made
 * safe to show and to keep. VS Code renders `[label](command:…)` in a notification as a link that
 * runs the command, renders `$(name)` as an icon in quick picks, buttons and the status bar, and a
 * line break or an escape sequence in the log starts what looks like a line of its own. So every
 * such text is passed through `plainText` where it enters an error or a task record, and every log
 * line through `escapeControls` (src/core/log.ts).
 */

/** The service's own words (an error message) as VideoGen quotes and keeps them. */
export const maxMessageLength = 300;
/** A word the service sends (a status, an error type, a parameter name, an id). */
export const maxWordLength = 100;

/** Line breaks and tabs, shown as one space. */
const lineBreaks = /[\t\n\v\f\r\u0085\u2028\u2029]/;
/**
 * Characters that are not text: C0 and C1 controls (the escape that starts a terminal sequence
 * among them), and the marks that reorder text shown after them (bidirectional overrides).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const controls = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** Half of a UTF-16 pair without its other half: not a character either. */
const loneSurrogate = /^[\ud800-\udfff]$/;
/**
 * Anything `plainText` would change or count other than as one character: a line break, a control,
 * a surrogate (a pair is one character of two units), `](` or `$(`.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const needsChange = /[\t\n\v\f\r\u0085\u2028\u2029\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]|[\]$]\(/;

/**
 * Plain text for a notification, a dialog, a tree item, a tooltip or the task list: line breaks
 * become spaces, other control characters are written out (`\u001b`), `](` and `$(` get a space
 * inside so VS Code shows them instead of making a link or an icon of them, and the text is cut to
 * `max` characters, ending in `…` when it was longer. Reads no more of a huge text than it keeps.
 */
export function plainText(value: string, max: number): string {
	// Most text (every prompt in the tree, each time it is drawn) has nothing to change: then the
	// answer is the text itself, or its first max - 1 characters and `…`, without a look at each one.
	const head = value.length > max ? value.slice(0, max + 1) : value;
	if (!needsChange.test(head)) {
		return value.length > max ? `${head.slice(0, max - 1).trimEnd()}…` : value.trimEnd();
	}
	let out = '';
	/** How much of `out` can stay when the text has to be cut: room is left for the `…`. */
	let kept = 0;
	let previous = '';
	/** A line break was met: one space goes before the next character, if one comes. */
	let space = false;
	for (const char of value) {
		if (lineBreaks.test(char)) {
			space = out.length > 0 && !out.endsWith(' ');
			previous = char;
			continue;
		}
		let shown = controls.test(char) || loneSurrogate.test(char) ? codeOf(char)
			: char === '(' && (previous === ']' || previous === '$') ? ' (' : char;
		if (space) {
			shown = ` ${shown}`;
			space = false;
		}
		if (out.length + shown.length > max) {
			return `${out.slice(0, kept).trimEnd()}…`;
		}
		out += shown;
		if (out.length < max) {
			kept = out.length;
		}
		previous = char;
	}
	return out.trimEnd();
}

/**
 * A line for the log: every control character and line break written out (`\n`, `\r`, `\u2028`,
 * `\u001b`), so text from the network cannot start a line of its own or colour the rest.
 */
export function escapeControls(value: string): string {
	// eslint-disable-next-line no-control-regex -- finding control characters is the point
	return value.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, char => {
		switch (char) {
			case '\n': return '\\n';
			case '\r': return '\\r';
			case '\t': return '\\t';
			default: return codeOf(char);
		}
	});
}

/** True when the text has a control character or a line break in it (which no link has). */
export function hasControlCharacters(value: string): boolean {
	return controls.test(value) || lineBreaks.test(value);
}

function codeOf(char: string): string {
	return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * A header value from the network (a coding's name, say) as a bounded token: only letters, digits
 * and `.,;=+ -` are kept, so nothing in it can become a link, an icon or a line of its own.
 */
export function plainToken(value: string): string {
	const plain = value.replace(/[^\w.,;=+ -]/g, '').trim();
	return plain.length > 40 ? `${plain.slice(0, 40)}…` : plain || 'unnamed';
}
