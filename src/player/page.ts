/**
 * The player's page: the video through `asWebviewUri`, under a strict content-security policy, with
 * the prompt, the images it was made from and the details beside it, and the buttons and notes that
 * fit the window (./actions.ts).
 */

import * as crypto from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import { TaskRecord } from '../core/task';
import { VideoActions } from '../core/videoActions';
import { detailLines, shortPrompt } from '../views/taskPresentation';
import { PlayerSettings } from '../webview/protocol';
import { actionButtons, connectSource, playbackErrorText, savedAtNote, soundNote } from './actions';

/**
 * What the page may load: the videos' folder, the folder of an image the video was made from (a
 * local one only), and the extension's own media.
 */
export function playerResourceRoots(task: TaskRecord, media: vscode.Uri): vscode.Uri[] {
	const files = task.download?.files ?? [];
	const imageFolders = localFrames(task).map(frame => vscode.Uri.joinPath(frame.uri, '..'));
	return [...new Set(files.map(file => path.dirname(file)))].map(folder => vscode.Uri.file(folder)).concat(imageFolders, media);
}

export function renderPlayer(webview: vscode.Webview, media: vscode.Uri, task: TaskRecord, actions: VideoActions): string {
	const nonce = crypto.randomBytes(16).toString('base64');
	const files = task.download?.files ?? [];
	const settings: PlayerSettings = { id: task.id };
	const csp = [
		`default-src 'none'`,
		`img-src ${webview.cspSource}`,
		`media-src ${webview.cspSource}`,
		`script-src 'nonce-${nonce}'`,
		`style-src ${webview.cspSource}`,
		...connectSource(actions, webview),
	].join('; ');
	const videos = files.map((file, index) => `
		<figure>
			<video class="video" src="${escapeAttribute(webview.asWebviewUri(vscode.Uri.file(file)).toString())}" controls playsinline preload="auto"${index === 0 ? ' autoplay muted' : ''}></video>
			${files.length > 1 ? `<figcaption>Video ${index + 1} of ${files.length}</figcaption>` : ''}
		</figure>`).join('');
	const details = detailLines(task).map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`).join('');
	// A local image shows through the webview's own resource URI; a link is only named: the page
	// loads nothing from the network (its policy allows the webview's own sources alone).
	const frames = localFrames(task).map(frame => `
			<figure class="frame">
				<img src="${escapeAttribute(webview.asWebviewUri(frame.uri).toString())}" alt="${frame.label}">
				<figcaption>${frame.label}</figcaption>
			</figure>`).join('');
	const css = webview.asWebviewUri(vscode.Uri.joinPath(media, 'player.css'));
	const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'dist', 'player.js'));
	return `<!DOCTYPE html>
<html lang="en">
<head>
	<meta charset="UTF-8">
	<meta http-equiv="Content-Security-Policy" content="${csp}">
	<meta name="viewport" content="width=device-width, initial-scale=1.0">
	<link rel="stylesheet" href="${escapeAttribute(css.toString())}">
	<meta id="player-settings" data-settings="${escapeAttribute(JSON.stringify(settings))}">
	<title>${escapeHtml(shortPrompt(task, 30))}</title>
</head>
<body>
	<main class="stage">
		${videos}
		<p class="error" id="error" hidden>${playbackErrorText(actions)}</p>
	</main>
	<aside class="details">
		<h1>Prompt</h1>
		<p class="prompt">${escapeHtml(task.prompt)}</p>
		${frames ? `<div class="frames">${frames}</div>` : ''}
		<dl>${details}</dl>
		<div class="actions">
			${actionButtons(actions)}
		</div>
		${soundNote(actions)}
		${savedAtNote(actions, escapeHtml(files.join(', ')))}
	</aside>
	<script nonce="${nonce}" src="${escapeAttribute(script.toString())}"></script>
</body>
</html>`;
}

/** The images the task was made from that are files (`file:` URIs), first frame first; links are left out. */
function localFrames(task: TaskRecord): { uri: vscode.Uri; label: string }[] {
	return ([[task.firstFrame, 'First frame'], [task.lastFrame, 'Last frame']] as const)
		.filter((frame): frame is readonly [string, 'First frame' | 'Last frame'] => !!frame[0] && /^file:/i.test(frame[0]))
		.map(([source, label]) => ({ uri: vscode.Uri.parse(source, true), label }));
}

export function escapeHtml(value: string): string {
	return value.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' })[c]!);
}

const escapeAttribute = escapeHtml;
