/**
 * Every video model the task API serves, as data: what each one takes, where each input goes in the
 * submit body, its parameters with their allowed values and defaults, and what its answers mean.
 * Nothing here knows about VS Code, and no code below branches on a model id: `submitBody.ts`
 * reads these entries to check a request and to build its body.
 *
 * The facts come from the platform's published model pages. Where a page is silent, the entry says
 * what VideoGen chose instead, in a comment beside the value.
 *
 * Field paths such as `input.first_frame_url` or `parameters.image` name a place in the submit body
 * `{ model, input, parameters }`; the service names the same places in an error's `param`.
 */

// The words people read (labels, descriptions, notes) are translated when this module loads: in the
// extension that is the models bundle's first use, after activation has installed the translator.
import { l10n, sentences } from '../l10n';

/** A value a parameter can take. */
export type ParameterValue = string | number | boolean;

interface ParameterBase {
	/** The name sent in `parameters`. */
	readonly name: string;
	/** A short label for people. */
	readonly label: string;
	/**
	 * What `defaultParameters` offers. Absent when the model page publishes none and the parameter is
	 * optional: it is then left out and the service decides.
	 */
	readonly default?: ParameterValue;
	/** The service refuses a submit without it. */
	readonly required?: boolean;
	/** Used only without an image; the service ignores it with one, so it is left out then. */
	readonly textOnly?: boolean;
}

/** One of a list of strings or numbers; numbers must be sent as JSON numbers. */
export interface EnumParameter extends ParameterBase {
	readonly type: 'enum';
	readonly values: readonly (string | number)[];
	/** Labels for some values, e.g. `std` → `720p`. */
	readonly valueLabels?: Readonly<Record<string, string>>;
}

/** A whole number from `min` to `max`, both included. */
export interface IntegerParameter extends ParameterBase {
	readonly type: 'integer';
	readonly min: number;
	readonly max: number;
}

export interface BooleanParameter extends ParameterBase {
	readonly type: 'boolean';
}

/** A random seed: a whole number from 0 to {@link seedMax}. */
export interface SeedParameter extends ParameterBase {
	readonly type: 'seed';
}

export type ParameterSpec = EnumParameter | IntegerParameter | BooleanParameter | SeedParameter;

/** The largest seed. Only Wan 2.2's page gives the range; VideoGen uses it for every seed. */
export const seedMax = 2147483647;

/**
 * How an image is written into a string field:
 * - `url`: an `https:` link the service fetches;
 * - `base64`: the image's bytes as raw Base64, no `data:` prefix;
 * - `dataUri`: `data:image/png;base64,...`.
 */
export type ImageForm = 'url' | 'base64' | 'dataUri';

/** Where one image goes in the submit body, and in which shape. */
export type ImageTarget =
	/** A string at `field` (e.g. `input.first_frame_url`, `parameters.image`) in one of `forms`. */
	| { readonly kind: 'string'; readonly field: string; readonly forms: readonly ImageForm[] }
	/** An object `{ bytesBase64Encoded, mimeType }` at `field`, the bytes as raw Base64: the image itself only, never a link. */
	| { readonly kind: 'inlineData'; readonly field: string }
	/** An item of `input.content`: `{ type: 'image_url', image_url: { url }, role }`, `url` in one of `forms`. */
	| { readonly kind: 'contentItem'; readonly role: string; readonly forms: readonly ImageForm[] };

/** The images a model takes: a first frame, sometimes also a last frame (only with a first frame). */
export interface ImageInputs {
	readonly first: ImageTarget;
	/** True for image-to-video ids; false where one id makes video from text or from an image. */
	readonly firstRequired: boolean;
	readonly last?: ImageTarget;
	/** MIME types accepted; absent when the page names none (any `image/*` is passed on). */
	readonly types?: readonly string[];
	/** Largest image, in bytes, when given as bytes. */
	readonly maxBytes?: number;
	/** Smallest width and height, in pixels. */
	readonly minPixels?: number;
	/** Allowed width / height ratios, smallest and largest. */
	readonly aspectRange?: readonly [number, number];
}

/** Where the prompt goes. */
export type PromptTarget =
	/** A string at `field`, e.g. `input.prompt`. */
	| { readonly kind: 'string'; readonly field: string }
	/** A `{ type: 'text', text }` item of `input.content`, before any image item. */
	| { readonly kind: 'contentItem' };

