/**
 * Generate Video and the ways into it: from the palette, from a selection, from an image in the
 * Explorer, and again from a task, as it was (Generate Again) or edited (Edit & Generate Again).
 * Each fills a draft, asks what is left (generateFlow.ts), then saves and submits the task once.
 */

import * as vscode from 'vscode';
import type { CommandContext } from '../commands/context';
import type { ParameterValue } from '../core/models/catalogue';
import { loadModels } from '../core/modelsLoader';
import type { TaskRecord } from '../core/task';
import type { GenerateRequest } from '../core/taskEngine';
import { openSettings, settings } from '../host/settings';
import { keyOrAsk } from '../host/askApiKey';
import { showApiError } from '../views/errorMessages';
import { shortPrompt } from '../views/taskPresentation';
import { Draft, preferredParameters, requestOf, runFlow, StepKind } from './generateFlow';
import { Frame, frameFromSource, ImageError, imageLink, readImageFile } from './images';
import { PromptHistory } from './promptHistory';
import { sentences } from '../core/l10n';
import { promptDocumentText, PromptDocumentRequest } from '../core/promptDocument';
import type { InsertPlace } from '../core/videoLink';

/**
 * What a script may pass to `videogen.generate`. Each field given is not asked for: `model` (or any
 * parameter) skips the model step, `prompt` the prompt, `image` the first frame; with a prompt and
 * parameters, nothing is asked. `size` and `duration` are 0.1.0's names, kept as parameters.
 */
export interface GenerateArgument {
	readonly model?: string;
	readonly prompt?: string;
	readonly negativePrompt?: string;
	/** By name, as the model's catalogue entry lists them; the rest take the model's defaults. */
	readonly parameters?: Readonly<Record<string, ParameterValue>>;
	readonly size?: string;
	readonly duration?: number;
	/** The first frame: a file's URI (or its `file:` URI as text), or an `https:` link. */
	readonly image?: vscode.Uri | string;
	/** The last frame, likewise. */
	readonly lastImage?: vscode.Uri | string;
}

/** Runs Generate Video; resolves with the service's task id, or `undefined` if nothing was accepted. */
export async function generateVideo(context: CommandContext, argument: GenerateArgument = {}, options: { insertBelow?: InsertPlace } = {}): Promise<string | undefined> {
	let start: { draft: Draft; answered: Set<StepKind> };
	try {
		start = await draftFromArgument(argument);
	} catch (error) {
		void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
		return undefined;
	}
	const service = await connect(context);
	if (!service) {
		return undefined;
	}
	const history = new PromptHistory(context.globalState);
	if (argument.prompt === undefined) {
		start.draft.prompt = history.draft;
	}
	const complete = start.answered.has('prompt') && start.answered.has('settings');
	const draft = complete ? start.draft : await ask(history, { title: vscode.l10n.t('Generate Video'), draft: start.draft, answered: start.answered, history });
	return draft && submit(context, history, { ...toRequest(draft), insertBelow: options.insertBelow }, service);
}

/**
 * The Generate CodeLens of a prompt document: its model, parameters and prompt in the questions,
 * opened on Settings (Generate and what will be sent), with Back to the prompt and the model.
 */
export async function generateFromPromptDocument(context: CommandContext, request: PromptDocumentRequest): Promise<string | undefined> {
	const service = await connect(context);
	if (!service) {
		return undefined;
	}
	const history = new PromptHistory(context.globalState);
	const draft: Draft = {
		model: request.model,
		prompt: request.prompt,
		negativePrompt: '',
		parameters: { ...loadModels().defaultParameters(request.model), ...request.parameters },
	};
	const done = await ask(history, { title: vscode.l10n.t('Generate Video'), draft, startAt: 'settings', history });
	return done && submit(context, history, toRequest(done), service);
}

/**
 * New Prompt: an untitled Markdown document whose front matter names the configured model and the
 * parameters a new video starts from, the cursor where the prompt goes.
 */
