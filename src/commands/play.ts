/** The commands that act on one task or on the list: play, open, reveal, copy, remove, track, refresh. */

import * as vscode from 'vscode';
import { isFinished, isUnfinished, isValidTaskId, TaskRecord } from '../core/task';
import { settings } from '../host/settings';
import { TaskService } from '../host/taskService';
import { PlayerPanels } from '../views/playerPanel';
import { shortPrompt } from '../views/taskPresentation';
import { TaskArgument, TaskResolver } from './taskArgument';

const isPlayable = (task: TaskRecord) => task.download?.phase === 'done' && !!task.download.files?.length;

export function registerTaskCommands(service: TaskService, tasks: TaskResolver, players: PlayerPanels, log: vscode.LogOutputChannel): vscode.Disposable {
	const { store } = service;
	return vscode.Disposable.from(
		vscode.commands.registerCommand('videogen.refresh', async () => {
			await service.refresh();
		}),
		vscode.commands.registerCommand('videogen.play', async (argument?: TaskArgument) => {
			const task = await tasks.resolve(argument, 'Play which video?', isPlayable);
			if (!task) {
				return false;
			}
			if (!isPlayable(task)) {
				void vscode.window.showInformationMessage(`"${shortPrompt(task, 40)}" has no saved video yet.`);
				return false;
			}
			players.open(task);
			return true;
		}),
		vscode.commands.registerCommand('videogen.openExternal', async (argument?: TaskArgument) => {
			const task = await tasks.resolve(argument, 'Open which video in the system player?', isPlayable);
			const file = task?.download?.files?.[0];
			if (file) {
				await vscode.env.openExternal(vscode.Uri.file(file));
			}
		}),
		vscode.commands.registerCommand('videogen.revealFile', async (argument?: TaskArgument) => {
			const task = await tasks.resolve(argument, 'Reveal which video?', isPlayable);
			const file = task?.download?.files?.[0];
			if (file) {
				await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(file));
			}
		}),
		vscode.commands.registerCommand('videogen.copyUrl', async (argument?: TaskArgument) => {
			const task = await tasks.resolve(argument, 'Copy the link of which video?', t => !!t.urls?.length);
			const urls = task?.urls ?? [];
			if (!task || !urls.length) {
				return undefined;
			}
			const url = urls.length === 1 ? urls[0] : (await vscode.window.showQuickPick(urls.map((u, i) => ({ label: `Video ${i + 1}`, detail: u })), { placeHolder: 'Copy which link?' }))?.detail;
			if (url) {
				await vscode.env.clipboard.writeText(url);
				vscode.window.setStatusBarMessage('$(copy) VideoGen: video link copied (the service\'s links expire; the saved file does not)', 4000);
			}
			return url;
		}),
		vscode.commands.registerCommand('videogen.retryDownload', async (argument?: TaskArgument) => {
			const task = await tasks.resolve(argument, 'Download which video again?', t => t.phase === 'succeeded');
			if (task) {
				// Links expire: ask the service for fresh ones first, then download.
				await service.refreshLinks(task.id);
				if (store.get(task.id)?.download?.phase === 'failed') {
					service.downloads.retry(task.id);
				}
			}
		}),
		vscode.commands.registerCommand('videogen.removeTask', async (argument?: TaskArgument) => {
			const task = await tasks.resolve(argument, 'Remove which task?');
			if (!task) {
				return;
			}
			if (isUnfinished(task) || task.phase === 'submitUnknown') {
				const confirm = await vscode.window.showWarningMessage(
					`Stop following "${shortPrompt(task, 40)}"? The service keeps working on it; VideoGen just forgets it.${task.taskId ? ` Its id is ${task.taskId}.` : ''}`,
					{ modal: true }, 'Remove');
				if (confirm !== 'Remove') {
					return;
				}
			}
			players.close(task.id);
			await service.remove([task.id]);
		}),
		vscode.commands.registerCommand('videogen.clearFinished', async () => {
			const count = store.all().filter(isFinished).length;
			if (!count) {
				void vscode.window.showInformationMessage('There are no finished VideoGen tasks to clear.');
				return 0;
			}
			const confirm = await vscode.window.showWarningMessage(
				`Remove ${count} finished task${count === 1 ? '' : 's'} from the list? Saved videos stay on disk.`, { modal: true }, 'Clear');
			return confirm === 'Clear' ? service.clearFinished() : 0;
		}),
		vscode.commands.registerCommand('videogen.trackTask', async (argument?: unknown) => {
			const base = settings.apiOrigin();
			if (!base.origin) {
				void vscode.window.showErrorMessage(base.error!);
				return undefined;
			}
			// Called on a task whose submit outcome is unknown: the id found elsewhere is attached to it.
			const attachTo = typeof argument === 'string' ? store.get(argument) : argument && typeof argument === 'object' && 'task' in argument ? (argument as { task: TaskRecord }).task : undefined;
			const taskId = (await vscode.window.showInputBox({
				title: 'VideoGen: Track Task by ID',
				prompt: attachTo ? `The service's id for "${shortPrompt(attachTo, 40)}", as shown in your UModelverse console` : 'The id of a task submitted elsewhere (for example from your UModelverse console)',
				placeHolder: 'task id',
				ignoreFocusOut: true,
				validateInput: value => isValidTaskId(value.trim()) ? undefined : 'A task id is letters, digits, "-" and "_" only.',
			}))?.trim();
			if (!taskId) {
				return undefined;
			}
			const task = await service.track(taskId, attachTo?.apiOrigin ?? base.origin, settings.model(), attachTo?.phase === 'submitUnknown' ? attachTo.id : undefined);
			return task.taskId;
		}),
		vscode.commands.registerCommand('videogen.showLog', () => log.show(true)),
	);
}
