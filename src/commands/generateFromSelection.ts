/** Generate Video from Selection (editor context menu): the selected text is the prompt. */

import * as vscode from 'vscode';
import { CommandContext } from './context';
import { loadFlow } from './flowLoader';

export function generateFromSelection(context: CommandContext) {
	const editor = vscode.window.activeTextEditor;
	const text = editor?.selections.map(selection => editor.document.getText(selection)).join('\n').trim();
	if (!text) {
		void vscode.window.showInformationMessage(vscode.l10n.t('Select the text that describes the video first, then run "Generate Video from Selection".'));
		return undefined;
	}
	return loadFlow().generateVideo(context, { prompt: text });
}
