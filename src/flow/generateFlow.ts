/**
 * The questions of Generate Video, as one multi-step quick input read from the model catalogue:
 *
 *   Model → First frame → Last frame → Prompt → Settings
 *
 * The frame steps show only for a model that takes images (the last frame only once a first one is
 * given); Settings lists the model's parameters with their values, and Generate. Back goes one step
 * back with every answer kept; Esc ends the flow and nothing is submitted. The steps a caller
 * already answered (a prompt from the selection, an image from the Explorer) are not asked.
 */

import * as vscode from 'vscode';
import type { ModelEntry, ParameterSpec, ParameterValue } from '../core/models/catalogue';
import type { VideoRequest } from '../core/models/submitBody';
import { loadModels } from '../core/modelsLoader';
import { settings } from '../host/settings';
import { checkImageLink, Frame, ImageError, imageExtensions, imageLink, isFile, readImageFile } from './images';
import { anotherModelLabel, checkModelId, ModelItem, modelItems } from './modelItems';
import { MultiStepInput, StepPlace } from './multiStep';
import type { PromptHistory } from './promptHistory';
import { formatCount, sentences } from '../core/l10n';
import { promptLengthText } from '../core/promptLength';

/** What the questions fill in; every step reads and changes it, so Back keeps every answer. */
export interface Draft {
	model: string;
	prompt: string;
	negativePrompt: string;
	/** By name, as the model's catalogue entry lists them. */
	parameters: Record<string, ParameterValue>;
	image?: Frame;
	lastImage?: Frame;
}

export type StepKind = 'model' | 'firstFrame' | 'lastFrame' | 'prompt' | 'settings';

/** A step's name, shown after the flow's title. */
function stepName(step: StepKind): string {
	switch (step) {
		case 'model': return vscode.l10n.t('Model');
		case 'firstFrame': return vscode.l10n.t('First frame');
		case 'lastFrame': return vscode.l10n.t('Last frame');
		case 'prompt': return vscode.l10n.t('Prompt');
		case 'settings': return vscode.l10n.t('Settings');
	}
}

export interface FlowOptions {
	/** `Generate Video`, `Edit & Generate Again`. */
	readonly title: string;
	readonly draft: Draft;
	/** Steps answered by whoever started the flow: not asked. */
	readonly answered?: ReadonlySet<StepKind>;
	/** Where the flow opens (Edit & Generate Again opens on the prompt, with Back to the model). */
	readonly startAt?: StepKind;
	readonly history: PromptHistory;
}

/** What a step did: go on, go back, or end the flow. */
type Move = 'next' | 'back' | 'closed';

/** The parameters a new request starts from, beyond the model's defaults: the configured size and duration. */
export function preferredParameters(): Record<string, ParameterValue> {
	return { size: settings.defaultSize(), duration: settings.defaultDuration() };
}

/** The request the draft stands for. */
export function requestOf(draft: Draft): VideoRequest & { image?: Frame; lastImage?: Frame } {
	return {
		prompt: draft.prompt,
		negativePrompt: draft.negativePrompt.trim() || undefined,
		parameters: loadModels().isKnownModel(draft.model) ? draft.parameters : undefined,
		image: draft.image,
		lastImage: draft.image && draft.lastImage,
	};
}

/** The steps the draft needs now, in order: they change as a model or an image is chosen. */
function stepsOf(draft: Draft, answered: ReadonlySet<StepKind>): StepKind[] {
	const model = loadModels().findModel(draft.model);
	const steps: StepKind[] = ['model'];
	if (model?.images) {
		steps.push('firstFrame');
		if (model.images.last && draft.image) {
			steps.push('lastFrame');
		}
	}
	steps.push('prompt', 'settings');
	return steps.filter(step => !answered.has(step));
}

/**
 * Asks the steps not answered yet, from `startAt` (or the first). Resolves with the draft when the
 * user chose Generate, `undefined` when the flow was closed (the draft then holds what was typed).
 */
