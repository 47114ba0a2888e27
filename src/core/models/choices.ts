/**
 * The models the Generate Video command knows how to ask questions for: those of the catalogue
 * whose only parameters are a size and a duration from a list, sent with the prompt alone. Any other
 * model id the user names is still accepted: it is submitted with the text-to-video request shape,
 * and the sizes and durations offered are the Sora 2 ones.
 */

import { defaultModelId } from '../videoModels';
import { ModelEntry, catalogue } from './catalogue';

export interface ModelInfo {
	readonly id: string;
	readonly label: string;
	readonly detail: string;
	readonly sizes: readonly string[];
	readonly durations: readonly number[];
}

/** The entry as the command's questions see it, or `undefined` when they cannot fill its request. */
function asModelInfo(entry: ModelEntry): ModelInfo | undefined {
	const size = entry.parameters.find(spec => spec.name === 'size');
	const duration = entry.parameters.find(spec => spec.name === 'duration');
	const promptOnly = entry.prompt.target.kind === 'string' && entry.prompt.target.field === 'input.prompt' && !entry.images && !entry.fixed;
	if (!promptOnly || entry.parameters.length !== 2 || size?.type !== 'enum' || duration?.type !== 'enum') {
		return undefined;
	}
	return {
		id: entry.id,
		label: entry.label,
		detail: entry.description,
		sizes: size.values.map(String),
		durations: duration.values.map(Number),
	};
}

export const knownModels: readonly ModelInfo[] = catalogue.flatMap(entry => asModelInfo(entry) ?? []);

const soraShape = knownModels.find(model => model.id === defaultModelId)!;

/** The model's description, or a generic one built from the Sora 2 shape for a model VideoGen does not know. */
export function modelInfo(id: string): ModelInfo {
	return knownModels.find(model => model.id === id) ?? {
		id,
		label: id,
		detail: 'A model VideoGen does not know; sizes and durations are the Sora 2 ones',
		sizes: soraShape.sizes,
		durations: soraShape.durations,
	};
}

/** Suggests a model to try when `failedModel` stops answering. */
export function alternativeModel(failedModel: string): ModelInfo | undefined {
	return knownModels.find(model => model.id !== failedModel);
}
