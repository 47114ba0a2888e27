/** Numbers as people read them, in the user's language. */

import { formatCount, l10n } from './l10n';

/** `1.5 MB`-style sizes, the number written as the user's language writes it. */
export function formatBytes(bytes: number): string {
	if (bytes < 1024) {
		return l10n.t('{0} B', formatCount(bytes));
	}
	let value = bytes / 1024;
	let unit = 0;
	while (value >= 1024 && unit < 2) {
		value /= 1024;
		unit++;
	}
	const number = new Intl.NumberFormat(l10n.language, value < 10
		? { minimumFractionDigits: 1, maximumFractionDigits: 1 }
		: { maximumFractionDigits: 0 }).format(value);
	switch (unit) {
		case 0: return l10n.t('{0} KB', number);
		case 1: return l10n.t('{0} MB', number);
		default: return l10n.t('{0} GB', number);
	}
}
