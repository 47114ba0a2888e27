/** Select Model: one of the models VideoGen knows, or any id the API serves, into `videogen.model`. */

import * as vscode from 'vscode';
import { loadModels } from '../core/modelsLoader';
import { setModel, settings } from '../host/settings';

export function registerSelectModel(): vscode.Disposable {
	return vscode.commands.registerCommand('videogen.selectModel', async () => {
		const current = settings.model();
		const other = { label: '$(edit) Another model…', description: 'Type the id of any video model the API serves', detail: undefined, id: undefined };
		const picked = await vscode.window.showQuickPick(
			[...loadModels().catalogue.map(model => ({ label: model.label, description: model.id + (model.id === current ? ' (current)' : ''), detail: model.description, id: model.id })), other],
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
	});
}
