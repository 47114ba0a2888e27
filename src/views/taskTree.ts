/**
 * The VideoGen view: one node per task, newest first, refreshed node by node as the store
 * changes. A task with something to explain (an error, a poll problem) has child lines saying it.
 */

import * as vscode from 'vscode';
import { canDownloadAgain, isFailure, isPlayable, isReusable, isTrackable, isUnfinished, isWaitingForKey, opensByDefault, TaskRecord } from '../core/task';
import { TaskList } from '../core/taskStore';
import { Disposable } from '../host/dispose';
import { detailLines, elapsedText, parametersText, shortPrompt, statusText, waitingForKeyText } from './taskPresentation';

/** Elements are task ids; a detail line's element is `<task id>\n<index>`. */
type Element = string;

const detailSeparator = '\n';

export class TaskTreeProvider extends Disposable implements vscode.TreeDataProvider<Element> {
	private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<Element | Element[] | undefined>());
	readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
	private knownIds = new Set<string>();

	constructor(private readonly store: TaskList) {
		super();
		this._register(store.onDidChange(ids => this.refresh(ids)));
	}

	/**
	 * Opens a task's explanation (why it failed) when it first gets one, or, if the view is hidden
	 * then, when the view is shown next (revealing would open a hidden view). VS Code keeps a node's
	 * collapsed state by id, so a task that appeared without child lines would otherwise stay closed
	 * over the reason it failed.
	 */
	expandExplanations(view: vscode.TreeView<Element>, restored: Promise<void>): vscode.Disposable {
		// The tasks the list is loaded with need no reveal: a row that opens by default is created open.
		// They are taken in once the list is shown, so that the restore does not wait for this.
		let explained: Set<string> | undefined;
		void restored.then(() => {
			explained = new Set(this.store.all().filter(task => explanation(task).length).map(task => task.id));
		});
		const whenShown = new Set<string>();
		// Each timer is forgotten once it has run; the ones still waiting are cleared on dispose.
		const timers = new Set<NodeJS.Timeout>();
		const open = (id: string) => {
			// After VS Code has taken in the refresh that gave the node its children (refreshes are batched).
			const timer = setTimeout(() => {
				timers.delete(timer);
				const task = this.store.get(id);
				if (view.visible && task && opensByDefault(task)) {
					view.reveal(id, { expand: true, select: false, focus: false }).then(undefined, () => undefined);
				}
			}, 500);
			timers.add(timer);
		};
		const changes = this.store.onDidChange(ids => {
			if (!explained) {
				return;
			}
			for (const id of ids) {
				const task = this.store.get(id);
				if (!task || explained.has(id) || !explanation(task).length) {
					continue;
				}
				explained.add(id);
				if (opensByDefault(task)) {
					if (view.visible) {
						open(id);
					} else {
						whenShown.add(id);
					}
				}
			}
		});
		const visibility = view.onDidChangeVisibility(({ visible }) => {
			if (visible) {
				whenShown.forEach(open);
				whenShown.clear();
			}
		});
		const pending = { dispose: () => timers.forEach(timer => clearTimeout(timer)) };
		return vscode.Disposable.from(changes, visibility, pending);
	}

	/** Redraws the given tasks, or everything when the list itself changed. */
	refresh(ids?: readonly string[]): void {
		const listChanged = !ids || ids.some(id => this.knownIds.has(id) !== !!this.store.get(id));
		if (listChanged || ids.length > 50) {
			this._onDidChangeTreeData.fire(undefined);
		} else if (ids.length) {
			this._onDidChangeTreeData.fire([...ids]);
		}
	}

	getChildren(element?: Element): Element[] {
		if (!element) {
			const ids = this.store.all().map(task => task.id);
			this.knownIds = new Set(ids);
			return ids;
		}
		const task = this.store.get(element);
		return task ? explanation(task).map((_, index) => `${element}${detailSeparator}${index}`) : [];
	}

	getParent(element: Element): Element | undefined {
		const separator = element.indexOf(detailSeparator);
		return separator < 0 ? undefined : element.slice(0, separator);
	}

	getTreeItem(element: Element): vscode.TreeItem {
		const separator = element.indexOf(detailSeparator);
		if (separator >= 0) {
			const task = this.store.get(element.slice(0, separator));
			const text = task ? explanation(task)[Number(element.slice(separator + 1))] ?? '' : '';
			const item = new vscode.TreeItem(text);
			item.id = element;
			item.tooltip = text;
			item.contextValue = 'detail';
			if (task && text === keyLine(task)) {
				item.command = { command: 'videogen.setApiKey', title: vscode.l10n.t('Set API Key'), arguments: [task.apiOrigin] };
			}
			return item;
		}
		const task = this.store.get(element);
		return task ? new TaskItem(task, this.store) : new vscode.TreeItem('(removed)');
	}

	/**
	 * Fills in a task's tooltip when VS Code needs it (on hover). Building it for every task in
	 * `getTreeItem` made listing a long task list several times slower (its dates are formatted
	 * with `toLocaleString`, whose first use also sets up the locale data).
	 */
	resolveTreeItem(item: vscode.TreeItem): vscode.TreeItem {
		if (item instanceof TaskItem && item.tooltip === undefined) {
			item.tooltip = tooltipFor(item.task);
		}
		return item;
	}
}

