/**
 * The gallery's host side: fills the VideoGen side bar's Gallery view with the finished videos,
 * sends the page every entry in one message when it says it is ready, and afterwards only the
 * entries that changed. A bundle of its own (`dist/galleryView.js`), loaded by ./gallery.ts the
 * first time the view is shown.
 */

import * as path from 'path';
import * as vscode from 'vscode';
import { loadModels } from '../core/modelsLoader';
import { isPlayable, TaskRecord } from '../core/task';
import { TaskList } from '../core/taskStore';
import { Disposable } from '../host/dispose';
import { FromGallery, GalleryEntry, GalleryMessageType, GallerySettings, ToGallery, ToGalleryType } from '../webview/galleryProtocol';
import { galleryEntry, renderGalleryPage } from './galleryPage';

/** What the view shows, for scripts and tests. */
export interface GallerySnapshot {
	/** Every entry the page is given, newest first. */
	readonly entries: readonly GalleryEntry[];
	readonly html: string;
	readonly localResourceRoots: readonly vscode.Uri[];
	/** Whether the page has said it listens (it is loaded and shown). */
	readonly listening: boolean;
}

export class GalleryView extends Disposable {
	/** The page is loaded and has said it listens; a hidden view's page is unloaded. */
	private listening = false;
	/** What the page has, or is about to get, by task id: an entry that did not change is not sent again. */
	private readonly sent = new Map<string, GalleryEntry>();
	/** The folders the page may load videos from (`localResourceRoots`), by path. */
	private folders = new Set<string>();

	constructor(private readonly view: vscode.WebviewView, private readonly extensionUri: vscode.Uri, private readonly store: TaskList) {
		super();
		this._register(view.webview.onDidReceiveMessage((message: FromGallery) => this.onMessage(message)));
		this._register(view.onDidChangeVisibility(() => {
			if (!view.visible) {
				this.listening = false;
			}
		}));
		this._register(store.onDidChange(ids => this.onTasksChanged(ids)));
		this.render();
	}

	/** Every finished video's entry, newest first (the store's order). */
	entries(): GalleryEntry[] {
		return this.store.all().filter(isPlayable).map(task => this.entry(task));
	}

	snapshot(): GallerySnapshot {
		return {
			entries: this.entries(),
			html: this.view.webview.html,
			localResourceRoots: this.view.webview.options.localResourceRoots ?? [],
			listening: this.listening,
		};
	}

	/**
	 * Sets the page's options and HTML; the page then loads and says it is ready. The videos may be
	 * loaded from their own folders alone (every folder a finished video is in), and the page's style
	 * and script from the extension's media.
	 */
	private render(): void {
		const media = vscode.Uri.joinPath(this.extensionUri, 'media');
		const webview = this.view.webview;
		this.folders = new Set(this.store.all().filter(isPlayable).map(task => folderOf(task)));
		this.listening = false;
		webview.options = {
			enableScripts: true,
			enableForms: false,
			enableCommandUris: false,
			localResourceRoots: [...this.folders].map(folder => vscode.Uri.file(folder)).concat(media),
		};
		webview.html = renderGalleryPage({
			cspSource: webview.cspSource,
			nonce: nodeCrypto().randomBytes(16).toString('base64'),
			styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'gallery.css')).toString(),
			scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'dist', 'gallery.js')).toString(),
			settings: pageSettings(),
		});
	}

	private onMessage(message: FromGallery): void {
		if (message?.type === GalleryMessageType.Ready) {
			this.listening = true;
			const entries = this.entries();
			this.sent.clear();
			entries.forEach(entry => this.sent.set(entry.id, entry));
			this.post({ type: ToGalleryType.Entries, entries });
		} else if (message?.type === GalleryMessageType.Open && typeof message.id === 'string') {
			// The Play Video command: it says so when the video is gone meanwhile.
			void vscode.commands.executeCommand('videogen.play', message.id);
		}
	}

	/** Sends the page what changed among `ids`: new and changed finished videos, and those gone. */
	private onTasksChanged(ids: readonly string[]): void {
		const changed: GalleryEntry[] = [];
		const removed: string[] = [];
		for (const id of ids) {
			const task = this.store.get(id);
			if (task && isPlayable(task)) {
				if (!this.folders.has(folderOf(task))) {
					// A video in a folder the page may not load from (the download folder was changed):
					// new options reload the page, which then asks for every entry.
					this.render();
					return;
				}
				const entry = this.entry(task);
				const before = this.sent.get(id);
				if (!before || !sameEntry(before, entry)) {
					this.sent.set(id, entry);
					changed.push(entry);
				}
			} else if (this.sent.delete(id)) {
				removed.push(id);
			}
		}
		if (this.listening && (changed.length || removed.length)) {
			this.post({ type: ToGalleryType.Update, changed, removed });
		}
	}

	private post(message: ToGallery): void {
		void this.view.webview.postMessage(message);
	}

	private entry(task: TaskRecord): GalleryEntry {
		const src = this.view.webview.asWebviewUri(vscode.Uri.file(task.download!.files![0])).toString();
		return galleryEntry(task, src, loadModels().findModel(task.model)?.label ?? task.model);
	}
}

function folderOf(task: TaskRecord): string {
	return path.dirname(task.download!.files![0]);
}

function sameEntry(a: GalleryEntry, b: GalleryEntry): boolean {
	return a.title === b.title && a.prompt === b.prompt && a.model === b.model && a.modelLabel === b.modelLabel && a.created === b.created && a.src === b.src;
}

function pageSettings(): GallerySettings {
	return {
		language: vscode.env.language,
		strings: {
			allModels: vscode.l10n.t('All models'),
			model: vscode.l10n.t('Model'),
			filter: vscode.l10n.t('Filter by prompt'),
			empty: vscode.l10n.t('No finished videos yet. Each video appears here once it is downloaded.'),
			noMatch: vscode.l10n.t('No video matches the filter.'),
			shownOf: vscode.l10n.t('Showing {0} of {1} videos', '{0}', '{1}'),
			count: vscode.l10n.t('Videos: {0}', '{0}'),
			unplayable: vscode.l10n.t('This video cannot be played. Its file may have been moved or deleted.'),
		},
	};
}

/** Node's `crypto`, loaded when the gallery is first shown rather than at activation. */
function nodeCrypto(): typeof import('crypto') {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require('crypto') as typeof import('crypto');
}
