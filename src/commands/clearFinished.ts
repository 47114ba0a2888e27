/**
 * Clear Finished Tasks and Clear Failed Tasks: forget tasks from the list, after asking. Saved videos
 * stay on disk, and both say where. Clear Finished keeps the failed tasks (their reason, Generate
 * Again) unless the user also asks for them; Clear Failed removes only those.
 *
 * Neither closes a player: a task whose player is open stays in the list, and the message says so.
 * Clearing is about the list; the video the user is watching is not part of that.
 */

import * as vscode from 'vscode';
import { sentences } from '../core/l10n';
import { isFailure, isFinished, TaskRecord } from '../core/task';
import { CommandContext } from './context';
import { offerVideosFolder } from './openVideosFolder';

export async function clearFinished(context: CommandContext) {
	const { service, players } = context;
	const open = (task: TaskRecord) => players.openPanels.has(task.id);
	const finished = service.tasks.all().filter(task => isFinished(task) && !isFailure(task));
	const failed = service.tasks.all().filter(isFailure);
	const clearable = finished.filter(task => !open(task));
	if (!clearable.length) {
		void vscode.window.showInformationMessage(finished.length
			? vscode.l10n.t('The finished VideoGen tasks have their player open, so they stay in the list. Close a player to clear its task.')
			: vscode.l10n.t('There are no finished VideoGen tasks to clear.'));
		return [];
	}
	const folder = service.videosFolderIfValid();
	const clear = vscode.l10n.t('Clear');
	const alsoFailed = vscode.l10n.t('Clear Finished and Failed');
	const question = clearable.length === 1
		? vscode.l10n.t('Remove 1 finished task from the list? Failed tasks stay.')
		: vscode.l10n.t('Remove {0} finished tasks from the list? Failed tasks stay.', clearable.length);
	const choice = await vscode.window.showWarningMessage(question, { modal: true, detail: savedVideosStay(folder) }, clear, ...(failed.length ? [alsoFailed] : []));
	if (choice !== clear && choice !== alsoFailed) {
		return [];
	}
	const removed = await service.clearFinished(open);
	if (choice === alsoFailed) {
		removed.push(...await service.clearFailed(open));
	}
	tellCleared(removed.length, finished.length - clearable.length, folder);
	return removed;
}

export async function clearFailed(context: CommandContext) {
	const { service, players } = context;
	const open = (task: TaskRecord) => players.openPanels.has(task.id);
	const count = service.tasks.all().filter(task => isFailure(task) && !open(task)).length;
	if (!count) {
		void vscode.window.showInformationMessage(vscode.l10n.t('There are no failed VideoGen tasks to clear.'));
		return [];
	}
	const folder = service.videosFolderIfValid();
	const clear = vscode.l10n.t('Clear');
	const choice = await vscode.window.showWarningMessage(count === 1
		? vscode.l10n.t('Remove 1 failed task from the list?')
		: vscode.l10n.t('Remove {0} failed tasks from the list?', count), { modal: true, detail: savedVideosStay(folder) }, clear);
	if (choice !== clear) {
		return [];
	}
	const removed = await service.clearFailed(open);
	tellCleared(removed.length, 0, folder);
	return removed;
}

function savedVideosStay(folder: string | undefined): string {
	return folder
		? vscode.l10n.t('Saved videos stay in {0}.', folder)
		: vscode.l10n.t('Saved videos stay on disk.');
}

/** Says how many tasks went, how many stayed because their player is open, and where the videos are, with Open Videos Folder. */
function tellCleared(removed: number, kept: number, folder: string | undefined): void {
	const gone = removed === 1 ? vscode.l10n.t('Removed 1 task from the list.') : vscode.l10n.t('Removed {0} tasks from the list.', removed);
	const stayed = kept === 0 ? undefined : kept === 1
		? vscode.l10n.t('1 task whose player is open stays.')
		: vscode.l10n.t('{0} tasks whose player is open stay.', kept);
	offerVideosFolder(sentences(gone, stayed, savedVideosStay(folder)));
}
