/**
 * Attach Task ID: on a task whose submit outcome is unknown (the service may have accepted it, but
 * no id came back), takes the id the user found in the UModelverse console and follows the task by
 * it. Offered only on such a task's row, and by the message that reported the unknown outcome;
 * Track Task by ID never attaches.
 */

import * as vscode from 'vscode';
import { isTrackable } from '../core/task';
import { shortPrompt } from '../views/taskPresentation';
import { CommandContext } from './context';
import { TaskArgument } from './taskArgument';
import { askTaskId, revealListed } from './trackTask';

export async function attachTaskId(context: CommandContext, argument?: TaskArgument) {
	const task = await context.tasks.resolve(argument, vscode.l10n.t('Attach a task id to which task?'), isTrackable);
	if (!task) {
		return undefined;
	}
	if (!isTrackable(task)) {
		void vscode.window.showInformationMessage(vscode.l10n.t('"{0}" already has a task id; Attach Task ID is for a task whose submit outcome is unknown.', shortPrompt(task, 40)));
		return undefined;
	}
	const taskId = await askTaskId(vscode.l10n.t('VideoGen: Attach Task ID'), vscode.l10n.t('The service\'s id for "{0}", as shown in your UModelverse console', shortPrompt(task, 40)));
	if (!taskId || await revealListed(context, taskId)) {
		return undefined;
	}
	const attached = await context.service.track(taskId, task.apiOrigin, task.model, task.id);
	return attached.taskId;
}
