/**
 * Open Videos Folder: shows where VideoGen saves videos. Where the videos are on the user's computer
 * (a desktop window, not remote) it opens the folder in the operating system's file manager, with the
 * newest video selected. Elsewhere (a remote window, a browser) the computer's file manager cannot
 * reach the folder: it is shown in the Explorer when it is inside the workspace, and otherwise the
 * message names the folder and offers to copy its path or open it in a new window.
 */

import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { openSettings } from '../host/settings';
import { CommandContext } from './context';

export async function openVideosFolder({ service, actions }: CommandContext) {
	let folder: string;
	try {
		folder = service.videosFolder();
	} catch (error) {
		const open = vscode.l10n.t('Open Settings');
		if (await vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error), open)) {
			void openSettings('videogen.downloadFolder');
		}
		return undefined;
	}
	if (!fs.existsSync(folder)) {
		void vscode.window.showInformationMessage(vscode.l10n.t('No video has been saved yet. VideoGen saves videos in {0}.', folder));
		return folder;
	}
	const uri = vscode.Uri.file(folder);
	if (actions.videosAreLocal) {
		const newest = await newestVideo(folder);
		await vscode.commands.executeCommand('revealFileInOS', newest ? vscode.Uri.file(newest) : uri);
		return folder;
	}
	if (vscode.workspace.getWorkspaceFolder(uri)) {
		await vscode.commands.executeCommand('revealInExplorer', uri);
		return folder;
	}
	const copy = vscode.l10n.t('Copy Path');
	const openWindow = vscode.l10n.t('Open in New Window');
	void vscode.window.showInformationMessage(vscode.l10n.t('VideoGen saves videos in {0}, on the machine this window is connected to, so your computer\'s file manager cannot show it. Save a Copy... puts a video on your computer.', folder), copy, openWindow).then(async choice => {
		if (choice === copy) {
			await vscode.env.clipboard.writeText(folder);
		} else if (choice === openWindow) {
			await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: true });
		}
	});
	return folder;
}

/** An information message with an Open Videos Folder button. */
export function offerVideosFolder(message: string): void {
	const open = vscode.l10n.t('Open Videos Folder');
	void vscode.window.showInformationMessage(message, open).then(choice => {
		if (choice) {
			void vscode.commands.executeCommand('videogen.openVideosFolder');
		}
	});
}

/** The most recently written video in the folder, so the file manager opens on it. */
async function newestVideo(folder: string): Promise<string | undefined> {
	let newest: { file: string; time: number } | undefined;
	for (const entry of await fs.promises.readdir(folder, { withFileTypes: true }).catch(() => [])) {
		if (entry.isFile() && /\.mp4$/i.test(entry.name)) {
			const file = path.join(folder, entry.name);
			const time = (await fs.promises.stat(file).catch(() => undefined))?.mtimeMs ?? 0;
			if (!newest || time > newest.time) {
				newest = { file, time };
			}
		}
	}
	return newest?.file;
}
