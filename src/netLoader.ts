/**
 * Loads the HTTP stack (undici, the API client, the downloader) the first time it is needed.
 * In the bundle `./net` is a separate file (dist/net.js), so activation never pays for it.
 */

import type * as Net from './net';

let net: typeof Net | undefined;

export function loadNet(): typeof Net {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return net ??= require('./net') as typeof Net;
}

