/** Play Video: opens the player on a task whose video is on disk. */

import * as vscode from 'vscode';
import { isPlayable } from '../core/task';
import { shortPrompt } from '../views/taskPresentation';
import { CommandContext } from './context';
import { TaskArgument } from './taskArgument';

export async function play({ tasks, players }: CommandContext, argument?: TaskArgument) {
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
}
