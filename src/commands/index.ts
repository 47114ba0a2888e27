/**
 * Every command VideoGen contributes. Each lives in a file of its own, named for the command
 * (handlers.ts lists them); `CommandContext` is what they share. The commands are registered at
 * activation, and what they do is loaded the first time one runs.
 */

import * as vscode from 'vscode';
import { settings } from '../host/settings';
import { CommandContext } from './context';
import { loadFlow } from './flowLoader';
import type { CommandHandler, CommandId } from './handlers';
import { loadHandlers } from './handlersLoader';

export type { CommandContext } from './context';

const commandIds = [
	'videogen.generate',
	'videogen.generateFromSelection',
	'videogen.generateFromImage',
	'videogen.regenerate',
	'videogen.editAndRegenerate',
	'videogen.play',
	'videogen.openExternal',
	'videogen.revealFile',
	'videogen.saveCopy',
	'videogen.copyUrl',
	'videogen.retryDownload',
	'videogen.removeTask',
	'videogen.clearFinished',
	'videogen.clearFailed',
	'videogen.openVideosFolder',
	'videogen.trackTask',
	'videogen.attachTaskId',
	'videogen.refresh',
	'videogen.setApiKey',
	'videogen.clearApiKey',
	'videogen.selectModel',
	'videogen.clearPromptHistory',
	'videogen.showLog',
	'videogen.copyPrompt',
	'videogen.insertIntoDocument',
	'videogen.newPrompt',
	'videogen.generateFromPromptDocument',
	'videogen.showGallery',
] as const satisfies readonly CommandId[];

// Every command of handlers.ts is registered: this does not compile when one is left out above.
const everyCommand: Exclude<CommandId, typeof commandIds[number]> extends never ? true : never = true;
void everyCommand;

export function registerCommands(context: CommandContext): vscode.Disposable {
	return vscode.Disposable.from(
		...commandIds.map(id =>
			// A menu of the VideoGen view passes the row clicked and every row selected.
			vscode.commands.registerCommand(id, (argument?: unknown, selected?: unknown) => (loadHandlers()[id] as CommandHandler)(context, argument as never, selected as never))),
		forgetPromptsWhenTurnedOff(context.globalState),
	);
}

/** Turning `videogen.promptHistory` off forgets what Clear Prompt History would, at once and without asking. */
function forgetPromptsWhenTurnedOff(globalState: vscode.Memento): vscode.Disposable {
	return vscode.workspace.onDidChangeConfiguration(event => {
		if (event.affectsConfiguration('videogen.promptHistory') && !settings.promptHistory()) {
			void loadFlow().forgetPrompts(globalState);
		}
	});
}
