/**
 * Loads the model catalogue (src/core/models) the first time a model is looked up. In the bundle it
 * is a separate file, `dist/models.js` (see esbuild.js), so activation never pays for it.
 */

import type * as Models from './models';

let models: typeof Models | undefined;

export function loadModels(): typeof Models {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return models ??= require('./models') as typeof Models;
}
