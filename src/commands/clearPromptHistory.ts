/** Clear Prompt History: forgets the recent prompts and the unsubmitted draft Generate Video keeps, after asking. */

import * as vscode from 'vscode';
import { PromptHistory } from '../host/promptHistory';
import { CommandContext } from './context';

export async function clearPromptHistory({ globalState }: CommandContext): Promise<boolean> {
	const history = new PromptHistory(globalState, () => true);
	const count = history.size;
	if (!count) {
		void vscode.window.showInformationMessage('VideoGen keeps no prompts: the prompt history is empty.');
		return false;
	}
	const message = count === 1 ? 'Clear the 1 prompt VideoGen keeps for Generate Video?' : `Clear the ${count} prompts VideoGen keeps for Generate Video?`;
	const clear = 'Clear';
	const answer = await vscode.window.showWarningMessage(message, { modal: true, detail: 'Recent prompts and an unsubmitted draft are removed. This cannot be undone.' }, clear);
	if (answer !== clear) {
		return false;
	}
	await history.clear();
	vscode.window.setStatusBarMessage('$(check) VideoGen: prompt history cleared', 4000);
	return true;
}
