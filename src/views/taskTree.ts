/**
 * The VideoGen view: the tasks in groups (In progress, Failed, Ready), newest first in each,
 * refreshed node by node as the store changes. A task with something to explain (an error, a poll
 * problem) has child lines saying it. With a single group, the tasks are listed without its heading:
 * it would only push every row to the right.
 *
 * A row starts with its state in a few characters (`34s`, `moderation`, `8s 1280×720`) and then the
 * prompt: the label is what stays visible at the default width, and what typing in the view filters
 * on. Colours come from the tasks' decorations (./taskDecorations.ts), through `resourceUri`.
 */

import * as vscode from 'vscode';
import { canDownloadAgain, isFailure, isPlayable, isReusable, isTrackable, isUnfinished, isWaitingForKey, opensByDefault, TaskRecord } from '../core/task';
import { TaskList } from '../core/taskStore';
import { Disposable } from '../host/dispose';
import { accessibleRowLabel, elapsedText, groupOf, parametersText, RetryRole, retryWord, rowStatus, shortPrompt, statusText, TaskGroup, taskGroups, videoFacts, waitingForKeyText } from './taskPresentation';
import type * as TaskTooltip from './taskTooltip';
import { taskUri } from './taskUris';

/** Elements are task ids; a detail line's element is `<task id>\n<index>`; a group's is `group:<name>`. */
type Element = string;

const detailSeparator = '\n';
const groupPrefix = 'group:';

/** How the top level is laid out, worked out once per full refresh. */
interface Layout {
	/** The groups that have tasks, in order, with their tasks; one group is shown without its heading. */
	readonly groups: ReadonlyMap<TaskGroup, readonly string[]>;
	readonly grouped: boolean;
	/** Each task's group. */
	readonly groupOf: ReadonlyMap<string, TaskGroup>;
	/** Original id → the ids of the tasks that send it again. */
	readonly retries: ReadonlyMap<string, readonly string[]>;
}

