/** Generate Again: the same prompt, model and parameters as a new task, after asking (it is billed). */

import * as vscode from 'vscode';
import { shortPrompt } from '../views/taskPresentation';
import { CommandContext } from './context';
import { generateVideo } from '../flow/generate';
import { TaskArgument } from './taskArgument';

export function registerRegenerate({ service, apiKey, tasks }: CommandContext): vscode.Disposable {
	return vscode.commands.registerCommand('videogen.regenerate', async (argument?: TaskArgument) => {
		const task = await tasks.resolve(argument, 'Generate which video again?');
		if (!task) {
			return undefined;
		}
		const confirm = await vscode.window.showWarningMessage(
			`Generate "${shortPrompt(task, 40)}" again? This submits a new task, which the service bills like any other.`,
			{ modal: true },
			'Generate Again',
		);
		if (confirm !== 'Generate Again') {
			return undefined;
		}
		return generateVideo(service, apiKey, { prompt: task.prompt, parameters: task.parameters, model: task.model });
	});
}
