/** Select Model: Generate Video's default model, from the catalogue or any id the API serves, into `videogen.model`. */

import * as vscode from 'vscode';
import { loadFlow } from './flowLoader';

export function registerSelectModel(): vscode.Disposable {
	return vscode.commands.registerCommand('videogen.selectModel', () => loadFlow().selectModel());
}
