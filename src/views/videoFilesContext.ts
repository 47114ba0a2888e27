/**
 * The `videogen.hasVideoFiles` context key: true when the videos folder holds a video. The welcome
 * view shows it when the task list is empty (after Clear Finished, say), with Open Videos Folder,
 * rather than only "No videos yet".
 *
 * It is cheap by design. It matters only while the list is empty (otherwise the tree, not the
 * welcome view, is shown), so it is worked out only then: once the list has been read at start-up,
 * and again when a change leaves the list empty or the folder setting changes. Working it out opens
 * the folder and stops at the first `.mp4` it meets, so a folder of a thousand videos costs one
 * directory read, and a missing folder one failed call; it never runs inside `activate()`.
 */

import * as vscode from 'vscode';
import type { TaskList } from '../core/taskStore';
import { holdsVideo } from '../core/videoFiles';

export const hasVideoFilesKey = 'videogen.hasVideoFiles';

export function trackVideoFiles(store: TaskList, folder: () => string | undefined, restored: Promise<void>): vscode.Disposable {
	let disposed = false;
	let last: boolean | undefined;
	let running: Promise<void> | undefined;
	let again = false;
	const update = (): void => {
		if (disposed || store.all().length) {
			return;
		}
		if (running) {
			again = true;
			return;
		}
		running = (async () => {
			do {
				again = false;
				const has = await holdsVideo(folder());
				if (!disposed && has !== last) {
					last = has;
					await vscode.commands.executeCommand('setContext', hasVideoFilesKey, has);
				}
			} while (again && !disposed);
		})().catch(() => undefined).finally(() => running = undefined);
	};
	void restored.then(update);
	const changes = store.onDidChange(update);
	const settings = vscode.workspace.onDidChangeConfiguration(event => {
		if (event.affectsConfiguration('videogen.downloadFolder')) {
			update();
		}
	});
	return new vscode.Disposable(() => {
		disposed = true;
		changes.dispose();
		settings.dispose();
	});
}
