/**
 * The players as activation sees them: the serializer that brings players back after a window
 * reload, and open/close. The player itself (./playerPanel.ts) is a bundle of its own, loaded when
 * the first player opens or comes back, so a window that plays nothing never loads it.
 */

import * as vscode from 'vscode';
import { isPlayable, TaskRecord } from '../core/task';
import type { TaskList } from '../core/taskStore';
import type { VideoActions } from '../core/videoActions';
import { Disposable } from '../host/dispose';
import type { PlayerState } from '../webview/protocol';
import type * as PlayerPanel from './playerPanel';

export const playerViewType = 'videogen.player';

export class Players extends Disposable {
	private panels: PlayerPanel.PlayerPanels | undefined;

	/**
	 * `restored` settles once the task list has been read at start-up; `actions` says what the window
	 * can do with a saved video, which decides the player's buttons and notes.
	 */
	constructor(private readonly extensionUri: vscode.Uri, private readonly store: TaskList, restored: Promise<void>, private readonly actions: VideoActions) {
		super();
		this._register(vscode.window.registerWebviewPanelSerializer(playerViewType, {
			deserializeWebviewPanel: async (panel, state: PlayerState | undefined) => {
				await restored;
				const task = typeof state?.id === 'string' ? this.store.get(state.id) : undefined;
				if (!task || !isPlayable(task)) {
					panel.dispose();
					return;
				}
				this.load().attach(panel, task);
			},
		}));
	}

	/** Opens (or brings forward) the player for a task whose video is on disk. */
	open(task: TaskRecord): vscode.WebviewPanel {
		return this.load().open(task);
	}

	/** In a browser client: has the player page hand video `index` of the task to the browser's download. */
	download(task: TaskRecord, index: number): Promise<boolean> {
		return this.load().download(task, index);
	}

	/** The open panels, for tests and for closing the panel of a removed task. */
	get openPanels(): ReadonlyMap<string, vscode.WebviewPanel> {
		return this.panels?.openPanels ?? new Map();
	}

	close(id: string): void {
		this.panels?.close(id);
	}

	override dispose(): void {
		this.panels?.dispose();
		super.dispose();
	}

	private load(): PlayerPanel.PlayerPanels {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { PlayerPanels } = require('./playerPanel') as typeof PlayerPanel;
		return this.panels ??= new PlayerPanels(this.extensionUri, this.store, playerViewType, this.actions);
	}
}
