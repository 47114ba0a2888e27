/**
 * Loads the HTTP stack (undici, the API client, the downloader) the first time it is needed.
 * In the bundle `./net` is a separate file (dist/net.js), so activation never pays for it.
 */

import type * as Net from '../core/net/httpStack';

let net: typeof Net | undefined;

export function loadNet(): typeof Net {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return net ??= require('../core/net/httpStack') as typeof Net;
}

