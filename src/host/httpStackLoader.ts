/**
 * Loads the HTTP stack (undici, the API client, the downloader) the first time it is needed.
 * In the bundle it is a separate file, `dist/httpStack.js` (see esbuild.js), so activation never
 * pays for it.
 */

import type * as HttpStack from '../core/net/httpStack';

let stack: typeof HttpStack | undefined;

export function loadHttpStack(): typeof HttpStack {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return stack ??= require('../core/net/httpStack') as typeof HttpStack;
}
