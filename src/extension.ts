/**
 * VideoGen: text to video through UModelverse's asynchronous task API.
 * `activate()` wires the pieces together and makes no request: the HTTP stack loads only when
 * the first request is made.
 */

import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { TaskResolver } from './commands/taskArgument';
import { TaskRecord } from './core/task';
import { videoActions } from './core/videoActions';
import { ApiKeyStore } from './host/apiKeyStore';
import { LastTextEditor } from './host/lastEditor';
import { TaskService } from './host/taskService';
import { windowKind } from './host/windowKind';
import { Gallery } from './views/gallery';
import type { GallerySnapshot } from './views/galleryView';
import { registerNotifications } from './views/notifications';
import { Players } from './views/players';
import { registerPromptLens } from './views/promptLens';
import { ActivityIndicator } from './views/statusBar';
import { TaskDecorations } from './views/taskDecorations';
import { TaskTreeProvider } from './views/taskTree';
import { trackVideoFiles } from './views/videoFilesContext';
import { installTranslator } from './core/l10n';

/** What `vscode.extensions.getExtension('videogen.videogen').exports` offers scripts. */
export interface VideoGenApi {
	/** Every task, newest first. */
	tasks(): readonly TaskRecord[];
	/** Fires when tasks change. */
	readonly onDidChangeTasks: vscode.Event<readonly string[]>;
	/** Resolves once the task list is loaded. */
	readonly ready: Promise<void>;
	/**
	 * What the VideoGen view shows right now, for scripts and tests: every task's row in the order shown
	 * (whatever group it is in), or the lines under one task (by VideoGen's own id).
	 */
	treeItems(parent?: string): vscode.TreeItem[];
	/** The VideoGen view's top level as shown: the groups' headings (or the tasks, when a single group has any). */
	treeTopLevel(): vscode.TreeItem[];
	/** The task ids (VideoGen's own) whose player panel is open. */
	openPlayers(): string[];
	/** What an open player shows and may load, for scripts and tests: its HTML and its resource roots. */
	player(id: string): { readonly html: string; readonly localResourceRoots: readonly vscode.Uri[]; readonly iconPath: vscode.WebviewPanel['iconPath'] } | undefined;
	/** What the Gallery view shows (its entries, HTML and resource roots), for scripts and tests; `undefined` until it was first shown. */
	gallery(): GallerySnapshot | undefined;
	/** Where VideoGen keeps its task list, and where its log files are written. */
	readonly globalStorageUri: vscode.Uri;
	readonly logUri: vscode.Uri;
}

/** Resolves once the task list's last change is on disk, after `context.subscriptions` are disposed. */
let closed: Promise<void> | undefined;

export function activate(context: vscode.ExtensionContext): VideoGenApi {
	installTranslator({ t: (message, ...args) => vscode.l10n.t(message, ...args), language: vscode.env.language });
	const log = vscode.window.createOutputChannel('VideoGen', { log: true });
	context.subscriptions.push(log);

	const apiKey = new ApiKeyStore(context.secrets, log);
	const service = new TaskService(context, apiKey, log);
	closed = service.closed;
	const tree = new TaskTreeProvider(service.tasks);
	const view = vscode.window.createTreeView('videogen.tasks', { treeDataProvider: tree, showCollapseAll: false, canSelectMany: true });
	const decorations = new TaskDecorations(service.tasks, id => tree.isRetried(id));
	const ready = service.restore().catch(error => {
		log.error(`[activate] could not read the task list: ${String(error)}`);
		void vscode.window.showErrorMessage(vscode.l10n.t('VideoGen could not read its task list: {0}', error instanceof Error ? error.message : String(error)));
	});
	// In a remote window or a browser the videos are not on the user's computer: that decides the menus and the player.
	const actions = videoActions(windowKind(context.extension));
	vscode.commands.executeCommand('setContext', 'videogen.videosAreLocal', actions.videosAreLocal).then(undefined, error => log.error(`[activate] could not set videogen.videosAreLocal: ${String(error)}`));
	const players = new Players(context.extensionUri, service.tasks, ready, actions);
	const lastEditor = new LastTextEditor();
	const gallery = new Gallery(context.extensionUri, service.tasks, ready);

	context.subscriptions.push(
		apiKey, service, tree, view, players, lastEditor, gallery, decorations,
		vscode.window.registerFileDecorationProvider(decorations),
		new ActivityIndicator(service.tasks, view),
		service.onDidPoll(ids => tree.refresh(ids)),
		tree.expandExplanations(view),
		registerCommands({ service, apiKey, tasks: new TaskResolver(service.tasks), players, log, globalState: context.globalState, actions, lastEditor, revealTask: id => view.reveal(id, { select: true, focus: true }), selectedTasks: () => tree.tasksAmong(view.selection) }),
		registerPromptLens(),
		registerNotifications(service, actions),
		trackVideoFiles(service.tasks, () => service.videosFolderIfValid(), ready),
	);

	const onDidChangeTasks = new vscode.EventEmitter<readonly string[]>();
	context.subscriptions.push(onDidChangeTasks, service.tasks.onDidChange(ids => onDidChangeTasks.fire(ids)));
	return {
		tasks: () => service.tasks.all(),
		onDidChangeTasks: onDidChangeTasks.event,
		ready,
		treeItems: parent => (parent === undefined ? tree.taskRows() : tree.getChildren(parent)).map(id => tree.resolveTreeItem(tree.getTreeItem(id))),
		treeTopLevel: () => tree.getChildren().map(id => tree.getTreeItem(id)),
		openPlayers: () => [...players.openPanels.keys()],
		player: id => {
			const panel = players.openPanels.get(id);
			return panel && { html: panel.webview.html, localResourceRoots: panel.webview.options.localResourceRoots ?? [], iconPath: panel.iconPath };
		},
		gallery: () => gallery.snapshot(),
		globalStorageUri: context.globalStorageUri,
		logUri: context.logUri,
	};
}

/**
 * Everything is disposed through context.subscriptions, which VS Code does right after this returns; the
 * promise keeps the extension host alive until the task list's last write (a change made within its
 * write delay, such as a poll's news or a rename) has reached the disk: VS Code stops the extension
 * host as soon as every extension's deactivation has settled.
 */
export function deactivate(): Promise<void> | undefined {
	return closed;
}
