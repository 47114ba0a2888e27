/**
 * What is done with a saved video once the user asks: the player's page and its answers to what the
 * page says, and Save a Copy. A bundle of its own, `dist/player.js` (see esbuild.js), loaded through
 * src/views/playerLoader.ts the first time a player opens or a copy is saved, so activation never
 * pays for it.
 */

export { answerPage } from './actions';
export { playerResourceRoots, renderPlayer } from './page';
export { offerSaveCopyInstead, saveCopy } from './saveCopy';
