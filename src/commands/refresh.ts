/** Refresh: asks about every unfinished task now, and for fresh links where a video is missing. */

import * as vscode from 'vscode';
import { CommandContext } from './context';

export function registerRefresh({ service }: CommandContext): vscode.Disposable {
	return vscode.commands.registerCommand('videogen.refresh', () => service.refresh());
}
