/**
 * Track Task by ID: follows a task submitted elsewhere, or, called on a task whose submit outcome
 * is unknown, attaches the id found in the console to it.
 */

import * as vscode from 'vscode';
import { isTrackable, isValidTaskId, TaskRecord } from '../core/task';
import { settings } from '../host/settings';
import { shortPrompt } from '../views/taskPresentation';
import { CommandContext } from './context';

export async function trackTask({ service }: CommandContext, argument?: unknown) {
	const base = settings.apiOrigin();
	if (!base.origin) {
		void vscode.window.showErrorMessage(base.error!);
		return undefined;
	}
	const attachTo = typeof argument === 'string' ? service.tasks.get(argument) : argument && typeof argument === 'object' && 'task' in argument ? (argument as { task: TaskRecord }).task : undefined;
	const taskId = (await vscode.window.showInputBox({
		title: vscode.l10n.t('VideoGen: Track Task by ID'),
		prompt: attachTo
			? vscode.l10n.t('The service\'s id for "{0}", as shown in your UModelverse console', shortPrompt(attachTo, 40))
			: vscode.l10n.t('The id of a task submitted elsewhere (for example from your UModelverse console)'),
		placeHolder: vscode.l10n.t('task id'),
		ignoreFocusOut: true,
		validateInput: value => isValidTaskId(value.trim()) ? undefined : vscode.l10n.t('A task id is letters, digits, "-" and "_" only.'),
	}))?.trim();
	if (!taskId) {
		return undefined;
	}
	const task = await service.track(taskId, attachTo?.apiOrigin ?? base.origin, settings.model(), attachTo && isTrackable(attachTo) ? attachTo.id : undefined);
	return task.taskId;
}
