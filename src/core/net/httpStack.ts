/**
 * The HTTP stack: everything that speaks HTTP (the API client on undici, the downloader, the routes
 * through a proxy), with what only a request needs (the names of a download's files, what the
 * answer to a key check means), in one module that `extension.js` requires only when the first
 * request is made, so that activation does not pay for loading it. esbuild writes it to `dist/httpStack.js`
 * (see esbuild.js), and src/host/httpStackLoader.ts requires it.
 *
 * The rule that keeps activation light: outside src/core/net, only `import type` reaches into this
 * folder. Everything else goes through the loader. ESLint checks it (eslint.config.mjs).
 */

import { Agent } from 'undici';
import { apiPoolOptions } from './network';

export { checkKey } from '../keyCheck';
// What a download needs besides HTTP: its files' names (the download queue asks when one starts).
export { fileNameKey, videoFiles } from '../videoFiles';
export { ApiClient } from './apiClient';
export { downloadVideo } from './downloader';
export { Network } from './network';

/**
 * A connection pool for the API with no proxy, configured as the extension configures its own
 * (network.ts): for the tests and the benchmark, which talk to the simulator directly.
 */
export function createDispatcher(): Agent {
	return new Agent(apiPoolOptions(undefined));
}
