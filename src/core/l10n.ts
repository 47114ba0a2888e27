/**
 * The words VideoGen shows, in the user's language. src/core knows nothing of VS Code, so the host
 * installs VS Code's translator (`vscode.l10n.t`) and display language on a global symbol when it
 * activates; without it (plain Node, the unit tests) messages come out in English. A global symbol,
 * not a module variable: the extension is several bundles, each with its own copy of this module.
 *
 * Every message is a whole sentence written as a literal `l10n.t('…')` call, so that the export of
 * the translation bundle finds it; values go in as `{0}`, `{1}`.
 */

/** What the host installs: a translator, and the display language for numbers and dates. */
export interface Translator {
	t(message: string, ...args: (string | number | boolean)[]): string;
	readonly language: string;
}

const hook = Symbol.for('videogen.l10n');

function installed(): Translator | undefined {
	return (globalThis as Record<symbol, Translator | undefined>)[hook];
}

/** `{0}`, `{1}`… replaced by the arguments, as VS Code does for the English original. */
function substitute(message: string, args: readonly (string | number | boolean)[]): string {
	return message.replace(/\{(\d+)\}/g, (match, index: string) => Number(index) < args.length ? String(args[Number(index)]) : match);
}

export const l10n = {
	/** The message in the user's language, with `{0}`, `{1}`… replaced by `args`. */
	t(message: string, ...args: (string | number | boolean)[]): string {
		const translator = installed();
		return translator ? translator.t(message, ...args) : substitute(message, args);
	},
	/** The display language (`en`, `zh-cn`…), for `toLocaleString` and `Intl`. */
	get language(): string {
		return installed()?.language ?? 'en';
	},
};

/** Called once by the host at the start of activation. */
export function installTranslator(translator: Translator): void {
	(globalThis as Record<symbol, Translator | undefined>)[hook] = translator;
}

/**
 * Whole sentences one after the other, empty ones left out: a space between them in English, none
 * in Chinese (the joining pattern is itself translated).
 */
export function sentences(...parts: (string | undefined)[]): string {
	const kept = parts.filter((part): part is string => !!part);
	return kept.length === 0 ? '' : kept.reduce((text, part) => l10n.t('{0} {1}', text, part));
}

/** A whole number as the user's language writes it (`1,000`). */
export function formatCount(value: number): string {
	return value.toLocaleString(l10n.language);
}