export class TaskItem extends vscode.TreeItem {
	constructor(readonly task: TaskRecord, store: TaskList) {
		const lines = explanation(task);
		const label = shortPrompt(task);
		super(label, lines.length
			? (opensByDefault(task) ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed)
			: vscode.TreeItemCollapsibleState.None);
		this.id = task.id;
		this.description = [statusText(task, store.getProgress(task.id)), elapsedText(task), parametersText(task)].filter(Boolean).join(' · ');
		this.iconPath = iconFor(task);
		this.contextValue = contextFlags(task);
		// The tooltip is built on hover: see TaskTreeProvider.resolveTreeItem.
		this.accessibilityInformation = { label: vscode.l10n.t('{0}, {1}', label, String(this.description)) };
		if (isPlayable(task)) {
			this.command = { command: 'videogen.play', title: vscode.l10n.t('Play Video'), arguments: [this] };
		}
	}
}

/** The line under a task whose host has no usable key; choosing it sets that host's key. */
function keyLine(task: TaskRecord): string | undefined {
	return isWaitingForKey(task) ? vscode.l10n.t('{0} — Set API Key', waitingForKeyText(task)) : undefined;
}

/** What the task's child lines say: why it failed, or what went wrong while checking on it. */
function explanation(task: TaskRecord): string[] {
	const lines: string[] = [];
	const key = keyLine(task);
	if (key) {
		lines.push(key);
	}
	if (task.error) {
		lines.push(task.error);
	}
	if (task.download?.phase === 'failed' && task.download.error) {
		lines.push(task.download.error);
	}
	if (task.pollError && isUnfinished(task)) {
		lines.push(vscode.l10n.t('Last check: {0}', task.pollError));
	}
	if ((task.urls?.length ?? 0) > 1) {
		lines.push(vscode.l10n.t('{0} videos', task.urls!.length));
	}
	if (task.urlsNote && task.urls?.length) {
		lines.push(task.urlsNote); // without a link, the error above says it already
	}
	return lines;
}

function iconFor(task: TaskRecord): vscode.ThemeIcon {
	switch (task.phase) {
		case 'submitting': return new vscode.ThemeIcon('loading~spin');
		case 'pending': return new vscode.ThemeIcon('clock');
		case 'running': return new vscode.ThemeIcon('sync~spin');
		case 'unknown': return new vscode.ThemeIcon('question', new vscode.ThemeColor('problemsWarningIcon.foreground'));
		case 'submitUnknown': return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
		case 'failed':
		case 'submitFailed': return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
		case 'expired': return new vscode.ThemeIcon('history', new vscode.ThemeColor('problemsWarningIcon.foreground'));
		case 'succeeded':
			switch (task.download?.phase) {
				case 'done': return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
				case 'failed': return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
				case 'downloading': return new vscode.ThemeIcon('cloud-download');
				default: return new vscode.ThemeIcon('pass');
			}
	}
}

/** Flags matched by `viewItem =~ /\bflag\b/` in package.json menus. */
export function contextFlags(task: TaskRecord): string {
	const flags = ['task', task.phase];
	if (isPlayable(task)) {
		flags.push('playable');
	}
	if (canDownloadAgain(task)) {
		flags.push('downloadable');
	}
	if (isFailure(task)) {
		flags.push('failed');
	}
	if (task.urls?.length) {
		flags.push('hasUrl');
	}
	if (isReusable(task)) {
		// Generate Again is offered only for a task it can send again: a task tracked by id has no prompt.
		flags.push('reusable');
	}
	if (isTrackable(task)) {
		flags.push('trackable');
	}
	if (isWaitingForKey(task)) {
		flags.push('needsKey');
	}
	return flags.join(' ');
}

function tooltipFor(task: TaskRecord): vscode.MarkdownString {
	const tooltip = new vscode.MarkdownString(undefined, true);
	tooltip.supportHtml = false;
	tooltip.isTrusted = false;
	tooltip.appendText(task.prompt || shortPrompt(task));
	tooltip.appendMarkdown('\n\n');
	for (const [label, value] of detailLines(task)) {
		tooltip.appendMarkdown(`**${vscode.l10n.t('{0}:', label)}** `);
		tooltip.appendText(value);
		tooltip.appendMarkdown('  \n');
	}
	if (task.error) {
		tooltip.appendMarkdown('\n$(error) ');
		tooltip.appendText(task.error);
	}
	if (task.urlsNote && task.urls?.length) {
		tooltip.appendMarkdown('\n\n$(info) ');
		tooltip.appendText(task.urlsNote);
	}
	return tooltip;
}
