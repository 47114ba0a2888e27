/**
 * What every part of VideoGen knows about models without loading the catalogue: the default model's
 * id. The catalogue itself (src/core/models) is a bundle of its own, loaded on first use through
 * src/core/modelsLoader.ts, so activation does not pay for it.
 */

export const defaultModelId = 'openai/sora-2/text-to-video';
