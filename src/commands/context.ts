/** What the commands share: the engine's surface, the key, the player panels and the log. */

import * as vscode from 'vscode';
import { ApiKeyStore } from '../host/apiKeyStore';
import { TaskService } from '../host/taskService';
import { PlayerPanels } from '../views/playerPanel';
import { TaskResolver } from './taskArgument';

export interface CommandContext {
	readonly service: TaskService;
	readonly apiKey: ApiKeyStore;
	/** Turns a command's argument (a tree item, an id, nothing) into a task. */
	readonly tasks: TaskResolver;
	readonly players: PlayerPanels;
	readonly log: vscode.LogOutputChannel;
}
