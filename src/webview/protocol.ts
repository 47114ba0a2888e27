/** Messages between the player webview and the extension host; both sides compile against this file. */

export const enum PlayerMessageType {
	OpenExternal = 'openExternal',
	RevealFile = 'revealFile',
	CopyUrl = 'copyUrl',
	EditAndRegenerate = 'editAndRegenerate',
	PlaybackError = 'playbackError',
}

/** From the page to the extension. */
export type FromPlayer =
	| { readonly type: PlayerMessageType.OpenExternal }
	| { readonly type: PlayerMessageType.RevealFile }
	| { readonly type: PlayerMessageType.CopyUrl }
	| { readonly type: PlayerMessageType.EditAndRegenerate }
	| { readonly type: PlayerMessageType.PlaybackError; readonly code: number };

/** What the page is given in its `data-settings` attribute. */
export interface PlayerSettings {
	/** VideoGen's own id of the task (`TaskRecord.id`), not the service's task id. */
	readonly id: string;
}

/** What the page keeps with `setState`, so the panel can be brought back after a reload. */
export interface PlayerState {
	/** VideoGen's own id of the task (`TaskRecord.id`). Saved by VS Code across reloads: do not rename. */
	readonly id: string;
}
