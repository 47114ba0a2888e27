/**
 * Clear Prompt History: forgets the recent prompts and the unsubmitted draft Generate Video keeps,
 * after asking (src/flow/promptHistory.ts). Turning `videogen.promptHistory` off forgets them too.
 */

import * as vscode from 'vscode';
import { settings } from '../host/settings';
import { CommandContext } from './context';
import { loadFlow } from './flowLoader';

export function registerClearPromptHistory({ globalState }: CommandContext): vscode.Disposable {
	return vscode.Disposable.from(
		vscode.commands.registerCommand('videogen.clearPromptHistory', () => loadFlow().clearPromptHistory(globalState)),
		vscode.workspace.onDidChangeConfiguration(event => {
			if (event.affectsConfiguration('videogen.promptHistory') && !settings.promptHistory()) {
				void loadFlow().forgetPrompts(globalState);
			}
		}),
	);
}
