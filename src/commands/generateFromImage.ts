/** Generate Video from Image (Explorer context menu on an image file): the image is the first frame. */

import * as vscode from 'vscode';
import { CommandContext } from './context';
import { loadFlow } from './flowLoader';

export function generateFromImage(context: CommandContext, uri?: unknown) {
	if (!(uri instanceof vscode.Uri)) {
		void vscode.window.showInformationMessage(vscode.l10n.t('Right-click an image in the Explorer and choose "Generate Video from Image", or run "Generate Video" and pick a model that makes video from an image.'));
		return undefined;
	}
	return loadFlow().generateFromImage(context, uri);
}
