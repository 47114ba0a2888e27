/**
 * Turns what the user asked for into the submit body `{ model, input, parameters }` of the task
 * API, for any model in the catalogue, and checks it first. Nothing here names a model: where the
 * prompt and images go and which parameters are allowed all come from the entries in `catalogue.ts`.
 *
 * Images given as bytes are not encoded here. The body holds an {@link InlineImage} that refers to
 * the caller's bytes, and {@link serializeSubmitBody} writes the Base64 text in small pieces while
 * the request is being sent, so a 10 MB image never exists as one 13 MB string (see there).
 */

import { formatCount, l10n } from '../l10n';
import {
	Constraint, ImageCase, ImageForm, ImageInputs, ImageTarget, ModelEntry, ParameterSpec, ParameterValue,
	findModel, seedMax,
} from './catalogue';

/** An image: a link the service fetches, or the image's bytes with their MIME type. */
export type ImageSource =
	| { readonly url: string }
	| { readonly bytes: Uint8Array; readonly mimeType: string };

export interface VideoRequest {
	readonly prompt: string;
	readonly negativePrompt?: string;
	/**
	 * Sent exactly as given: start from `defaultParameters(model)` and change what the user chose.
	 * Ignored for a model the catalogue does not know.
	 */
	readonly parameters?: Readonly<Record<string, ParameterValue>>;
	/** The first frame. */
	readonly image?: ImageSource;
	/** The last frame; only with a first frame. */
	readonly lastImage?: ImageSource;
}

/** The first thing wrong with a request. */
export interface RequestProblem {
	/**
	 * Where in the submit body, named as the service's error `param` names it (`input.prompt`,
	 * `parameters.duration`); `image` or `lastImage` for an image the model has no place for.
	 */
	readonly field: string;
	/** What is wrong and what is allowed, in words for the user. */
	readonly message: string;
}

/** Thrown by {@link buildSubmitBody} for a request {@link validateRequest} refuses. */
export class RequestError extends Error {
	readonly field: string;

	constructor(problem: RequestProblem) {
		super(problem.message);
		this.name = 'RequestError';
		this.field = problem.field;
	}
}

/** The JSON body of `POST /v1/tasks/submit`. Images given as bytes are {@link InlineImage}s in it. */
export interface SubmitBody {
	readonly model: string;
	readonly input: Record<string, unknown>;
	readonly parameters: Record<string, unknown>;
}

/** Bytes of an image encoded per step of {@link InlineImage.chunks}: 64 KB of Base64 text. */
const chunkBytes = 48 * 1024;

/**
 * An image's bytes, standing in the body where its text goes: `prefix` (e.g.
 * `data:image/png;base64,`, or nothing for raw Base64) followed by the bytes in Base64. It keeps a
 * reference to the caller's bytes, never a copy.
 */
export class InlineImage {
	constructor(readonly bytes: Uint8Array, readonly prefix: string) {}

	/** Length of the text in characters, which are all ASCII, so also in bytes. */
	get textLength(): number {
		return this.prefix.length + 4 * Math.ceil(this.bytes.byteLength / 3);
	}

	/** The whole text in one string, so that `JSON.stringify` works; it costs a full copy, which `serializeSubmitBody` avoids. */
	toJSON(): string {
		return this.prefix + view(this.bytes).toString('base64');
	}

	/** The text as ASCII bytes, 64 KB at a time. */
	*chunks(): Generator<Buffer> {
		if (this.prefix) {
			yield Buffer.from(this.prefix, 'latin1');
		}
		const bytes = view(this.bytes);
		for (let start = 0; start < bytes.length; start += chunkBytes) {
			// Slices are whole groups of three bytes, so only the last one ends in padding.
			yield Buffer.from(bytes.subarray(start, start + chunkBytes).toString('base64'), 'latin1');
		}
	}
}

