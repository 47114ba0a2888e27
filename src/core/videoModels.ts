/**
 * The video models VideoGen knows how to ask questions for. Any other model id the user names is
 * still accepted: it is submitted with the text-to-video request shape, and the sizes and durations
 * offered are the Sora 2 ones.
 */

export interface ModelInfo {
	readonly id: string;
	readonly label: string;
	readonly detail: string;
	readonly sizes: readonly string[];
	readonly durations: readonly number[];
}

export const defaultModelId = 'openai/sora-2/text-to-video';

const soraSizes = ['720x1280', '1280x720'] as const;
const soraDurations = [4, 8, 12] as const;

export const knownModels: readonly ModelInfo[] = [
	{
		id: defaultModelId,
		label: 'Sora 2',
		detail: 'OpenAI Sora 2, text to video, 720p portrait or landscape',
		sizes: soraSizes,
		durations: soraDurations,
	},
	{
		id: 'openai/sora-2/text-to-video-pro',
		label: 'Sora 2 Pro',
		detail: 'OpenAI Sora 2 Pro, text to video, up to 1792x1024',
		sizes: [...soraSizes, '1024x1792', '1792x1024'],
		durations: soraDurations,
	},
];

/** The model's description, or a generic one built from the Sora 2 shape for a model VideoGen does not know. */
export function modelInfo(id: string): ModelInfo {
	return knownModels.find(model => model.id === id) ?? {
		id,
		label: id,
		detail: 'A model VideoGen does not know; sizes and durations are the Sora 2 ones',
		sizes: soraSizes,
		durations: soraDurations,
	};
}

/** Suggests a model to try when `failedModel` stops answering. */
export function alternativeModel(failedModel: string): ModelInfo | undefined {
	return knownModels.find(model => model.id !== failedModel);
}

/** Human description of a size such as `720x1280`. */
export function describeSize(size: string): string {
	const match = /^(\d+)x(\d+)$/.exec(size);
	if (!match) {
		return size;
	}
	const [width, height] = [Number(match[1]), Number(match[2])];
	return `${width}×${height} ${width < height ? 'portrait' : width > height ? 'landscape' : 'square'}`;
}