export async function runFlow(options: FlowOptions): Promise<Draft | undefined> {
	const answered = options.answered ?? new Set<StepKind>();
	const steps = new FlowSteps(options, new MultiStepInput());
	try {
		let step: StepKind | undefined = options.startAt && stepsOf(options.draft, answered).includes(options.startAt)
			? options.startAt
			: stepsOf(options.draft, answered)[0];
		while (step) {
			const before = stepsOf(options.draft, answered);
			const place = { title: vscode.l10n.t('{0}: {1}', options.title, stepName(step)), step: before.indexOf(step) + 1, totalSteps: before.length };
			const move = await steps.run(step, place);
			if (move === 'closed') {
				return undefined;
			}
			const after = stepsOf(options.draft, answered);
			const index = after.indexOf(step);
			step = move === 'back' ? after[Math.max(0, index - 1)] : after[index + 1];
			if (move === 'next' && !step) {
				return options.draft;
			}
		}
		return options.draft;
	} finally {
		steps.dispose();
	}
}

/** A value item of a parameter's step: `undefined` leaves the parameter to the service. */
interface ValueItem extends vscode.QuickPickItem {
	readonly value: ParameterValue | undefined;
}

/** An item of the Settings step. */
interface SettingsItem extends vscode.QuickPickItem {
	readonly action: 'generate' | 'problem' | 'parameter' | 'negativePrompt' | 'note';
	readonly spec?: ParameterSpec;
	/** For a problem: the field the service would name. */
	readonly field?: string;
}

/** An item of a frame step. */
interface FrameItem extends vscode.QuickPickItem {
	readonly action: 'keep' | 'none' | 'file' | 'link' | 'problem';
}

/**
 * A setting in the one-line summary of Generate: its value, with the unit its label names (`Duration
 * (s)` 8 reads `8 s`); a switch by its label when on, not at all when off; nothing for a value left
 * to the service or one the service ignores with an image.
 */
function summaryText(spec: ParameterSpec, value: ParameterValue | undefined, withImage: boolean): string | undefined {
	if (value === undefined || value === false || (spec.textOnly && withImage)) {
		return undefined;
	}
	if (value === true) {
		return spec.label.toLowerCase();
	}
	const unit = /[(（]([^()（）]+)[)）]$/.exec(spec.label)?.[1];
	return unit ? vscode.l10n.t('{0} {1}', String(value), unit) : String(value);
}

const recentPromptsButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('history'), tooltip: vscode.l10n.t('Recent prompts') };

class FlowSteps implements vscode.Disposable {
	private readonly draft: Draft;
	/** The item the Settings step focuses when it opens again: the parameter just changed. */
	private settingsFocus: string | undefined;

	constructor(private readonly options: FlowOptions, private readonly input: MultiStepInput) {
		this.draft = options.draft;
	}

	run(step: StepKind, place: StepPlace): Promise<Move> {
		switch (step) {
			case 'model': return this.model(place);
			case 'firstFrame': return this.frame(place, 'first');
			case 'lastFrame': return this.frame(place, 'last');
			case 'prompt': return this.prompt(place);
			case 'settings': return this.settings(place);
		}
	}

	dispose(): void {
		this.input.dispose();
	}

	// -----------------------------------------------------------------------------------------
	// Model
	// -----------------------------------------------------------------------------------------

	private async model(place: StepPlace): Promise<Move> {
		const { takesImage } = loadModels();
		// Started from an image: only the models that take it as it is given.
		const fixed = this.options.answered?.has('firstFrame') ? this.draft.image : undefined;
		const fits = fixed ? (model: ModelEntry) => takesImage(model, isFile(fixed) ? 'bytes' : 'url') : undefined;
		for (;;) {
			const { items, active } = modelItems(this.draft.model, { id: settings.model(), text: vscode.l10n.t('default') }, fits, !fixed);
			const result = await this.input.pick<ModelItem>(place, {
				items,
				active,
				placeholder: fixed ? vscode.l10n.t('The models that make video from {0}', fixed.name) : vscode.l10n.t('Pick the model that makes the video'),
				matchOnDescription: true,
			});
			if (result.kind !== 'value') {
				return result.kind === 'closed' ? 'closed' : 'back';
			}
			if (result.value.id) {
				this.chooseModel(result.value.id);
				return 'next';
			}
			const typed = await this.input.input({ ...place, title: vscode.l10n.t('{0}: {1}', this.options.title, anotherModelLabel()) }, {
				value: loadModels().isKnownModel(this.draft.model) ? '' : this.draft.model,
				prompt: vscode.l10n.t('The model id exactly as UModelverse names it, for example openai/sora-2/text-to-video'),
				validate: checkModelId,
			});
			if (typed.kind === 'closed') {
				return 'closed';
			}
			if (typed.kind === 'value') {
				this.chooseModel(typed.value.trim());
				return 'next';
			}
		}
	}

