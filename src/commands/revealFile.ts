/**
 * Reveal File: shows the saved video in the operating system's file manager. Only where the video is
 * on the user's computer; elsewhere it says so and offers Save a Copy.
 */

import * as vscode from 'vscode';
import { isPlayable } from '../core/task';
import { CommandContext } from './context';
import { offerSaveCopyInstead } from './saveCopy';
import { TaskArgument } from './taskArgument';

export async function revealFile({ tasks, actions }: CommandContext, argument?: TaskArgument) {
	const task = await tasks.resolve(argument, vscode.l10n.t('Reveal which video?'), isPlayable);
	const file = task?.download?.files?.[0];
	if (task && file && !actions.videosAreLocal) {
		offerSaveCopyInstead('revealFile', task.id);
	} else if (file) {
		await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(file));
	}
}
