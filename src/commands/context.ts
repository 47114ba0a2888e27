/** What the commands share: the engine's surface, the key, the player panels, the log and the global state. */

import * as vscode from 'vscode';
import { ApiKeyStore } from '../host/apiKeyStore';
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
	/** The extension's global state: Generate Video keeps its recent prompts there. */
	readonly globalState: vscode.Memento;
}
