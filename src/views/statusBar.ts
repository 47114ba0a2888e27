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
		const tasks = this.store.all();
		const active = tasks.filter(isUnfinished).length;
		const downloading = tasks.filter(task => task.download?.phase === 'downloading').length;
		const busy = active + downloading;
		if (!busy) {
			this.item.hide();
			this.view.badge = undefined;
			return;
		}
		const parts = [];
		if (active) {
			parts.push(`${active} generating`);
		}
		if (downloading) {
			parts.push(`${downloading} downloading`);
		}
		const text = parts.join(', ');
		this.item.text = `$(sync~spin) VideoGen: ${text}`;
		this.item.tooltip = `VideoGen: ${text}. Click to show the tasks.`;
		this.item.show();
		this.view.badge = { value: busy, tooltip: `${text}` };
	}
}
