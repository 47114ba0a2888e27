/** Generate Again: the same model, prompt, images and settings as a new task, after asking (it is billed). */

import * as vscode from 'vscode';
import { isReusable } from '../core/task';
import { CommandContext } from './context';
import { loadFlow } from './flowLoader';
import { TaskArgument } from './taskArgument';

export async function regenerate(context: CommandContext, argument?: TaskArgument) {
	const task = await context.tasks.resolve(argument, vscode.l10n.t('Generate which video again?'), isReusable);
	return task && loadFlow().generateAgain(context, task);
}
