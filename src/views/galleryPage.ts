/**
 * The gallery page's HTML: the filters, an empty grid and the script, under a strict content-security
 * policy (the nonce'd script alone runs; styles, images and media come only from the webview's own
 * resource origin). The tiles come later, in one message of entries (see
 * src/webview/galleryProtocol.ts), each made here from a task. No VS Code here: the caller hands in
 * the addresses, so the benchmark loads the very same page with the very same entries.
 */

import { plainText } from '../core/serviceText';
import type { TaskRecord } from '../core/task';
import { GalleryEntry, GallerySettings, modelLimit, promptLimit, titleLimit } from '../webview/galleryProtocol';
import { shortPrompt } from './taskPresentation';
import { escapeHtml } from '../core/html';

/**
 * A finished task's tile: short, bounded text only (a 3,000-character prompt is sent as its first
 * {@link promptLimit} characters), and its first video's address in the webview, `src`.
 */
export function galleryEntry(task: TaskRecord, src: string, modelLabel: string): GalleryEntry {
	return {
		id: task.id,
		title: shortPrompt(task, titleLimit),
		prompt: plainText(task.prompt, promptLimit),
		model: plainText(task.model, modelLimit),
		modelLabel: plainText(modelLabel, modelLimit),
		created: task.createdAt,
		src,
	};
}

export interface GalleryPageParts {
	/** `webview.cspSource`: the origin the page's resources come from. */
	readonly cspSource: string;
	/** A fresh random value for the script's nonce. */
	readonly nonce: string;
	/** The addresses of media/gallery.css and media/dist/gallery.js in the webview. */
	readonly styleUri: string;
	readonly scriptUri: string;
	readonly settings: GallerySettings;
}

export function renderGalleryPage({ cspSource, nonce, styleUri, scriptUri, settings }: GalleryPageParts): string {
	const csp = [
		`default-src 'none'`,
		`img-src ${cspSource}`,
		`media-src ${cspSource}`,
		`script-src 'nonce-${nonce}'`,
		`style-src ${cspSource}`,
	].join('; ');
	const { strings } = settings;
	return `<!DOCTYPE html>
<html lang="${escapeHtml(settings.language)}">
<head>
	<meta charset="UTF-8">
	<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
	<meta name="viewport" content="width=device-width, initial-scale=1.0">
	<link rel="stylesheet" href="${escapeHtml(styleUri)}">
	<meta id="gallery-settings" data-settings="${escapeHtml(JSON.stringify(settings))}">
</head>
<body>
	<div class="toolbar">
		<label class="visually-hidden" for="model">${escapeHtml(strings.model)}</label>
		<select id="model"><option value="">${escapeHtml(strings.allModels)}</option></select>
		<input id="text" type="search" placeholder="${escapeHtml(strings.filter)}" aria-label="${escapeHtml(strings.filter)}" spellcheck="false" autocomplete="off">
	</div>
	<p class="status" id="status" role="status" hidden></p>
	<p class="empty" id="empty" hidden></p>
	<div class="grid" id="grid"></div>
	<script nonce="${escapeHtml(nonce)}" src="${escapeHtml(scriptUri)}"></script>
</body>
</html>`;
}