/** A Buffer over the same memory as `bytes`, not a copy. */
function view(bytes: Uint8Array): Buffer {
	return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// ---------------------------------------------------------------------------------------------
// Checking a request
// ---------------------------------------------------------------------------------------------

/**
 * The first problem with `request` for `modelId`, or `undefined` when the service should accept it:
 * the prompt, the images (where the model takes them, their form, type, size and pixels), every
 * parameter against its allowed values, required parameters, and the rules between parameters.
 * For an id the catalogue does not know, only the prompt is checked (and images refused, as there
 * is no telling where they go); its parameters are not sent, see `unknownModelNote`.
 */
export function validateRequest(modelId: string, request: VideoRequest): RequestProblem | undefined {
	const model = findModel(modelId);
	if (!model) {
		return checkUnknownModel(modelId, request);
	}
	return checkPrompt(model, request)
		?? checkImages(model, request)
		?? checkParameters(model, request)
		?? checkConstraints(model, request);
}

/**
 * The first problem with the request's images for `modelId`: where the model takes them, their form,
 * type, size and pixels. For the step that picks an image, before the rest of the request exists.
 */
export function imageProblem(modelId: string, images: Pick<VideoRequest, 'image' | 'lastImage'>): RequestProblem | undefined {
	const model = findModel(modelId);
	return model ? checkImages(model, { prompt: '', ...images }) : checkUnknownModel(modelId, { prompt: '-', ...images });
}

function checkUnknownModel(modelId: string, request: VideoRequest): RequestProblem | undefined {
	if (!request.prompt.trim()) {
		return { field: 'input.prompt', message: l10n.t('{0} needs a prompt.', modelId) };
	}
	const image = request.image ? 'image' : request.lastImage ? 'lastImage' : undefined;
	if (image) {
		return { field: image, message: l10n.t('VideoGen does not know where {0} takes images; choose a model from the list to send one.', modelId) };
	}
	return undefined;
}

function promptField(model: ModelEntry): string {
	return model.prompt.target.kind === 'string' ? model.prompt.target.field : 'input.content';
}

/**
 * What is wrong with `prompt` for `modelId` (empty where one is needed, or too long), in words for the
 * user; `undefined` when it will do. For the prompt box, before the rest of the request exists.
 */
export function promptProblem(modelId: string, prompt: string): string | undefined {
	const model = findModel(modelId);
	return (model ? checkPrompt(model, { prompt }) : checkUnknownModel(modelId, { prompt }))?.message;
}

function checkPrompt(model: ModelEntry, request: VideoRequest): RequestProblem | undefined {
	const field = promptField(model);
	if (model.prompt.required && !request.prompt.trim()) {
		return { field, message: l10n.t('{0} needs a prompt: describe the video you want.', model.label) };
	}
	const length = codePoints(request.prompt);
	if (model.prompt.maxLength !== undefined && length > model.prompt.maxLength) {
		return { field, message: l10n.t('{0} takes prompts of at most {1} characters; this one has {2}.', model.label, formatCount(model.prompt.maxLength), formatCount(length)) };
	}
	if (request.negativePrompt?.trim() && !model.negativePrompt) {
		return { field: 'input.negative_prompt', message: l10n.t('{0} takes no negative prompt.', model.label) };
	}
	return undefined;
}

function codePoints(text: string): number {
	return Array.from(text).length;
}

function checkImages(model: ModelEntry, request: VideoRequest): RequestProblem | undefined {
	const images = model.images;
	if (!images) {
		const given = request.image ? 'image' : request.lastImage ? 'lastImage' : undefined;
		return given && { field: given, message: l10n.t('{0} makes video from text only; it takes no image.', model.label) };
	}
	if (!request.image) {
		if (images.firstRequired) {
			return { field: targetField(images.first), message: l10n.t('{0} needs a first frame image.', model.label) };
		}
		if (request.lastImage) {
			return { field: images.last ? targetField(images.last) : 'lastImage', message: l10n.t('{0} takes a last frame only together with a first frame.', model.label) };
		}
		return undefined;
	}
	if (request.lastImage && !images.last) {
		return { field: 'lastImage', message: l10n.t('{0} takes a first frame only, no last frame.', model.label) };
	}
	return checkImage(model, images, images.first, request.image, 'first')
		?? (request.lastImage && images.last ? checkImage(model, images, images.last, request.lastImage, 'last') : undefined);
}

/** The body field an image target writes, as the service's error `param` would name it. */
function targetField(target: ImageTarget): string {
	return target.kind === 'contentItem' ? 'input.content' : target.field;
}

function forms(target: ImageTarget): readonly ImageForm[] {
	return target.kind === 'inlineData' ? ['base64'] : target.forms;
}

/** What is wrong with the first or the last frame, if anything: one whole message per case and frame. */
function checkImage(model: ModelEntry, images: ImageInputs, target: ImageTarget, image: ImageSource, which: 'first' | 'last'): RequestProblem | undefined {
	const field = targetField(target);
	const fail = (first: string, last: string): RequestProblem => ({ field, message: l10n.t('{0}: {1}', model.label, which === 'first' ? first : last) });
	const accepted = forms(target);
	if ('url' in image) {
		if (!accepted.includes('url')) {
			return fail(l10n.t('the first frame must be the image itself (bytes), not a link.'), l10n.t('the last frame must be the image itself (bytes), not a link.'));
		}
		return isHttpsUrl(image.url) ? undefined : fail(
			l10n.t('the first frame link must be an https: URL, not "{0}".', image.url),
			l10n.t('the last frame link must be an https: URL, not "{0}".', image.url));
	}
	if (!accepted.some(form => form !== 'url')) {
		return fail(
			l10n.t('the first frame must be an https: link to the image; this model does not take the image itself.'),
			l10n.t('the last frame must be an https: link to the image; this model does not take the image itself.'));
	}
	const mimeType = normalMimeType(image.mimeType);
	if (!/^image\/[a-z0-9.+-]+$/.test(mimeType)) {
		return fail(
			l10n.t('the first frame needs an image MIME type such as image/png, not "{0}".', image.mimeType),
			l10n.t('the last frame needs an image MIME type such as image/png, not "{0}".', image.mimeType));
	}
	if (images.types && !images.types.includes(mimeType)) {
		return fail(
			l10n.t('the first frame must be one of {0}, not {1}.', images.types.join(', '), mimeType),
			l10n.t('the last frame must be one of {0}, not {1}.', images.types.join(', '), mimeType));
	}
	const sniffed = sniffImageType(image.bytes);
	if (sniffed && sniffed !== mimeType) {
		return fail(
			l10n.t('the first frame was given as {0} but its bytes are {1}.', mimeType, sniffed),
			l10n.t('the last frame was given as {0} but its bytes are {1}.', mimeType, sniffed));
	}
	if (images.maxBytes !== undefined && image.bytes.byteLength > images.maxBytes) {
		const [size, largest] = [megabytes(image.bytes.byteLength), megabytes(images.maxBytes)];
		return fail(
			l10n.t('the first frame is {0}; the largest it takes is {1}.', size, largest),
			l10n.t('the last frame is {0}; the largest it takes is {1}.', size, largest));
	}
	const size = imageDimensions(image.bytes);
	if (size && images.minPixels !== undefined && Math.min(size.width, size.height) < images.minPixels) {
		return fail(
			l10n.t('the first frame is {0}×{1} pixels; it must be at least {2} pixels wide and high.', size.width, size.height, images.minPixels),
			l10n.t('the last frame is {0}×{1} pixels; it must be at least {2} pixels wide and high.', size.width, size.height, images.minPixels));
	}
	if (size && images.aspectRange) {
		const [low, high] = images.aspectRange;
		const ratio = size.width / size.height;
		if (ratio < low - 1e-9 || ratio > high + 1e-9) {
			return fail(
				l10n.t('the first frame is {0}×{1} pixels; its width to height must be between {2} and {3}.', size.width, size.height, ratioText(low), ratioText(high)),
				l10n.t('the last frame is {0}×{1} pixels; its width to height must be between {2} and {3}.', size.width, size.height, ratioText(low), ratioText(high)));
		}
	}
	return undefined;
}

function isHttpsUrl(value: string): boolean {
	try {
		return new URL(value).protocol === 'https:';
	} catch {
		return false;
	}
}

function normalMimeType(value: string): string {
	const lower = value.trim().toLowerCase();
	return lower === 'image/jpg' ? 'image/jpeg' : lower;
}

function megabytes(bytes: number): string {
	return l10n.t('{0} MB', new Intl.NumberFormat(l10n.language, { maximumFractionDigits: 1 }).format(bytes / (1024 * 1024)));
}

/** `0.4` → `1:2.5`, `2.5` → `2.5:1`. */
function ratioText(ratio: number): string {
	const round = (n: number): number => Number(n.toFixed(2));
	return ratio < 1 ? `1:${round(1 / ratio)}` : `${round(ratio)}:1`;
}

/** The MIME type the bytes' signature shows, for the common image formats. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
	const at = (offset: number, ...values: number[]): boolean => values.every((value, i) => bytes[offset + i] === value);
	if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) {
		return 'image/png';
	}
	if (at(0, 0xff, 0xd8, 0xff)) {
		return 'image/jpeg';
	}
	if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) {
		return 'image/webp';
	}
	if (at(0, 0x47, 0x49, 0x46, 0x38)) {
		return 'image/gif';
	}
	return undefined;
}

/** Width and height of a PNG or JPEG, read from its header; `undefined` for anything else. */
export function imageDimensions(bytes: Uint8Array): { width: number; height: number } | undefined {
	const u16 = (offset: number): number => (bytes[offset] << 8) | bytes[offset + 1];
	const u32 = (offset: number): number => ((bytes[offset] << 24) >>> 0) + (bytes[offset + 1] << 16) + (bytes[offset + 2] << 8) + bytes[offset + 3];
	const type = sniffImageType(bytes);
	if (type === 'image/png' && bytes.length >= 24) {
		return { width: u32(16), height: u32(20) };
	}
	if (type !== 'image/jpeg') {
		return undefined;
	}
	// Walk the JPEG segments to the frame header (SOF0..SOF15, except DHT, JPG and DAC).
	let offset = 2;
	while (offset + 9 < bytes.length) {
		if (bytes[offset] !== 0xff) {
			return undefined;
		}
		const marker = bytes[offset + 1];
		if (marker === 0xff) {
			offset++;
			continue;
		}
		if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
			return { width: u16(offset + 7), height: u16(offset + 5) };
		}
		if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
			offset += 2;
			continue;
		}
		offset += 2 + u16(offset + 2);
	}
	return undefined;
}

