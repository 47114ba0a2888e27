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
	/** Original id → how many listed tasks send it again; rebuilt when next asked after any change. */
	private retried: Map<string, number> | undefined;

	/** False until VS Code first asks: until then no row is drawn, so no change needs telling. */
	private asked = false;

	constructor(private readonly store: TaskList) {
		super();
		this._register(store.onDidChange(ids => {
			this.retried = undefined;
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
		const retried = this.retriedCount(task.id) > 0;
		if (!color && !retried) {
			return undefined;
		}
		const decoration = new vscode.FileDecoration(retried ? '↻' : undefined, retried ? vscode.l10n.t('Retried') : undefined, color);
		decoration.propagate = false;
		return decoration;
	}

	private retriedCount(id: string): number {
		if (!this.retried) {
			this.retried = new Map();
			for (const task of this.store.all()) {
				if (task.retryOf !== undefined) {
					this.retried.set(task.retryOf, (this.retried.get(task.retryOf) ?? 0) + 1);
				}
			}
		}
		return this.retried.get(id) ?? 0;
	}
}

function colorOf(task: TaskRecord): vscode.ThemeColor | undefined {
	switch (groupOf(task)) {
		case 'ready': return new vscode.ThemeColor('charts.green');
		case 'failed': return new vscode.ThemeColor(isFailure(task) ? 'list.errorForeground' : 'list.warningForeground');
		case 'inProgress': return undefined;
	}
}