/** Which images a request gives. */
export type ImageCase = 'none' | 'first' | 'firstAndLast';

/** Parameters VideoGen sets itself, from which images are given (Vidu's `vidu_type`). */
export interface FixedParameters {
	readonly when: ImageCase;
	readonly values: Readonly<Record<string, ParameterValue>>;
}

/** A rule between parameters: when every `if` value is sent, `parameter` is further limited. */
export interface Constraint {
	readonly if: Readonly<Record<string, ParameterValue>>;
	/** The `if` case in words, e.g. `1080P`. */
	readonly when: string;
	readonly parameter: string;
	readonly values?: readonly (string | number)[];
	readonly min?: number;
	readonly max?: number;
}

/**
 * Whether the video has sound: `always`, `never`, `optional` (then `parameters` switch it on),
 * or `unknown` when the page does not say.
 */
export interface SoundSupport {
	readonly makes: 'always' | 'never' | 'optional' | 'unknown';
	readonly parameters?: readonly string[];
}

export interface ModelEntry {
	readonly id: string;
	readonly label: string;
	/** The family the model belongs to, e.g. `Kling`. */
	readonly family: string;
	/** One line for pickers. */
	readonly description: string;
	readonly prompt: {
		readonly target: PromptTarget;
		readonly required: boolean;
		/** Longest prompt in characters (Unicode code points), where the page gives one. */
		readonly maxLength?: number;
	};
	/** Field of the optional negative prompt, for the models that take one. */
	readonly negativePrompt?: string;
	/** Absent for text-only models. */
	readonly images?: ImageInputs;
	/** In the order a form would ask for them. */
	readonly parameters: readonly ParameterSpec[];
	readonly fixed?: readonly FixedParameters[];
	readonly constraints?: readonly Constraint[];
	/** Final `task_status` values beyond `Success` and `Failure`. */
	readonly extraFinalStatuses?: readonly string[];
	/** What `usage.duration` in the status answer counts: how long the task ran, or the video's length. */
	readonly usageDuration: 'runTime' | 'videoLength' | 'unknown';
	readonly sound: SoundSupport;
	/** How long result links stay valid, when the page says. */
	readonly resultLinkLifetimeSeconds?: number;
	/** Anything else a user should know before choosing it. */
	readonly note?: string;
}

// ---------------------------------------------------------------------------------------------
// Pieces several entries share
// ---------------------------------------------------------------------------------------------

const inPrompt: PromptTarget = { kind: 'string', field: 'input.prompt' };
const seed: SeedParameter = { name: 'seed', label: l10n.t('Seed'), type: 'seed' };
const megabytes = 1024 * 1024;

const soraNote = l10n.t('OpenAI retired its own Sora 2 API on 2026-09-24; the service may refuse this model at any time.');

function durations(values: readonly number[], defaultValue?: number, required?: boolean): EnumParameter {
	return { name: 'duration', label: l10n.t('Duration (s)'), type: 'enum', values, default: defaultValue, required };
}

function durationRange(min: number, max: number, defaultValue?: number): IntegerParameter {
	return { name: 'duration', label: l10n.t('Duration (s)'), type: 'integer', min, max, default: defaultValue };
}

function choice(name: string, label: string, values: readonly (string | number)[], defaultValue?: string | number, required?: boolean): EnumParameter {
	return { name, label, type: 'enum', values, default: defaultValue, required };
}

function flag(name: string, label: string, defaultValue?: boolean, required?: boolean): BooleanParameter {
	return { name, label, type: 'boolean', default: defaultValue, required };
}

const veoFrame = (field: string): ImageTarget => ({ kind: 'inlineData', field });

const veoParameters: readonly ParameterSpec[] = [
	choice('resolution', l10n.t('Resolution'), ['720p', '1080p'], '720p'),
	durations([4, 6, 8], 8),
	choice('aspect_ratio', l10n.t('Aspect ratio'), ['16:9', '9:16'], '16:9'),
	// Required, but the page publishes no default: VideoGen asks for no sound unless told otherwise.
	flag('generate_audio', l10n.t('Sound'), false, true),
	choice('person_generation', l10n.t('People'), ['allow_adult', 'dont_allow'], 'allow_adult'),
];

const veoImages: ImageInputs = {
	first: veoFrame('input.image'),
	firstRequired: false,
	last: veoFrame('input.last_frame'),
	types: ['image/jpeg', 'image/png', 'image/webp'],
};

