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

/**
 * A message's template split at its `{0}`, `{1}`: literal text at even places, the number of the
 * value to put in at odd ones (`'Task {0} of {1}'` → `['Task ', '0', ' of ', '1', '']`).
 */
type Template = readonly string[];

/** `{0}`, `{1}`… replaced by the arguments, and left as they are when there is no such argument, as VS Code does. */
function fill(template: Template, args: readonly (string | number | boolean)[]): string {
	let text = template[0];
	for (let i = 1; i < template.length; i += 2) {
		const index = Number(template[i]);
		text += (index < args.length ? String(args[index]) : `{${template[i]}}`) + template[i + 1];
	}
	return text;
}

/**
 * Each message's template, asked of the translator once and split once. VS Code's translator gives
 * back the template with its `{0}`, `{1}` intact when called without values, and fills them in as
 * `fill` does; doing it here keeps a tree of 1,000 rows from translating and parsing the same dozen
 * templates thousands of times. Kept per translator, so installing another starts afresh.
 */
const translated = new WeakMap<Translator, Map<string, Template>>();
const english = new Map<string, Template>();

function template(message: string): Template {
	const translator = installed();
	let known = translator ? translated.get(translator) : english;
	if (!known) {
		known = new Map();
		translated.set(translator!, known);
	}
	let found = known.get(message);
	if (!found) {
		found = (translator ? translator.t(message) : message).split(/\{(\d+)\}/);
		known.set(message, found);
	}
	return found;
}

export const l10n = {
	/** The message in the user's language, with `{0}`, `{1}`… replaced by `args`. */
	t(message: string, ...args: (string | number | boolean)[]): string {
		return fill(template(message), args);
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
