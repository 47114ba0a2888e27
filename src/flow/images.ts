/**
 * The images a video is made from: a file the user picked (read through VS Code's file system, so it
 * works in remote windows too) or an `https:` link. What a task keeps of either is its source, a
 * `file:` URI or the link; the file is read again when the task is generated again.
 */

import * as vscode from 'vscode';
import type { FrameInput } from '../core/taskEngine';
import { loadModels } from '../core/modelsLoader';

/** An image ready to send, with a name to show it by. */
export type Frame = FrameInput & { readonly name: string };

/** The MIME type of an image file the bytes do not reveal, by its extension. */
const typesByExtension: Readonly<Record<string, string>> = {
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.webp': 'image/webp',
	'.gif': 'image/gif',
};

/** The extensions offered in the file dialog. */
export const imageExtensions = ['png', 'jpg', 'jpeg', 'webp'];

/** Thrown when an image cannot be used; the message says why, in words for the user. */
export class ImageError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ImageError';
	}
}

/**
 * Reads an image file. A file over the largest image any model takes is refused before it is read.
 * Rejects with an {@link ImageError} saying why the file cannot be used.
 */
export async function readImageFile(uri: vscode.Uri): Promise<Frame> {
	const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
	const { largestImageBytes, sniffImageType } = loadModels();
	let bytes: Uint8Array;
	try {
		const stat = await vscode.workspace.fs.stat(uri);
		if (stat.type & vscode.FileType.Directory) {
			throw new ImageError(vscode.l10n.t('{0} is a folder, not an image.', name));
		}
		if (stat.size > largestImageBytes) {
			throw new ImageError(vscode.l10n.t('{0} is {1}; no model takes an image over {2}. Use a smaller image.', name, megabytes(stat.size), megabytes(largestImageBytes)));
		}
		bytes = await vscode.workspace.fs.readFile(uri);
	} catch (error) {
		if (error instanceof ImageError) {
			throw error;
		}
		throw new ImageError(vscode.l10n.t('VideoGen could not read {0}: {1}', name, error instanceof Error ? error.message : String(error)));
	}
	const extension = name.includes('.') ? name.slice(name.lastIndexOf('.')).toLowerCase() : '';
	const mimeType = sniffImageType(bytes) ?? typesByExtension[extension];
	if (!mimeType) {
		throw new ImageError(vscode.l10n.t('{0} is not an image VideoGen can send: use a PNG, JPEG or WebP file.', name));
	}
	return { source: uri.toString(), name, bytes, mimeType };
}

/** An image given as a link; `undefined` when `text` is not an `https:` URL. */
export function imageLink(text: string): Frame | undefined {
	const url = parseUrl(text.trim());
	if (url?.protocol !== 'https:') {
		return undefined;
	}
	const name = decodeURIComponent(url.pathname.slice(url.pathname.lastIndexOf('/') + 1)) || url.host;
	return { source: url.href, url: url.href, name };
}

/** Why `text` is not an image link, for an input box; `undefined` when it is one. */
export function checkImageLink(text: string): string | undefined {
	return imageLink(text) ? undefined : vscode.l10n.t('Enter an https: link to the image, such as https://example.com/first-frame.png.');
}

/** The image a task was made from, read again: the file, or the link as it was. */
export async function frameFromSource(source: string): Promise<Frame> {
	return imageLink(source) ?? readImageFile(vscode.Uri.parse(source, true));
}

/** Whether a frame is the image's bytes (a file) or a link. */
export function isFile(frame: Frame): boolean {
	return !('url' in frame);
}

function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

function megabytes(bytes: number): string {
	return vscode.l10n.t('{0} MB', new Intl.NumberFormat(vscode.env.language, { maximumFractionDigits: 1 }).format(bytes / (1024 * 1024)));
}
