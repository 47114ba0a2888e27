/**
 * A task list written by VideoGen 0.1.0 (test/fixtures/tasks-0.1.0.json: parameters `{ size, duration }`,
 * absolute paths of the saved videos) loads unchanged, on a real file.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TaskRecord } from '../../src/core/task';
import { TaskStore } from '../../src/core/taskStore';
import { oldTaskListText, TempDirs } from '../common/helpers';

describe('A task list written by VideoGen 0.1.0', () => {
	const dirs = new TempDirs();
	const stores: TaskStore[] = [];
	let file: string;
	let written: TaskRecord[];

	beforeEach(() => {
		file = path.join(dirs.make(), 'tasks.json');
		fs.writeFileSync(file, oldTaskListText());
		written = (JSON.parse(oldTaskListText()) as { tasks: TaskRecord[] }).tasks;
	});

	afterEach(async () => {
		for (const store of stores.splice(0)) {
			await store.flush().catch(() => undefined);
			store.dispose();
		}
		dirs.cleanup();
	});

	async function open(): Promise<TaskStore> {
		const store = new TaskStore({ file, writeDelayMs: 10 });
		stores.push(store);
		await store.load();
		return store;
	}

	const byId = (tasks: readonly TaskRecord[]) => [...tasks].sort((a, b) => a.id.localeCompare(b.id));

	it('loads every record exactly as written, and rewrites the file only on a change', async () => {
		const before = fs.readFileSync(file, 'utf8');
		const store = await open();
		assert.deepEqual(byId(store.all()), byId(written));
		assert.equal(fs.readFileSync(file, 'utf8'), before, 'loading wrote the file');
	});

	it('keeps the other records byte for byte equal when one of them changes', async () => {
		const store = await open();
		const changed = written.find(task => task.phase === 'failed')!;
		store.update(changed.id, { error: 'changed' });
		await store.flush();
		const onDisk = (JSON.parse(fs.readFileSync(file, 'utf8')) as { tasks: TaskRecord[] }).tasks;
		assert.deepEqual(byId(onDisk.filter(task => task.id !== changed.id)), byId(written.filter(task => task.id !== changed.id)));
		assert.deepEqual(onDisk.find(task => task.id === changed.id)?.parameters, changed.parameters);
	});
});
