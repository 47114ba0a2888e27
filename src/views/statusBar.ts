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
		const active = tasks.filter(isUnfinished).length;
		const downloading = tasks.filter(task => task.download?.phase === 'downloading').length;
		const busy = active + downloading;
		if (!busy) {
			this.item.hide();
			this.view.badge = undefined;
			return;
		}
		const text = activityText(active, downloading);
		this.item.text = `$(sync~spin) ${vscode.l10n.t('VideoGen: {0}', text)}`;
		this.item.tooltip = vscode.l10n.t('VideoGen: {0}. Click to show the tasks.', text);
		this.item.show();
		this.view.badge = { value: busy, tooltip: text };
	}
}

/** How many tasks are generating and downloading, as one whole phrase. */
function activityText(active: number, downloading: number): string {
	if (active && downloading) {
		return vscode.l10n.t('{0} generating, {1} downloading', active, downloading);
	}
	return active ? vscode.l10n.t('{0} generating', active) : vscode.l10n.t('{0} downloading', downloading);
}
