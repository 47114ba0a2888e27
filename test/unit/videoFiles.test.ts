/**
 * The names videos are saved under: the date and the prompt's first words, safe on every OS and
 * unique in the folder. Windows' reserved
 * names and case-insensitive comparison cannot be met on the Linux these tests run on, so the
 * names are checked against the rules those systems apply.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TaskRecord } from '../../src/core/task';
import { dateStamp, fileNameKey, holdsVideo, promptWords, safeStem, videoBaseName, videoFiles } from '../../src/core/videoFiles';
import { makeTask, TempDirs } from '../common/helpers';

const folder = path.resolve('/videos');
/** 29 November 2026, 14:32 in the local time zone, whichever the tests run in. */
const at = new Date(2026, 10, 29, 14, 32, 5).getTime();
const stamp = '2026-11-29 1432';
/** A task without a prompt is named by its service id (a task tracked by id). */
const task = (taskId: string, urls = 1, over: Partial<TaskRecord> = {}) =>
	makeTask({ taskId, prompt: '', createdAt: at, submittedAt: at, urls: Array.from({ length: urls }, (_, index) => `https://storage.example/${index}.mp4`), ...over });
const prompted = (prompt: string, over: Partial<TaskRecord> = {}) => task('task_abc123', 1, { prompt, ...over });
const names = (files: string[]) => files.map(file => path.relative(folder, file));

