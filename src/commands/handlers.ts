/**
 * What each command does, by its id; each lives in a file of its own, named for the command. A bundle
 * of its own, `dist/commands.js` (see esbuild.js): index.ts registers every command at activation and
 * loads this the first time one runs, so activation never pays for what the commands do.
 */

import { attachTaskId } from './attachTaskId';
import { clearApiKey } from './clearApiKey';
import { clearFailed, clearFinished } from './clearFinished';
import { clearPromptHistory } from './clearPromptHistory';
import { CommandContext } from './context';
import { copyPrompt } from './copyPrompt';
import { copyUrl } from './copyUrl';
import { editAndRegenerate } from './editAndRegenerate';
import { generate } from './generate';
import { generateFromImage } from './generateFromImage';
import { generateFromPromptDocument } from './generateFromPromptDocument';
import { generateFromSelection } from './generateFromSelection';
import { insertIntoDocument } from './insertIntoDocument';
import { newPrompt } from './newPrompt';
import { openExternal } from './openExternal';
import { openVideosFolder } from './openVideosFolder';
import { play } from './play';
import { refresh } from './refresh';
import { regenerate } from './regenerate';
import { removeTask } from './removeTask';
import { retryDownload } from './retryDownload';
import { revealFile } from './revealFile';
import { saveCopy } from './saveCopy';
import { selectModel } from './selectModel';
import { setApiKey } from './setApiKey';
import { showGallery } from './showGallery';
import { showLog } from './showLog';
import { trackTask } from './trackTask';

/**
 * A command's work, given what the commands share and the argument VS Code, the player or a script
 * passed (each command checks what it is given); from a menu of the VideoGen view, also the rows selected.
 */
export type CommandHandler = (context: CommandContext, argument?: never, selected?: never) => unknown;

export const handlers = {
	'videogen.generate': generate,
	'videogen.generateFromSelection': generateFromSelection,
	'videogen.generateFromImage': generateFromImage,
	'videogen.regenerate': regenerate,
	'videogen.editAndRegenerate': editAndRegenerate,
	'videogen.play': play,
	'videogen.openExternal': openExternal,
	'videogen.revealFile': revealFile,
	'videogen.saveCopy': saveCopy,
	'videogen.copyUrl': copyUrl,
	'videogen.retryDownload': retryDownload,
	'videogen.removeTask': removeTask,
	'videogen.clearFinished': clearFinished,
	'videogen.clearFailed': clearFailed,
	'videogen.openVideosFolder': openVideosFolder,
	'videogen.trackTask': trackTask,
	'videogen.attachTaskId': attachTaskId,
	'videogen.refresh': refresh,
	'videogen.setApiKey': setApiKey,
	'videogen.clearApiKey': clearApiKey,
	'videogen.selectModel': selectModel,
	'videogen.clearPromptHistory': clearPromptHistory,
	'videogen.showLog': showLog,
	'videogen.copyPrompt': copyPrompt,
	'videogen.insertIntoDocument': insertIntoDocument,
	'videogen.newPrompt': newPrompt,
	'videogen.generateFromPromptDocument': generateFromPromptDocument,
	'videogen.showGallery': showGallery,
} satisfies Record<string, CommandHandler>;

export type CommandId = keyof typeof handlers;
