/**
 * A prompt document: Markdown whose front matter names the model and its parameters, and whose body
 * is the prompt.
 *
 *   ---
 *   model: openai/sora-2/text-to-video
 *   size: 1280x720
 *   duration: 8
 *   ---
 *
 *   A paper boat drifting down a rainy street at dusk
 *
 * Only the front matter's flat `key: value` lines are read (no YAML library: nothing else is
 * needed); HTML comments in the body are notes for the writer, not part of the prompt. Nothing here
 * knows about VS Code; the catalogue is given by the caller, so the check runs in plain Node.
 */

import { l10n } from './l10n';
import type * as Models from './models';

/** One `key: value` line of the front matter; `line` counts from 0, as VS Code's positions do. */
export interface FrontMatterEntry {
	readonly key: string;
	readonly value: string;
	readonly line: number;
}

export interface PromptDocument {
	readonly entries: readonly FrontMatterEntry[];
	/** The prompt: the body without HTML comments, trimmed. */
	readonly prompt: string;
	/** The line of the closing `---`: where a CodeLens goes. */
	readonly endLine: number;
}

/** The first 64 KB are enough to find a front matter; a longer one is not VideoGen's. */
const frontMatterScanLimit = 64 * 1024;

/**
 * Cheap enough to run on every Markdown document shown: does the text open with a front matter
 * that names a `model`? (Then it is a prompt document.)
 */
export function isPromptDocument(text: string): boolean {
	if (!/^---[ \t]*\r?\n/.test(text)) {
		return false;
	}
	const head = text.slice(0, frontMatterScanLimit);
	const close = /\r?\n---[ \t]*(\r?\n|$)/.exec(head);
	return !!close && /(^|\n)model[ \t]*:/.test(head.slice(0, close.index));
}

/** Reads a prompt document; `undefined` when the text has no front matter naming a model. */
export function parsePromptDocument(text: string): PromptDocument | undefined {
	if (!isPromptDocument(text)) {
		return undefined;
	}
	const lines = text.split(/\r?\n/);
	const entries: FrontMatterEntry[] = [];
	let endLine = -1;
	for (let line = 1; line < lines.length; line++) {
		const content = lines[line];
		if (/^---[ \t]*$/.test(content)) {
			endLine = line;
			break;
		}
		const match = /^([A-Za-z_][\w.-]*)[ \t]*:[ \t]*(.*?)[ \t]*$/.exec(content);
		if (match) {
			entries.push({ key: match[1], value: unquote(stripComment(match[2])), line });
		}
	}
	const body = lines.slice(endLine + 1).join('\n');
	return { entries, prompt: body.replace(/<!--[\s\S]*?(-->|$)/g, '').trim(), endLine };
}

/** `value # note` → `value`; a `#` inside quotes stays. */
function stripComment(value: string): string {
	return /^["']/.test(value) ? value : value.replace(/[ \t]+#.*$/, '');
}

function unquote(value: string): string {
	const quoted = /^"(.*)"$/.exec(value) ?? /^'(.*)'$/.exec(value);
	return quoted ? quoted[1] : value;
}

/** The text of a new prompt document for `model` with `parameters`, and the line the cursor goes to. */
export function promptDocumentText(model: string, parameters: Readonly<Record<string, string | number | boolean>>, hint: string): { text: string; cursorLine: number } {
	const lines = ['---', `model: ${model}`, ...Object.entries(parameters).map(([key, value]) => `${key}: ${String(value)}`), '---', '', `<!-- ${hint.replace(/--/g, '- -')} -->`, '', ''];
	return { text: lines.join('\n'), cursorLine: lines.length - 1 };
}

/** What a prompt document asks for, checked against the catalogue. */
export interface PromptDocumentRequest {
	readonly model: string;
	readonly parameters: Record<string, string | number | boolean>;
	readonly prompt: string;
}

/** A problem in the front matter, with the line it is on (from 0). */
export interface PromptDocumentProblem {
	readonly line: number;
	readonly message: string;
}

type Catalogue = Pick<typeof Models, 'findModel' | 'allowsValue' | 'allowedText'>;

/**
 * The model and parameters the front matter names, each value turned into the type the catalogue
 * says (`duration: 8` is the number 8, `audio: true` a switch). A model the catalogue does not know
 * is refused (a prompt document names models by their catalogue id), as is a parameter the model
 * does not have or a value it does not take; the problem names the line.
 */
export function promptDocumentRequest(document: PromptDocument, models: Catalogue, defaultModel: string): { request?: PromptDocumentRequest; problem?: PromptDocumentProblem } {
	const modelEntry = document.entries.find(entry => entry.key === 'model');
	const modelId = modelEntry?.value || defaultModel;
	const model = models.findModel(modelId);
	if (!model) {
		return { problem: { line: modelEntry?.line ?? 0, message: l10n.t('Line {0}: VideoGen does not know the model "{1}". Use a model id from the catalogue, for example openai/sora-2/text-to-video.', (modelEntry?.line ?? 0) + 1, modelId) } };
	}
	const parameters: Record<string, string | number | boolean> = {};
	for (const entry of document.entries) {
		if (entry.key === 'model') {
			continue;
		}
		const spec = model.parameters.find(candidate => candidate.name === entry.key);
		const lineNumber = entry.line + 1;
		if (!spec) {
			return { problem: { line: entry.line, message: l10n.t('Line {0}: {1} has no parameter "{2}". It takes: {3}.', lineNumber, model.label, entry.key, model.parameters.map(candidate => candidate.name).join(', ')) } };
		}
		// The text as the type the parameter takes: `8` is a number for a list of numbers, `true` a switch.
		const typed = spec.type === 'boolean' ? (entry.value === 'true' ? true : entry.value === 'false' ? false : entry.value)
			: spec.type === 'enum' ? spec.values.find(candidate => String(candidate) === entry.value) ?? entry.value
			: /^\d+$/.test(entry.value) ? Number(entry.value) : entry.value;
		if (!models.allowsValue(spec, typed)) {
			return { problem: { line: entry.line, message: l10n.t('Line {0}: {1} ({2}) must be {3}, not "{4}".', lineNumber, spec.label, spec.name, models.allowedText(spec), entry.value) } };
		}
		const value = typed;
		parameters[spec.name] = value;
	}
	return { request: { model: model.id, parameters, prompt: document.prompt } };
}