const klingImages: ImageInputs = {
	first: { kind: 'string', field: 'parameters.image', forms: ['url', 'base64'] },
	firstRequired: false,
	last: { kind: 'string', field: 'parameters.image_tail', forms: ['url', 'base64'] },
	types: ['image/jpeg', 'image/png'],
	maxBytes: 10 * megabytes,
	minPixels: 300,
	aspectRange: [1 / 2.5, 2.5],
};

const klingAspectRatios = ['16:9', '9:16', '1:1'];

const hailuoParameters: readonly ParameterSpec[] = [
	choice('resolution', l10n.t('Resolution'), ['768P', '1080P'], '768P'),
	durations([6, 10], 6),
	flag('prompt_optimizer', l10n.t('Prompt optimizer'), true),
];

const hailuoConstraints: readonly Constraint[] = [
	{ if: { resolution: '1080P' }, when: '1080P', parameter: 'duration', values: [6] },
];

function hailuoImages(firstRequired: boolean): ImageInputs {
	return {
		first: { kind: 'string', field: 'input.first_frame_image', forms: ['url', 'dataUri'] },
		firstRequired,
		last: { kind: 'string', field: 'input.last_frame_image', forms: ['url', 'dataUri'] },
		maxBytes: 20 * megabytes,
	};
}

const wanSizes = ['832x480', '480x832', '1280x720', '720x1280'];
const wanHdSizes = ['1280x720', '720x1280', '1920x1080', '1080x1920'];

const seedanceFrame = (role: string): ImageTarget => ({ kind: 'contentItem', role, forms: ['url', 'dataUri'] });

function viduImageToVideo(id: string, label: string, maxDuration: number): ModelEntry {
	return {
		id,
		label,
		family: 'Vidu',
		description: l10n.t('{0}, image to video from a first frame, optionally also a last frame', label),
		prompt: { target: inPrompt, required: false },
		images: {
			first: { kind: 'string', field: 'input.first_frame_url', forms: ['url', 'dataUri'] },
			firstRequired: true,
			last: { kind: 'string', field: 'input.last_frame_url', forms: ['url', 'dataUri'] },
			maxBytes: 50 * megabytes,
		},
		parameters: [
			durationRange(1, maxDuration, 5),
			// The page gives only the default, 720p; the values are those of viduq2's text-to-video page.
			choice('resolution', l10n.t('Resolution'), ['540p', '720p', '1080p'], '720p'),
			flag('audio', l10n.t('Sound')),
			flag('bgm', l10n.t('Background music')),
			seed,
		],
		fixed: [
			{ when: 'first', values: { vidu_type: 'img2video' } },
			{ when: 'firstAndLast', values: { vidu_type: 'start-end2video' } },
		],
		constraints: [
			{ if: { vidu_type: 'start-end2video' }, when: l10n.t('a first and a last frame'), parameter: 'duration', min: 1, max: 8 },
		],
		usageDuration: 'videoLength',
		sound: { makes: 'optional', parameters: ['audio', 'bgm'] },
	};
}

// ---------------------------------------------------------------------------------------------
// The catalogue
// ---------------------------------------------------------------------------------------------

/**
 * One entry per model id. An id that serves both text and image to video (Veo, Kling, Hailuo,
 * Seedance) is one entry whose first frame is optional; where text and image to video are separate
 * ids (Sora, Wan, Vidu), each id is its own entry.
 */
