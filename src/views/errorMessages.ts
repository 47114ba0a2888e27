/** Shows an error once, in words that say what to do, with a button for each way out. */

import * as vscode from 'vscode';
import { ApiError, ErrorAction } from '../core/errors';
import { openSettings } from '../host/settings';

/** The button for each way out, in the user's language. */
function label(action: ErrorAction): string {
	switch (action) {
		case 'setApiKey': return vscode.l10n.t('Set API Key');
		case 'selectModel': return vscode.l10n.t('Select Model');
		case 'openSettings': return vscode.l10n.t('Open Settings');
		case 'tryAgain': return vscode.l10n.t('Try Again');
		case 'trackTask': return vscode.l10n.t('Attach Task ID...');
		case 'showLog': return vscode.l10n.t('Show Log');
	}
}

/**
 * Shows the error with its actions. `tryAgain` is offered only when the caller can redo the
 * work (it is given `retry`); `trackTask` attaches to the task the error belongs to.
 */
export async function showApiError(error: ApiError, options: { retry?: () => unknown; taskId?: string } = {}): Promise<void> {
	const actions = error.actions.filter(action => action !== 'tryAgain' || options.retry);
	const choice = await vscode.window.showErrorMessage(error.message, ...actions.map(label));
	const action = actions.find(a => label(a) === choice);
	switch (action) {
		case 'setApiKey': return void vscode.commands.executeCommand('videogen.setApiKey', error.origin);
		case 'selectModel': return void vscode.commands.executeCommand('videogen.selectModel');
		case 'openSettings': return void openSettings(error.setting);
		case 'tryAgain': return void options.retry?.();
		case 'trackTask': return void vscode.commands.executeCommand('videogen.attachTaskId', options.taskId);
		case 'showLog': return void vscode.commands.executeCommand('videogen.showLog');
	}
}
