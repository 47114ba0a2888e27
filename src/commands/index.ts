/**
 * Every command VideoGen contributes, one registration per line. Each lives in a file of its own,
 * named for the command; `CommandContext` is what they share.
 */

import * as vscode from 'vscode';
import { registerClearApiKey } from './clearApiKey';
import { registerClearFinished } from './clearFinished';
import { registerClearPromptHistory } from './clearPromptHistory';
import { CommandContext } from './context';
import { registerCopyUrl } from './copyUrl';
import { registerEditAndRegenerate } from './editAndRegenerate';
import { registerGenerate } from './generate';
import { registerGenerateFromImage } from './generateFromImage';
import { registerGenerateFromSelection } from './generateFromSelection';
import { registerOpenExternal } from './openExternal';
import { registerPlay } from './play';
import { registerRefresh } from './refresh';
import { registerRegenerate } from './regenerate';
import { registerRemoveTask } from './removeTask';
import { registerRetryDownload } from './retryDownload';
import { registerRevealFile } from './revealFile';
import { registerSaveCopy } from './saveCopy';
import { registerSelectModel } from './selectModel';
import { registerSetApiKey } from './setApiKey';
import { registerShowLog } from './showLog';
import { registerTrackTask } from './trackTask';

export type { CommandContext } from './context';

export function registerCommands(context: CommandContext): vscode.Disposable {
	return vscode.Disposable.from(
		registerGenerate(context),
		registerGenerateFromSelection(context),
		registerGenerateFromImage(context),
		registerRegenerate(context),
		registerEditAndRegenerate(context),
		registerPlay(context),
		registerOpenExternal(context),
		registerRevealFile(context),
		registerSaveCopy(context),
		registerCopyUrl(context),
		registerRetryDownload(context),
		registerRemoveTask(context),
		registerClearFinished(context),
		registerTrackTask(context),
		registerRefresh(context),
		registerSetApiKey(context),
		registerClearApiKey(context),
		registerSelectModel(),
		registerClearPromptHistory(context),
		registerShowLog(context),
	);
}
