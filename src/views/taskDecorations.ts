/**
 * Colours the VideoGen view's rows as the Source Control and Problems views colour theirs: through
 * a file decoration provider, for the `videogen-task:` URIs of the rows only. A failed task's row is
 * red, one that needs the user (a submit whose outcome is unknown, a download that failed) is
 * yellow, a ready video's is green; a task that was sent again carries a badge saying so.
 */

import * as vscode from 'vscode';
import { isFailure, TaskRecord } from '../core/task';
import { TaskList } from '../core/taskStore';
import { Disposable } from '../host/dispose';
import { groupOf } from './taskPresentation';
import { taskIdOf, taskUri } from './taskUris';

export class TaskDecorations extends Disposable implements vscode.FileDecorationProvider {
	private readonly _onDidChange = this._register(new vscode.EventEmitter<vscode.Uri[] | undefined>());
	readonly onDidChangeFileDecorations = this._onDidChange.event;
	/** False until VS Code first asks: until then no row is drawn, so no change needs telling. */
	private asked = false;

	/** `isRetried` says whether a listed task is sent again by another: the tree keeps that index. */
	constructor(private readonly store: TaskList, private readonly isRetried: (id: string) => boolean) {
		super();
		this._register(store.onDidChange(ids => {
			if (!this.asked) {
				return;
			}
			if (ids.length > 50 || ids.some(id => !this.store.get(id))) {
				// Many rows, or a removed task, which may have been a retry whose original loses its badge: all are asked again.
				this._onDidChange.fire(undefined);
				return;
			}
			// A task that is a retry changes its original's badge too.
			const originals = ids.map(id => this.store.get(id)?.retryOf).filter(id => id !== undefined);
			this._onDidChange.fire([...ids, ...originals].map(taskUri));
		}));
	}

	provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
		this.asked = true;
		const id = taskIdOf(uri);
		const task = id === undefined ? undefined : this.store.get(id);
		if (!task) {
			return undefined;
		}
		const color = colorOf(task);
		const retried = this.isRetried(task.id);
		if (!color && !retried) {
			return undefined;
		}
		const decoration = new vscode.FileDecoration(retried ? '↻' : undefined, retried ? vscode.l10n.t('Retried') : undefined, color);
		decoration.propagate = false;
		return decoration;
	}
}

function colorOf(task: TaskRecord): vscode.ThemeColor | undefined {
	switch (groupOf(task)) {
		case 'ready': return new vscode.ThemeColor('charts.green');
		case 'failed': return new vscode.ThemeColor(isFailure(task) ? 'list.errorForeground' : 'list.warningForeground');
		case 'inProgress': return undefined;
	}
}
