/**
 * What the player offers beside the video, which depends on where the window runs
 * (`core/videoActions.ts`): its buttons and notes, what its policy lets the page fetch, and its answers
 * to what the page says (a button pressed, a video that does not play, a download that failed). Open in
 * System Player and Reveal File only where the video is on the user's computer; the note about the
 * missing sound only in the desktop app.
 */

import * as vscode from 'vscode';
import { plainText } from '../core/serviceText';
import { saveCopyLabel, VideoActions } from '../core/videoActions';
import { FromPlayer, PlayerAction, PlayerMessageType } from '../webview/protocol';
import { escapeHtml } from '../core/html';

const commands: Record<PlayerAction, string> = {
	[PlayerMessageType.OpenExternal]: 'videogen.openExternal',
	[PlayerMessageType.RevealFile]: 'videogen.revealFile',
	[PlayerMessageType.CopyUrl]: 'videogen.copyUrl',
	[PlayerMessageType.SaveCopy]: 'videogen.saveCopy',
	[PlayerMessageType.EditAndRegenerate]: 'videogen.editAndRegenerate',
	[PlayerMessageType.CopyPrompt]: 'videogen.copyPrompt',
	[PlayerMessageType.InsertIntoDocument]: 'videogen.insertIntoDocument',
	[PlayerMessageType.RemoveTask]: 'videogen.removeTask',
};

/**
 * The buttons, the first one primary: the system player where it can play the sound, else Save a Copy;
 * then what leads on from the video (into a document, a new version, the prompt), Remove last,
 * wherever the window runs. Named as the commands' titles are.
 */
export function actionButtons(actions: VideoActions): string {
	const buttons: [PlayerAction, string][] = actions.videosAreLocal
		? [[PlayerMessageType.OpenExternal, openExternalLabel()], [PlayerMessageType.SaveCopy, saveCopyLabel()], [PlayerMessageType.RevealFile, vscode.l10n.t('Reveal File')], [PlayerMessageType.CopyUrl, vscode.l10n.t('Copy URL')]]
		: [[PlayerMessageType.SaveCopy, saveCopyLabel()], [PlayerMessageType.CopyUrl, vscode.l10n.t('Copy URL')]];
	buttons.push(
		[PlayerMessageType.InsertIntoDocument, vscode.l10n.t('Insert into Document')],
		[PlayerMessageType.EditAndRegenerate, vscode.l10n.t('Edit & Generate Again')],
		[PlayerMessageType.CopyPrompt, vscode.l10n.t('Copy Prompt')],
		[PlayerMessageType.RemoveTask, vscode.l10n.t('Remove Task')],
	);
	return buttons.map(([action, label], index) =>
		`<button type="button"${index ? ' class="secondary"' : ''} data-action="${action}">${escapeHtml(label)}</button>`).join('\n\t\t\t');
}

/** The note about the sound, where there is something to say: the desktop app's webview plays no AAC. */
export function soundNote(actions: VideoActions): string {
	if (!actions.playsSilently) {
		return '';
	}
	const note = actions.videosAreLocal
		? vscode.l10n.t('Desktop VS Code plays MP4 video without its AAC sound, so the video plays silently here. Use <strong>{0}</strong> to hear it.', escapeHtml(openExternalLabel()))
		: vscode.l10n.t('Desktop VS Code plays MP4 video without its AAC sound, so the video plays silently here. Use <strong>{0}</strong> and play the copy on your computer to hear it.', escapeHtml(saveCopyLabel()));
	return `<p class="note sound">${note}</p>`;
}

/** Where the video is kept; `files` is already escaped HTML. */
export function savedAtNote(actions: VideoActions, files: string): string {
	return `<p class="note">${actions.videosAreLocal ? vscode.l10n.t('Saved at {0}', files) : vscode.l10n.t('Saved at {0}, on the remote machine', files)}</p>`;
}

/** What the page says when the video cannot be played. */
export function playbackErrorText(actions: VideoActions): string {
	return actions.videosAreLocal
		? vscode.l10n.t('This video could not be played here. Use <strong>{0}</strong>.', escapeHtml(openExternalLabel()))
		: vscode.l10n.t('This video could not be played here. Use <strong>{0}</strong> to play it on your computer.', escapeHtml(saveCopyLabel()));
}

/** Open in System Player, as its command title is. */
function openExternalLabel(): string {
	return vscode.l10n.t('Open in System Player');
}


/**
 * The policy's `connect-src`, only where the page downloads: it fetches the video from the webview's
 * own resource origin to hand it to the browser's download.
 */
export function connectSource(actions: VideoActions, webview: vscode.Webview): string[] {
	return actions.saveCopy === 'browserDownload' ? [`connect-src ${webview.cspSource}`] : [];
}

/** Answers what the page of task `taskId` says, but for `Ready`, which the panel itself handles. */
export function answerPage(actions: VideoActions, taskId: string, message: Exclude<FromPlayer, { type: PlayerMessageType.Ready }>): void {
	switch (message.type) {
		case PlayerMessageType.PlaybackError:
			offerAfterPlaybackError(actions, taskId, message.code);
			break;
		case PlayerMessageType.DownloadFailed:
			// The page's words, shown as plain text like every other text VideoGen did not write itself.
			void vscode.window.showWarningMessage(typeof message.status === 'number'
				? vscode.l10n.t('The browser could not download "{0}": the video could not be read (HTTP {1}).', plainText(message.name, 80), message.status)
				: vscode.l10n.t('The browser could not download "{0}": {1}', plainText(message.name, 80), plainText(message.reason, 300)));
			break;
		default:
			// A button: the command it stands for, on the player's task.
			void vscode.commands.executeCommand(commands[message.type], taskId);
	}
}

/** The host's answer to a video the player could not play: the way out that works in this window. */
function offerAfterPlaybackError(actions: VideoActions, taskId: string, code: number): void {
	const [label, command] = actions.videosAreLocal ? [openExternalLabel(), 'videogen.openExternal'] : [saveCopyLabel(), 'videogen.saveCopy'];
	void vscode.window.showWarningMessage(vscode.l10n.t('The player could not play this video (media error {0}). Try "{1}".', code, label), label).then(choice => {
		if (choice) {
			void vscode.commands.executeCommand(command, taskId);
		}
	});
}