/** What Windows refuses in a file name: a device name before the first dot (trailing spaces dropped), or a character it does not allow. */
function refusedByWindows(name: string): boolean {
	const device = name.split('.')[0].trimEnd();
	// eslint-disable-next-line no-control-regex -- control characters are among what Windows refuses
	return /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i.test(device) || /[\u0000-\u001f<>:"/\\|?*]/.test(name) || /[. ]$/.test(name);
}

describe('video file names', () => {
	it('are the date and time of the submit and the prompt\'s first words, and -2, -3 for further videos of the task', () => {
		assert.deepEqual(names(videoFiles(task('task_abc123', 3, { prompt: 'A red fox running through fresh snow at dawn, cinematic' }), folder, () => false)),
			[`${stamp} A red fox running through fresh.mp4`, `${stamp} A red fox running through fresh-2.mp4`, `${stamp} A red fox running through fresh-3.mp4`]);
	});

	it('take the date from when the task was submitted, in the local time zone, with no colon', () => {
		assert.equal(dateStamp(at), stamp);
		assert.equal(dateStamp(new Date(2027, 0, 2, 3, 4).getTime()), '2027-01-02 0304');
		assert.equal(videoBaseName(prompted('a kite', { createdAt: at - 86_400_000 })), `${stamp} a kite`, 'submittedAt wins over createdAt');
		assert.equal(videoBaseName(prompted('a kite', { submittedAt: undefined, createdAt: at })), `${stamp} a kite`);
	});

	it('fall back to the name given to a tracked task, then to the service task id, then to VideoGen\'s own id', () => {
		assert.equal(videoBaseName(task('task_abc123', 1, { name: 'Launch teaser' })), `${stamp} Launch teaser`);
		assert.equal(videoBaseName(task('task_abc123')), `${stamp} task_abc123`);
		assert.equal(videoBaseName(prompted('?!… ---', { taskId: 'task_xyz' })), `${stamp} task_xyz`, 'a prompt without a letter or digit names nothing');
		assert.equal(videoBaseName(task('../../etc', 1, { id: 'local/../1' })), `${stamp} videogen-local1`);
	});

	it('keep prompts in any script readable, cut to a few words or characters', () => {
		assert.equal(promptWords('  Un café à Paris,\tle matin  '), 'Un café à Paris le matin');
		assert.equal(promptWords('一只红色的狐狸在雪地里奔跑，电影感，清晨的阳光照在它的毛上，镜头缓缓推进，非常细腻的画面'), '一只红色的狐狸在雪地里奔跑 电影感 清晨的阳光照在它的毛上 镜头缓缓推进 非常细腻的画面', 'the punctuation splits words');
		assert.equal(Array.from(promptWords('狐'.repeat(200))).length, 48, 'a prompt without spaces is cut by characters');
		assert.equal(promptWords('one two three four five six seven eight'), 'one two three four five six');
		assert.equal(promptWords(`${'a'.repeat(30)} ${'b'.repeat(30)}`), 'a'.repeat(30), 'a word that does not fit is left out');
		assert.equal(promptWords('Cafe\u0301 au lait'), 'Café au lait', 'combining marks kept, in the composed form');
		assert.equal(promptWords('🦊 fox 🦊'), 'fox');
	});

	it('let no prompt name a path outside the videos folder, or hide the extension', () => {
		const hostile = ['../../../../etc/passwd', '..\\..\\Windows\\System32\\evil', '/absolute/path', 'C:\\Windows\\x', '\\\\server\\share\\x', 'a\u202Egpj.exe', '..', '.', 'fox\u0000\u0007\n\rnul', 'CON', 'con.txt fox', 'x'.repeat(10_000), '<>:"/\\|?*'];
		for (const prompt of hostile) {
			const files = videoFiles(task('task_abc123', 2, { prompt }), folder, () => false);
			for (const file of files) {
				assert.equal(path.dirname(file), folder, JSON.stringify(prompt));
				const name = path.basename(file);
				assert.ok(!refusedByWindows(name) && !refusedByWindows(`${name}.part`), `${JSON.stringify(prompt)}: ${name}`);
				assert.ok(!/[\u202a-\u202e\u2066-\u2069\u200e\u200f]/.test(name), 'no bidirectional control character');
				assert.ok(Buffer.byteLength(`${name}.part`) <= 255, `${Buffer.byteLength(name)} bytes`);
				assert.ok(name.startsWith(`${stamp} `) && name.endsWith('.mp4'), name);
			}
		}
		assert.equal(videoBaseName(prompted('a\u202Egpj.exe')), `${stamp} a gpj exe`);
		assert.equal(videoBaseName(prompted('../../etc/passwd')), `${stamp} etc passwd`);
	});

	it('never use a name Windows reserves, whatever its case', () => {
		const reserved = ['CON', 'con', 'Prn', 'AUX', 'nul', 'NUL', 'COM1', 'com9', 'LPT1', 'lpt9', 'COM0', 'LPT0'];
		for (const id of reserved) {
			for (const files of [names(videoFiles(task(id, 2), folder, () => false)), names(videoFiles(prompted(id), folder, () => false))]) {
				for (const name of [...files, ...files.map(file => `${file}.part`)]) {
					assert.ok(!refusedByWindows(name), `${id}: ${name}`);
				}
			}
			assert.equal(safeStem(id), `${id}_`, 'a name that is all device name gets a mark after it');
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
		const taken = new Set([`${stamp} task_abc.mp4`, `${stamp} task_abc (2)-2.mp4`].map(fileNameKey));
		assert.deepEqual(names(videoFiles(task('task_ABC', 2), folder, key => taken.has(key))), [`${stamp} task_ABC (3).mp4`, `${stamp} task_ABC (3)-2.mp4`]);
	});

	it('give two tasks with the same prompt in the same minute, or prompts that differ only in case, different files', () => {
		const taken = new Set<string>();
		const pick = (t: TaskRecord) => {
			const files = names(videoFiles(t, folder, key => taken.has(key)));
			files.forEach(file => taken.add(fileNameKey(file)));
			return files;
		};
		const all = [pick(prompted('a fox')), pick(prompted('a fox')), pick(prompted('A FOX')), pick(task('task_def', 2, { prompt: 'A Fox!' }))].flat();
		assert.deepEqual(all, [`${stamp} a fox.mp4`, `${stamp} a fox (2).mp4`, `${stamp} A FOX (3).mp4`, `${stamp} A Fox (4).mp4`, `${stamp} A Fox (4)-2.mp4`]);
		assert.equal(new Set(all.map(fileNameKey)).size, all.length);
	});

	it('say so when no free name is left, rather than take one', () => {
		assert.throws(() => videoFiles(task('task_abc'), folder, () => true), /Could not find a free name for the video in/);
	});
});

describe('whether the videos folder holds a video', () => {
	const dirs = new TempDirs();
	afterEach(() => dirs.cleanup());

	it('is true once it finds one .mp4, and false for a missing folder, an empty one, or one with other files only', async () => {
		const folder = dirs.make();
		assert.equal(await holdsVideo(path.join(folder, 'missing')), false);
		assert.equal(await holdsVideo(undefined), false);
		assert.equal(await holdsVideo(folder), false);
		fs.writeFileSync(path.join(folder, 'notes.txt'), '');
		fs.writeFileSync(path.join(folder, 'a.mp4.part'), '');
		fs.mkdirSync(path.join(folder, 'folder.mp4'));
		assert.equal(await holdsVideo(folder), false, 'a partial download or a folder is no video');
		fs.writeFileSync(path.join(folder, `${stamp} a fox.MP4`), '');
		assert.equal(await holdsVideo(folder), true);
	});
});
