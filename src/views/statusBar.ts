/** A status bar item and a badge on the view while tasks are unfinished; both disappear when none are. */

import * as vscode from 'vscode';
import { isUnfinished } from '../core/task';
import { TaskList } from '../core/taskStore';
import { Disposable } from '../host/dispose';

export class ActivityIndicator extends Disposable {
	private readonly item = this._register(vscode.window.createStatusBarItem('videogen.activity', vscode.StatusBarAlignment.Left, 10));

	constructor(private readonly store: TaskList, private readonly view: vscode.TreeView<unknown>) {
		super();
		this.item.name = 'VideoGen';
		this.item.command = 'videogen.tasks.focus';
		this._register(store.onDidChange(() => this.update()));
		this.update();
	}

	private update(): void {
		const tasks = this.store.active();
		const generating = tasks.filter(isUnfinished).length;
		const downloading = tasks.filter(task => task.download?.phase === 'downloading').length;
		const busy = generating + downloading;
		if (!busy) {
			this.item.hide();
			this.view.badge = undefined;
			return;
		}
		const text = activityText(generating, downloading);
		this.item.text = `$(sync~spin) ${vscode.l10n.t('VideoGen: {0}', text)}`;
		this.item.tooltip = vscode.l10n.t('VideoGen: {0}. Click to show the tasks.', text);
		this.item.show();
		this.view.badge = { value: busy, tooltip: text };
	}
}

/** How many tasks are generating and downloading, as one whole phrase. */
function activityText(generating: number, downloading: number): string {
	if (generating && downloading) {
		return vscode.l10n.t('{0} generating, {1} downloading', generating, downloading);
	}
	return generating ? vscode.l10n.t('{0} generating', generating) : vscode.l10n.t('{0} downloading', downloading);
}
