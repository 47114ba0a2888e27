/**
 * Insert into Document: a saved video into the text document the user worked in last, at its
 * cursor: a `<video>` tag in Markdown, a plain path elsewhere, relative to the document. Also, for a
 * video made from a selection in a Markdown file, below that selection (from the "ready" notification).
 */

import * as path from 'path';
import * as vscode from 'vscode';
import { isPlayable, TaskRecord } from '../core/task';
import { insertPlaceOf, videoLink, VideoLink } from '../core/videoLink';
import { shortPrompt } from '../views/taskPresentation';
import { CommandContext } from './context';
import { TaskArgument } from './taskArgument';

/** The argument of the notification's button: insert below the selection the task was made from. */
export interface InsertBelowArgument {
	readonly insertBelow: string;
}

/** Resolves with what was inserted, or `undefined` when nothing was. */
export async function insertIntoDocument(context: CommandContext, argument?: TaskArgument | InsertBelowArgument): Promise<string | undefined> {
	if (argument && typeof argument === 'object' && 'insertBelow' in argument) {
		const task = await context.tasks.resolve(argument.insertBelow, '');
		return task && insertBelowSelection(task);
	}
	const task = await context.tasks.resolve(argument, vscode.l10n.t('Insert which video?'), isPlayable);
	if (!task || !isPlayable(task)) {
		return undefined;
	}
	const editor = context.lastEditor.editor;
	if (!editor) {
		void vscode.window.showInformationMessage(vscode.l10n.t('Open the document the video goes into and put the cursor where it goes, then choose Insert into Document again.'));
		return undefined;
	}
	const { document } = editor;
	const links = linksTo(task, document);
	const text = links.map(link => link.text).join('\n');
	const at = editor.selection.active;
	const edit = new vscode.WorkspaceEdit();
	edit.insert(document.uri, at, text);
	if (!(await vscode.workspace.applyEdit(edit))) {
		void vscode.window.showWarningMessage(vscode.l10n.t('VideoGen could not insert the video into {0}: the document did not take the change.', path.basename(document.uri.path)));
		return undefined;
	}
	// The cursor after what was inserted, as after typing it.
	const lines = text.split('\n');
	const end = new vscode.Position(at.line + lines.length - 1, (lines.length === 1 ? at.character : 0) + lines[lines.length - 1].length);
	editor.selection = new vscode.Selection(end, end);
	report(document, links);
	return text;
}

/** The document's file, for a path relative to it: `undefined` for an untitled one or one on another file system. */
function documentFile(document: vscode.TextDocument): string | undefined {
	return document.uri.scheme === 'file' ? document.uri.fsPath : undefined;
}

function linksTo(task: TaskRecord, document: vscode.TextDocument): VideoLink[] {
	return (task.download?.files ?? []).map(file => videoLink(documentFile(document), file, document.languageId === 'markdown'));
}

/** Says where the video went; when it could not be relative, why, and what to do. */
function report(document: vscode.TextDocument, links: readonly VideoLink[]): void {
	const name = path.basename(document.uri.path) || document.uri.toString();
	if (links.every(link => link.relative)) {
		vscode.window.setStatusBarMessage(`$(check) ${vscode.l10n.t('VideoGen: video inserted into {0}', name)}`, 4000);
	} else if (document.isUntitled || document.uri.scheme !== 'file') {
		void vscode.window.showInformationMessage(vscode.l10n.t('{0} is not a file on disk, so VideoGen inserted the video\'s full address. Save the document, then insert again for a path relative to it.', name));
	} else {
		void vscode.window.showInformationMessage(vscode.l10n.t('The video is on another drive than {0}, so VideoGen inserted its full address.', name));
	}
}

/**
 * Below the selection the task was made from: the document is opened (it may have been closed) and
 * the video goes on its own lines, a blank line around it as Markdown wants a block.
 */
async function insertBelowSelection(task: TaskRecord): Promise<string | undefined> {
	const place = insertPlaceOf(task.insertBelow);
	if (!place || !isPlayable(task)) {
		return undefined;
	}
	let document: vscode.TextDocument;
	try {
		document = await vscode.workspace.openTextDocument(vscode.Uri.parse(place.uri, true));
	} catch (error) {
		void vscode.window.showWarningMessage(vscode.l10n.t('VideoGen could not open the document "{0}" was made in: {1}', shortPrompt(task, 40), error instanceof Error ? error.message : String(error)));
		return undefined;
	}
	const links = linksTo(task, document);
	const video = links.map(link => link.text).join('\n');
	const line = Math.min(place.line, document.lineCount);
	const edit = new vscode.WorkspaceEdit();
	let text: string;
	let at: vscode.Position;
	if (line >= document.lineCount) {
		at = document.lineAt(document.lineCount - 1).range.end;
		text = `${at.character ? '\n\n' : '\n'}${video}\n`;
	} else {
		at = new vscode.Position(line, 0);
		const before = line > 0 && !!document.lineAt(line - 1).text.trim();
		const after = !!document.lineAt(line).text.trim();
		text = `${before ? '\n' : ''}${video}\n${after ? '\n' : ''}`;
	}
	edit.insert(document.uri, at, text);
	if (!(await vscode.workspace.applyEdit(edit))) {
		void vscode.window.showWarningMessage(vscode.l10n.t('VideoGen could not insert the video into {0}: the document did not take the change.', path.basename(document.uri.path)));
		return undefined;
	}
	const shown = await vscode.window.showTextDocument(document, { preview: false });
	const inserted = new vscode.Position(at.line + (text.startsWith('\n') ? (text.startsWith('\n\n') ? 2 : 1) : 0), 0);
	shown.selection = new vscode.Selection(inserted, inserted);
	shown.revealRange(new vscode.Range(inserted, inserted), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
	report(document, links);
	return text;
}
