/**
 * Generate Video from Selection (editor context menu): the selected text is the prompt. Made from a
 * saved Markdown file, the task remembers the line after the selection: when the video is ready, the
 * notification offers to insert it there.
 */

import * as vscode from 'vscode';
import type { InsertPlace } from '../core/videoLink';
import { CommandContext } from './context';
import { loadFlow } from './flowLoader';

export function generateFromSelection(context: CommandContext) {
	const editor = vscode.window.activeTextEditor;
	const text = editor?.selections.map(selection => editor.document.getText(selection)).join('\n').trim();
	if (!editor || !text) {
		void vscode.window.showInformationMessage(vscode.l10n.t('Select the text that describes the video first, then run "Generate Video from Selection".'));
		return undefined;
	}
	return loadFlow().generateVideo(context, { prompt: text }, { insertBelow: placeBelow(editor) });
}

/** The line after the last selection, in a Markdown file on disk; nothing for any other document. */
function placeBelow(editor: vscode.TextEditor): InsertPlace | undefined {
	const { document } = editor;
	if (document.languageId !== 'markdown' || document.uri.scheme !== 'file' || document.isUntitled) {
		return undefined;
	}
	const end = Math.max(...editor.selections.map(selection => selection.end.line));
	const last = editor.selections.find(selection => selection.end.line === end)!;
	// A selection that ends at the start of a line (whole lines selected) ends on the line before.
	const line = last.end.character === 0 && end > last.start.line ? end : end + 1;
	return { uri: document.uri.toString(), line };
}
