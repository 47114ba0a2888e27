/**
 * Save a Copy...: puts a saved video on the user's own computer, the way that works in this window
 * (a save dialog, or in a browser the browser's download; see src/player/saveCopy.ts, loaded on first use).
 */

import * as vscode from 'vscode';
import { isPlayable } from '../core/task';
import { loadPlayer } from '../views/playerLoader';
import { shortPrompt } from '../views/taskPresentation';
import { CommandContext } from './context';
import { TaskArgument } from './taskArgument';

export async function saveCopy(context: CommandContext, argument?: TaskArgument) {
	const task = await context.tasks.resolve(argument, 'Save a copy of which video?', isPlayable);
	if (!task) {
		return false;
	}
	const files = task.download?.files ?? [];
	if (!isPlayable(task) || !files.length) {
		void vscode.window.showInformationMessage(`"${shortPrompt(task, 40)}" has no saved video yet.`);
		return false;
	}
	return loadPlayer().saveCopy(task, files, context);
}
