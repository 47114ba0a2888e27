/**
 * A task up close: the lines of detail the player and the tree's tooltip (taskTooltip.ts) show.
 * Pure functions, no VS Code. Listing tasks never needs them, and neither does activation.
 */

import { fileURLToPath } from 'url';
import { l10n } from '../core/l10n';
import { loadModels } from '../core/modelsLoader';
import { isAtRest, TaskRecord } from '../core/task';
import { elapsedText, statusText } from './taskPresentation';

/** Where an image came from, as a person reads it: the file's path, or the link. */
export function imageSourceText(source: string): string {
	if (/^file:/i.test(source)) {
		try {
			return fileURLToPath(source);
		} catch {
			return source;
		}
	}
	return source;
}

/**
 * The lines of detail a tooltip or the player shows: the model by its name and id, each parameter
 * by its label, the images by where they came from. Loads the catalogue, for the labels: call it
 * when a task is looked at, not while listing tasks.
 */
export function detailLines(task: TaskRecord): [string, string][] {
	const { findModel, parameterLines, usageLine } = loadModels();
	const model = findModel(task.model);
	const lines: [string, string][] = [
		[l10n.t('Status'), task.serviceStatus && task.phase !== 'unknown' ? l10n.t('{0} ({1})', statusText(task), task.serviceStatus) : statusText(task)],
		[l10n.t('Model'), model ? l10n.t('{0} ({1})', model.label, task.model) : task.model],
		...parameterLines(task.model, task.parameters ?? {}),
	];
	if (task.negativePrompt) {
		lines.push([l10n.t('Negative prompt'), task.negativePrompt]);
	}
	if (task.firstFrame) {
		lines.push([l10n.t('First frame'), imageSourceText(task.firstFrame)]);
	}
	if (task.lastFrame) {
		lines.push([l10n.t('Last frame'), imageSourceText(task.lastFrame)]);
	}
	if (task.taskId) {
		lines.push([l10n.t('Task id'), task.taskId]);
	}
	lines.push([l10n.t('Created'), new Date(task.createdAt).toLocaleString(l10n.language)]);
	lines.push([l10n.t('Elapsed'), elapsedText(task)]);
	if (task.usageSeconds !== undefined && (task.usageSeconds > 0 || isAtRest(task))) {
		lines.push(usageLine(task.model, task.usageSeconds));
	}
	return lines;
}
