/**
 * What the user is told when something happens without being asked: a video is ready, a task or a
 * download failed, the service refused the polling, the task list could not be saved. A bundle of its
 * own, `dist/notices.js` (see esbuild.js), loaded through src/views/noticesLoader.ts the first time
 * there is something to tell, so activation never pays for the words.
 */

import * as path from 'path';
import * as vscode from 'vscode';
import { DownloadError } from '../core/errors';
import { TaskRecord } from '../core/task';
import type { SaveFailure } from '../core/taskStore';
import { saveCopyLabel, VideoActions } from '../core/videoActions';
import { settings } from '../host/settings';
import { shortPrompt } from '../views/taskPresentation';

export { showApiError } from '../views/errorMessages';

export function onSaveFailed({ file, error }: SaveFailure): void {
	const [reason, advice] = saveProblem(error);
	void vscode.window.showErrorMessage(
		`VideoGen could not save its task list in ${path.dirname(file)}: ${reason}. Nothing is lost while this window stays open: VideoGen keeps trying, and saves the list as soon as it can. ${advice}`,
		'Show Log',
	).then(choice => {
		if (choice) {
			void vscode.commands.executeCommand('videogen.showLog');
		}
	});
}

function saveProblem(error: NodeJS.ErrnoException): [reason: string, advice: string] {
	switch (error.code) {
		case 'ENOSPC':
		case 'EDQUOT':
			return ['the disk is full', 'Free some space on that disk.'];
		case 'EFBIG':
			return ['the file would be larger than the system allows (EFBIG)', 'Free some space on that disk, or raise the file size limit.'];
		case 'EROFS':
			return ['the disk is read-only', 'Make that folder writable.'];
		case 'EACCES':
		case 'EPERM':
			return [`the folder refused the write (${error.code})`, 'Make that folder writable.'];
		default:
			return [`the write failed (${error.code ?? error.message})`, 'Check that folder.'];
	}
}

export function onFinished(task: TaskRecord): void {
	const name = `"${shortPrompt(task, 50)}"`;
	if (task.phase === 'failed') {
		void vscode.window.showErrorMessage(`VideoGen: ${name} failed: ${task.error}`, 'Generate Again', 'Show Log').then(choice => {
			if (choice === 'Generate Again') {
				void vscode.commands.executeCommand('videogen.regenerate', task.id);
			} else if (choice) {
				void vscode.commands.executeCommand('videogen.showLog');
			}
		});
	} else if (task.phase === 'expired') {
		void vscode.window.showWarningMessage(`VideoGen: ${name} expired on the service. ${task.error ?? ''}`.trim(), 'Generate Again').then(choice => {
			if (choice) {
				void vscode.commands.executeCommand('videogen.regenerate', task.id);
			}
		});
	} else if (task.phase === 'succeeded' && !task.urls?.length) {
		void vscode.window.showWarningMessage(`VideoGen: ${name} finished, but the service sent no video link.`, 'Refresh').then(choice => {
			if (choice) {
				void vscode.commands.executeCommand('videogen.refresh');
			}
		});
	}
}

/** Offers Play, and Reveal File where the video is on the user's computer, else Save a Copy. */
export function onSaved(task: TaskRecord, actions: VideoActions): void {
	switch (settings.openOnSuccess()) {
		case 'open':
			void vscode.commands.executeCommand('videogen.play', task.id);
			return;
		case 'none':
			return;
		case 'notify': {
			const [label, command] = actions.videosAreLocal ? ['Reveal File', 'videogen.revealFile'] : [saveCopyLabel, 'videogen.saveCopy'];
			void vscode.window.showInformationMessage(`VideoGen: your video ${`"${shortPrompt(task, 50)}"`} is ready.`, 'Play', label).then(choice => {
				if (choice === 'Play') {
					void vscode.commands.executeCommand('videogen.play', task.id);
				} else if (choice) {
					void vscode.commands.executeCommand(command, task.id);
				}
			});
		}
	}
}

/** Reported with a way to try again (an expired link was already refreshed once by the download queue). */
export function onDownloadFailed(task: TaskRecord, error: DownloadError): void {
	void vscode.window.showWarningMessage(`VideoGen could not save "${shortPrompt(task, 40)}": ${error.message}`, 'Download Again', 'Show Log').then(choice => {
		if (choice === 'Download Again') {
			void vscode.commands.executeCommand('videogen.retryDownload', task.id);
		} else if (choice) {
			void vscode.commands.executeCommand('videogen.showLog');
		}
	});
}
