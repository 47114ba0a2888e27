/**
 * Task commands are called from the tree (with a `TaskItem`), from the player and from scripts
 * (with a task's id: VideoGen's own or the service's), or from nowhere (then the user picks).
 */

import * as vscode from 'vscode';
import { TaskRecord } from '../core/task';
import { TaskList } from '../core/taskStore';
import { shortPrompt, statusText } from '../views/taskPresentation';

export type TaskArgument = { readonly task: TaskRecord } | string | undefined;

export class TaskResolver {
	constructor(private readonly store: TaskList) { }

	/** The task the argument names (a tree item, or an id: VideoGen's own or the service's), if it is listed. */
	find(argument: TaskArgument | unknown): TaskRecord | undefined {
		if (typeof argument === 'string') {
			return this.store.get(argument) ?? this.store.findByTaskId(argument);
		}
		if (argument && typeof argument === 'object' && 'task' in argument) {
			const id = (argument as { task: TaskRecord }).task.id;
			return this.store.get(id);
		}
		return undefined;
	}

	/** The task the argument names, or one the user picks among those `filter` accepts. */
	async resolve(argument: TaskArgument | unknown, placeHolder: string, filter: (task: TaskRecord) => boolean = () => true): Promise<TaskRecord | undefined> {
		if (typeof argument === 'string' || (argument && typeof argument === 'object' && 'task' in argument)) {
			return this.find(argument);
		}
		const candidates = this.store.all().filter(filter);
		if (!candidates.length) {
			void vscode.window.showInformationMessage(vscode.l10n.t('There is no VideoGen task that this applies to.'));
			return undefined;
		}
		const picked = await vscode.window.showQuickPick(
			candidates.map(task => ({ label: shortPrompt(task), description: statusText(task), detail: task.taskId, task })),
			{ placeHolder },
		);
		return picked?.task;
	}
}
