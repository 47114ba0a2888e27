/**
 * Plays a downloaded video in a webview. One panel per task; panels come back after a window reload
 * through the serializer. The page itself, and the answers to what it says, are in src/player,
 * loaded when the first player opens.
 */

import * as path from 'path';
import * as vscode from 'vscode';
import { FromPlayer, PlayerMessageType, PlayerState, ToPlayer, ToPlayerType } from '../webview/protocol';
import { isPlayable, TaskRecord } from '../core/task';
import { TaskList } from '../core/taskStore';
import { VideoActions } from '../core/videoActions';
import { Disposable } from '../host/dispose';
import { loadPlayer } from './playerLoader';
import { shortPrompt } from './taskPresentation';

export const playerViewType = 'videogen.player';

export class PlayerPanels extends Disposable {
	private readonly panels = new Map<string, vscode.WebviewPanel>();
	/** Tasks whose page has said it listens, and has not been hidden (which unloads it) since. */
	private readonly listening = new Set<string>();
	/** Messages for a page that is loading, posted when it says it listens. */
	private readonly waiting = new Map<string, ToPlayer>();

	/**
	 * `restored` settles once the task list has been read at start-up; `actions` says what the window
	 * can do with a saved video, which decides the player's buttons and notes.
	 */
	constructor(private readonly extensionUri: vscode.Uri, private readonly store: TaskList, restored: Promise<void>, private readonly actions: VideoActions) {
		super();
		this._register(vscode.window.registerWebviewPanelSerializer(playerViewType, {
			deserializeWebviewPanel: async (panel, state: PlayerState | undefined) => {
				await restored;
				const task = state?.id ? this.store.get(state.id) : undefined;
				if (!task || !isPlayable(task)) {
					panel.dispose();
					return;
				}
				this.attach(panel, task);
			},
		}));
	}

	/**
	 * Opens (or brings forward) the player for a task whose video is on disk. With `preserveFocus` the
	 * keyboard focus stays where it is (a quick input, the tree), for when the player is only a means.
	 */
	open(task: TaskRecord, preserveFocus = false): vscode.WebviewPanel {
		const existing = this.panels.get(task.id);
		if (existing) {
			existing.reveal(undefined, preserveFocus);
			return existing;
		}
		const panel = vscode.window.createWebviewPanel(playerViewType, shortPrompt(task, 30), { viewColumn: vscode.ViewColumn.Active, preserveFocus }, {});
		this.attach(panel, task);
		return panel;
	}

	/** The open panels, for tests and for closing the panel of a removed task. */
	get openPanels(): ReadonlyMap<string, vscode.WebviewPanel> {
		return this.panels;
	}

	/**
	 * In a browser client: has the player page hand video `index` of the task to the browser's download,
	 * opening the player first (without taking the focus: the user is saving a file, not watching).
	 * Resolves false when the page could not be told.
	 */
	async download(task: TaskRecord, index: number): Promise<boolean> {
		const file = task.download?.files?.[index];
		if (!file) {
			return false;
		}
		const panel = this.open(task, true);
		const message: ToPlayer = { type: ToPlayerType.Download, index, name: path.basename(file) };
		if (this.listening.has(task.id)) {
			return panel.webview.postMessage(message);
		}
		this.waiting.set(task.id, message);
		return true;
	}

	close(id: string): void {
		this.panels.get(id)?.dispose();
	}

	override dispose(): void {
		for (const panel of this.panels.values()) {
			panel.dispose();
		}
		super.dispose();
	}

	private attach(panel: vscode.WebviewPanel, task: TaskRecord): void {
		const player = loadPlayer();
		const media = vscode.Uri.joinPath(this.extensionUri, 'media');
		panel.title = shortPrompt(task, 30);
		panel.iconPath = vscode.Uri.joinPath(media, 'videogen.svg');
		panel.webview.options = {
			enableScripts: true,
			enableForms: false,
			enableCommandUris: false,
			localResourceRoots: player.playerResourceRoots(task, media),
		};
		panel.webview.html = player.renderPlayer(panel.webview, media, task, this.actions);
		this.panels.set(task.id, panel);
		this.listening.delete(task.id);
		const subscriptions = [
			panel.webview.onDidReceiveMessage((message: FromPlayer) => this.onMessage(task.id, message, panel)),
			panel.onDidChangeViewState(() => {
				if (!panel.visible) {
					this.listening.delete(task.id); // a hidden webview's page is unloaded
				}
			}),
			this.store.onDidChange(ids => {
				if (ids.includes(task.id) && !this.store.get(task.id)) {
					panel.dispose(); // the task was removed
				}
			}),
		];
		panel.onDidDispose(() => {
			subscriptions.forEach(s => s.dispose());
			if (this.panels.get(task.id) === panel) {
				this.panels.delete(task.id);
				this.listening.delete(task.id);
				this.waiting.delete(task.id);
			}
		});
	}

	private onMessage(id: string, message: FromPlayer, panel: vscode.WebviewPanel): void {
		const task = this.store.get(id);
		if (!task) {
			return;
		}
		switch (message.type) {
			case PlayerMessageType.Ready: {
				this.listening.add(id);
				const waiting = this.waiting.get(id);
				this.waiting.delete(id);
				if (waiting) {
					void panel.webview.postMessage(waiting);
				}
				break;
			}
			default:
				loadPlayer().answerPage(this.actions, task.id, message);
		}
	}
}