/** Which images the request gives. */
function imageCase(request: VideoRequest): ImageCase {
	return !request.image ? 'none' : request.lastImage ? 'firstAndLast' : 'first';
}

function fixedParameters(model: ModelEntry, request: VideoRequest): Readonly<Record<string, ParameterValue>> {
	const when = imageCase(request);
	return model.fixed?.find(fixed => fixed.when === when)?.values ?? {};
}

function checkParameters(model: ModelEntry, request: VideoRequest): RequestProblem | undefined {
	const given = request.parameters ?? {};
	const known = new Set(model.parameters.map(spec => spec.name));
	const fixedNames = new Set((model.fixed ?? []).flatMap(fixed => Object.keys(fixed.values)));
	for (const name of Object.keys(given)) {
		if (given[name] === undefined || known.has(name)) {
			continue;
		}
		const message = fixedNames.has(name)
			? `${model.label}: VideoGen sets ${name} itself, from the images given; leave it out.`
			: `${model.label} has no parameter "${name}"; it takes ${[...known].join(', ') || 'none'}.`;
		return { field: `parameters.${name}`, message };
	}
	for (const spec of model.parameters) {
		const value = given[spec.name];
		if (value === undefined) {
			if (spec.required) {
				return { field: `parameters.${spec.name}`, message: l10n.t('{0} needs {1} ({2}): {3}.', model.label, spec.label, spec.name, allowedText(spec)) };
			}
			continue;
		}
		if (!allowsValue(spec, value)) {
			return { field: `parameters.${spec.name}`, message: l10n.t('{0}: {1} ({2}) must be {3}, not {4}.', model.label, spec.label, spec.name, allowedText(spec), JSON.stringify(value)) };
		}
	}
	return undefined;
}