export const catalogue: readonly ModelEntry[] = [
	{
		id: 'openai/sora-2/text-to-video',
		label: 'Sora 2',
		family: 'Sora 2',
		description: l10n.t('OpenAI Sora 2, text to video, 720p portrait or landscape'),
		prompt: { target: inPrompt, required: true },
		parameters: [
			choice('size', l10n.t('Size'), ['720x1280', '1280x720'], '720x1280'),
			durations([4, 8, 12], 4),
		],
		usageDuration: 'runTime',
		// Its MP4s carry AAC audio.
		sound: { makes: 'always' },
		note: soraNote,
	},
	{
		id: 'openai/sora-2/text-to-video-pro',
		label: 'Sora 2 Pro',
		family: 'Sora 2',
		description: l10n.t('OpenAI Sora 2 Pro, text to video, up to 1792x1024'),
		prompt: { target: inPrompt, required: true },
		parameters: [
			choice('size', l10n.t('Size'), ['720x1280', '1280x720', '1024x1792', '1792x1024'], '720x1280'),
			durations([4, 8, 12], 4),
		],
		usageDuration: 'runTime',
		sound: { makes: 'always' },
		note: sentences(l10n.t('Its model page was withdrawn in 2026.'), soraNote),
	},
	{
		id: 'openai/sora-2/image-to-video',
		label: l10n.t('{0} (image)', 'Sora 2'),
		family: 'Sora 2',
		description: l10n.t('OpenAI Sora 2, image to video from a first frame'),
		prompt: { target: inPrompt, required: false },
		images: {
			// "URL or Base64": VideoGen sends the bytes as a data: URI, which says its own type.
			first: { kind: 'string', field: 'input.first_frame_url', forms: ['url', 'dataUri'] },
			firstRequired: true,
		},
		parameters: [
			durations([4, 8, 12], 4),
			// Not listed on the page, whose example sends 720x1280; no default, so it is sent only when chosen.
			choice('size', l10n.t('Size'), ['720x1280', '1280x720']),
		],
		usageDuration: 'runTime',
		sound: { makes: 'always' },
		note: soraNote,
	},
	{
		id: 'veo-3.1-generate-001',
		label: 'Veo 3.1',
		family: 'Veo 3.1',
		description: l10n.t('Google Veo 3.1, text or image to video, optional sound'),
		prompt: { target: inPrompt, required: true },
		negativePrompt: 'input.negative_prompt',
		images: veoImages,
		parameters: veoParameters,
		usageDuration: 'runTime',
		sound: { makes: 'optional', parameters: ['generate_audio'] },
		resultLinkLifetimeSeconds: 24 * 60 * 60,
	},
	{
		id: 'veo-3.1-fast-generate-001',
		label: 'Veo 3.1 Fast',
		family: 'Veo 3.1',
		description: l10n.t('Google Veo 3.1 Fast, text or image to video, optional sound'),
		prompt: { target: inPrompt, required: true },
		negativePrompt: 'input.negative_prompt',
		images: veoImages,
		parameters: veoParameters,
		usageDuration: 'runTime',
		sound: { makes: 'optional', parameters: ['generate_audio'] },
		resultLinkLifetimeSeconds: 24 * 60 * 60,
	},
	{
		id: 'kling-v2-6',
		label: 'Kling 2.6',
		family: 'Kling',
		description: l10n.t('Kling 2.6, text or image to video, 5 or 10 s, no sound'),
		prompt: { target: inPrompt, required: true },
		negativePrompt: 'input.negative_prompt',
		images: klingImages,
		parameters: [
			// The page lists std and pro, and says only pro is served.
			choice('mode', l10n.t('Mode'), ['pro'], 'pro'),
			// No default published: left out unless chosen.
			{ ...choice('aspect_ratio', l10n.t('Aspect ratio'), klingAspectRatios), textOnly: true },
			durations([5, 10], 5),
		],
		usageDuration: 'unknown',
		sound: { makes: 'never' },
	},
	{
		id: 'kling-v3',
		label: 'Kling 3',
		family: 'Kling',
		description: l10n.t('Kling 3, text or image to video, 3 to 15 s, optional sound'),
		prompt: { target: inPrompt, required: true, maxLength: 2500 },
		negativePrompt: 'input.negative_prompt',
		images: klingImages,
		parameters: [
			{ ...choice('mode', l10n.t('Mode'), ['std', 'pro'], 'std'), valueLabels: { std: '720p', pro: '1080p' } },
			{ ...choice('aspect_ratio', l10n.t('Aspect ratio'), klingAspectRatios, '16:9'), textOnly: true },
			durationRange(3, 15, 5),
			choice('sound', l10n.t('Sound'), ['on', 'off'], 'off'),
			flag('watermark_enabled', l10n.t('Watermark')),
		],
		usageDuration: 'unknown',
		sound: { makes: 'optional', parameters: ['sound'] },
	},
	{
		id: 'MiniMax-Hailuo-02',
		label: 'Hailuo 02',
		family: 'MiniMax Hailuo',
		description: l10n.t('MiniMax Hailuo 02, text or image to video, 768P or 1080P'),
		prompt: { target: inPrompt, required: true, maxLength: 2000 },
		images: hailuoImages(false),
		parameters: hailuoParameters,
		constraints: hailuoConstraints,
		usageDuration: 'unknown',
		sound: { makes: 'unknown' },
	},
	{
		id: 'MiniMax-Hailuo-2.3',
		label: 'Hailuo 2.3',
		family: 'MiniMax Hailuo',
		description: l10n.t('MiniMax Hailuo 2.3, text or image to video, 768P or 1080P'),
		prompt: { target: inPrompt, required: true, maxLength: 2000 },
		images: hailuoImages(false),
		parameters: hailuoParameters,
		constraints: hailuoConstraints,
		usageDuration: 'unknown',
		sound: { makes: 'unknown' },
	},
	{
		id: 'MiniMax-Hailuo-2.3-Fast',
		label: 'Hailuo 2.3 Fast',
		family: 'MiniMax Hailuo',
		description: l10n.t('MiniMax Hailuo 2.3 Fast, image to video only'),
		// "As in text to video": the same 2,000-character limit is assumed.
		prompt: { target: inPrompt, required: true, maxLength: 2000 },
		images: hailuoImages(true),
		parameters: hailuoParameters,
		constraints: hailuoConstraints,
		usageDuration: 'unknown',
		sound: { makes: 'unknown' },
	},
	{
		id: 'Wan-AI/Wan2.2-T2V',
		label: 'Wan 2.2',
		family: 'Wan',
		description: l10n.t('Wan 2.2, text to video, 480p or 720p'),
		prompt: { target: inPrompt, required: true },
		negativePrompt: 'input.negative_prompt',
		// No defaults are published: nothing is sent unless chosen.
		parameters: [
			choice('size', l10n.t('Size'), wanSizes),
			durations([5, 8]),
			seed,
		],
		usageDuration: 'runTime',
		sound: { makes: 'unknown' },
	},
	{
		id: 'Wan-AI/Wan2.5-T2V',
		label: 'Wan 2.5',
		family: 'Wan',
		description: l10n.t('Wan 2.5, text to video, up to 1080p'),
		prompt: { target: inPrompt, required: true },
		negativePrompt: 'input.negative_prompt',
		parameters: [
			// Required without a published default: VideoGen offers 1280x720.
			choice('size', l10n.t('Size'), [...wanSizes, '1920x1080', '1080x1920'], '1280x720', true),
			durations([5, 10], 5),
			flag('prompt_extend', l10n.t('Prompt extension'), false),
			seed,
		],
		usageDuration: 'runTime',
		sound: { makes: 'unknown' },
	},
	{
		id: 'Wan-AI/Wan2.6-T2V',
		label: 'Wan 2.6',
		family: 'Wan',
		description: l10n.t('Wan 2.6, text to video, 720p or 1080p, one shot or several'),
		prompt: { target: inPrompt, required: true },
		negativePrompt: 'input.negative_prompt',
		parameters: [
			// Required without a published default: VideoGen offers 1280x720.
			choice('size', l10n.t('Size'), wanHdSizes, '1280x720', true),
			durations([5, 10, 15], 5),
			flag('prompt_extend', l10n.t('Prompt extension'), true),
			choice('shot_type', l10n.t('Shots'), ['single', 'multi'], 'single'),
			seed,
		],
		usageDuration: 'runTime',
		sound: { makes: 'unknown' },
	},
	{
		id: 'Wan-AI/Wan2.2-I2V',
		label: l10n.t('{0} (image)', 'Wan 2.2'),
		family: 'Wan',
		description: l10n.t('Wan 2.2, image to video from a first frame, optionally also a last frame'),
		prompt: { target: inPrompt, required: true },
		images: {
			// "URL or Base64": VideoGen sends the bytes as a data: URI, which says its own type.
			first: { kind: 'string', field: 'input.first_frame_url', forms: ['url', 'dataUri'] },
			firstRequired: true,
			last: { kind: 'string', field: 'input.last_frame_url', forms: ['url', 'dataUri'] },
		},
		parameters: [
			choice('resolution', l10n.t('Resolution'), ['480P', '720P']),
			durations([5, 8]),
			seed,
		],
		usageDuration: 'runTime',
		sound: { makes: 'unknown' },
	},
	{
		id: 'Wan-AI/Wan2.5-I2V',
		label: l10n.t('{0} (image)', 'Wan 2.5'),
		family: 'Wan',
		description: l10n.t('Wan 2.5, image to video from a first frame given as a link'),
		prompt: { target: inPrompt, required: true },
		images: {
			first: { kind: 'string', field: 'input.first_frame_url', forms: ['url'] },
			firstRequired: true,
		},
		parameters: [
			// Required without a published default: VideoGen offers 720p.
			choice('resolution', l10n.t('Resolution'), ['480p', '720p', '1080p'], '720p', true),
			durations([5, 10], 5),
			seed,
		],
		usageDuration: 'runTime',
		sound: { makes: 'unknown' },
	},
	{
		id: 'Wan-AI/Wan2.6-I2V',
		label: l10n.t('{0} (image)', 'Wan 2.6'),
		family: 'Wan',
		description: l10n.t('Wan 2.6, image to video from a first frame given as a link'),
		prompt: { target: inPrompt, required: true },
		images: {
			// The page names the field only: a link, as its name says, is all VideoGen sends.
			first: { kind: 'string', field: 'input.img_url', forms: ['url'] },
			firstRequired: true,
		},
		parameters: [
			choice('resolution', l10n.t('Resolution'), ['720P', '1080P'], '1080P'),
			durations([5, 10, 15]),
			flag('prompt_extend', l10n.t('Prompt extension'), true),
			seed,
		],
		usageDuration: 'runTime',
		sound: { makes: 'unknown' },
	},
	{
		id: 'doubao-seedance-1-5-pro-251215',
		label: 'Seedance 1.5 Pro',
		family: 'Seedance',
		description: l10n.t('ByteDance Seedance 1.5 Pro, text or image to video, 4 to 12 s, optional sound'),
		prompt: { target: { kind: 'contentItem' }, required: true },
		images: {
			first: seedanceFrame('first_frame'),
			firstRequired: false,
			last: seedanceFrame('last_frame'),
		},
		parameters: [
			choice('resolution', l10n.t('Resolution'), ['480p', '720p', '1080p'], '720p'),
			choice('ratio', l10n.t('Aspect ratio'), ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9', 'adaptive'], 'adaptive'),
			durationRange(4, 12, 5),
			flag('generate_audio', l10n.t('Sound'), false),
			flag('watermark', l10n.t('Watermark'), false),
			seed,
			flag('camera_fixed', l10n.t('Fixed camera')),
		],
		extraFinalStatuses: ['Expired'],
		usageDuration: 'videoLength',
		sound: { makes: 'optional', parameters: ['generate_audio'] },
	},
	{
		id: 'viduq2',
		label: 'Vidu Q2',
		family: 'Vidu',
		description: l10n.t('Vidu Q2, text to video, 1 to 10 s'),
		prompt: { target: inPrompt, required: true, maxLength: 2000 },
		parameters: [
			durationRange(1, 10, 5),
			choice('aspect_ratio', l10n.t('Aspect ratio'), ['16:9', '9:16', '3:4', '4:3', '1:1'], '16:9'),
			choice('resolution', l10n.t('Resolution'), ['540p', '720p', '1080p'], '720p'),
			flag('bgm', l10n.t('Background music'), false),
			seed,
		],
		fixed: [{ when: 'none', values: { vidu_type: 'text2video' } }],
		usageDuration: 'videoLength',
		sound: { makes: 'optional', parameters: ['bgm'] },
	},
	viduImageToVideo('viduq3-pro', 'Vidu Q3 Pro', 16),
	viduImageToVideo('viduq2-pro', 'Vidu Q2 Pro', 10),
	viduImageToVideo('viduq2-turbo', 'Vidu Q2 Turbo', 10),
];

const byId = new Map(catalogue.map(entry => [entry.id, entry]));

/** The model's entry, or `undefined` for an id the catalogue does not know. */
export function findModel(id: string): ModelEntry | undefined {
	return byId.get(id);
}

export function isKnownModel(id: string): boolean {
	return byId.has(id);
}

/**
 * The parameters to start a form or a request from: every published default, plus VideoGen's choice
 * for a required parameter that has none. Empty for an id the catalogue does not know.
 */
export function defaultParameters(id: string): Record<string, ParameterValue> {
	const parameters: Record<string, ParameterValue> = {};
	for (const spec of findModel(id)?.parameters ?? []) {
		if (spec.default !== undefined) {
			parameters[spec.name] = spec.default;
		}
	}
	return parameters;
}

/**
 * For an id the catalogue does not know, the words to show beside it: only the prompt is sent.
 * `undefined` for a known id.
 */
export function unknownModelNote(id: string): string | undefined {
	return isKnownModel(id)
		? undefined
		: l10n.t('VideoGen does not know the model {0}: only the prompt is sent, without parameters or images, and the service uses its own defaults.', id);
}
