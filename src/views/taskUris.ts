/** The URI a task's row in the VideoGen view carries, so that VideoGen's decoration provider colours it. */

import * as vscode from 'vscode';

/** The scheme of the rows' `resourceUri`s: only VideoGen's own decoration provider answers for it. */
export const taskScheme = 'videogen-task';

export function taskUri(id: string): vscode.Uri {
	return vscode.Uri.from({ scheme: taskScheme, path: `/${id}` });
}

/** The task id of a row's URI, or `undefined` for any other URI. */
export function taskIdOf(uri: vscode.Uri): string | undefined {
	return uri.scheme === taskScheme ? uri.path.slice(1) : undefined;
}
