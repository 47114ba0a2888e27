/**
 * What people are offered about the models, read from the catalogue alone: what a model makes video
 * from, which models can take a given image, the values a request starts from, how a value reads,
 * and which model to suggest when the service refuses one. Nothing here names a model.
 */

import { ModelEntry, ParameterSpec, ParameterValue, catalogue, defaultParameters, findModel } from './catalogue';
import { allowsValue } from './submitBody';
import { l10n } from '../l10n';

/** What a model makes video from. */
export type ModelInputs = 'text' | 'textOrImage' | 'image';

export function inputsOf(model: ModelEntry): ModelInputs {
	return !model.images ? 'text' : model.images.firstRequired ? 'image' : 'textOrImage';
}

/** How an image is given: the file itself (its bytes), or an `https:` link the service fetches. */
export type ImageGiven = 'bytes' | 'url';

/** True when `model` takes a first (or last) frame given this way. */
export function takesImage(model: ModelEntry | undefined, given: ImageGiven, frame: 'first' | 'last' = 'first'): boolean {
	const target = frame === 'first' ? model?.images?.first : model?.images?.last;
	if (!target) {
		return false;
	}
	const forms = target.kind === 'inlineData' ? ['base64'] : target.forms;
	return given === 'url' ? forms.includes('url') : forms.some(form => form !== 'url');
}

/** The model's label, or its id for a model the catalogue does not know. */
export function modelLabel(id: string): string {
	return findModel(id)?.label ?? id;
}

/**
 * The largest image VideoGen reads from disk to send: the largest any model publishes. A file over
 * it is refused before it is read, so a mistaken pick of a huge file costs nothing.
 */
export const largestImageBytes = Math.max(...catalogue.map(model => model.images?.maxBytes ?? 0));

/**
 * The parameters a request for `modelId` starts from: the model's defaults, then each `preferred`
 * value the model takes (the configured default size and duration), then each value of `previous`
 * the model takes (what was chosen for another model before switching). Empty for an unknown id.
 */
export function startingParameters(
	modelId: string,
	preferred: Readonly<Record<string, ParameterValue>> = {},
	previous: Readonly<Record<string, ParameterValue>> = {},
): Record<string, ParameterValue> {
	const model = findModel(modelId);
	const parameters = defaultParameters(modelId);
	for (const spec of model?.parameters ?? []) {
		for (const source of [preferred, previous]) {
			const value = source[spec.name];
			if (value !== undefined && allowsValue(spec, value)) {
				parameters[spec.name] = value;
			}
		}
	}
	return parameters;
}

/** How a value reads: `on`/`off` for a switch, `std (720p)` where the catalogue labels a value. */
export function valueText(spec: ParameterSpec, value: ParameterValue | undefined): string {
	if (value === undefined) {
		return spec.type === 'seed' ? l10n.t('random') : l10n.t('the service\'s default');
	}
	if (typeof value === 'boolean') {
		return value ? l10n.t('on') : l10n.t('off');
	}
	const label = spec.type === 'enum' ? spec.valueLabels?.[String(value)] : undefined;
	return label ? l10n.t('{0} ({1})', String(value), label) : String(value);
}

/**
 * The parameters of a task or request as label and value, in the model's order; for a model the
 * catalogue does not know, by their names.
 */
export function parameterLines(modelId: string, parameters: Readonly<Record<string, ParameterValue | undefined>>): [string, string][] {
	const model = findModel(modelId);
	const lines: [string, string][] = [];
	const named = new Set<string>();
	for (const spec of model?.parameters ?? []) {
		named.add(spec.name);
		const value = parameters[spec.name];
		if (value !== undefined) {
			lines.push([spec.label, valueText(spec, value)]);
		}
	}
	for (const [name, value] of Object.entries(parameters)) {
		if (!named.has(name) && value !== undefined) {
			lines.push([name, String(value)]);
		}
	}
	return lines;
}

/**
 * The service's `usage.duration` as label and value, labelled with what it counts for the model:
 * how long the service worked on the task (Sora, Veo, Wan), or the video's length (Vidu, Seedance).
 */
export function usageLine(modelId: string, seconds: number): [string, string] {
	switch (findModel(modelId)?.usageDuration) {
		case 'runTime': return [l10n.t('Service run time'), l10n.t('{0}s (usage.duration: how long the service worked on it)', seconds)];
		case 'videoLength': return [l10n.t('Video length'), l10n.t('{0}s (usage.duration: the video\'s length)', seconds)];
		default: return [l10n.t('Usage'), l10n.t('{0}s (usage.duration; what it counts is not published for this model)', seconds)];
	}
}

/**
 * The model to suggest when the service refuses `failedModel`: the first in the catalogue from
 * another family that makes video from the same inputs, preferring one without a warning note
 * (the retired Sora 2 models carry one). For an id the catalogue does not know, a text-to-video model.
 */
export function alternativeModel(failedModel: string): ModelEntry | undefined {
	const failed = findModel(failedModel);
	const needsImage = failed ? inputsOf(failed) === 'image' : false;
	const fits = (model: ModelEntry) => model.id !== failedModel
		&& model.family !== failed?.family
		&& (needsImage ? inputsOf(model) !== 'text' : inputsOf(model) !== 'image');
	const candidates = catalogue.filter(fits);
	return candidates.find(model => !model.note) ?? candidates[0];
}
