/**
 * The names videos are saved under: safe on every OS and unique in the folder. Windows' reserved
 * names and case-insensitive comparison cannot be met on the Linux these tests run on, so the
 * names are checked against the rules those systems apply.
 */

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { TaskRecord } from '../../src/core/task';
import { fileNameKey, safeStem, videoFiles } from '../../src/core/videoFiles';
import { makeTask } from '../common/helpers';

const folder = path.resolve('/videos');
const task = (taskId: string, urls = 1, over: Partial<TaskRecord> = {}) =>
	makeTask({ taskId, urls: Array.from({ length: urls }, (_, index) => `https://storage.example/${index}.mp4`), ...over });
const names = (files: string[]) => files.map(file => path.relative(folder, file));

/** What Windows refuses in a file name: a device name before the first dot (trailing spaces dropped), or a character it does not allow. */
function refusedByWindows(name: string): boolean {
	const device = name.split('.')[0].trimEnd();
	// eslint-disable-next-line no-control-regex -- control characters are among what Windows refuses
	return /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i.test(device) || /[\u0000-\u001f<>:"/\\|?*]/.test(name) || /[. ]$/.test(name);
}

describe('video file names', () => {
	it('are the service task id, and -2, -3 for further videos, when nothing holds those names', () => {
		assert.deepEqual(names(videoFiles(task('task_abc123', 3), folder, () => false)), ['task_abc123.mp4', 'task_abc123-2.mp4', 'task_abc123-3.mp4']);
	});

	it('never use a name Windows reserves, whatever its case', () => {
		const reserved = ['CON', 'con', 'Prn', 'AUX', 'nul', 'NUL', 'COM1', 'com9', 'LPT1', 'lpt9', 'COM0', 'LPT0'];
		for (const id of reserved) {
			const files = names(videoFiles(task(id, 2), folder, () => false));
			for (const name of [...files, ...files.map(file => `${file}.part`)]) {
				assert.ok(!refusedByWindows(name), `${id}: ${name}`);
			}
			assert.deepEqual(files, [`${id}_.mp4`, `${id}_-2.mp4`], id);
		}
	});

	it('make any text a name every OS accepts, for when names come from prompts', () => {
		const cases: Array<[string, string]> = [
			['con.tar', 'con_.tar'],
			['NUL .txt', 'NUL_.txt'],
			['a/b\\c:d*e?f"g<h>i|j', 'a-b-c-d-e-f-g-h-i-j'],
			['line\nbreak\ttab\u0000nul', 'line-break-tab-nul'],
			['...hidden', 'hidden'],
			['trailing dots. . .', 'trailing dots'],
			['', 'video'],
			['. .', 'video'],
			['com¹', 'com¹_'],
		];
		for (const [text, stem] of cases) {
			assert.equal(safeStem(text), stem, JSON.stringify(text));
			assert.ok(!refusedByWindows(`${safeStem(text)}.mp4`), text);
		}
		const long = safeStem('日本語のプロンプト'.repeat(40));
		assert.ok(Buffer.byteLength(long) <= 200, `${Buffer.byteLength(long)} bytes`);
		assert.ok(!long.includes('\ufffd'), 'cut between characters, not inside one');
	});

	it('compare names ignoring case, as Windows and macOS do', () => {
		assert.equal(fileNameKey('Task_ABC.mp4'), fileNameKey('task_abc.MP4'));
		assert.equal(fileNameKey('Cafe\u0301.mp4'), fileNameKey('Café.mp4'), 'macOS also ignores the Unicode normal form');
	});

	it('move every video of a task to the next free "(n)" name when any of its names is taken', () => {
		const taken = new Set(['task_abc.mp4', 'task_abc (2)-2.mp4'].map(fileNameKey));
		assert.deepEqual(names(videoFiles(task('task_ABC', 2), folder, key => taken.has(key))), ['task_ABC (3).mp4', 'task_ABC (3)-2.mp4']);
	});

	it('give two tasks with the same id, or ids that differ only in case, different files', () => {
		const taken = new Set<string>();
		const pick = (t: TaskRecord) => {
			const files = names(videoFiles(t, folder, key => taken.has(key)));
			files.forEach(file => taken.add(fileNameKey(file)));
			return files;
		};
		const all = [pick(task('task_abc')), pick(task('task_abc')), pick(task('TASK_ABC')), pick(task('Task_Abc', 2))].flat();
		assert.deepEqual(all, ['task_abc.mp4', 'task_abc (2).mp4', 'TASK_ABC (3).mp4', 'Task_Abc (4).mp4', 'Task_Abc (4)-2.mp4']);
		assert.equal(new Set(all.map(fileNameKey)).size, all.length);
	});

	it('say so when no free name is left, rather than take one', () => {
		assert.throws(() => videoFiles(task('task_abc'), folder, () => true), /Could not find a free name for the video in/);
	});
});
