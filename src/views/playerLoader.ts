/**
 * Loads the player's page and Save a Copy (src/player) the first time a player opens or a copy is
 * saved. In the bundle they are a separate file, `dist/player.js` (see esbuild.js), so activation
 * never pays for them.
 */

import type * as Player from '../player';

let player: typeof Player | undefined;

export function loadPlayer(): typeof Player {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return player ??= require('../player') as typeof Player;
}
