/**
 * Plays a downloaded video in a webview: the local file through `asWebviewUri`, under a strict
 * content-security policy, with the prompt and details beside it. One panel per task. A bundle of
 * its own (`dist/playerPanel.js`), loaded by ./players.ts when the first player opens or comes back
 * after a window reload.
 */

import * as path from 'path';
import * as vscode from 'vscode';
import { FromPlayer, PlayerMessageType, PlayerSettings, ToPlayer, ToPlayerType } from '../webview/protocol';
import { TaskRecord } from '../core/task';
import { TaskList } from '../core/taskStore';
import { VideoActions } from '../core/videoActions';
import { Disposable } from '../host/dispose';
import { settings as playerSettings } from '../host/settings';
import { actionButtons, answerPage, connectSource, playbackErrorText, savedAtNote, soundNote } from './playerActions';
import { detailLines } from './taskDetails';
import { shortPrompt } from './taskPresentation';
import { escapeHtml } from '../core/html';

export class PlayerPanels extends Disposable {
	private readonly panels = new Map<string, vscode.WebviewPanel>();
	/** Tasks whose page has said it listens, and has not been hidden (which unloads it) since. */
	private readonly listening = new Set<string>();
	/** Messages for a page that is loading, posted when it says it listens. */
	private readonly waiting = new Map<string, ToPlayer>();

	/**
	 * `viewType` is the panels' type, the one the serializer in ./players.ts is registered for; `actions`
	 * says what the window can do with a saved video, which decides the player's buttons and notes.
	 */
	constructor(private readonly extensionUri: vscode.Uri, private readonly store: TaskList, private readonly viewType: string, private readonly actions: VideoActions) {
		super();
		// As the built-in media preview does: a changed setting renders the open players again.
		this._register(vscode.workspace.onDidChangeConfiguration(event => {
			if (event.affectsConfiguration('videogen.player')) {
				for (const [id, panel] of this.panels) {
					const task = this.store.get(id);
					if (task) {
						this.render(panel, task);
					}
				}
			}
		}));
	}

	/**
	 * Opens (or brings forward) the player for a task whose video is on disk. With `preserveFocus` the
	 * keyboard focus stays where it is (a quick input, the tree), for when the player is only a means.
	 */
	open(task: TaskRecord, preserveFocus = false): vscode.WebviewPanel {
		const existing = this.panels.get(task.id);
		if (existing) {
			existing.reveal(undefined, preserveFocus);
			return existing;
		}
		const panel = vscode.window.createWebviewPanel(this.viewType, shortPrompt(task, 30), { viewColumn: vscode.ViewColumn.Active, preserveFocus }, {});
		this.attach(panel, task);
		return panel;
	}

	/** The open panels, for tests and for closing the panel of a removed task. */
	get openPanels(): ReadonlyMap<string, vscode.WebviewPanel> {
		return this.panels;
	}

	/**
	 * In a browser client: has the player page hand video `index` of the task to the browser's download,
	 * opening the player first (without taking the focus: the user is saving a file, not watching).
	 * Resolves false when the page could not be told.
	 */
	async download(task: TaskRecord, index: number): Promise<boolean> {
		const file = task.download?.files?.[index];
		if (!file) {
			return false;
		}
		const panel = this.open(task, true);
		const message: ToPlayer = { type: ToPlayerType.Download, index, name: path.basename(file) };
		if (this.listening.has(task.id)) {
			return panel.webview.postMessage(message);
		}
		this.waiting.set(task.id, message);
		return true;
	}

	close(id: string): void {
		this.panels.get(id)?.dispose();
	}

	override dispose(): void {
		for (const panel of this.panels.values()) {
			panel.dispose();
		}
		super.dispose();
	}

	/** Shows `task` in `panel`: a new panel, or one VS Code brought back after a reload. */
	attach(panel: vscode.WebviewPanel, task: TaskRecord): void {
		const files = task.download?.files ?? [];
		const media = vscode.Uri.joinPath(this.extensionUri, 'media');
		panel.title = shortPrompt(task, 30);
		// A tab's icon is drawn as an image, where `currentColor` is black: one icon per kind of theme.
		panel.iconPath = { light: vscode.Uri.joinPath(media, 'player-light.svg'), dark: vscode.Uri.joinPath(media, 'player-dark.svg') };
		const imageFolders = localFrames(task).map(frame => vscode.Uri.joinPath(frame.uri, '..'));
		panel.webview.options = {
			enableScripts: true,
			enableForms: false,
			enableCommandUris: false,
			// Only the videos' folder, the folder of an image the video was made from (a local one only),
			// and the extension's own media.
			localResourceRoots: [...new Set(files.map(file => path.dirname(file)))].map(folder => vscode.Uri.file(folder)).concat(imageFolders, media),
		};
		this.render(panel, task);
		this.panels.set(task.id, panel);
		const subscriptions = [
			panel.webview.onDidReceiveMessage((message: FromPlayer) => this.onMessage(task.id, message, panel)),
			panel.onDidChangeViewState(() => {
				if (!panel.visible) {
					this.listening.delete(task.id); // a hidden webview's page is unloaded
				}
			}),
			this.store.onDidChange(ids => {
				if (ids.includes(task.id) && !this.store.get(task.id)) {
					panel.dispose(); // the task was removed
				}
			}),
		];
		panel.onDidDispose(() => {
			subscriptions.forEach(s => s.dispose());
			if (this.panels.get(task.id) === panel) {
				this.panels.delete(task.id);
				this.listening.delete(task.id);
				this.waiting.delete(task.id);
			}
		});
	}

