/**
 * Generate Video: three quick questions (prompt, size, duration), then the task is saved and
 * submitted and the user gets on with work while the VideoGen view follows it.
 */

import * as vscode from 'vscode';
import { checkDuration, checkPrompt, checkSize } from '../core/validation';
import { loadModels } from '../core/modelsLoader';
import { describeSize } from '../core/videoModels';
import { ApiKeyStore } from '../host/apiKeyStore';
import { openSettings, settings } from '../host/settings';
import { TaskService } from '../host/taskService';
import { showApiError } from '../views/errorMessages';
import { CommandContext } from './context';

/** What a script may pass to `videogen.generate`; each field given is not asked for. */
export interface GenerateArgument {
	readonly prompt?: string;
	readonly size?: string;
	readonly duration?: number;
	readonly model?: string;
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
	// The key of the host the task goes to, and only that host's.
	const key = await apiKey.getOrAsk(base.origin);
	if (!key) {
		return undefined;
	}
	const prompt = argument.prompt?.trim() ?? await askPrompt();
	if (!prompt) {
		return undefined;
	}
	const size = argument.size ?? await askSize(model);
	if (!size) {
		return undefined;
	}
	const duration = argument.duration ?? await askDuration(model);
	if (!duration) {
		return undefined;
	}
	const request = { prompt, model, size, duration };
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
		const retry = error.maybeSubmitted ? undefined : () => generateVideo(service, apiKey, request);
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
	if (argument.size !== undefined) {
		const problem = typeof argument.size === 'string' ? checkSize(model, argument.size) : `The size must be text such as "720x1280".`;
		if (problem) {
			return problem;
		}
	}
	if (argument.duration !== undefined) {
		return typeof argument.duration === 'number' ? checkDuration(model, argument.duration) : checkDuration(model, Number.NaN);
	}
	return undefined;
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

async function askSize(model: string): Promise<string | undefined> {
	const sizes = preferFirst(loadModels().modelInfo(model).sizes, settings.defaultSize());
	const picked = await vscode.window.showQuickPick(
		sizes.map(size => ({ label: size, description: describeSize(size) })),
		{ title: 'Generate Video (2/3): Size', placeHolder: 'Pick the video size', ignoreFocusOut: true },
	);
	return picked?.label;
}

async function askDuration(model: string): Promise<number | undefined> {
	const durations = preferFirst(loadModels().modelInfo(model).durations, settings.defaultDuration());
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