export async function newPromptDocument(): Promise<vscode.TextEditor> {
	const model = settings.model();
	const parameters = loadModels().startingParameters(model, preferredParameters());
	const { text, cursorLine } = promptDocumentText(model, parameters, vscode.l10n.t('Describe the video below this note: the scene, the subject, the motion, the style. Change the model and settings above, then choose Generate.'));
	const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: text });
	const editor = await vscode.window.showTextDocument(document);
	const cursor = new vscode.Position(cursorLine, 0);
	editor.selection = new vscode.Selection(cursor, cursor);
	return editor;
}

/** Generate Video from Image (the Explorer): the file is the first frame; only models that take it are offered. */
export async function generateFromImage(context: CommandContext, uri: vscode.Uri): Promise<string | undefined> {
	let image: Frame;
	try {
		image = await readImageFile(uri);
	} catch (error) {
		void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
		return undefined;
	}
	const service = await connect(context);
	if (!service) {
		return undefined;
	}
	const { findModel, catalogue, takesImage } = loadModels();
	// The configured model when it takes the image, else the first that does and carries no warning.
	const configured = settings.model();
	const fitting = catalogue.filter(entry => takesImage(entry, 'bytes'));
	const model = takesImage(findModel(configured), 'bytes') ? configured : (fitting.find(entry => !entry.note) ?? fitting[0]).id;
	const history = new PromptHistory(context.globalState);
	const draft: Draft = { model, prompt: history.draft, negativePrompt: '', parameters: loadModels().startingParameters(model, preferredParameters()), image };
	const done = await ask(history, { title: vscode.l10n.t('Generate Video from Image'), draft, answered: new Set(['firstFrame']), history });
	return done && submit(context, history, toRequest(done), service);
}

/**
 * Edit & Generate Again: the task's model, images, prompt and settings in the questions, opened on
 * the prompt with Back to the model and images.
 */
export async function editAndGenerateAgain(context: CommandContext, task: TaskRecord): Promise<string | undefined> {
	const service = await connect(context);
	if (!service) {
		return undefined;
	}
	const frames = await framesOf(task);
	if (frames.problems.length) {
		void vscode.window.showWarningMessage(sentences(...frames.problems, vscode.l10n.t('Choose the image again.')));
	}
	const history = new PromptHistory(context.globalState);
	const draft: Draft = {
		model: task.model,
		prompt: task.prompt,
		negativePrompt: task.negativePrompt ?? '',
		parameters: loadModels().startingParameters(task.model, {}, task.parameters),
		image: frames.image,
		lastImage: frames.image && frames.lastImage,
	};
	const done = await ask(history, { title: vscode.l10n.t('Edit & Generate Again'), draft, startAt: 'prompt', history });
	return done && submit(context, history, toRequest(done), service, task.id);
}

/** Generate Again: the task's request as it was, after asking (it is a new, billed task). */
export async function generateAgain(context: CommandContext, task: TaskRecord): Promise<string | undefined> {
	// Checked before the question about billing: a task that cannot be sent as it was (a tracked task
	// with no prompt, an image file gone) is never confirmed only to fail.
	const frames = await framesOf(task);
	const request: GenerateRequest = {
		model: task.model,
		prompt: task.prompt,
		negativePrompt: task.negativePrompt,
		parameters: task.parameters,
		image: frames.image,
		lastImage: frames.image && frames.lastImage,
	};
	const problem = frames.problems[0] ?? loadModels().validateRequest(task.model, request)?.message;
	if (problem) {
		const choice = await vscode.window.showErrorMessage(vscode.l10n.t('VideoGen cannot generate this task again as it was: {0}', problem), vscode.l10n.t('Edit & Generate Again'));
		return choice ? editAndGenerateAgain(context, task) : undefined;
	}
	const again = vscode.l10n.t('Generate Again');
	const confirm = await vscode.window.showWarningMessage(
		vscode.l10n.t('Generate "{0}" again with {1}? This submits a new task, which the service bills like any other.', shortPrompt(task, 40), loadModels().modelLabel(task.model)),
		{ modal: true },
		again,
	);
	if (confirm !== again) {
		return undefined;
	}
	const service = await connect(context);
	if (!service) {
		return undefined;
	}
	return submit(context, new PromptHistory(context.globalState), request, service, task.id);
}