	/** Switches the draft to `id`: its parameters start again from its defaults, keeping what it takes; images it cannot take go. */
	private chooseModel(id: string): void {
		if (id === this.draft.model) {
			return;
		}
		const { findModel, startingParameters, takesImage } = loadModels();
		const model = findModel(id);
		this.draft.parameters = startingParameters(id, preferredParameters(), this.draft.parameters);
		this.draft.model = id;
		if (this.draft.image && !takesImage(model, isFile(this.draft.image) ? 'bytes' : 'url')) {
			this.draft.image = undefined;
		}
		if (this.draft.lastImage && !takesImage(model, isFile(this.draft.lastImage) ? 'bytes' : 'url', 'last')) {
			this.draft.lastImage = undefined;
		}
	}

	// -----------------------------------------------------------------------------------------
	// First and last frame
	// -----------------------------------------------------------------------------------------

	private async frame(place: StepPlace, which: 'first' | 'last'): Promise<Move> {
		const models = loadModels();
		const model = models.findModel(this.draft.model)!;
		let problem: string | undefined;
		for (;;) {
			const current = which === 'first' ? this.draft.image : this.draft.lastImage;
			const optional = which === 'last' || !model.images?.firstRequired;
			const items: FrameItem[] = [];
			if (problem) {
				items.push({ label: problem, iconPath: new vscode.ThemeIcon('error'), action: 'problem' });
			}
			if (current) {
				items.push({ label: vscode.l10n.t('Keep {0}', current.name), iconPath: new vscode.ThemeIcon('file-media'), description: isFile(current) ? vscode.l10n.t('the image file') : vscode.l10n.t('the link'), action: 'keep' });
			}
			if (optional) {
				items.push(which === 'first'
					? { label: vscode.l10n.t('No image'), description: vscode.l10n.t('make the video from the prompt alone'), action: 'none' }
					: { label: vscode.l10n.t('No last frame'), description: vscode.l10n.t('the model decides how the video ends'), action: 'none' });
			}
			if (models.takesImage(model, 'bytes', which)) {
				const types = (model.images?.types ?? ['image/png', 'image/jpeg', 'image/webp']).map(type => type.slice(6).toUpperCase()).join(', ');
				const description = model.images?.maxBytes
					? vscode.l10n.t('{0}, at most {1} MB', types, Math.round(model.images.maxBytes / (1024 * 1024)))
					: types;
				items.push({ label: vscode.l10n.t('Choose an image file…'), iconPath: new vscode.ThemeIcon('folder-opened'), description, action: 'file' });
			}
			if (models.takesImage(model, 'url', which)) {
				items.push({ label: vscode.l10n.t('Enter an image link…'), iconPath: new vscode.ThemeIcon('link'), description: vscode.l10n.t('an https: address the service fetches'), action: 'link' });
			}
			const result = await this.input.pick<FrameItem>(place, {
				items,
				active: items.find(item => item.action !== 'problem'),
				placeholder: which === 'first'
					? optional ? vscode.l10n.t('The image the video starts from, or none') : vscode.l10n.t('The image the video starts from ({0} needs one)', model.label)
					: vscode.l10n.t('The image the video ends on, or none'),
			});
			if (result.kind !== 'value') {
				return result.kind === 'closed' ? 'closed' : 'back';
			}
			let frame: Frame | undefined;
			switch (result.value.action) {
				case 'problem':
					continue;
				case 'keep':
					return 'next';
				case 'none':
					this.setFrame(which, undefined);
					return 'next';
				case 'file': {
					const picked = await this.pickFile(which, current);
					if (picked === undefined) {
						continue;
					}
					if (picked instanceof ImageError) {
						problem = picked.message;
						continue;
					}
					frame = picked;
					break;
				}
				case 'link': {
					const typed = await this.input.input({ ...place, title: vscode.l10n.t('{0}: link', place.title) }, {
						value: current && !isFile(current) ? current.source : '',
						prompt: which === 'first'
							? vscode.l10n.t('The https: link to the first frame; {0} fetches it from there.', model.label)
							: vscode.l10n.t('The https: link to the last frame; {0} fetches it from there.', model.label),
						placeholder: 'https://example.com/frame.png',
						validate: checkImageLink,
					});
					if (typed.kind === 'closed') {
						return 'closed';
					}
					if (typed.kind !== 'value') {
						continue;
					}
					frame = imageLink(typed.value);
					break;
				}
			}
			const refused = models.imageProblem(this.draft.model, which === 'first' ? { image: frame, lastImage: this.draft.lastImage } : { image: this.draft.image, lastImage: frame });
			if (refused) {
				problem = refused.message;
				continue;
			}
			this.setFrame(which, frame);
			return 'next';
		}
	}