	/** Writes the page (a new one, or again with changed settings); it listens again once it says so. */
	private render(panel: vscode.WebviewPanel, task: TaskRecord): void {
		panel.webview.html = renderPlayer(panel.webview, vscode.Uri.joinPath(this.extensionUri, 'media'), task, this.actions);
		this.listening.delete(task.id);
	}

	private onMessage(id: string, message: FromPlayer, panel: vscode.WebviewPanel): void {
		const task = this.store.get(id);
		if (!task) {
			return;
		}
		if (message.type === PlayerMessageType.Ready) {
			this.listening.add(id);
			const waiting = this.waiting.get(id);
			this.waiting.delete(id);
			if (waiting) {
				void panel.webview.postMessage(waiting);
			}
			return;
		}
		answerPage(this.actions, task.id, message);
	}
}

export function renderPlayer(webview: vscode.Webview, media: vscode.Uri, task: TaskRecord, actions: VideoActions): string {
	const nonce = nodeCrypto().randomBytes(16).toString('base64');
	const files = task.download?.files ?? [];
	const settings: PlayerSettings = {
		id: task.id,
		loop: playerSettings.playerLoop(),
		autoplay: playerSettings.playerAutoplay(),
		showMore: vscode.l10n.t('Show more'),
		showLess: vscode.l10n.t('Show less'),
	};
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
			<video class="video" src="${escapeAttribute(webview.asWebviewUri(vscode.Uri.file(file)).toString())}" controls playsinline preload="auto"${index === 0 && settings.autoplay ? ' autoplay muted' : ''}${settings.loop ? ' loop' : ''}${index === 0 ? ' tabindex="0"' : ''}></video>
			${files.length > 1 ? `<figcaption>${escapeHtml(vscode.l10n.t('Video {0} of {1}', index + 1, files.length))}</figcaption>` : ''}
		</figure>`).join('');
	const details = detailLines(task).map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`).join('');
	// A local image shows through the webview's own resource URI; a link is only named: the page
	// loads nothing from the network (its policy allows the webview's own sources alone).
	const frames = localFrames(task).map(frame => `
			<figure class="frame">
				<img src="${escapeAttribute(webview.asWebviewUri(frame.uri).toString())}" alt="${escapeAttribute(frame.label)}">
				<figcaption>${escapeHtml(frame.label)}</figcaption>
			</figure>`).join('');
	const css = webview.asWebviewUri(vscode.Uri.joinPath(media, 'player.css'));
	const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'dist', 'player.js'));
	return `<!DOCTYPE html>
<html lang="${escapeAttribute(vscode.env.language)}">
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
		<dl>${details}</dl>
		<div class="actions">
			${actionButtons(actions)}
		</div>
		<section class="prompt-section">
			<h1>${escapeHtml(vscode.l10n.t('Prompt'))}</h1>
			<p class="prompt clamped" id="prompt">${escapeHtml(task.prompt)}</p>
			<button type="button" class="toggle" id="prompt-toggle" aria-controls="prompt" aria-expanded="false" hidden>${escapeHtml(settings.showMore)}</button>
		</section>
		${frames ? `<div class="frames">${frames}</div>` : ''}
		${soundNote(actions)}
		${savedAtNote(actions, escapeHtml(files.join(', ')))}
	</aside>
	<script nonce="${nonce}" src="${escapeAttribute(script.toString())}"></script>
</body>
</html>`;
}

/** The images the task was made from that are files (`file:` URIs), first frame first; links are left out. */
function localFrames(task: TaskRecord): { uri: vscode.Uri; label: string }[] {
	return ([[task.firstFrame, vscode.l10n.t('First frame')], [task.lastFrame, vscode.l10n.t('Last frame')]] as const)
		.filter((frame): frame is readonly [string, string] => !!frame[0] && /^file:/i.test(frame[0]))
		.map(([source, label]) => ({ uri: vscode.Uri.parse(source, true), label }));
}


const escapeAttribute = escapeHtml;

/** Node's `crypto`, loaded when a player first opens rather than at activation. */
function nodeCrypto(): typeof import('crypto') {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require('crypto') as typeof import('crypto');
}