/** Runs the questions; when they are closed, what was typed in the prompt stays in the history. */
async function ask(history: PromptHistory, options: Parameters<typeof runFlow>[0]): Promise<Draft | undefined> {
	const startPrompt = options.draft.prompt;
	const done = await runFlow(options);
	if (!done && options.draft.prompt !== startPrompt) {
		await history.leftUnsubmitted(options.draft.prompt);
	}
	return done;
}

function toRequest(draft: Draft): GenerateRequest {
	return { model: draft.model, ...requestOf(draft) };
}

/** Where a request goes and with which key. */
interface Service {
	readonly origin: string;
	readonly key: string;
}

/**
 * The API origin and the key: `undefined` after saying why the base URL setting cannot be used, or
 * when no key is stored and the user gave none when asked.
 */
async function connect(context: CommandContext): Promise<Service | undefined> {
	const origin = apiOrigin();
	// The key of the host the task goes to, and only that host's.
	const key = origin && await keyOrAsk(context.apiKey, origin);
	return origin && key ? { origin, key } : undefined;
}

/**
 * Saves and submits the task once; says what went wrong, with Try Again only when nothing can have been
 * created. `retryOf` is the task this one sends again, if any (Try Again sends again the refused one).
 */
async function submit(context: CommandContext, history: PromptHistory, request: GenerateRequest, { origin, key }: Service, retryOf?: string): Promise<string | undefined> {
	let outcome: Awaited<ReturnType<CommandContext['service']['submit']>>;
	try {
		outcome = await vscode.window.withProgress(
			{ location: { viewId: 'videogen.tasks' }, title: vscode.l10n.t('Submitting video task') },
			() => context.service.submit(request, key, origin, { retryOf }),
		);
	} catch (error) {
		const refused = error instanceof loadModels().RequestError;
		void vscode.window.showErrorMessage(refused
			? vscode.l10n.t('VideoGen did not submit the task: {0}', (error as Error).message)
			: vscode.l10n.t('VideoGen could not save the task, so nothing was submitted: {0}', error instanceof Error ? error.message : String(error)));
		return undefined;
	}
	if (request.prompt.trim()) {
		await history.submitted(request.prompt);
	}
	const { task, error, removed } = outcome;
	if (error && removed) {
		// Removed from the list while it was being submitted, and the submit failed: nothing to try
		// again, but one that may have reached the service may be billed, and only the console knows its id.
		if (error.maybeSubmitted) {
			void vscode.window.showInformationMessage(vscode.l10n.t('The task you removed while it was being submitted may have reached the service anyway; VideoGen does not follow it. If the service took it, your UModelverse console shows its id, and "VideoGen: Track Task by ID" follows it.'));
		}
		return undefined;
	}
	if (error) {
		const retry = error.maybeSubmitted ? undefined : () => submit(context, history, request, { origin, key }, task.id);
		void showApiError(error, { retry, taskId: task.id });
		return undefined;
	}
	if (removed) {
		// Removed from the list while it was being submitted: it stays removed, but the service took
		// it (and bills it), so its id, the one way back to it, is named rather than a "submitted" the view does not show.
		void vscode.window.showInformationMessage(vscode.l10n.t('The service accepted the task you removed while it was being submitted. Its id is {0}; "VideoGen: Track Task by ID" follows it again.', task.taskId!));
		return task.taskId;
	}
	vscode.window.setStatusBarMessage(`$(check) ${vscode.l10n.t('VideoGen: task submitted; follow it in the VideoGen view')}`, 4000);
	return task.taskId;
}

