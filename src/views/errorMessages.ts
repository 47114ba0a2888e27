/** Shows an error once, in words that say what to do, with a button for each way out. */

import * as vscode from 'vscode';
import { ApiError, ErrorAction } from '../core/errors';
import { openSettings } from '../host/settings';

const labels: Record<ErrorAction, string> = {
	setApiKey: 'Set API Key',
	selectModel: 'Select Model',
	openSettings: 'Open Settings',
	tryAgain: 'Try Again',
	trackTask: 'Track Task by ID',
	showLog: 'Show Log',
};

/**
 * Shows the error with its actions. `tryAgain` is offered only when the caller can redo the
 * work (it is given `retry`); `trackTask` attaches to the task the error belongs to.
 */
export async function showApiError(error: ApiError, options: { retry?: () => unknown; taskId?: string } = {}): Promise<void> {
	const actions = error.actions.filter(action => action !== 'tryAgain' || options.retry);
	const choice = await vscode.window.showErrorMessage(error.message, ...actions.map(action => labels[action]));
	const action = actions.find(a => labels[a] === choice);
	switch (action) {
		case 'setApiKey': return void vscode.commands.executeCommand('videogen.setApiKey', error.origin);
		case 'selectModel': return void vscode.commands.executeCommand('videogen.selectModel');
		case 'openSettings': return void openSettings(error.setting);
		case 'tryAgain': return void options.retry?.();
		case 'trackTask': return void vscode.commands.executeCommand('videogen.trackTask', options.taskId);
		case 'showLog': return void vscode.commands.executeCommand('videogen.showLog');
	}
}
