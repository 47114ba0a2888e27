/** Remove Task: forgets a task (asking first when the service may still be working on it). */

import * as vscode from 'vscode';
import { isTrackable, isUnfinished } from '../core/task';
import { shortPrompt } from '../views/taskPresentation';
import { CommandContext } from './context';
import { TaskArgument } from './taskArgument';

export async function removeTask({ service, tasks, players }: CommandContext, argument?: TaskArgument) {
	const task = await tasks.resolve(argument, vscode.l10n.t('Remove which task?'));
	if (!task) {
		return;
	}
	if (isUnfinished(task) || isTrackable(task)) {
		const remove = vscode.l10n.t('Remove');
		const confirm = await vscode.window.showWarningMessage(task.taskId
			? vscode.l10n.t('Stop following "{0}"? The service keeps working on it; VideoGen just forgets it. Its id is {1}.', shortPrompt(task, 40), task.taskId)
			: vscode.l10n.t('Stop following "{0}"? The service keeps working on it; VideoGen just forgets it.', shortPrompt(task, 40)),
		{ modal: true }, remove);
		if (confirm !== remove) {
			return;
		}
	}
	players.close(task.id);
	await service.remove([task.id]);
}