/** True when `spec` takes `value`. */
export function allowsValue(spec: ParameterSpec, value: ParameterValue): boolean {
	switch (spec.type) {
		case 'enum':
			return spec.values.includes(value as string | number);
		case 'integer':
			return Number.isInteger(value) && (value as number) >= spec.min && (value as number) <= spec.max;
		case 'seed':
			return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= seedMax;
		case 'boolean':
			return typeof value === 'boolean';
	}
}

/** What `spec` takes, in words: `one of 4, 8, 12`, `a whole number from 3 to 15`. */
export function allowedText(spec: ParameterSpec): string {
	switch (spec.type) {
		case 'enum':
			return spec.values.length === 1 ? String(spec.values[0]) : l10n.t('one of {0}', spec.values.join(', '));
		case 'integer':
			return l10n.t('a whole number from {0} to {1}', spec.min, spec.max);
		case 'seed':
			return l10n.t('a whole number from {0} to {1}', 0, seedMax);
		case 'boolean':
			return l10n.t('true or false');
	}
}

function checkConstraints(model: ModelEntry, request: VideoRequest): RequestProblem | undefined {
	const sent: Record<string, ParameterValue | undefined> = { ...request.parameters, ...fixedParameters(model, request) };
	for (const rule of model.constraints ?? []) {
		const applies = Object.entries(rule.if).every(([name, value]) => sent[name] === value);
		const value = sent[rule.parameter];
		if (!applies || value === undefined || meets(rule, value)) {
			continue;
		}
		const spec = model.parameters.find(candidate => candidate.name === rule.parameter);
		const name = spec ? l10n.t('{0} ({1})', spec.label, rule.parameter) : rule.parameter;
		const allowed = rule.values
			? (rule.values.length === 1 ? String(rule.values[0]) : l10n.t('one of {0}', rule.values.join(', ')))
			: l10n.t('from {0} to {1}', rule.min ?? '', rule.max ?? '');
		return { field: `parameters.${rule.parameter}`, message: l10n.t('{0}: with {1}, {2} must be {3}, not {4}.', model.label, rule.when, name, allowed, JSON.stringify(value)) };
	}
	return undefined;
}

