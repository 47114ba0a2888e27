/**
 * Loads what the commands do (src/commands/handlers.ts and the command files) the first time a
 * command runs. In the bundle they are a separate file, `dist/commands.js` (see esbuild.js), so
 * activation never pays for them.
 */

import type * as Handlers from './handlers';

let handlers: typeof Handlers.handlers | undefined;

export function loadHandlers(): typeof Handlers.handlers {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return handlers ??= (require('./handlers') as typeof Handlers).handlers;
}
