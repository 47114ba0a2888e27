/** The window as VS Code reports it, in the terms `core/videoActions.ts` decides from. */

import * as vscode from 'vscode';
import { WindowKind } from '../core/videoActions';

export function windowKind(extension: vscode.Extension<unknown>): WindowKind {
	return {
		desktop: vscode.env.uiKind === vscode.UIKind.Desktop,
		remoteName: vscode.env.remoteName,
		runsOnUiSide: extension.extensionKind === vscode.ExtensionKind.UI,
	};
}
