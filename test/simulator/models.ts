/**
 * The models the simulator serves and how it checks their submits, transcribed from the platform's
 * model pages on their own: nothing here comes from the extension's catalogue, so a test that
 * compares the two finds a difference when one of them is wrong.
 *
 * Where the pages are silent, the choice made here is noted beside the value.
 */

/** How an image is written in a string: an https link, raw Base64, or a `data:image/...;base64,` URI. */
export type SimImageForm = 'url' | 'base64' | 'dataUri';

/** Where an image goes in the submit body. */
export type SimImagePlace =
	/** A string at a body path such as `input.first_frame_url` or `parameters.image`. */
	| { at: string; forms: SimImageForm[] }
	/** An object `{ bytesBase64Encoded, mimeType }` at a body path, raw Base64 only. */
	| { at: string; inline: true }
	/** An `input.content` item `{ type: 'image_url', image_url: { url }, role }`. */
	| { role: string; forms: SimImageForm[] };

/** What a parameter allows: a list, an integer range, or a boolean. `def` is filled in when it is absent. */
export type SimParam =
	| { oneOf: (string | number)[]; def?: string | number; required?: true }
	| { from: number; to: number; def?: number; required?: true }
	| { bool: true; def?: boolean; required?: true };

export interface SimModel {
	/** Where the prompt is: `input.prompt`, or the `text` item of the `input.content` list. */
	prompt: 'input.prompt' | 'input.content';
	promptOptional?: true;
	/** Longest prompt, counted in Unicode code points. */
	promptMaxChars?: number;
	/** Takes `input.negative_prompt`. */
	negativePrompt?: true;
	first?: SimImagePlace;
	firstRequired?: true;
	/** Only with a first frame. */
	last?: SimImagePlace;
	/** Checks on images sent as bytes (Base64 or data: URI). */
	imageRules?: { types?: string[]; maxBytes?: number; minSide?: number; ratio?: [number, number] };
	params: Record<string, SimParam>;
	/**
	 * Parameters whose value is set by which images are sent: none, a first frame, or both frames.
	 * A case with no value means that case is not served.
	 */
	fixed?: Record<string, { none?: string; first?: string; firstLast?: string }>;
	/** When parameter `if[0]` equals `if[1]` (a fixed value counts), `param` must also pass `rule`. */
	rules?: { if: [string, string | number]; param: string; rule: SimParam }[];
}

const MB = 1024 * 1024;
const SEED: SimParam = { from: 0, to: 2147483647 };
const SORA_DURATION: SimParam = { oneOf: [4, 8, 12], def: 4 };

function veo(): SimModel {
	return {
		prompt: 'input.prompt',
		negativePrompt: true,
		first: { at: 'input.image', inline: true },
		last: { at: 'input.last_frame', inline: true },
		imageRules: { types: ['image/jpeg', 'image/png', 'image/webp'] },
		params: {
			resolution: { oneOf: ['720p', '1080p'], def: '720p' },
			duration: { oneOf: [4, 6, 8], def: 8 },
			aspect_ratio: { oneOf: ['16:9', '9:16'], def: '16:9' },
			generate_audio: { bool: true, required: true },
			person_generation: { oneOf: ['allow_adult', 'dont_allow'], def: 'allow_adult' },
		},
	};
}

/** With an image, `aspect_ratio` is still accepted: the service ignores it then. */
function kling(params: Record<string, SimParam>): SimModel {
	return {
		prompt: 'input.prompt',
		negativePrompt: true,
		first: { at: 'parameters.image', forms: ['url', 'base64'] },
		last: { at: 'parameters.image_tail', forms: ['url', 'base64'] },
		imageRules: { types: ['image/jpeg', 'image/png'], maxBytes: 10 * MB, minSide: 300, ratio: [1 / 2.5, 2.5] },
		params,
	};
}

function hailuo(imageOnly: boolean): SimModel {
	return {
		prompt: 'input.prompt',
		promptMaxChars: 2000,
		first: { at: 'input.first_frame_image', forms: ['url', 'dataUri'] },
		...(imageOnly ? { firstRequired: true as const } : {}),
		last: { at: 'input.last_frame_image', forms: ['url', 'dataUri'] },
		imageRules: { maxBytes: 20 * MB },
		params: {
			resolution: { oneOf: ['768P', '1080P'], def: '768P' },
			duration: { oneOf: [6, 10], def: 6 },
			prompt_optimizer: { bool: true, def: true },
		},
		rules: [{ if: ['resolution', '1080P'], param: 'duration', rule: { oneOf: [6] } }],
	};
}

function viduImage(maxSeconds: number): SimModel {
	return {
		prompt: 'input.prompt',
		promptOptional: true,
		first: { at: 'input.first_frame_url', forms: ['url', 'dataUri'] },
		firstRequired: true,
		last: { at: 'input.last_frame_url', forms: ['url', 'dataUri'] },
		imageRules: { maxBytes: 50 * MB },
		params: {
			duration: { from: 1, to: maxSeconds, def: 5 },
			// Only the default 720p is published; the values are viduq2's.
			resolution: { oneOf: ['540p', '720p', '1080p'], def: '720p' },
			audio: { bool: true },
			bgm: { bool: true },
			seed: SEED,
		},
		fixed: { vidu_type: { first: 'img2video', firstLast: 'start-end2video' } },
		rules: [{ if: ['vidu_type', 'start-end2video'], param: 'duration', rule: { from: 1, to: 8 } }],
	};
}

