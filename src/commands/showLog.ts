/** Show Log: VideoGen's output channel. */

import * as vscode from 'vscode';
import { CommandContext } from './context';

export function registerShowLog({ log }: CommandContext): vscode.Disposable {
	return vscode.commands.registerCommand('videogen.showLog', () => log.show(true));
}
