/**
 * Track Task by ID: follows a task submitted elsewhere (from the palette, the view's menu or the
 * welcome view). It always tracks a new id, whatever row is selected: attaching an id to a task
 * whose submit outcome is unknown is Attach Task ID, on that task's row (./attachTaskId.ts). An id
 * already listed is not added again: its row is shown and selected, and, when it was marked expired
 * (the service answered 404 about it), followed again. The task can be given a name,
 * shown in the list in place of the prompt VideoGen does not know; it is never sent anywhere.
 */

import * as vscode from 'vscode';
import { isRevivable, isValidTaskId } from '../core/task';
import { settings } from '../host/settings';
import { shortPrompt } from '../views/taskPresentation';
import { CommandContext } from './context';

export async function trackTask(context: CommandContext) {
	const { service } = context;
	const base = settings.apiOrigin();
	if (!base.origin) {
		void vscode.window.showErrorMessage(base.error!);
		return undefined;
	}
	const taskId = await askTaskId(vscode.l10n.t('VideoGen: Track Task by ID (1/2)'), vscode.l10n.t('The id of a task submitted elsewhere (for example from your UModelverse console)'));
	if (!taskId) {
		return undefined;
	}
	const listed = service.tasks.findByTaskId(taskId);
	if (listed && isRevivable(listed)) {
		// The user says the service knows it after all: it is asked about again (404s expire it again).
		const revived = await service.track(taskId, listed.apiOrigin, listed.model);
		await Promise.resolve(context.revealTask(revived.id)).catch(() => undefined);
		void vscode.window.showInformationMessage(vscode.l10n.t('Task {0} is already in the list, as "{1}", marked expired. VideoGen asks the service about it again.', taskId, shortPrompt(revived, 60)));
		return taskId;
	}
	if (await revealListed(context, taskId)) {
		return taskId;
	}
	const name = await vscode.window.showInputBox({
		title: vscode.l10n.t('VideoGen: Track Task by ID (2/2)'),
		prompt: vscode.l10n.t('Name (optional): how the task is shown in the list, since VideoGen does not know its prompt. Leave it empty to show its id.'),
		placeHolder: vscode.l10n.t('Name (optional)'),
		ignoreFocusOut: true,
	});
	if (name === undefined) {
		return undefined;
	}
	const task = await service.track(taskId, base.origin, settings.model(), undefined, name);
	void context.revealTask(task.id);
	return task.taskId;
}

/** The task id box of Track Task by ID and Attach Task ID. */
export async function askTaskId(title: string, prompt: string): Promise<string | undefined> {
	return (await vscode.window.showInputBox({
		title,
		prompt,
		placeHolder: vscode.l10n.t('task id'),
		ignoreFocusOut: true,
		validateInput: value => isValidTaskId(value.trim()) ? undefined : vscode.l10n.t('A task id is letters, digits, "-" and "_" only.'),
	}))?.trim() || undefined;
}

/** When a task with this service id is listed, shows and selects its row and says so. */
export async function revealListed({ service, revealTask }: CommandContext, taskId: string): Promise<boolean> {
	const listed = service.tasks.findByTaskId(taskId);
	if (!listed) {
		return false;
	}
	await Promise.resolve(revealTask(listed.id)).catch(() => undefined);
	void vscode.window.showInformationMessage(vscode.l10n.t('Task {0} is already in the list, as "{1}". It is selected in the VideoGen view.', taskId, shortPrompt(listed, 60)));
	return true;
}