/** The API origin, or `undefined` after saying why the base URL setting cannot be used. */
function apiOrigin(): string | undefined {
	const base = settings.apiOrigin();
	if (!base.origin) {
		void vscode.window.showErrorMessage(base.error!, vscode.l10n.t('Open Settings')).then(choice => choice && openSettings('videogen.baseUrl'));
	}
	return base.origin;
}

/** The task's images, read again; a file that cannot be read any more is left out and said why. */
async function framesOf(task: TaskRecord): Promise<{ image?: Frame; lastImage?: Frame; problems: string[] }> {
	const problems: string[] = [];
	const read = async (source: string | undefined, which: 'first' | 'last'): Promise<Frame | undefined> => {
		if (!source) {
			return undefined;
		}
		try {
			return await frameFromSource(source);
		} catch (error) {
			const reason = error instanceof Error ? error.message : String(error);
			problems.push(which === 'first'
				? vscode.l10n.t('The first frame could not be read again: {0}', reason)
				: vscode.l10n.t('The last frame could not be read again: {0}', reason));
			return undefined;
		}
	};
	return { image: await read(task.firstFrame, 'first'), lastImage: await read(task.lastFrame, 'last'), problems };
}

/**
 * The draft a script's argument describes, and the steps it answers. Throws with a message for the
 * user when a value given cannot be used (a value the model does not take, an unreadable image).
 */
async function draftFromArgument(argument: GenerateArgument): Promise<{ draft: Draft; answered: Set<StepKind> }> {
	const models = loadModels();
	const model = (typeof argument.model === 'string' && argument.model.trim()) || settings.model();
	const given: Record<string, ParameterValue> = {
		...(typeof argument.parameters === 'object' ? argument.parameters : {}),
		...(argument.size === undefined ? {} : { size: argument.size }),
		...(argument.duration === undefined ? {} : { duration: argument.duration }),
	};
	const hasParameters = argument.parameters !== undefined || argument.size !== undefined || argument.duration !== undefined;
	const answered = new Set<StepKind>();
	if (argument.model !== undefined || hasParameters) {
		answered.add('model');
	}
	if (argument.prompt !== undefined) {
		answered.add('prompt');
	}
	if (hasParameters) {
		answered.add('settings');
	}
	const draft: Draft = {
		model,
		prompt: typeof argument.prompt === 'string' ? argument.prompt.trim() : '',
		negativePrompt: typeof argument.negativePrompt === 'string' ? argument.negativePrompt : '',
		parameters: hasParameters ? { ...models.defaultParameters(model), ...given } : models.startingParameters(model, preferredParameters()),
		image: await imageArgument(argument.image),
		lastImage: await imageArgument(argument.lastImage),
	};
	if (draft.image) {
		answered.add('firstFrame');
		answered.add('lastFrame');
	}
	if (argument.prompt !== undefined) {
		const problem = models.promptProblem(model, typeof argument.prompt === 'string' ? argument.prompt : '');
		if (problem) {
			throw new Error(problem);
		}
	}
	const problem = models.validateRequest(model, { ...requestOf(draft), prompt: draft.prompt || '-' });
	const named = problem && (problem.field.startsWith('parameters.') ? problem.field.slice('parameters.'.length) in given : draft.image || draft.lastImage);
	if (problem && named) {
		throw new Error(problem.message);
	}
	return { draft, answered };
}

async function imageArgument(value: unknown): Promise<Frame | undefined> {
	if (value === undefined) {
		return undefined;
	}
	if (value instanceof vscode.Uri) {
		return readImageFile(value);
	}
	const link = typeof value === 'string' ? imageLink(value) : undefined;
	if (link) {
		return link;
	}
	if (typeof value !== 'string' || !/^file:/i.test(value)) {
		throw new ImageError(vscode.l10n.t('The image "{0}" is neither an https: link nor a file: URI.', String(value)));
	}
	return readImageFile(vscode.Uri.parse(value, true));
}
