/**
 * What Insert into Document writes: a Markdown video tag, or a plain path, pointing from the
 * document to the saved video, relative where the two are on the same file system. Also the place
 * a task remembers to insert its video at (below the selection it was made from). Pure functions.
 */

import * as path from 'path';
import { pathToFileURL } from 'url';
import { escapeHtml } from './html';

export interface VideoLink {
	/** What goes into the document. */
	readonly text: string;
	/** The video is named relative to the document (else by its absolute path or `file:` URI). */
	readonly relative: boolean;
}

/**
 * The path from the document `documentFile` (a file path, or `undefined` for an untitled document or
 * one on another file system) to `videoFile`, with `/` between folders; `undefined` when there is
 * none (no document file, another drive).
 */
export function relativeVideoPath(documentFile: string | undefined, videoFile: string, paths: typeof path = path): string | undefined {
	if (!documentFile) {
		return undefined;
	}
	const relative = paths.relative(paths.dirname(documentFile), videoFile);
	if (!relative || paths.isAbsolute(relative)) {
		return undefined; // another drive on Windows
	}
	return relative.split(paths.sep).join('/');
}

/**
 * The text for one video: in Markdown a `<video>` tag (Markdown has no syntax of its own for video;
 * the preview and most renderers show the tag), with the relative path encoded as a URL, or the
 * file's `file:` URI when no relative path exists; elsewhere the plain path.
 */
export function videoLink(documentFile: string | undefined, videoFile: string, markdown: boolean, paths: typeof path = path): VideoLink {
	const relative = relativeVideoPath(documentFile, videoFile, paths);
	if (!markdown) {
		return { text: relative ?? videoFile, relative: !!relative };
	}
	const source = relative !== undefined ? relative.split('/').map(encodeURIComponent).join('/') : pathToFileURL(videoFile).href;
	return { text: `<video src="${escapeHtml(source)}" controls></video>`, relative: relative !== undefined };
}


/**
 * Where a task made from a selection offers to put its video once it is ready: a `file:` document
 * and the line after the selection (from 0). Kept in the task list, so it is checked again when read.
 */
export interface InsertPlace {
	readonly uri: string;
	readonly line: number;
}

/** The longest document URI kept; a longer one is not remembered. */
const maxPlaceUriLength = 2048;
/** Lines beyond this are not a place anyone selected text at. */
const maxPlaceLine = 10_000_000;

/** `value` as an insert place when it is one: a `file:` URI of sane length and a line number in range. */
export function insertPlaceOf(value: unknown): InsertPlace | undefined {
	const place = value as Partial<InsertPlace> | undefined;
	if (!place || typeof place !== 'object' || typeof place.uri !== 'string' || typeof place.line !== 'number') {
		return undefined;
	}
	if (!/^file:\/\//i.test(place.uri) || place.uri.length > maxPlaceUriLength || !Number.isInteger(place.line) || place.line < 0 || place.line > maxPlaceLine) {
		return undefined;
	}
	return { uri: place.uri, line: place.line };
}
