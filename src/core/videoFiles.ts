/**
 * Where a task's videos are saved. `videoFiles` is the one place that decides it: it takes the
 * task and the folder and returns one path per result link, each a name every OS accepts, inside
 * the folder, and taken by nothing else. Names are compared as Windows and macOS compare them,
 * ignoring case, so two tasks never share a file there even when their names differ only in case.
 * How a name is made from the task is `videoBaseName` alone: the date and time the task was
 * submitted and the first words of its prompt, `2026-11-29 1432 a red fox running`, so that a
 * video can be found again in a file manager. The service's task id stays in the task list.
 */

import * as fs from 'fs';
import * as path from 'path';
import { DownloadError } from './errors';
import { isValidTaskId, TaskRecord } from './task';
import { l10n } from './l10n';

/** How many words of the prompt go into a name, and how many characters at most. */
const maxWords = 6;
const maxWordChars = 48;

/**
 * The first words of a text, as a name can hold them: letters, digits and combining marks of any
 * script, each run of anything else (punctuation, separators, control and format characters such
 * as bidirectional overrides) one space, cut to a few words and characters. A prompt written
 * without spaces (Chinese, Japanese) is cut by characters. Empty when the text has no letter or digit.
 */
export function promptWords(text: string): string {
	const words = text.normalize('NFC').replace(/[^\p{L}\p{N}\p{M}]+/gu, ' ').trim().split(' ').filter(Boolean).slice(0, maxWords);
	let result = '';
	for (const word of words) {
		const next = result ? `${result} ${word}` : word;
		if (Array.from(next).length > maxWordChars) {
			// A first word longer than the limit (a prompt without spaces) is cut; a later one is left out.
			return result || Array.from(word).slice(0, maxWordChars).join('');
		}
		result = next;
	}
	return result;
}

/** `2026-11-29 1432`: the date and time in the local time zone, sortable, without the colon Windows refuses. */
export function dateStamp(time: number): string {
	const at = new Date(time);
	const two = (value: number) => String(value).padStart(2, '0');
	return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}${two(at.getMinutes())}`;
}

/**
 * The name before it is made safe and unique: when the task was submitted, then the first words
 * of its prompt (or of the name given to a tracked task); without either, the service's task id,
 * or VideoGen's own id when the service's cannot be used.
 */
export function videoBaseName(task: TaskRecord): string {
	const words = promptWords(task.prompt) || promptWords(task.name ?? '')
		|| (task.taskId && isValidTaskId(task.taskId) ? task.taskId : `videogen-${task.id.replace(/[^A-Za-z0-9_-]/g, '')}`);
	return `${dateStamp(task.submittedAt ?? task.createdAt)} ${words}`;
}

/** Device names Windows reserves whatever the extension (`CON.mp4` is the console), in any case. */
const reservedOnWindows = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i;
/** Leaves room for ` (99)-10.mp4.part` within the 255 bytes file systems allow. */
const maxStemBytes = 200;

/**
 * Makes any text a file name without its extension that Windows, macOS and Linux all accept: no
 * separators, no characters Windows refuses, no leading or trailing dots or spaces, not a device
 * name, not empty, and not too long.
 */
export function safeStem(text: string): string {
	// eslint-disable-next-line no-control-regex -- control characters are among what Windows refuses
	let stem = text.normalize('NFC').replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '-').replace(/^[\s.]+/, '');
	while (Buffer.byteLength(stem) > maxStemBytes) {
		stem = Array.from(stem).slice(0, -1).join('');
	}
	stem = stem.replace(/[\s.]+$/, '') || 'video';
	// Windows reads the name up to its first dot, trailing spaces dropped, as the device.
	const device = stem.split('.')[0];
	return reservedOnWindows.test(device.trimEnd()) ? `${device.trimEnd()}_${stem.slice(device.length)}` : stem;
}

/** How two file names compare on a file system that ignores case (and, on macOS, Unicode normal forms). */
export function fileNameKey(name: string): string {
	return name.normalize('NFC').toLowerCase();
}

/**
 * The files a task's videos go to, one per result link: `<name>.mp4`, `<name>-2.mp4`, … When any
 * of them is taken (`isTaken` is asked with `fileNameKey` of each name), the next free
 * `<name> (2)`, `<name> (3)`, … is used instead, for all of them.
 */
export function videoFiles(task: TaskRecord, folder: string, isTaken: (key: string) => boolean): string[] {
	const stem = safeStem(videoBaseName(task));
	const count = task.urls?.length ?? 0;
	for (let copy = 1; copy <= 1000; copy++) {
		const name = copy === 1 ? stem : `${stem} (${copy})`;
		const names = Array.from({ length: count }, (_, index) => index === 0 ? `${name}.mp4` : `${name}-${index + 1}.mp4`);
		if (names.some(candidate => isTaken(fileNameKey(candidate)))) {
			continue;
		}
		return names.map(candidate => {
			const file = path.join(folder, candidate);
			if (path.dirname(path.resolve(file)) !== path.resolve(folder)) {
				throw new DownloadError('disk', l10n.t('The task cannot be given a file name inside the videos folder.'));
			}
			return file;
		});
	}
	throw new DownloadError('disk', l10n.t('Could not find a free name for the video in {0}: a thousand files there already have its name. Choose another folder in the videogen.downloadFolder setting, then download again.', folder));
}

/** True when `folder` holds at least one `.mp4` file; reads the folder only until it finds one (false when it is missing). */
export async function holdsVideo(folder: string | undefined): Promise<boolean> {
	if (!folder) {
		return false;
	}
	try {
		// `for await` closes the directory when the loop ends or returns early.
		for await (const entry of await fs.promises.opendir(folder, { bufferSize: 64 })) {
			if (entry.isFile() && /\.mp4$/i.test(entry.name)) {
				return true;
			}
		}
		return false;
	} catch {
		return false;
	}
}
