/**
 * Everything that needs undici, in one module that `extension.js` requires only when the first
 * request is made, so that activation does not pay for loading the HTTP stack.
 * (esbuild writes it to `dist/httpStack.js`; see esbuild.js.)
 */

import { Agent } from 'undici';

export { ApiClient } from './apiClient';
export { downloadVideo } from './downloader';

/**
 * One keep-alive pool per origin, at most four sockets each: fifty polled tasks share a handful of
 * connections instead of opening one each.
 */
export function createDispatcher(): Agent {
	return new Agent({ connections: 4, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000 });
}
