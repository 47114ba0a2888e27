/**
 * Clear Prompt History: forgets the recent prompts and the unsubmitted draft Generate Video keeps,
 * after asking (src/flow/promptHistory.ts). Turning `videogen.promptHistory` off forgets them too
 * (index.ts watches the setting).
 */

import { CommandContext } from './context';
import { loadFlow } from './flowLoader';

export function clearPromptHistory({ globalState }: CommandContext) {
	return loadFlow().clearPromptHistory(globalState);
}
