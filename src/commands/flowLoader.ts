/**
 * Loads Generate Video's questions (src/flow) the first time a command needs them. In the bundle they
 * are a separate file, `dist/flow.js` (see esbuild.js), so activation never pays for them.
 */

import type * as Flow from '../flow';

let flow: typeof Flow | undefined;

export function loadFlow(): typeof Flow {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return flow ??= require('../flow') as typeof Flow;
}
