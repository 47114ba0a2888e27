/**
 * What each command does, by its id; each lives in a file of its own, named for the command. A bundle
 * of its own, `dist/commands.js` (see esbuild.js): index.ts registers every command at activation and
 * loads this the first time one runs, so activation never pays for what the commands do.
 */

import { clearApiKey } from './clearApiKey';
import { clearFinished } from './clearFinished';
import { clearPromptHistory } from './clearPromptHistory';
import { CommandContext } from './context';
import { copyUrl } from './copyUrl';
import { editAndRegenerate } from './editAndRegenerate';
import { generate } from './generate';
import { generateFromImage } from './generateFromImage';
import { generateFromSelection } from './generateFromSelection';
import { openExternal } from './openExternal';
import { play } from './play';
import { refresh } from './refresh';
import { regenerate } from './regenerate';
import { removeTask } from './removeTask';
import { retryDownload } from './retryDownload';
import { revealFile } from './revealFile';
import { saveCopy } from './saveCopy';
import { selectModel } from './selectModel';
import { setApiKey } from './setApiKey';
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
	'videogen.trackTask': trackTask,
	'videogen.refresh': refresh,
	'videogen.setApiKey': setApiKey,
	'videogen.clearApiKey': clearApiKey,
	'videogen.selectModel': selectModel,
	'videogen.clearPromptHistory': clearPromptHistory,
	'videogen.showLog': showLog,
} satisfies Record<string, CommandHandler>;

export type CommandId = keyof typeof handlers;
