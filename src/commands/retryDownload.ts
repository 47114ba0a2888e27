/** Download Again: fresh links from the service (they expire), then the download. */

import * as vscode from 'vscode';
import { CommandContext } from './context';
import { TaskArgument } from './taskArgument';

export async function retryDownload({ service, tasks }: CommandContext, argument?: TaskArgument) {
	const task = await tasks.resolve(argument, vscode.l10n.t('Download which video again?'), t => t.phase === 'succeeded');
	if (task) {
		await service.retryDownload(task.id);
	}
}
