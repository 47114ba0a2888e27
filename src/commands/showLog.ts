/** Show Log: VideoGen's output channel. */

import { CommandContext } from './context';

export function showLog({ log }: CommandContext) {
	return log.show(true);
}
