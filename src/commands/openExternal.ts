/** Open in System Player: hands the saved file to the operating system (which also plays its sound). */

import * as vscode from 'vscode';
import { isPlayable } from '../core/task';
import { CommandContext } from './context';
import { TaskArgument } from './taskArgument';

export function registerOpenExternal({ tasks }: CommandContext): vscode.Disposable {
	return vscode.commands.registerCommand('videogen.openExternal', async (argument?: TaskArgument) => {
		const task = await tasks.resolve(argument, vscode.l10n.t('Open which video in the system player?'), isPlayable);
		const file = task?.download?.files?.[0];
		if (file) {
			await vscode.env.openExternal(vscode.Uri.file(file));
		}
	});
}
