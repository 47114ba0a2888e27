/** Messages between the player webview and the extension host; both sides compile against this file. */

export const enum PlayerMessageType {
	/** The page's script runs and listens: messages posted before this are lost. */
	Ready = 'ready',
	OpenExternal = 'openExternal',
	RevealFile = 'revealFile',
	CopyUrl = 'copyUrl',
	SaveCopy = 'saveCopy',
	EditAndRegenerate = 'editAndRegenerate',
	CopyPrompt = 'copyPrompt',
	InsertIntoDocument = 'insertIntoDocument',
	RemoveTask = 'removeTask',
	PlaybackError = 'playbackError',
	/** The page could not hand a video to the browser's download. */
	DownloadFailed = 'downloadFailed',
}

/** The buttons' messages: each runs the command of the same name on the player's task. */
export type PlayerAction =
	| PlayerMessageType.OpenExternal
	| PlayerMessageType.RevealFile
	| PlayerMessageType.CopyUrl
	| PlayerMessageType.SaveCopy
	| PlayerMessageType.EditAndRegenerate
	| PlayerMessageType.CopyPrompt
	| PlayerMessageType.InsertIntoDocument
	| PlayerMessageType.RemoveTask;

/** From the page to the extension. */
export type FromPlayer =
	| { readonly type: PlayerMessageType.Ready }
	| { readonly type: PlayerAction }
	| { readonly type: PlayerMessageType.PlaybackError; readonly code: number }
	/**
	 * `status`: the webview's resource origin answered the page's fetch of the video with this HTTP
	 * status, which the host words in the user's language; else `reason` is the browser's own words.
	 */
	| { readonly type: PlayerMessageType.DownloadFailed; readonly name: string; readonly reason: string; readonly status?: number };

export const enum ToPlayerType {
	/** In a browser client: download video `index` (the order of the page's `<video>` elements) as `name`. */
	Download = 'download',
}

/** From the extension to the page. */
export type ToPlayer =
	| { readonly type: ToPlayerType.Download; readonly index: number; readonly name: string };

/** What the page is given in its `data-settings` attribute. */
export interface PlayerSettings {
	/** VideoGen's own id of the task (`TaskRecord.id`), not the service's task id. */
	readonly id: string;
	/** `videogen.player.loop`: the videos start again when they end. */
	readonly loop: boolean;
	/** `videogen.player.autoplay`: the first video plays, muted, as the player opens (browsers play only muted videos by themselves). */
	readonly autoplay: boolean;
	/** The prompt's toggle, in the user's language. */
	readonly showMore: string;
	readonly showLess: string;
}

/** What the page keeps with `setState`, so the panel can be brought back after a reload. */
export interface PlayerState {
	/** VideoGen's own id of the task (`TaskRecord.id`). Saved by VS Code across reloads: do not rename. */
	readonly id: string;
}
