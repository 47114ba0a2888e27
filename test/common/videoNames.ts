/**
 * Finding a saved video by its prompt, for the tests that run VideoGen in another process (the
 * extension host, a child engine): its file is named `<date> <time> <first words of the prompt>.mp4`,
 * and the minute it was submitted is the extension's to decide, so the date is matched, not computed.
 */

import * as fs from 'fs';
import * as path from 'path';
import { promptWords } from '../../src/core/videoFiles';

/** The pattern of the name a task's video `index` (0 for the first) is saved under, with `suffix` (`.part`) after it. */
export function videoNamePattern(prompt: string, index = 0, suffix = ''): RegExp {
	const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`^\\d{4}-\\d{2}-\\d{2} \\d{4} ${escape(promptWords(prompt))}${index ? `-${index + 1}` : ''}\\.mp4${escape(suffix)}$`);
}

/** The path of the file in `folder` that holds the video of `prompt` (with `suffix`), or `undefined`. */
export function savedVideo(folder: string, prompt: string, suffix = ''): string | undefined {
	const pattern = videoNamePattern(prompt, 0, suffix);
	const name = (fs.existsSync(folder) ? fs.readdirSync(folder) : []).find(file => pattern.test(file));
	return name && path.join(folder, name);
}