/** Every model id the simulator accepts. */
export const SIM_MODELS: Record<string, SimModel> = {
	'openai/sora-2/text-to-video': {
		prompt: 'input.prompt',
		params: { size: { oneOf: ['720x1280', '1280x720'], def: '720x1280' }, duration: SORA_DURATION },
	},
	'openai/sora-2/text-to-video-pro': {
		prompt: 'input.prompt',
		params: { size: { oneOf: ['720x1280', '1280x720', '1024x1792', '1792x1024'], def: '720x1280' }, duration: SORA_DURATION },
	},
	'openai/sora-2/image-to-video': {
		prompt: 'input.prompt',
		promptOptional: true,
		// "URL or Base64": both Base64 spellings are taken.
		first: { at: 'input.first_frame_url', forms: ['url', 'base64', 'dataUri'] },
		firstRequired: true,
		// size is not listed; the page's example sends 720x1280, so Sora 2's two sizes are taken.
		params: { duration: SORA_DURATION, size: { oneOf: ['720x1280', '1280x720'] } },
	},
	'veo-3.1-generate-001': veo(),
	'veo-3.1-fast-generate-001': veo(),
	'kling-v2-6': kling({
		// "std|pro (pro; only pro is served)": std is refused.
		mode: { oneOf: ['pro'], def: 'pro' },
		aspect_ratio: { oneOf: ['16:9', '9:16', '1:1'] },
		duration: { oneOf: [5, 10], def: 5 },
	}),
	'kling-v3': {
		...kling({
			mode: { oneOf: ['std', 'pro'], def: 'std' },
			aspect_ratio: { oneOf: ['16:9', '9:16', '1:1'], def: '16:9' },
			duration: { from: 3, to: 15, def: 5 },
			sound: { oneOf: ['on', 'off'], def: 'off' },
			watermark_enabled: { bool: true },
		}),
		promptMaxChars: 2500,
	},
	'MiniMax-Hailuo-02': hailuo(false),
	'MiniMax-Hailuo-2.3': hailuo(false),
	'MiniMax-Hailuo-2.3-Fast': hailuo(true),
	'Wan-AI/Wan2.2-T2V': {
		prompt: 'input.prompt',
		negativePrompt: true,
		params: {
			size: { oneOf: ['832x480', '480x832', '1280x720', '720x1280'] },
			duration: { oneOf: [5, 8] },
			seed: SEED,
		},
	},
	'Wan-AI/Wan2.5-T2V': {
		prompt: 'input.prompt',
		negativePrompt: true,
		params: {
			size: { oneOf: ['832x480', '480x832', '1280x720', '720x1280', '1920x1080', '1080x1920'], required: true },
			duration: { oneOf: [5, 10], def: 5 },
			prompt_extend: { bool: true, def: false },
			seed: SEED,
		},
	},
	'Wan-AI/Wan2.6-T2V': {
		prompt: 'input.prompt',
		negativePrompt: true,
		params: {
			size: { oneOf: ['1280x720', '720x1280', '1920x1080', '1080x1920'], required: true },
			duration: { oneOf: [5, 10, 15], def: 5 },
			prompt_extend: { bool: true, def: true },
			shot_type: { oneOf: ['single', 'multi'], def: 'single' },
			seed: SEED,
		},
	},
	'Wan-AI/Wan2.2-I2V': {
		prompt: 'input.prompt',
		// "URL or Base64": both Base64 spellings are taken.
		first: { at: 'input.first_frame_url', forms: ['url', 'base64', 'dataUri'] },
		firstRequired: true,
		last: { at: 'input.last_frame_url', forms: ['url', 'base64', 'dataUri'] },
		params: {
			resolution: { oneOf: ['480P', '720P'] },
			duration: { oneOf: [5, 8] },
			seed: SEED,
		},
	},
	'Wan-AI/Wan2.5-I2V': {
		prompt: 'input.prompt',
		first: { at: 'input.first_frame_url', forms: ['url'] },
		firstRequired: true,
		params: {
			resolution: { oneOf: ['480p', '720p', '1080p'], required: true },
			duration: { oneOf: [5, 10], def: 5 },
			seed: SEED,
		},
	},
	'Wan-AI/Wan2.6-I2V': {
		prompt: 'input.prompt',
		// Only the field name is published: a link.
		first: { at: 'input.img_url', forms: ['url'] },
		firstRequired: true,
		params: {
			resolution: { oneOf: ['720P', '1080P'], def: '1080P' },
			duration: { oneOf: [5, 10, 15] },
			prompt_extend: { bool: true, def: true },
			seed: SEED,
		},
	},
	'doubao-seedance-1-5-pro-251215': {
		prompt: 'input.content',
		first: { role: 'first_frame', forms: ['url', 'dataUri'] },
		last: { role: 'last_frame', forms: ['url', 'dataUri'] },
		params: {
			resolution: { oneOf: ['480p', '720p', '1080p'], def: '720p' },
			ratio: { oneOf: ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9', 'adaptive'], def: 'adaptive' },
			duration: { from: 4, to: 12, def: 5 },
			generate_audio: { bool: true, def: false },
			watermark: { bool: true, def: false },
			seed: SEED,
			camera_fixed: { bool: true },
		},
	},
	'viduq2': {
		prompt: 'input.prompt',
		promptMaxChars: 2000,
		params: {
			duration: { from: 1, to: 10, def: 5 },
			aspect_ratio: { oneOf: ['16:9', '9:16', '3:4', '4:3', '1:1'], def: '16:9' },
			resolution: { oneOf: ['540p', '720p', '1080p'], def: '720p' },
			bgm: { bool: true, def: false },
			seed: SEED,
		},
		fixed: { vidu_type: { none: 'text2video' } },
	},
	'viduq3-pro': viduImage(16),
	'viduq2-pro': viduImage(10),
	'viduq2-turbo': viduImage(10),
};
