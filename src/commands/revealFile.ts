/** Reveal File: shows the saved video in the operating system's file manager. */

import * as vscode from 'vscode';
import { isPlayable } from '../core/task';
import { CommandContext } from './context';
import { TaskArgument } from './taskArgument';

export function registerRevealFile({ tasks }: CommandContext): vscode.Disposable {
	return vscode.commands.registerCommand('videogen.revealFile', async (argument?: TaskArgument) => {
		const task = await tasks.resolve(argument, vscode.l10n.t('Reveal which video?'), isPlayable);
		const file = task?.download?.files?.[0];
		if (file) {
			await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(file));
		}
	});
}
