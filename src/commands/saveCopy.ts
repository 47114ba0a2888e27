/**
 * Save a Copy: puts a saved video on the user's own computer, where they choose. In the desktop app
 * that is a save dialog, and VS Code's file service copies the file across; in a remote window the
 * dialog shows the user's side (`vscode-local:`), as the Explorer's own Download... does there. In a
 * browser client the player page hands the video to the browser's download.
 */

import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { isPlayable } from '../core/task';
import { saveCopyLabel, SaveRoute } from '../core/videoActions';
import { shortPrompt } from '../views/taskPresentation';
import { CommandContext } from './context';
import { TaskArgument } from './taskArgument';

/** Where the last copy went, per route, so the next dialog opens there. */
const lastFolderKey = (route: SaveRoute) => `videogen.saveCopy.lastFolder.${route}`;

export async function saveCopy({ tasks, players, actions, globalState, log }: CommandContext, argument?: TaskArgument): Promise<boolean> {
	const task = await tasks.resolve(argument, vscode.l10n.t('Save a copy of which video?'), isPlayable);
	if (!task) {
		return false;
	}
	const files = task.download?.files ?? [];
	if (!isPlayable(task) || !files.length) {
		void vscode.window.showInformationMessage(vscode.l10n.t('"{0}" has no saved video yet.', shortPrompt(task, 40)));
		return false;
	}
	const index = files.length === 1 ? 0 : await pickVideo(files);
	if (index === undefined) {
		return false;
	}
	if (actions.saveCopy === 'browserDownload') {
		return players.download(task, index);
	}
	return !!await saveCopyWithDialog(files[index], actions.saveCopy, globalState, log);
}

async function pickVideo(files: readonly string[]): Promise<number | undefined> {
	const picked = await vscode.window.showQuickPick(
		files.map((file, index) => ({ label: vscode.l10n.t('Video {0}', index + 1), description: path.basename(file), index })),
		{ placeHolder: vscode.l10n.t('Save a copy of which video?') },
	);
	return picked?.index;
}

/**
 * Asks where, in a save dialog on the user's own file system, and copies `file` there. Resolves with
 * where the copy went, or `undefined` when the user cancelled or the copy failed (which they are told).
 */
export async function saveCopyWithDialog(file: string, route: 'saveDialog' | 'saveDialogLocal', state: vscode.Memento, log: vscode.LogOutputChannel): Promise<vscode.Uri | undefined> {
	const name = path.basename(file);
	const target = await vscode.window.showSaveDialog({
		defaultUri: defaultTarget(name, route, state),
		filters: { [vscode.l10n.t('MP4 video')]: ['mp4'] },
		saveLabel: vscode.l10n.t('Save a Copy'),
		title: vscode.l10n.t('Save a Copy of the Video'),
	});
	if (!target) {
		return undefined;
	}
	try {
		// The dialog has already asked before replacing a file that is there.
		await vscode.workspace.fs.copy(vscode.Uri.file(file), target, { overwrite: true });
	} catch (error) {
		log.error(`[saveCopy] copying ${file} to ${target.toString()} failed: ${String(error)}`);
		void vscode.window.showErrorMessage(vscode.l10n.t('VideoGen could not save a copy as {0}: {1}', target.fsPath, error instanceof Error ? error.message : String(error)), vscode.l10n.t('Show Log')).then(choice => {
			if (choice) {
				void vscode.commands.executeCommand('videogen.showLog');
			}
		});
		return undefined;
	}
	log.info(`[saveCopy] ${file} copied to ${target.toString()}`);
	await state.update(lastFolderKey(route), target.with({ path: path.posix.dirname(target.path) }).toString());
	vscode.window.setStatusBarMessage(`$(check) ${vscode.l10n.t('VideoGen: saved a copy as {0}', target.fsPath)}`, 5000);
	return target;
}

/** The last folder a copy went to; else the home folder, or in a remote window the user's root (their home is not known here). */
function defaultTarget(name: string, route: 'saveDialog' | 'saveDialogLocal', state: vscode.Memento): vscode.Uri {
	const last = state.get<string>(lastFolderKey(route));
	if (last) {
		return vscode.Uri.joinPath(vscode.Uri.parse(last), name);
	}
	return route === 'saveDialog'
		? vscode.Uri.file(path.join(os.homedir(), name))
		: vscode.Uri.from({ scheme: 'vscode-local', path: `/${name}` });
}

/**
 * For Open in System Player and Reveal File where the video is not on the user's computer (a remote
 * window, a browser): says why they cannot work, and offers Save a Copy instead.
 */
export function offerSaveCopyInstead(action: 'openExternal' | 'revealFile', taskId: string): void {
	const label = saveCopyLabel();
	void vscode.window.showInformationMessage(action === 'openExternal'
		? vscode.l10n.t('Open in System Player is not available in this window: the video is saved on the remote machine, not on your computer. {0} puts a copy on your computer.', label)
		: vscode.l10n.t('Reveal File is not available in this window: the video is saved on the remote machine, not on your computer. {0} puts a copy on your computer.', label),
	label,
	).then(choice => {
		if (choice) {
			void vscode.commands.executeCommand('videogen.saveCopy', taskId);
		}
	});
}
