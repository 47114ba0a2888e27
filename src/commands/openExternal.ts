/**
 * Open in System Player: hands the saved file to the operating system (which also plays its sound).
 * Only where the video is on the user's computer; elsewhere it says so and offers Save a Copy.
 */

import * as vscode from 'vscode';
import { isPlayable } from '../core/task';
import { CommandContext } from './context';
import { offerSaveCopyInstead } from './saveCopy';
import { TaskArgument } from './taskArgument';

export async function openExternal({ tasks, actions }: CommandContext, argument?: TaskArgument) {
	const task = await tasks.resolve(argument, vscode.l10n.t('Open which video in the system player?'), isPlayable);
	const file = task?.download?.files?.[0];
	if (task && file && !actions.videosAreLocal) {
		offerSaveCopyInstead('openExternal', task.id);
	} else if (file) {
		await vscode.env.openExternal(vscode.Uri.file(file));
	}
}
