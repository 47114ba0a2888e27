/** Refresh: asks about every unfinished task now, and for fresh links where a video is missing. */

import { CommandContext } from './context';

export function refresh({ service }: CommandContext) {
	return service.refresh();
}
