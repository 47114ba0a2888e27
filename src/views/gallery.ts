/**
 * The Gallery view as activation sees it: the provider VS Code asks when the view is first shown.
 * The gallery itself (./galleryView.ts) is a bundle of its own, loaded then, so a window that never
 * shows the view never loads it.
 */

import * as vscode from 'vscode';
import type { TaskList } from '../core/taskStore';
import { Disposable } from '../host/dispose';
import type * as GalleryViewPart from './galleryView';

export const galleryViewType = 'videogen.gallery';

export class Gallery extends Disposable {
	private view: GalleryViewPart.GalleryView | undefined;

	/** `restored` settles once the task list has been read at start-up. */
	constructor(extensionUri: vscode.Uri, store: TaskList, restored: Promise<void>) {
		super();
		this._register(vscode.window.registerWebviewViewProvider(galleryViewType, {
			resolveWebviewView: async view => {
				await restored;
				// eslint-disable-next-line @typescript-eslint/no-require-imports
				const { GalleryView } = require('./galleryView') as typeof GalleryViewPart;
				this.view?.dispose();
				const gallery = this.view = new GalleryView(view, extensionUri, store);
				view.onDidDispose(() => {
					gallery.dispose();
					if (this.view === gallery) {
						this.view = undefined;
					}
				});
			},
		}));
	}

	/** What the view shows, for scripts and tests; `undefined` until it was first shown. */
	snapshot(): GalleryViewPart.GallerySnapshot | undefined {
		return this.view?.snapshot();
	}

	override dispose(): void {
		this.view?.dispose();
		super.dispose();
	}
}
