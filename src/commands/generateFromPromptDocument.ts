/**
 * Generate from a prompt document (its CodeLens, or the palette in a Markdown editor): the model and
 * parameters of its front matter and its body as the prompt, checked against the catalogue first.
 */

import * as vscode from 'vscode';
import { loadModels } from '../core/modelsLoader';
import { parsePromptDocument, promptDocumentRequest } from '../core/promptDocument';
import { settings } from '../host/settings';
import { CommandContext } from './context';
import { loadFlow } from './flowLoader';

/** `argument`: the document's URI (the CodeLens passes it); the active editor's document without one. */
export async function generateFromPromptDocument(context: CommandContext, argument?: vscode.Uri | string) {
	const uri = typeof argument === 'string' ? vscode.Uri.parse(argument, true) : argument instanceof vscode.Uri ? argument : undefined;
	const document = uri
		? vscode.workspace.textDocuments.find(candidate => candidate.uri.toString() === uri.toString()) ?? await vscode.workspace.openTextDocument(uri)
		: context.lastEditor.editor?.document;
	const parsed = document && parsePromptDocument(document.getText());
	if (!document || !parsed) {
		void vscode.window.showInformationMessage(vscode.l10n.t('This is no prompt document: its front matter names no model. Run "New Prompt" for one.'));
		return undefined;
	}
	const { request, problem } = promptDocumentRequest(parsed, loadModels(), settings.model());
	if (problem || !request) {
		const editor = await vscode.window.showTextDocument(document);
		const line = editor.document.lineAt(problem?.line ?? 0).range;
		editor.selection = new vscode.Selection(line.start, line.end);
		void vscode.window.showErrorMessage(problem?.message ?? '');
		return undefined;
	}
	return loadFlow().generateFromPromptDocument(context, request);
}
