/** Remove Task: forgets a task (asking first when the service may still be working on it). */

import * as vscode from 'vscode';
import { isTrackable, isUnfinished } from '../core/task';
import { shortPrompt } from '../views/taskPresentation';
import { CommandContext } from './context';
import { TaskArgument } from './taskArgument';

export async function removeTask({ service, tasks, players }: CommandContext, argument?: TaskArgument) {
	const task = await tasks.resolve(argument, 'Remove which task?');
	if (!task) {
		return;
	}
	if (isUnfinished(task) || isTrackable(task)) {
		const confirm = await vscode.window.showWarningMessage(
			`Stop following "${shortPrompt(task, 40)}"? The service keeps working on it; VideoGen just forgets it.${task.taskId ? ` Its id is ${task.taskId}.` : ''}`,
			{ modal: true }, 'Remove');
		if (confirm !== 'Remove') {
			return;
		}
	}
	players.close(task.id);
	await service.remove([task.id]);
}
