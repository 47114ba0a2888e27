/**
 * The models as a quick pick shows them, for Select Model and for Generate Video's first step: the
 * catalogue grouped by family, each with what it makes video from and any warning, and "Another
 * model…" for an id the catalogue does not know.
 */

import * as vscode from 'vscode';
import { loadModels } from '../core/modelsLoader';
import type { ModelEntry } from '../core/models/catalogue';

export interface ModelItem extends vscode.QuickPickItem {
	/** The model's id; absent on separators and on "Another model…". */
	readonly id?: string;
	readonly other?: true;
}

export function anotherModelLabel(): string {
	return vscode.l10n.t('Another model…');
}

/**
 * The pick list: every model `fits` accepts, by family, with `focus` returned as the item to focus
 * (or the first model when `focus` does not fit) and the model `mark.id` marked with `mark.text`
 * (`current`, `default`). With `withOther`, an id the catalogue does not know can be typed, and a
 * `focus` it does not know is listed first.
 */
export function modelItems(focus: string, mark: { readonly id: string; readonly text: string }, fits: (model: ModelEntry) => boolean = () => true, withOther = true): { items: ModelItem[]; active?: ModelItem } {
	const { catalogue, isKnownModel, unknownModelNote } = loadModels();
	const items: ModelItem[] = [];
	let active: ModelItem | undefined;
	if (withOther && !isKnownModel(focus)) {
		active = { label: focus, description: focus === mark.id ? mark.text : undefined, detail: unknownModelNote(focus), id: focus };
		items.push(active);
	}
	let family: string | undefined;
	for (const model of catalogue.filter(fits)) {
		if (model.family !== family) {
			family = model.family;
			items.push({ label: family, kind: vscode.QuickPickItemKind.Separator });
		}
		const item: ModelItem = {
			label: model.label,
			description: model.id === mark.id ? vscode.l10n.t('{0} · {1}', model.id, mark.text) : model.id,
			detail: model.note ? vscode.l10n.t('{0}. {1}', model.description, model.note) : model.description,
			id: model.id,
		};
		items.push(item);
		if (model.id === focus) {
			active = item;
		}
	}
	if (withOther) {
		items.push(
			{ label: '', kind: vscode.QuickPickItemKind.Separator },
			{ label: anotherModelLabel(), iconPath: new vscode.ThemeIcon('edit'), description: vscode.l10n.t('Type the id of any video model the API serves'), other: true },
		);
	}
	return { items, active: active ?? items.find(item => item.id) };
}

/** For "Another model…": the id typed is not empty; one the catalogue does not know is accepted with a note. */
export function checkModelId(value: string): string | vscode.InputBoxValidationMessage | undefined {
	const id = value.trim();
	if (!id) {
		return vscode.l10n.t('The model id cannot be empty.');
	}
	const note = loadModels().unknownModelNote(id);
	return note ? { message: note, severity: vscode.InputBoxValidationSeverity.Info } : undefined;
}
