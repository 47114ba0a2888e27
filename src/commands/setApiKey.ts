/** Set API Key: asks for the key in a password box and keeps it in SecretStorage. */

import * as vscode from 'vscode';
import { CommandContext } from './context';

export function registerSetApiKey({ apiKey }: CommandContext): vscode.Disposable {
	return vscode.commands.registerCommand('videogen.setApiKey', async () => {
		const key = await apiKey.ask();
		if (key) {
			vscode.window.setStatusBarMessage('$(key) VideoGen: API key saved in secret storage', 4000);
		}
		return !!key;
	});
}