	private setFrame(which: 'first' | 'last', frame: Frame | undefined): void {
		if (which === 'first') {
			this.draft.image = frame;
			if (!frame) {
				this.draft.lastImage = undefined;
			}
		} else {
			this.draft.lastImage = frame;
		}
	}

	/** The file dialog; `undefined` when it was closed, an `ImageError` when the file cannot be used. */
	private async pickFile(which: 'first' | 'last', current: Frame | undefined): Promise<Frame | ImageError | undefined> {
		this.input.hide();
		const near = current && isFile(current) ? vscode.Uri.parse(current.source, true) : vscode.workspace.workspaceFolders?.[0]?.uri;
		const [uri] = await vscode.window.showOpenDialog({
			title: which === 'first' ? vscode.l10n.t('{0}: the first frame', this.options.title) : vscode.l10n.t('{0}: the last frame', this.options.title),
			openLabel: vscode.l10n.t('Use Image'),
			canSelectMany: false,
			filters: { [vscode.l10n.t('Images')]: imageExtensions },
			defaultUri: near,
		}) ?? [];
		if (!uri) {
			return undefined;
		}
		return readImageFile(uri).catch((error: unknown) => error instanceof ImageError ? error : new ImageError(String(error)));
	}

	// -----------------------------------------------------------------------------------------
	// Prompt
	// -----------------------------------------------------------------------------------------

	private async prompt(place: StepPlace): Promise<Move> {
		const { findModel, promptProblem } = loadModels();
		const model = findModel(this.draft.model);
		const notes = sentences(
			vscode.l10n.t('Describe the video: the scene, the subject, the motion, the style.'),
			model && !model.prompt.required ? vscode.l10n.t('Optional for {0}: the image alone will do.', model.label) : undefined,
			model?.prompt.maxLength ? vscode.l10n.t('At most {0} characters.', formatCount(model.prompt.maxLength)) : undefined,
		);
		for (;;) {
			const recent = this.options.history.recent;
			const result = await this.input.input(place, {
				value: this.draft.prompt,
				prompt: notes,
				placeholder: vscode.l10n.t('A paper boat drifting down a rainy street at dusk, cinematic'),
				// The length against the model's limit while it is kept, the problem once it is not.
				validate: value => promptProblem(this.draft.model, value)
					?? (model?.prompt.maxLength === undefined ? undefined : { message: promptLengthText(value, model.prompt.maxLength), severity: vscode.InputBoxValidationSeverity.Info }),
				buttons: recent.length ? [recentPromptsButton] : [],
			});
			switch (result.kind) {
				case 'value':
					this.draft.prompt = result.value.trim();
					return 'next';
				case 'closed':
					this.draft.prompt = result.text ?? this.draft.prompt;
					return 'closed';
				case 'back':
					return 'back';
				case 'button': {
					const picked = await this.input.pick({ ...place, title: vscode.l10n.t('{0}: recent', place.title) }, {
						items: recent.map(prompt => ({ label: prompt.split(/\r?\n/)[0], detail: prompt.includes('\n') ? prompt : undefined, prompt })),
						placeholder: vscode.l10n.t('Pick a prompt to start from; you can change it before going on'),
						matchOnDetail: true,
					});
					if (picked.kind === 'closed') {
						return 'closed';
					}
					if (picked.kind === 'value') {
						this.draft.prompt = picked.value.prompt;
					}
				}
			}
		}
	}

