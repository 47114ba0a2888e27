/** Messages between the gallery webview and the extension host; both sides compile against this file. */

export const enum GalleryMessageType {
	/** The page's script runs and listens: the host answers with every entry. */
	Ready = 'ready',
	/** The user chose a tile (a click, Enter or Space): open the task's player. */
	Open = 'open',
}

/** From the page to the extension. */
export type FromGallery =
	| { readonly type: GalleryMessageType.Ready }
	| { readonly type: GalleryMessageType.Open; readonly id: string };

export const enum ToGalleryType {
	/** Every entry, in one message: sent when the page says it is ready. */
	Entries = 'entries',
	/** Entries added or changed, and ids gone, since the last message. */
	Update = 'update',
}

/** From the extension to the page. */
export type ToGallery =
	| { readonly type: ToGalleryType.Entries; readonly entries: readonly GalleryEntry[] }
	| { readonly type: ToGalleryType.Update; readonly changed: readonly GalleryEntry[]; readonly removed: readonly string[] };

/** What a tile shows of a finished video: only short, bounded text (see the limits below). */
export interface GalleryEntry {
	/** VideoGen's own id of the task (`TaskRecord.id`). */
	readonly id: string;
	/** The prompt's first line, shortened ({@link titleLimit}): the tile's caption. */
	readonly title: string;
	/** The prompt with its white space collapsed, shortened ({@link promptLimit}): what the text filter searches, and the tooltip. */
	readonly prompt: string;
	/** The model's id, as sent; the model filter's value. */
	readonly model: string;
	/** The model's name in the catalogue, else its id. */
	readonly modelLabel: string;
	/** When the task was created, in milliseconds since the epoch: the order, newest first. */
	readonly created: number;
	/** The video's address in the webview (`asWebviewUri` of the first file). */
	readonly src: string;
}

/** Longest caption, in characters. */
export const titleLimit = 120;
/** Longest prompt a tile carries, in characters. */
export const promptLimit = 500;
/** Longest model id or name, in characters. */
export const modelLimit = 100;

/** The words the page shows, in the user's language; given in its `data-settings` attribute. */
export interface GallerySettings {
	/** VS Code's display language, for the dates. */
	readonly language: string;
	readonly strings: {
		/** The model filter's first choice. */
		readonly allModels: string;
		/** The model filter's label. */
		readonly model: string;
		/** The text filter's label and placeholder. */
		readonly filter: string;
		/** Shown while there is no finished video at all. */
		readonly empty: string;
		/** Shown when the filters leave nothing. */
		readonly noMatch: string;
		/** `{0}` videos shown of `{1}`, while a filter is on. */
		readonly shownOf: string;
		/** `{0}` videos, with no filter on. */
		readonly count: string;
		/** On a tile whose video cannot be played (the file is gone, say). */
		readonly unplayable: string;
	};
}

/** What the page keeps with `setState`: the filters, so they survive the view being hidden. */
export interface GalleryState {
	readonly model: string;
	readonly text: string;
}
