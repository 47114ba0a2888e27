/** Clear API Key: removes the key from SecretStorage. */

import * as vscode from 'vscode';
import { CommandContext } from './context';

export function registerClearApiKey({ apiKey }: CommandContext): vscode.Disposable {
	return vscode.commands.registerCommand('videogen.clearApiKey', async () => {
		await apiKey.clear();
		vscode.window.setStatusBarMessage('$(key) VideoGen: API key removed', 4000);
	});
}