	// -----------------------------------------------------------------------------------------
	// Settings
	// -----------------------------------------------------------------------------------------

	private async settings(place: StepPlace): Promise<Move> {
		const models = loadModels();
		for (;;) {
			const model = models.findModel(this.draft.model);
			const problem = models.validateRequest(this.draft.model, requestOf(this.draft));
			const items = this.settingsItems(model, problem);
			const result = await this.input.pick<SettingsItem>(place, {
				items,
				active: (this.settingsFocus && items.find(item => item.spec?.name === this.settingsFocus || item.action === this.settingsFocus)) || items[0],
				placeholder: problem ? vscode.l10n.t('Change what the warning names, then Generate') : vscode.l10n.t('Generate, or pick a setting to change it'),
			});
			this.settingsFocus = undefined;
			if (result.kind !== 'value') {
				return result.kind === 'closed' ? 'closed' : 'back';
			}
			const item = result.value;
			const spec = item.spec ?? (item.field?.startsWith('parameters.') ? model?.parameters.find(candidate => `parameters.${candidate.name}` === item.field) : undefined);
			let move: Move | 'stay' = 'stay';
			if (item.action === 'generate' && !problem) {
				return 'next';
			} else if (spec) {
				move = await this.editParameter({ ...place, title: vscode.l10n.t('{0}: {1}', this.options.title, spec.label) }, spec);
				this.settingsFocus = spec.name;
			} else if (item.action === 'negativePrompt' || item.field === 'input.negative_prompt') {
				move = await this.editNegativePrompt({ ...place, title: vscode.l10n.t('{0}: Negative prompt', this.options.title) });
				this.settingsFocus = 'negativePrompt';
			}
			if (move === 'closed') {
				return 'closed';
			}
		}
	}

	private settingsItems(model: ModelEntry | undefined, problem: { field: string; message: string } | undefined): SettingsItem[] {
		const { unknownModelNote, valueText } = loadModels();
		const summary = (model?.parameters ?? []).flatMap(spec => summaryText(spec, this.draft.parameters[spec.name], !!this.draft.image) ?? []);
		const frames = [
			this.draft.image && vscode.l10n.t('from {0}', this.draft.image.name),
			this.draft.image && this.draft.lastImage && vscode.l10n.t('to {0}', this.draft.lastImage.name),
		].filter(Boolean);
		const items: SettingsItem[] = [{
			label: vscode.l10n.t('Generate'),
			iconPath: new vscode.ThemeIcon('play'),
			description: [model?.label ?? this.draft.model, ...frames, ...summary].join(' · '),
			detail: model ? vscode.l10n.t('Submits a new task; the service bills each one.') : unknownModelNote(this.draft.model),
			action: 'generate',
		}];
		if (problem) {
			items.unshift({ label: vscode.l10n.t('Cannot generate yet'), iconPath: new vscode.ThemeIcon('error'), detail: problem.message, action: 'problem', field: problem.field });
		}
		if (model?.note) {
			items.push({ label: model.note, iconPath: new vscode.ThemeIcon('warning'), action: 'note' });
		}
		if (!model) {
			return items;
		}
		items.push({ label: model.label, kind: vscode.QuickPickItemKind.Separator, action: 'note' });
		for (const spec of model.parameters) {
			if (spec.textOnly && this.draft.image) {
				continue;
			}
			const value = this.draft.parameters[spec.name];
			items.push({
				label: spec.label,
				description: value !== undefined && value === spec.default ? vscode.l10n.t('{0} (default)', valueText(spec, value)) : valueText(spec, value),
				action: 'parameter',
				spec,
			});
		}
		if (model.negativePrompt) {
			items.push({ label: vscode.l10n.t('Negative prompt'), description: this.draft.negativePrompt.trim() || vscode.l10n.t('none'), action: 'negativePrompt' });
		}
		return items;
	}