export class TaskTreeProvider extends Disposable implements vscode.TreeDataProvider<Element> {
	private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<Element | Element[] | undefined>());
	readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
	private layout: Layout | undefined;
	/** The tasks whose row VS Code was last given without child lines (see expandExplanations). */
	private readonly drawnWithoutLines = new Set<string>();

	constructor(private readonly store: TaskList) {
		super();
		this._register(store.onDidChange(ids => this.refresh(ids)));
	}

	/**
	 * Opens a task's explanation (why it failed) when it first gets one, or, if the view is hidden
	 * then, when the view is shown next (revealing would open a hidden view). VS Code keeps a node's
	 * collapsed state by id, so a row it drew without child lines would otherwise stay closed over
	 * the reason the task failed. A row it never drew needs nothing: it is created open.
	 */
	expandExplanations(view: vscode.TreeView<Element>): vscode.Disposable {
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
			if (!this.drawnWithoutLines.size) {
				return; // no row is waiting for its lines (as when the list is first loaded): nothing to open
			}
			for (const id of ids) {
				const task = this.store.get(id);
				if (!task) {
					this.drawnWithoutLines.delete(id);
					continue;
				}
				if (!this.drawnWithoutLines.has(id) || !explanation(task).length) {
					continue;
				}
				this.drawnWithoutLines.delete(id); // once: its next row has the lines
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

	/** Redraws the given tasks, or everything when the list itself changed or a task changed group. */
	refresh(ids?: readonly string[]): void {
		const layout = this.layout;
		const listChanged = !ids || !layout || ids.some(id => {
			const task = this.store.get(id);
			return layout.groupOf.get(id) !== (task && groupOf(task));
		});
		if (listChanged || ids.length > 50) {
			this.layout = undefined;
			this._onDidChangeTreeData.fire(undefined);
		} else if (ids.length) {
			this._onDidChangeTreeData.fire([...ids]);
		}
	}

	private currentLayout(): Layout {
		if (!this.layout) {
			const groups = new Map<TaskGroup, string[]>(taskGroups.map(group => [group, []]));
			const groupOfTask = new Map<string, TaskGroup>();
			const retries = new Map<string, string[]>();
			for (const task of this.store.all()) {
				const group = groupOf(task);
				groups.get(group)!.push(task.id);
				groupOfTask.set(task.id, group);
				if (task.retryOf !== undefined) {
					const list = retries.get(task.retryOf);
					if (list) {
						list.push(task.id);
					} else {
						retries.set(task.retryOf, [task.id]);
					}
				}
			}
			const shown = new Map([...groups].filter(([, ids]) => ids.length));
			this.layout = { groups: shown, grouped: shown.size > 1, groupOf: groupOfTask, retries };
		}
		return this.layout;
	}

	getChildren(element?: Element): Element[] {
		if (!element) {
			const layout = this.currentLayout();
			return layout.grouped ? [...layout.groups.keys()].map(group => groupPrefix + group) : [...layout.groups.values()].flat();
		}
		if (element.startsWith(groupPrefix)) {
			return [...(this.currentLayout().groups.get(element.slice(groupPrefix.length) as TaskGroup) ?? [])];
		}
		const task = this.store.get(element);
		return task ? explanation(task).map((_, index) => `${element}${detailSeparator}${index}`) : [];
	}

	/** The ids of the tasks among the view's elements (groups and child lines left out). */
	tasksAmong(elements: readonly Element[]): string[] {
		return elements.filter(element => !element.startsWith(groupPrefix) && !element.includes(detailSeparator) && this.store.get(element));
	}

	/** Every task row, in the order shown, whatever the groups (for scripts and tests). */
	taskRows(): Element[] {
		return [...this.currentLayout().groups.values()].flat();
	}

	getParent(element: Element): Element | undefined {
		if (element.startsWith(groupPrefix)) {
			return undefined;
		}
		const separator = element.indexOf(detailSeparator);
		if (separator >= 0) {
			return element.slice(0, separator);
		}
		const layout = this.currentLayout();
		const task = this.store.get(element);
		return layout.grouped && task ? groupPrefix + groupOf(task) : undefined;
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
		if (element.startsWith(groupPrefix)) {
			return new GroupItem(element.slice(groupPrefix.length) as TaskGroup, this.currentLayout().groups.get(element.slice(groupPrefix.length) as TaskGroup)?.length ?? 0);
		}
		const task = this.store.get(element);
		if (!task) {
			return new vscode.TreeItem('(removed)');
		}
		const item = new TaskItem(task, this.store, this.retryLink(task));
		if (item.collapsibleState === vscode.TreeItemCollapsibleState.None) {
			this.drawnWithoutLines.add(task.id);
		} else {
			this.drawnWithoutLines.delete(task.id);
		}
		return item;
	}

	/** The task this one sends again, if still listed, and whether a listed task sends this one again. */
	private retryLink(task: TaskRecord): RetryLink {
		const original = task.retryOf === undefined ? undefined : this.store.get(task.retryOf);
		return { original, retried: this.isRetried(task.id) };
	}

	/** Whether a listed task sends task `id` (VideoGen's own) again; the decorations' badge asks too. */
	isRetried(id: string): boolean {
		return !!this.currentLayout().retries.get(id)?.length;
	}

	/**
	 * Fills in a task's tooltip when VS Code needs it (on hover). Building it for every task in
	 * `getTreeItem` made listing a long task list several times slower (its dates are formatted
	 * with `toLocaleString`, whose first use also sets up the locale data).
	 */
	resolveTreeItem(item: vscode.TreeItem): vscode.TreeItem {
		if (item instanceof TaskItem && item.tooltip === undefined) {
			const retries = (this.currentLayout().retries.get(item.task.id) ?? []).map(id => this.store.get(id)).filter(task => !!task);
			item.tooltip = loadTaskTooltip().taskTooltip(item.task, item.retry.original, retries);
		}
		return item;
	}
}

interface RetryLink {
	/** The task this one sends again, while it is listed. */
	readonly original?: TaskRecord;
	/** True when another task sends this one again. */
	readonly retried: boolean;
}

export class TaskItem extends vscode.TreeItem {
	constructor(readonly task: TaskRecord, store: TaskList, readonly retry: RetryLink = { retried: false }) {
		const lines = explanation(task);
		const progress = store.getProgress(task.id);
		const prompt = shortPrompt(task, 120);
		const facts = videoFacts(task);
		// The state first, then the prompt: VS Code cuts the end of a row that does not fit. Typing in
		// the view filters rows on their label, so the prompt is in it.
		super(`${rowStatus(task, progress, undefined, facts)} · ${prompt}`, lines.length
			? (opensByDefault(task) ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed)
			: vscode.TreeItemCollapsibleState.None);
		this.id = task.id;
		this.resourceUri = taskUri(task.id);
		const elapsed = elapsedText(task);
		const parameters = parametersText(task, facts);
		const ready = isPlayable(task);
		const role: RetryRole = retry.retried ? 'retried' : retry.original ? 'retry' : undefined;
		this.description = role || !ready
			? [
				retryWord(role),
				task.phase === 'running' || task.phase === 'pending' ? '' : elapsed,
				ready ? '' : parameters,
			].filter(Boolean).join(' · ')
			: elapsed;
		this.iconPath = iconFor(task);
		this.contextValue = contextFlags(task);
		// The tooltip is built on hover: see TaskTreeProvider.resolveTreeItem.
		const state = `${statusText(task, progress)} · ${elapsed}${parameters ? ` · ${parameters}` : ''}`;
		this.accessibilityInformation = { label: accessibleRowLabel(prompt, state, role) };
		if (ready) {
			this.command = { command: 'videogen.play', title: playTitle ??= vscode.l10n.t('Play Video'), arguments: [this] };
		}
	}
}

/** The title of a ready row's command, the same for every row. */
let playTitle: string | undefined;

/** A group's heading: its name, and how many tasks it holds. */
class GroupItem extends vscode.TreeItem {
	constructor(group: TaskGroup, count: number) {
		super(groupName(group), vscode.TreeItemCollapsibleState.Expanded);
		this.id = groupPrefix + group;
		this.description = String(count);
		this.contextValue = 'group';
		this.accessibilityInformation = { label: vscode.l10n.t('{0}, {1}', groupName(group), count) };
	}
}

function groupName(group: TaskGroup): string {
	switch (group) {
		case 'inProgress': return vscode.l10n.t('In progress');
		case 'failed': return vscode.l10n.t('Failed');
		case 'ready': return vscode.l10n.t('Ready');
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

let tooltips: typeof TaskTooltip | undefined;

/** The tooltips' bundle (`dist/taskTooltip.js`), required on the first hover. */
function loadTaskTooltip(): typeof TaskTooltip {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return tooltips ??= require('./taskTooltip') as typeof TaskTooltip;
}
