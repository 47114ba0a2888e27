/** Show Gallery: opens the VideoGen side bar on its Gallery view (expanded if it was collapsed) and focuses it. */

import * as vscode from 'vscode';
import { galleryViewType } from '../views/gallery';

export async function showGallery() {
	await vscode.commands.executeCommand(`${galleryViewType}.focus`);
	return true;
}
