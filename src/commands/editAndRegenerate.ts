/** Edit & Generate Again: Generate Video's questions, filled in from a task, to change before submitting. */

import * as vscode from 'vscode';
import { CommandContext } from './context';
import { loadFlow } from './flowLoader';
import { TaskArgument } from './taskArgument';

export async function editAndRegenerate(context: CommandContext, argument?: TaskArgument) {
	const task = await context.tasks.resolve(argument, vscode.l10n.t('Edit and generate which video again?'));
	return task && loadFlow().editAndGenerateAgain(context, task);
}
