/** New Prompt: an untitled Markdown prompt document, its front matter naming the model and settings. */

import { loadFlow } from './flowLoader';

export function newPrompt() {
	return loadFlow().newPromptDocument();
}
