/**
 * A task's tooltip in the tree. A bundle of its own (`dist/taskTooltip.js`, see esbuild.js), which
 * the tree loads the first time a row is hovered: listing tasks never needs it, and neither does
 * activation.
 */

import * as vscode from 'vscode';
import { TaskRecord } from '../core/task';
import { detailLines } from './taskDetails';
import { shortPrompt, statusText } from './taskPresentation';

/** A task's tooltip in the tree: its retries, the whole prompt, its details, what went wrong; all as plain text. */
export function taskTooltip(task: TaskRecord, original: TaskRecord | undefined, retries: readonly TaskRecord[]): vscode.MarkdownString {
	const tooltip = new vscode.MarkdownString(undefined, true);
	tooltip.supportHtml = false;
	tooltip.isTrusted = false;
	if (original) {
		tooltip.appendMarkdown('$(history) ');
		tooltip.appendText(vscode.l10n.t('Retry of "{0}" ({1})', shortPrompt(original, 40), statusText(original)));
		tooltip.appendMarkdown('\n\n');
	}
	for (const retry of retries) {
		tooltip.appendMarkdown('$(history) ');
		tooltip.appendText(vscode.l10n.t('Retried: {0}', statusText(retry)));
		tooltip.appendMarkdown('\n\n');
	}
	tooltip.appendText(task.prompt || shortPrompt(task));
	tooltip.appendMarkdown('\n\n');
	for (const [label, value] of detailLines(task)) {
		tooltip.appendMarkdown(`**${vscode.l10n.t('{0}:', label)}** `);
		tooltip.appendText(value);
		tooltip.appendMarkdown('  \n');
	}
	if (task.error) {
		tooltip.appendMarkdown('\n$(error) ');
		tooltip.appendText(task.error);
	}
	if (task.urlsNote && task.urls?.length) {
		tooltip.appendMarkdown('\n\n$(info) ');
		tooltip.appendText(task.urlsNote);
	}
	return tooltip;
}
