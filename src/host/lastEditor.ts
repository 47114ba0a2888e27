/**
 * The text editor the user worked in last. Pressing a button in the player moves the focus to the
 * player's webview, which leaves no active text editor: Insert into Document goes to this one.
 */

import * as vscode from 'vscode';
import { Disposable } from './dispose';

export class LastTextEditor extends Disposable {
	private last: vscode.TextEditor | undefined = vscode.window.activeTextEditor;

	constructor() {
		super();
		this._register(vscode.window.onDidChangeActiveTextEditor(editor => {
			if (editor) {
				this.last = editor;
			}
		}));
	}

	/**
	 * The active text editor; else the last one, as long as its document is open; else a visible one.
	 * Output and other non-document editors are never chosen.
	 */
	get editor(): vscode.TextEditor | undefined {
		const usable = (editor: vscode.TextEditor | undefined) => !!editor && !editor.document.isClosed && editor.document.uri.scheme !== 'output';
		const active = vscode.window.activeTextEditor;
		if (usable(active)) {
			return active;
		}
		if (usable(this.last)) {
			// The editor object may be gone (its tab was closed and opened again): the visible one of the same document has the cursor.
			return vscode.window.visibleTextEditors.find(editor => editor.document === this.last!.document) ?? this.last;
		}
		return vscode.window.visibleTextEditors.find(usable);
	}
}