	/** One parameter's value: a list to pick from, or a number to type. Back returns to Settings unchanged. */
	private async editParameter(place: StepPlace, spec: ParameterSpec): Promise<Move> {
		const { allowedText, seedMax, valueText } = loadModels();
		const current = this.draft.parameters[spec.name];
		const set = (value: ParameterValue | undefined) => {
			if (value === undefined) {
				delete this.draft.parameters[spec.name];
			} else {
				this.draft.parameters[spec.name] = value;
			}
		};
		if (spec.type === 'integer' || spec.type === 'seed') {
			const max = spec.type === 'seed' ? seedMax : spec.max;
			const min = spec.type === 'seed' ? 0 : spec.min;
			const prompt = spec.type === 'seed' ? vscode.l10n.t('{0}: {1}. Empty for a random seed.', spec.label, allowedText(spec))
				: spec.default !== undefined ? vscode.l10n.t('{0}: {1}. Empty for the default, {2}.', spec.label, allowedText(spec), String(spec.default))
				: vscode.l10n.t('{0}: {1}. Empty for the service\'s default.', spec.label, allowedText(spec));
			const result = await this.input.input(place, {
				value: current === undefined ? '' : String(current),
				prompt,
				validate: text => !text.trim() || (/^\d+$/.test(text.trim()) && Number(text) >= min && Number(text) <= max) ? undefined : vscode.l10n.t('{0} must be {1}.', spec.label, allowedText(spec)),
			});
			if (result.kind === 'value') {
				set(result.value.trim() ? Number(result.value.trim()) : spec.type === 'seed' ? undefined : spec.default);
			}
			return result.kind === 'closed' ? 'closed' : 'next';
		}
		const values: readonly (ParameterValue | undefined)[] = [
			...(spec.type === 'boolean' ? [true, false] : spec.values),
			...(spec.required || spec.default !== undefined ? [] : [undefined]),
		];
		const items: ValueItem[] = values.map(value => ({
			label: value === undefined ? vscode.l10n.t('Leave it to the service') : valueText(spec, value),
			description: valueMarks(value === spec.default && value !== undefined, value === current),
			value,
		}));
		const result = await this.input.pick<ValueItem>(place, {
			items,
			active: items.find(item => item.value === current),
			placeholder: vscode.l10n.t('{0} for {1}', spec.label, loadModels().modelLabel(this.draft.model)),
		});
		if (result.kind === 'value') {
			set(result.value.value);
		}
		return result.kind === 'closed' ? 'closed' : 'next';
	}

	private async editNegativePrompt(place: StepPlace): Promise<Move> {
		const result = await this.input.input(place, {
			value: this.draft.negativePrompt,
			prompt: vscode.l10n.t('What the video should not show. Empty for none.'),
			placeholder: vscode.l10n.t('blur, text, watermark'),
		});
		if (result.kind === 'value') {
			this.draft.negativePrompt = result.value.trim();
		}
		return result.kind === 'closed' ? 'closed' : 'next';
	}
}

/** Whether a value is the model's default and the one set now, as the words beside it. */
function valueMarks(isDefault: boolean, isCurrent: boolean): string | undefined {
	if (isDefault && isCurrent) {
		return vscode.l10n.t('default, current');
	}
	return isDefault ? vscode.l10n.t('default') : isCurrent ? vscode.l10n.t('current') : undefined;
}