function meets(rule: Constraint, value: ParameterValue): boolean {
	if (rule.values && !rule.values.includes(value as string | number)) {
		return false;
	}
	const number = typeof value === 'number' ? value : NaN;
	return (rule.min === undefined || number >= rule.min) && (rule.max === undefined || number <= rule.max);
}

// ---------------------------------------------------------------------------------------------
// Building the body
// ---------------------------------------------------------------------------------------------

/**
 * The submit body for `request`, with the prompt, images and parameters where the model's entry says.
 * Throws a {@link RequestError} for anything {@link validateRequest} refuses, so nothing the service
 * would refuse is built. For an id the catalogue does not know: the prompt only, no parameters.
 */
export function buildSubmitBody(modelId: string, request: VideoRequest): SubmitBody {
	const problem = validateRequest(modelId, request);
	if (problem) {
		throw new RequestError(problem);
	}
	const body: SubmitBody = { model: modelId, input: {}, parameters: {} };
	const model = findModel(modelId);
	if (!model) {
		body.input.prompt = request.prompt;
		return body;
	}
	const target = model.prompt.target;
	if (target.kind === 'contentItem') {
		contentOf(body).push({ type: 'text', text: request.prompt });
	} else if (model.prompt.required || request.prompt.trim()) {
		setField(body, target.field, request.prompt);
	}
	if (model.negativePrompt && request.negativePrompt?.trim()) {
		setField(body, model.negativePrompt, request.negativePrompt);
	}
	if (model.images && request.image) {
		placeImage(body, model.images.first, request.image);
		if (model.images.last && request.lastImage) {
			placeImage(body, model.images.last, request.lastImage);
		}
	}
	for (const spec of model.parameters) {
		const value = request.parameters?.[spec.name];
		if (value !== undefined && !(spec.textOnly && request.image)) {
			body.parameters[spec.name] = value;
		}
	}
	Object.assign(body.parameters, fixedParameters(model, request));
	return body;
}

function placeImage(body: SubmitBody, target: ImageTarget, image: ImageSource): void {
	if (target.kind === 'inlineData') {
		const bytes = image as { bytes: Uint8Array; mimeType: string };
		setField(body, target.field, { bytesBase64Encoded: new InlineImage(bytes.bytes, ''), mimeType: normalMimeType(bytes.mimeType) });
		return;
	}
	const value = imageText(target.forms, image);
	if (target.kind === 'contentItem') {
		contentOf(body).push({ type: 'image_url', image_url: { url: value }, role: target.role });
	} else {
		setField(body, target.field, value);
	}
}

