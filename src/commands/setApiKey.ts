/** Set API Key, Clear API Key and Select Model. */

import * as vscode from 'vscode';
import { ApiKeyStore } from '../host/apiKeyStore';
import { knownModels } from '../core/videoModels';
import { setModel, settings } from '../host/settings';

export function registerSettingsCommands(apiKey: ApiKeyStore): vscode.Disposable {
	return vscode.Disposable.from(
		vscode.commands.registerCommand('videogen.setApiKey', async () => {
			const key = await apiKey.ask();
			if (key) {
				vscode.window.setStatusBarMessage('$(key) VideoGen: API key saved in secret storage', 4000);
			}
			return !!key;
		}),
		vscode.commands.registerCommand('videogen.clearApiKey', async () => {
			await apiKey.clear();
			vscode.window.setStatusBarMessage('$(key) VideoGen: API key removed', 4000);
		}),
		vscode.commands.registerCommand('videogen.selectModel', async () => {
			const current = settings.model();
			const other = { label: '$(edit) Another model…', description: 'Type the id of any video model the API serves', detail: undefined, id: undefined };
			const picked = await vscode.window.showQuickPick(
				[...knownModels.map(model => ({ label: model.label, description: model.id + (model.id === current ? ' (current)' : ''), detail: model.detail, id: model.id })), other],
				{ title: 'VideoGen: Select Model', placeHolder: `Current model: ${current}` },
			);
			if (!picked) {
				return undefined;
			}
			const id = picked.id ?? (await vscode.window.showInputBox({
				title: 'VideoGen: Model id',
				value: current,
				prompt: 'The model id exactly as UModelverse names it, for example openai/sora-2/text-to-video',
				validateInput: value => value.trim() ? undefined : 'The model id cannot be empty.',
			}))?.trim();
			if (id) {
				await setModel(id);
			}
			return id;
		}),
	);
}
