/** Copy URL: the service's link to a task's video (one of them, when there are several). */

import * as vscode from 'vscode';
import { CommandContext } from './context';
import { TaskArgument } from './taskArgument';

export async function copyUrl({ tasks }: CommandContext, argument?: TaskArgument) {
	const task = await tasks.resolve(argument, vscode.l10n.t('Copy the link of which video?'), t => !!t.urls?.length);
	const urls = task?.urls ?? [];
	if (!task || !urls.length) {
		return undefined;
	}
	const url = urls.length === 1 ? urls[0] : (await vscode.window.showQuickPick(urls.map((u, i) => ({ label: vscode.l10n.t('Video {0}', i + 1), detail: u })), { placeHolder: vscode.l10n.t('Copy which link?') }))?.detail;
	if (url) {
		await vscode.env.clipboard.writeText(url);
		vscode.window.setStatusBarMessage(`$(copy) ${vscode.l10n.t('VideoGen: video link copied (the service\'s links expire; the saved file does not)')}`, 4000);
	}
	return url;
}
