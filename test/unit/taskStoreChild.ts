/**
 * A TaskStore in a process whose files may not grow past a few kilobytes, for the "full disk" tests
 * in ./taskStore.test.ts. The parent starts it under the shell's `ulimit -f` (RLIMIT_FSIZE), with
 * SIGXFSZ ignored: a write past the limit then stops part-way and fails with EFBIG, as a write to
 * a full disk stops part-way and fails with ENOSPC. The limit binds every user, root included,
 * where a read-only folder does not bind root, and it needs no mount or device.
 *
 *   node taskStoreChild.js '<json config>'
 *
 * It adds tasks with long prompts until a write fails, changes the list twice more (both writes
 * fail too), removes every task (the write fits again), then adds long tasks until a write fails
 * again. It prints one JSON line: the save-state events, each write's outcome and what was in the
 * folder.
 */

import * as fs from 'fs';
import * as path from 'path';
import { newTask } from '../../src/core/task';
import { TaskStore } from '../../src/core/taskStore';

export interface StoreChildConfig {
	readonly file: string;
	readonly promptBytes: number;
}

export interface StoreChildReport {
	/** `failed <code>` or `saved`, as `onDidChangeSaveState` fired them. */
	readonly events: string[];
	/** Each write's outcome, in order: `ok` or the error code. */
	readonly writes: string[];
	/** The folder right after the first write failed. */
	readonly folderAfterFailure: string[];
	/** The tasks on disk right after the first write failed. */
	readonly onDiskAfterFailure: number;
	/** Tasks in memory when the first write failed. */
	readonly inMemoryAfterFailure: number;
}

async function main(): Promise<void> {
	const config = JSON.parse(process.argv[2]) as StoreChildConfig;
	const store = new TaskStore({ file: config.file, writeDelayMs: 60_000, retryDelayMs: 60_000 });
	await store.load();
	const events: string[] = [];
	store.onDidChangeSaveState(failure => events.push(failure ? `failed ${failure.error.code}` : 'saved'));
	const writes: string[] = [];
	const attempt = (work: () => Promise<void>) => work().then(() => writes.push('ok'), (error: NodeJS.ErrnoException) => writes.push(error.code ?? String(error)));
	const long = (i: number) => newTask({ id: `long-${i}`, model: 'm', prompt: `${i} ${'x'.repeat(config.promptBytes)}`, parameters: {}, apiOrigin: 'https://api.umodelverse.ai', phase: 'submitting' });

	let made = 0;
	const addUntilAWriteFails = async () => {
		for (const first = writes.length; writes.length === first || writes.at(-1) === 'ok';) {
			if (writes.length - first > 100) {
				throw new Error('no write failed: the file size limit did not hold');
			}
			await attempt(() => store.add(long(made++)));
		}
	};

	await addUntilAWriteFails();
	const folderAfterFailure = fs.readdirSync(path.dirname(config.file)).sort();
	const onDiskAfterFailure = (JSON.parse(fs.readFileSync(config.file, 'utf8')) as { tasks: unknown[] }).tasks.length;
	const inMemoryAfterFailure = store.all().length;

	for (const status of ['Running', 'Running again']) {
		store.update(store.all()[0].id, { serviceStatus: status });
		await attempt(() => store.flush());
	}
	await attempt(() => store.remove(store.all().map(task => task.id)));
	await addUntilAWriteFails();
	store.dispose();
	const report: StoreChildReport = { events, writes, folderAfterFailure, onDiskAfterFailure, inMemoryAfterFailure };
	process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch(error => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
