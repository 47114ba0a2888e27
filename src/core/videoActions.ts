/**
 * What can be done with a saved video depends on where the window runs. In a remote window (SSH, WSL,
 * a container, Codespaces, code-server) VideoGen runs on the remote side, so its videos are saved there,
 * not on the computer the user sits at: the system's player and file manager cannot open them, and
 * Save a Copy has to carry the file across. A browser client plays AAC sound; the desktop app's
 * webviews do not (local or remote window alike).
 */

import { l10n } from './l10n';

/** The facts about the window that decide it: VS Code's `env.uiKind`, `env.remoteName` and where the extension runs. */
export interface WindowKind {
	/** The desktop app (`UIKind.Desktop`), not a browser (`UIKind.Web`). */
	readonly desktop: boolean;
	/** `env.remoteName` (`ssh-remote`, `wsl`, `dev-container`, `codespaces`, `tunnel`, …); undefined in a local window. */
	readonly remoteName: string | undefined;
	/** VideoGen runs on the user's side of the window (`ExtensionKind.UI`, e.g. put there by `remote.extensionKind`), not on the remote. */
	readonly runsOnUiSide: boolean;
}

/**
 * How Save a Copy puts a video on the user's computer:
 * - `saveDialog`: a save dialog on the file system VideoGen sees, which is the user's own;
 * - `saveDialogLocal`: a save dialog on the user's side of a remote window (`vscode-local:`), the way
 *   the desktop Explorer's own Download... does it;
 * - `browserDownload`: the browser's download, started by the player page.
 */
export type SaveRoute = 'saveDialog' | 'saveDialogLocal' | 'browserDownload';

/** The name of Save a Copy wherever it is offered: a button, a menu, a notification; as its command title is. */
export function saveCopyLabel(): string {
	return l10n.t('Save a Copy...');
}

export interface VideoActions {
	/** The saved videos are on the user's computer: Open in System Player and Reveal File can work. */
	readonly videosAreLocal: boolean;
	readonly saveCopy: SaveRoute;
	/** The player plays the video without its AAC sound (the desktop app's webview). */
	readonly playsSilently: boolean;
}

export function videoActions(window: WindowKind): VideoActions {
	const sameMachine = !window.remoteName || window.runsOnUiSide;
	if (!window.desktop) {
		// In a browser even a "local" extension host is a web worker: nothing reaches the user's disk
		// but a download.
		return { videosAreLocal: false, saveCopy: 'browserDownload', playsSilently: false };
	}
	return { videosAreLocal: sameMachine, saveCopy: sameMachine ? 'saveDialog' : 'saveDialogLocal', playsSilently: true };
}
