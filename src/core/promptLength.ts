/** A prompt's length against its model's published limit, in words for the prompt step and the CodeLens. */

import { formatCount, l10n } from './l10n';

/** Characters as the service counts them: Unicode code points. */
export function promptLength(prompt: string): number {
	return Array.from(prompt).length;
}

/** `812 / 1,000 characters`; `812 characters` for a model with no published limit. */
export function promptLengthText(prompt: string, maxLength: number | undefined): string {
	const length = promptLength(prompt);
	return maxLength === undefined
		? l10n.t('{0} characters', formatCount(length))
		: l10n.t('{0} / {1} characters', formatCount(length), formatCount(maxLength));
}

/** The CodeLens over a prompt document: `Generate · 812/1,000`, or `Generate` where there is no limit. */
export function generateLensTitle(prompt: string, maxLength: number | undefined): string {
	return maxLength === undefined
		? l10n.t('Generate')
		: l10n.t('Generate · {0}/{1}', formatCount(promptLength(prompt)), formatCount(maxLength));
}