/** A link as it is; bytes in the first form the target lists that is not a link. */
function imageText(accepted: readonly ImageForm[], image: ImageSource): string | InlineImage {
	if ('url' in image) {
		return image.url;
	}
	const form = accepted.find(candidate => candidate !== 'url');
	return new InlineImage(image.bytes, form === 'dataUri' ? `data:${normalMimeType(image.mimeType)};base64,` : '');
}

function contentOf(body: SubmitBody): unknown[] {
	const content = (body.input.content ??= []) as unknown[];
	return content;
}

/** Sets `path` (`input.x` or `parameters.y.z`) in the body, making the objects on the way. */
function setField(body: SubmitBody, path: string, value: unknown): void {
	const keys = path.split('.');
	let node = body as unknown as Record<string, unknown>;
	for (const key of keys.slice(0, -1)) {
		node = (node[key] ??= {}) as Record<string, unknown>;
	}
	node[keys[keys.length - 1]] = value;
}

// ---------------------------------------------------------------------------------------------
// Sending the body
// ---------------------------------------------------------------------------------------------

/** A submit body as bytes to send: its exact length for `Content-Length`, and the bytes in pieces. */
export interface SerializedBody {
	readonly byteLength: number;
	/** The UTF-8 JSON text, in pieces of at most 64 KB for the images; can be called again to resend. */
	chunks(): Generator<Buffer>;
}

/**
 * Serializes `body` as `JSON.stringify` would, byte for byte, without ever holding the text of an
 * image in one piece. Everything but the images is small and is serialized at once; each
 * {@link InlineImage} is encoded 48 KB of bytes at a time while the pieces are consumed. An HTTP
 * client sends it with `Content-Length: byteLength` and a stream over `chunks()` (undici takes
 * `Readable.from(body.chunks())`), so building and sending a 10 MB image adds a few 64 KB pieces
 * to memory, not the 13 MB Base64 text plus the JSON text plus the UTF-8 Buffer of it that
 * `JSON.stringify` and a string body would cost.
 */
export function serializeSubmitBody(body: SubmitBody): SerializedBody {
	const parts: (string | InlineImage)[] = [];
	writeJson(body, parts);
	const pieces = mergeText(parts);
	const byteLength = pieces.reduce((sum, piece) => sum + (typeof piece === 'string' ? Buffer.byteLength(piece) : piece.textLength), 0);
	return {
		byteLength,
		*chunks() {
			for (const piece of pieces) {
				if (typeof piece === 'string') {
					yield Buffer.from(piece, 'utf8');
				} else {
					yield* piece.chunks();
				}
			}
		},
	};
}

/** Appends the JSON text of `value` to `parts`, leaving each InlineImage whole between its quotes. */
function writeJson(value: unknown, parts: (string | InlineImage)[]): void {
	if (value instanceof InlineImage) {
		// Base64 and the `data:image/...;base64,` prefix need no JSON escaping.
		parts.push('"', value, '"');
	} else if (Array.isArray(value)) {
		parts.push('[');
		value.forEach((item, index) => {
			if (index > 0) {
				parts.push(',');
			}
			writeJson(item === undefined || typeof item === 'function' ? null : item, parts);
		});
		parts.push(']');
	} else if (value !== null && typeof value === 'object') {
		parts.push('{');
		let first = true;
		for (const [key, item] of Object.entries(value)) {
			if (item === undefined || typeof item === 'function') {
				continue;
			}
			parts.push(first ? '' : ',', JSON.stringify(key), ':');
			first = false;
			writeJson(item, parts);
		}
		parts.push('}');
	} else {
		parts.push(JSON.stringify(value) ?? 'null');
	}
}

function mergeText(parts: readonly (string | InlineImage)[]): (string | InlineImage)[] {
	const merged: (string | InlineImage)[] = [];
	for (const part of parts) {
		const last = merged[merged.length - 1];
		if (typeof part === 'string' && typeof last === 'string') {
			merged[merged.length - 1] = last + part;
		} else if (part !== '') {
			merged.push(part);
		}
	}
	return merged;
}
