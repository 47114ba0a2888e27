/**
 * What every part of VideoGen knows about models without loading the catalogue: the default model's
 * id and how a size reads. The catalogue itself (src/core/models) is a bundle of its own, loaded on
 * first use through src/core/modelsLoader.ts, so activation does not pay for it.
 */

export const defaultModelId = 'openai/sora-2/text-to-video';

/** Human description of a size such as `720x1280`. */
export function describeSize(size: string): string {
	const match = /^(\d+)x(\d+)$/.exec(size);
	if (!match) {
		return size;
	}
	const [width, height] = [Number(match[1]), Number(match[2])];
	return `${width}×${height} ${width < height ? 'portrait' : width > height ? 'landscape' : 'square'}`;
}
