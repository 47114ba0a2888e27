/**
 * Generate Video: three quick questions (prompt, size, duration), then the task is saved and
 * submitted and the user gets on with work while the VideoGen view follows it.
 */

import * as vscode from 'vscode';
import { checkPrompt } from '../core/validation';
import { loadModels } from '../core/modelsLoader';
import { describeSize } from '../core/videoModels';
import { ApiKeyStore } from '../host/apiKeyStore';
import { openSettings, settings } from '../host/settings';
import { TaskService } from '../host/taskService';
import { showApiError } from '../views/errorMessages';
import { CommandContext } from '../commands/context';

/** What a script may pass to `videogen.generate`; each field given is not asked for. */
export interface GenerateArgument {
	readonly prompt?: string;
	readonly size?: string;
	readonly duration?: number;
	readonly model?: string;
	/** The model's parameters by name; with them, size and duration are not asked. */
	readonly parameters?: Readonly<Record<string, string | number | boolean>>;
}

export function registerGenerate({ service, apiKey }: CommandContext): vscode.Disposable {
	return vscode.commands.registerCommand('videogen.generate', (argument?: unknown) =>
		generateVideo(service, apiKey, isGenerateArgument(argument) ? argument : undefined));
}

function isGenerateArgument(value: unknown): value is GenerateArgument {
	return !!value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof vscode.Uri);
}

/** Runs the whole flow; resolves with the service's task id, or `undefined` if nothing was accepted. */
export async function generateVideo(service: TaskService, apiKey: ApiKeyStore, argument: GenerateArgument = {}): Promise<string | undefined> {
	const base = settings.apiOrigin();
	if (!base.origin) {
		const choice = await vscode.window.showErrorMessage(base.error!, 'Open Settings');
		if (choice) {
			void openSettings('videogen.baseUrl');
		}
		return undefined;
	}
	const model = argument.model?.trim() || settings.model();
	const invalid = validateArgument(model, argument);
	if (invalid) {
		void vscode.window.showErrorMessage(invalid);
		return undefined;
	}
	const key = await apiKey.getOrAsk();
	if (!key) {
		return undefined;
	}
	const prompt = argument.prompt?.trim() ?? await askPrompt();
	if (!prompt) {
		return undefined;
	}
	const asks = !argument.parameters && loadModels().isKnownModel(model);
	const size = argument.size ?? (asks ? await askSize(model) : undefined);
	if (asks && !size) {
		return undefined;
	}
	const duration = argument.duration ?? (asks ? await askDuration(model) : undefined);
	if (asks && !duration) {
		return undefined;
	}
	const parameters = { ...argument.parameters, ...(size === undefined ? {} : { size }), ...(duration === undefined ? {} : { duration }) };
	const request = { prompt, model, parameters };
	let outcome: Awaited<ReturnType<TaskService['submit']>>;
	try {
		outcome = await vscode.window.withProgress(
			{ location: { viewId: 'videogen.tasks' }, title: 'Submitting video task' },
			() => service.submit(request, key, base.origin!),
		);
	} catch (error) {
		void vscode.window.showErrorMessage(`VideoGen could not save the task, so nothing was submitted: ${error instanceof Error ? error.message : String(error)}`);
		return undefined;
	}
	const { task, error } = outcome;
	if (error) {
		const retry = error.maybeSubmitted ? undefined : () => generateVideo(service, apiKey, { prompt, model, parameters });
		void showApiError(error, { retry, taskId: task.id });
		return undefined;
	}
	vscode.window.setStatusBarMessage('$(check) VideoGen: task submitted; follow it in the VideoGen view', 4000);
	return task.taskId;
}

function validateArgument(model: string, argument: GenerateArgument): string | undefined {
	if (argument.prompt !== undefined && (typeof argument.prompt !== 'string' || checkPrompt(argument.prompt))) {
		return checkPrompt(String(argument.prompt ?? ''));
	}
	const parameters = { ...argument.parameters, ...(argument.size === undefined ? {} : { size: argument.size }), ...(argument.duration === undefined ? {} : { duration: argument.duration }) };
	const problem = loadModels().validateRequest(model, { prompt: argument.prompt ?? 'x', parameters });
	return problem?.field.startsWith('parameters.') ? problem.message : undefined;
}

async function askPrompt(): Promise<string | undefined> {
	const prompt = await vscode.window.showInputBox({
		title: 'Generate Video (1/3): Prompt',
		prompt: 'Describe the video: the scene, the subject, the motion, the style.',
		placeHolder: 'A paper boat drifting down a rainy street at dusk, cinematic',
		ignoreFocusOut: true,
		validateInput: checkPrompt,
	});
	return prompt?.trim() || undefined;
}

/** The values of the model's `name` parameter, when it is a list. */
function listOf(model: string, name: string): readonly (string | number)[] {
	const spec = loadModels().findModel(model)?.parameters.find(candidate => candidate.name === name);
	return spec?.type === 'enum' ? spec.values : [];
}

async function askSize(model: string): Promise<string | undefined> {
	const sizes = preferFirst(listOf(model, 'size').map(String), settings.defaultSize());
	const picked = await vscode.window.showQuickPick(
		sizes.map(size => ({ label: size, description: describeSize(size) })),
		{ title: 'Generate Video (2/3): Size', placeHolder: 'Pick the video size', ignoreFocusOut: true },
	);
	return picked?.label;
}

async function askDuration(model: string): Promise<number | undefined> {
	const durations = preferFirst(listOf(model, 'duration').map(Number), settings.defaultDuration());
	const picked = await vscode.window.showQuickPick(
		durations.map(seconds => ({ label: `${seconds} seconds`, seconds })),
		{ title: 'Generate Video (3/3): Duration', placeHolder: 'Pick the video length', ignoreFocusOut: true },
	);
	return picked?.seconds;
}

/** The configured default first, then the rest in their usual order. */
function preferFirst<T>(values: readonly T[], preferred: T): T[] {
	return values.includes(preferred) ? [preferred, ...values.filter(value => value !== preferred)] : [...values];
}
