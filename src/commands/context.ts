/** What the commands share: the engine's surface, the key, the player panels, the log, the global state, and what the window can do with a video. */

import * as vscode from 'vscode';
import { VideoActions } from '../core/videoActions';
import { ApiKeyStore } from '../host/apiKeyStore';
import { LastTextEditor } from '../host/lastEditor';
import { TaskService } from '../host/taskService';
import { Players } from '../views/players';
import { TaskResolver } from './taskArgument';

export interface CommandContext {
	readonly service: TaskService;
	readonly apiKey: ApiKeyStore;
	/** Turns a command's argument (a tree item, an id, nothing) into a task. */
	readonly tasks: TaskResolver;
	readonly players: Players;
	readonly log: vscode.LogOutputChannel;
	/** The extension's global state: Generate Video keeps its recent prompts there, Save a Copy its last folder. */
	readonly globalState: vscode.Memento;
	/** What can be done with a saved video in this window (see core/videoActions.ts). */
	readonly actions: VideoActions;
	/** The text editor the user worked in last (the player's buttons take the focus from it). */
	readonly lastEditor: LastTextEditor;
	/** Shows a task's row in the VideoGen view, selected and focused (VideoGen's own id). */
	revealTask(id: string): Thenable<void>;
	/** VideoGen's ids of the tasks selected in the VideoGen view now. */
	readonly selectedTasks: () => readonly string[];
}
