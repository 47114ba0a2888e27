/**
 * Select Model: the default model of Generate Video (`videogen.model`), picked from the catalogue by
 * family, or any id the API serves.
 */

import * as vscode from 'vscode';
import { loadModels } from '../core/modelsLoader';
import { setModel, settings } from '../host/settings';
import { anotherModelLabel, checkModelId, ModelItem, modelItems } from './modelItems';

/** Resolves with the model set, or `undefined` when nothing changed. */
export async function selectModel(): Promise<string | undefined> {
	const current = settings.model();
	const { items, active } = modelItems(current, { id: current, text: vscode.l10n.t('current') });
	const pick = vscode.window.createQuickPick<ModelItem>();
	pick.title = vscode.l10n.t('VideoGen: Select Model');
	pick.placeholder = vscode.l10n.t('The model Generate Video offers first. Now: {0}', current);
	pick.matchOnDescription = true;
	pick.items = items;
	if (active) {
		pick.activeItems = [active];
	}
	const picked = await new Promise<ModelItem | undefined>(resolve => {
		pick.onDidAccept(() => resolve(pick.selectedItems[0] ?? pick.activeItems[0]));
		pick.onDidHide(() => resolve(undefined));
		pick.show();
	});
	if (picked?.id) {
		// The list closes once the setting is saved, so a Generate Video run right after offers the model.
		pick.busy = true;
		pick.enabled = false;
		await setModel(picked.id);
	}
	pick.dispose();
	if (!picked) {
		return undefined;
	}
	const id = picked.id ?? (await vscode.window.showInputBox({
		title: vscode.l10n.t('VideoGen: {0}', anotherModelLabel()),
		value: loadModels().isKnownModel(current) ? '' : current,
		prompt: vscode.l10n.t('The model id exactly as UModelverse names it, for example openai/sora-2/text-to-video'),
		validateInput: checkModelId,
	}))?.trim();
	if (id && !picked.id) {
		await setModel(id);
	}
	return id;
}
