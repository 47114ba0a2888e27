/** Text put into HTML that VideoGen writes (webview pages, Markdown video tags): always escaped. */

const entities: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' };

/** `value` as HTML text or a quoted attribute's value: `& < > " '` escaped, nothing else changed. */
export function escapeHtml(value: string): string {
	return value.replace(/[&<>"']/g, c => entities[c]);
}
