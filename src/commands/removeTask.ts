/**
 * Remove Task: forgets tasks (asking first when the service may still be working on one). From the
 * VideoGen view it removes every selected row: from its menu, or with Delete (Cmd+Backspace on a Mac).
 * The videos already saved stay on disk.
 */

import * as vscode from 'vscode';
import { isTrackable, isUnfinished, TaskRecord } from '../core/task';
import { shortPrompt } from '../views/taskPresentation';
import { CommandContext } from './context';
import { TaskArgument } from './taskArgument';

/** What the Delete key's binding passes: the view's selection is meant. */
interface SelectionArgument {
	readonly selection: true;
}

export async function removeTask(context: CommandContext, argument?: TaskArgument | SelectionArgument, selected?: readonly unknown[]) {
	const { service, players } = context;
	const chosen = await tasksToRemove(context, argument, selected);
	if (!chosen.length) {
		return;
	}
	const running = chosen.filter(task => isUnfinished(task) || isTrackable(task));
	if (running.length) {
		const remove = vscode.l10n.t('Remove');
		const confirm = await vscode.window.showWarningMessage(confirmation(chosen, running), { modal: true }, remove);
		if (confirm !== remove) {
			return;
		}
	}
	const ids = chosen.map(task => task.id);
	ids.forEach(id => players.close(id));
	await service.remove(ids);
}

/** The clicked row with the rest of the selection when it is part of it; the selection for the Delete key; else one task. */
async function tasksToRemove({ tasks, selectedTasks }: CommandContext, argument: TaskArgument | SelectionArgument | undefined, selected: readonly unknown[] | undefined): Promise<TaskRecord[]> {
	if (argument && typeof argument === 'object' && 'selection' in argument) {
		return selectedTasks().map(id => tasks.find(id)).filter(task => !!task);
	}
	if (argument !== undefined && Array.isArray(selected) && selected.includes(argument) && selected.length > 1) {
		// Group headings and child lines in the selection name no task: they are left out.
		return [...new Set(selected.map(element => tasks.find(element)).filter(task => !!task))];
	}
	const task = await tasks.resolve(argument, vscode.l10n.t('Remove which task?'));
	return task ? [task] : [];
}

function confirmation(chosen: readonly TaskRecord[], running: readonly TaskRecord[]): string {
	if (chosen.length === 1) {
		const task = chosen[0];
		return task.taskId
			? vscode.l10n.t('Stop following "{0}"? The service keeps working on it; VideoGen just forgets it. Its id is {1}.', shortPrompt(task, 40), task.taskId)
			: vscode.l10n.t('Stop following "{0}"? The service keeps working on it; VideoGen just forgets it.', shortPrompt(task, 40));
	}
	return running.length === 1
		? vscode.l10n.t('Remove {0} tasks? The service may still be working on one of them, "{1}"; VideoGen just forgets it. Saved videos stay on disk.', chosen.length, shortPrompt(running[0], 40))
		: vscode.l10n.t('Remove {0} tasks? The service may still be working on {1} of them; VideoGen just forgets them. Saved videos stay on disk.', chosen.length, running.length);
}
