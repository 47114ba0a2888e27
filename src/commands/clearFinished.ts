/** Clear Finished Tasks: removes every finished task from the list; saved videos stay on disk. */

import * as vscode from 'vscode';
import { isFinished } from '../core/task';
import { CommandContext } from './context';

export async function clearFinished({ service }: CommandContext) {
	const count = service.tasks.all().filter(isFinished).length;
	if (!count) {
		void vscode.window.showInformationMessage(vscode.l10n.t('There are no finished VideoGen tasks to clear.'));
		return 0;
	}
	const clear = vscode.l10n.t('Clear');
	const confirm = await vscode.window.showWarningMessage(count === 1
		? vscode.l10n.t('Remove 1 finished task from the list? Saved videos stay on disk.')
		: vscode.l10n.t('Remove {0} finished tasks from the list? Saved videos stay on disk.', count), { modal: true }, clear);
	return confirm === clear ? service.clearFinished() : 0;
}
