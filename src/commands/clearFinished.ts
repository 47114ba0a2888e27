/** Clear Finished Tasks: removes every finished task from the list; saved videos stay on disk. */

import * as vscode from 'vscode';
import { isFinished } from '../core/task';
import { CommandContext } from './context';

export async function clearFinished({ service }: CommandContext) {
	const count = service.tasks.all().filter(isFinished).length;
	if (!count) {
		void vscode.window.showInformationMessage('There are no finished VideoGen tasks to clear.');
		return 0;
	}
	const confirm = await vscode.window.showWarningMessage(
		`Remove ${count} finished task${count === 1 ? '' : 's'} from the list? Saved videos stay on disk.`, { modal: true }, 'Clear');
	return confirm === 'Clear' ? service.clearFinished() : 0;
}
