/**
 * The task list cannot be saved: the user hears of it once, with where and why, however many
 * writes fail; again only after a write has worked in between; and no task is lost meanwhile.
 *
 * The write fails for real: a folder takes the place of the list's file in VideoGen's global
 * storage, so every write of the list fails with EISDIR, for any user (a read-only folder does not
 * stop root, and the extension host's disk cannot be filled for one test). The temporary files a
 * failed write leaves on a full disk are tested in test/unit/taskStore.test.ts, with a real file
 * size limit.
 *
 * Replaced, as in every host test: the answers to input boxes and the toasts (see helpers.ts).
 */

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { TaskRecord } from '../../src/core/task';
import { Environment, setUpEnvironment, waitFor } from './helpers';
import { recordShown } from './shown';

describe('a task list that cannot be saved', function () {
	this.timeout(60_000);
	let env: Environment;
	let file: string;

	before(async () => {
		env = await setUpEnvironment();
		file = path.join(env.api.globalStorageUri.fsPath, 'tasks.json');
	});

	after(async () => {
		if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
			fs.rmdirSync(file);
		}
		await env?.dispose();
	});

	const byTaskId = (taskId: string | undefined) => env.api.tasks().find(task => task.taskId === taskId);
	const byPrompt = (prompt: string) => env.api.tasks().find(task => task.prompt === prompt);
	const generate = (prompt: string) => vscode.commands.executeCommand<string | undefined>('videogen.generate', { prompt, size: '720x1280', duration: 4 });
	const onDisk = () => (JSON.parse(fs.readFileSync(file, 'utf8')) as { tasks: TaskRecord[] }).tasks;
	const breakSaving = () => {
		fs.rmSync(file, { force: true });
		fs.mkdirSync(file);
	};
	const expected = () => `VideoGen could not save its task list in ${path.dirname(file)}: the write failed (EISDIR). Nothing is lost while this window stays open: VideoGen keeps trying, and saves the list as soon as it can. Check that folder.`;

	it('says so once, where and why, while every poll round fails to save, and keeps the task going', async () => {
		const taskId = (await generate('Saved nowhere for a while [slow]'))!;
		assert.ok(byTaskId(taskId), 'the task was not accepted');
		breakSaving();
		const { shown } = await recordShown(() => waitFor('the video to be saved', () => byTaskId(taskId)?.download?.phase === 'done'));
		assert.deepStrictEqual(shown.map(s => [s.level, s.text, s.buttons]), [['error', expected(), ['Show Log']]]);
	});

	it('saves every task once writing works again, and says so again only when it fails again', async () => {
		const before = byPrompt('Saved nowhere for a while [slow]')!;
		fs.rmdirSync(file);
		const { shown: whileWorking } = await recordShown(() => generate('Saved at once [instant]'));
		assert.deepStrictEqual(whileWorking, []);
		const saved = onDisk();
		assert.ok(saved.some(task => task.id === before.id && task.download?.phase === 'done'), 'the changes made while saving failed were lost');
		assert.ok(saved.some(task => task.prompt === 'Saved at once [instant]'));

		breakSaving();
		const submits = env.sim.stats.submitsReceived;
		const prompt = 'Nowhere to save this one';
		const { result, shown } = await recordShown(() => generate(prompt));
		assert.strictEqual(result, undefined);
		assert.deepStrictEqual(shown.map(s => s.text).sort(), [
			expected(),
			'VideoGen could not save the task, so nothing was submitted: EISDIR: illegal operation on a directory, read',
		].sort());
		assert.strictEqual(env.sim.stats.submitsReceived, submits, 'a task that could not be saved was submitted');
		assert.strictEqual(byPrompt(prompt)?.phase, 'submitFailed');
		fs.rmdirSync(file);
	});
});
