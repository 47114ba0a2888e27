/**
 * Loads what the user is told when something happens (src/notices) the first time there is
 * something to tell. In the bundle it is a separate file, `dist/notices.js` (see esbuild.js), so
 * activation never pays for it.
 */

import type * as Notices from '../notices';

let notices: typeof Notices | undefined;

export function loadNotices(): typeof Notices {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return notices ??= require('../notices') as typeof Notices;
}
