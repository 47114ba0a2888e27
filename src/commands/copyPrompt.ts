/** Copy Prompt: a task's prompt, as it was sent, to the clipboard. */

import * as vscode from 'vscode';
import { CommandContext } from './context';
import { TaskArgument } from './taskArgument';

export async function copyPrompt({ tasks }: CommandContext, argument?: TaskArgument) {
	const task = await tasks.resolve(argument, vscode.l10n.t('Copy the prompt of which task?'), t => !!t.prompt.trim());
	if (!task?.prompt.trim()) {
		return undefined;
	}
	await vscode.env.clipboard.writeText(task.prompt);
	vscode.window.setStatusBarMessage(`$(copy) ${vscode.l10n.t('VideoGen: prompt copied')}`, 4000);
	return task.prompt;
}
