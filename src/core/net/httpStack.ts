/**
 * The HTTP stack: everything that speaks HTTP (the API client on undici, the downloader on its own
 * small HTTP/1.1 client), in one module that `extension.js` requires only when the first request is
 * made, so that activation does not pay for loading it. esbuild writes it to `dist/httpStack.js`
 * (see esbuild.js), and src/host/httpStackLoader.ts requires it.
 *
 * The rule that keeps activation light: outside src/core/net, only `import type` reaches into this
 * folder. Everything else goes through the loader. ESLint checks it (eslint.config.mjs).
 */

import { Agent } from 'undici';
import { maxAnswerBytes } from './apiClient';

export { ApiClient } from './apiClient';
export { downloadVideo } from './downloader';

/**
 * One keep-alive pool per origin, at most four sockets each: fifty polled tasks share a handful of
 * connections instead of opening one each. undici stops reading an answer past `maxAnswerBytes`
 * (and drops its connection), so a huge or endless answer cannot fill the memory.
 */
export function createDispatcher(): Agent {
	return new Agent({ connections: 4, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, maxResponseSize: maxAnswerBytes });
}
