/**
 * The "Generate" CodeLens over a prompt document (a Markdown document whose front matter names a
 * model, see core/promptDocument.ts), with the prompt's length against the model's limit. Registered
 * at activation: telling a prompt document from other Markdown is a look at its first lines; reading
 * one, and the catalogue it is checked against, load (with the models bundle) only for a document
 * that is one.
 */

import * as vscode from 'vscode';
import { loadModels } from '../core/modelsLoader';
import { isPromptDocument } from '../core/promptDocument';
import { settings } from '../host/settings';

export const generateFromPromptDocumentCommand = 'videogen.generateFromPromptDocument';

class PromptLensProvider implements vscode.CodeLensProvider {
	provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
		const text = document.getText();
		if (!isPromptDocument(text)) {
			return [];
		}
		const models = loadModels();
		const parsed = models.parsePromptDocument(text);
		if (!parsed) {
			return [];
		}
		const { request, problem } = models.promptDocumentRequest(parsed, models, settings.model());
		const limit = request && models.findModel(request.model)?.prompt.maxLength;
		const title = problem ? `$(warning) ${problem.message}` : `$(play) ${models.generateLensTitle(parsed.prompt, limit)}`;
		return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title, command: generateFromPromptDocumentCommand, arguments: [document.uri] })];
	}
}

export function registerPromptLens(): vscode.Disposable {
	return vscode.languages.registerCodeLensProvider({ language: 'markdown' }, new PromptLensProvider());
}
