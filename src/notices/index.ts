/**
 * What the user is told when something happens without being asked: a video is ready, a task or a
 * download failed, the service refused the polling, the task list could not be saved. A bundle of its
 * own, `dist/notices.js` (see esbuild.js), loaded through src/views/noticesLoader.ts the first time
 * there is something to tell, so activation never pays for the words.
 */

import * as path from 'path';
import * as vscode from 'vscode';
import { DownloadError } from '../core/errors';
import { isReusable, TaskRecord } from '../core/task';
import type { SaveFailure } from '../core/taskStore';
import { saveCopyLabel, VideoActions } from '../core/videoActions';
import { settings } from '../host/settings';
import { plainText } from '../core/serviceText';
import { insertPlaceOf } from '../core/videoLink';
import { shortPrompt } from '../views/taskPresentation';
import { sentences } from '../core/l10n';

export { showApiError } from '../views/errorMessages';

/** The buttons, named as the commands they run. */
const labels = {
	get showLog() { return vscode.l10n.t('Show Log'); },
	get generateAgain() { return vscode.l10n.t('Generate Again'); },
	get refresh() { return vscode.l10n.t('Refresh'); },
	get play() { return vscode.l10n.t('Play'); },
	get revealFile() { return vscode.l10n.t('Reveal File'); },
	get downloadAgain() { return vscode.l10n.t('Download Again'); },
	get insertBelow() { return vscode.l10n.t('Insert below Selection'); },
};

export function onSaveFailed({ file, error }: SaveFailure): void {
	void vscode.window.showErrorMessage(saveProblem(path.dirname(file), error), labels.showLog).then(choice => {
		if (choice) {
			void vscode.commands.executeCommand('videogen.showLog');
		}
	});
}

/** Why the task list could not be saved in `folder`, that nothing is lost, and what to do: three whole sentences. */
function saveProblem(folder: string, error: NodeJS.ErrnoException): string {
	const meanwhile = vscode.l10n.t('Nothing is lost while this window stays open: VideoGen keeps trying, and saves the list as soon as it can.');
	switch (error.code) {
		case 'ENOSPC':
		case 'EDQUOT':
			return sentences(vscode.l10n.t('VideoGen could not save its task list in {0}: the disk is full.', folder), meanwhile, vscode.l10n.t('Free some space on that disk.'));
		case 'EFBIG':
			return sentences(vscode.l10n.t('VideoGen could not save its task list in {0}: the file would be larger than the system allows (EFBIG).', folder), meanwhile,
				vscode.l10n.t('Free some space on that disk, or raise the file size limit.'));
		case 'EROFS':
			return sentences(vscode.l10n.t('VideoGen could not save its task list in {0}: the disk is read-only.', folder), meanwhile, vscode.l10n.t('Make that folder writable.'));
		case 'EACCES':
		case 'EPERM':
			return sentences(vscode.l10n.t('VideoGen could not save its task list in {0}: the folder refused the write ({1}).', folder, error.code), meanwhile, vscode.l10n.t('Make that folder writable.'));
		default:
			return sentences(vscode.l10n.t('VideoGen could not save its task list in {0}: the write failed ({1}).', folder, error.code ?? error.message), meanwhile, vscode.l10n.t('Check that folder.'));
	}
}

export function onFinished(task: TaskRecord): void {
	const name = shortPrompt(task, 50);
	// Generate Again only for a task whose prompt is known: a task tracked by its id has none to send.
	const again = isReusable(task) ? [labels.generateAgain] : [];
	if (task.phase === 'failed') {
		void vscode.window.showErrorMessage(vscode.l10n.t('VideoGen: "{0}" failed: {1}', name, task.error ?? ''), ...again, labels.showLog).then(choice => {
			if (choice === labels.generateAgain) {
				void vscode.commands.executeCommand('videogen.regenerate', task.id);
			} else if (choice) {
				void vscode.commands.executeCommand('videogen.showLog');
			}
		});
	} else if (task.phase === 'expired') {
		const expired = task.error
			? vscode.l10n.t('VideoGen: "{0}" expired on the service. {1}', name, task.error)
			: vscode.l10n.t('VideoGen: "{0}" expired on the service.', name);
		void vscode.window.showWarningMessage(expired, ...again).then(choice => {
			if (choice) {
				void vscode.commands.executeCommand('videogen.regenerate', task.id);
			}
		});
	} else if (task.phase === 'succeeded' && !task.urls?.length) {
		void vscode.window.showWarningMessage(vscode.l10n.t('VideoGen: "{0}" finished, but the service sent no video link.', name), labels.refresh).then(choice => {
			if (choice) {
				void vscode.commands.executeCommand('videogen.refresh');
			}
		});
	}
}

/**
 * Offers Play, and Reveal File where the video is on the user's computer, else Save a Copy. A video
 * made from a selection in a Markdown file is offered, first, to go below that selection.
 */
export function onSaved(task: TaskRecord, actions: VideoActions): void {
	const place = insertPlaceOf(task.insertBelow);
	const insert = () => void vscode.commands.executeCommand('videogen.insertIntoDocument', { insertBelow: task.id });
	switch (settings.openOnSuccess()) {
		case 'open':
			void vscode.commands.executeCommand('videogen.play', task.id);
			if (place) {
				void vscode.window.showInformationMessage(vscode.l10n.t('VideoGen: "{0}" is ready. Insert it below the selection it was made from, in {1}?', shortPrompt(task, 50), documentName(place.uri)), labels.insertBelow).then(choice => choice && insert());
			}
			return;
		case 'none':
			return;
		case 'notify': {
			const [label, command] = actions.videosAreLocal ? [labels.revealFile, 'videogen.revealFile'] : [saveCopyLabel(), 'videogen.saveCopy'];
			const message = place
				? vscode.l10n.t('VideoGen: your video "{0}" is ready. Insert it below the selection it was made from, in {1}?', shortPrompt(task, 50), documentName(place.uri))
				: vscode.l10n.t('VideoGen: your video "{0}" is ready.', shortPrompt(task, 50));
			void vscode.window.showInformationMessage(message, ...(place ? [labels.insertBelow] : []), labels.play, label).then(choice => {
				if (choice === labels.insertBelow) {
					insert();
				} else if (choice === labels.play) {
					void vscode.commands.executeCommand('videogen.play', task.id);
				} else if (choice) {
					void vscode.commands.executeCommand(command, task.id);
				}
			});
		}
	}
}

/** A document's file name, from its URI, as plain text. */
function documentName(uri: string): string {
	const name = uri.slice(uri.lastIndexOf('/') + 1);
	try {
		return plainText(decodeURIComponent(name), 60);
	} catch {
		return plainText(name, 60);
	}
}

/** Reported with a way to try again (an expired link was already refreshed once by the download queue). */
export function onDownloadFailed(task: TaskRecord, error: DownloadError): void {
	void vscode.window.showWarningMessage(vscode.l10n.t('VideoGen could not save "{0}": {1}', shortPrompt(task, 40), error.message), labels.downloadAgain, labels.showLog).then(choice => {
		if (choice === labels.downloadAgain) {
			void vscode.commands.executeCommand('videogen.retryDownload', task.id);
		} else if (choice) {
			void vscode.commands.executeCommand('videogen.showLog');
		}
	});
}
