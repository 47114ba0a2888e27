/**
 * What becomes of a saved task list with a record that fails the quick check (./taskRecordCheck): a
 * record that cannot be used is set aside, to be written back as it was (it may be a task the
 * service accepted); a usable one with an optional field of the wrong type loses that field and
 * keeps its place. Each problem is described for the log by the record's ids, never its prompt.
 *
 * A bundle of its own (`dist/taskListRepair.js`, see esbuild.js), which ./taskStore loads the first
 * time a list has such a record: a list with nothing wrong never loads it.
 */

import type { TaskRecord } from './task';
import { hasReadableOptionals, isTaskRecord } from './taskRecordCheck';

/** The records of a list just read: those this version can use, and those it cannot. */
export function sortOutRecords(records: readonly unknown[], report: (message: string) => void): { tasks: TaskRecord[]; unreadable?: unknown[] } {
	const tasks: TaskRecord[] = [];
	let unreadable: unknown[] | undefined;
	for (const record of records) {
		if (!isTaskRecord(record)) {
			(unreadable ??= []).push(record);
			continue;
		}
		if (!hasReadableOptionals(record)) {
			for (const field of dropUnreadableOptionals(record)) {
				report(`the saved task ${quoted(record.id)}${typeof record.taskId === 'string' ? ` (${quoted(record.taskId)})` : ''}: its ${field} was of the wrong type and was left out`);
			}
		}
		tasks.push(record);
	}
	for (const record of unreadable ?? []) {
		const id = (record as { id?: unknown } | null)?.id;
		report(`a saved task record${typeof id === 'string' ? ` (${quoted(id)})` : ''} cannot be read by this version (a required field is missing or of the wrong type): it is not shown, and is written back as it is unless this window has or removed a task with its id`);
	}
	return { tasks, unreadable };
}

/** An id read from the file, for the log: quoted, on one line, and short, whatever the file holds. */
function quoted(id: string): string {
	return JSON.stringify(id.length > 80 ? `${id.slice(0, 80)}…` : id);
}

/** Removes the optional fields `hasReadableOptionals` refuses from a record just parsed; returns their names. */
function dropUnreadableOptionals(task: TaskRecord): string[] {
	const record = task as unknown as Record<string, unknown>;
	const dropped: string[] = [];
	const checks = [
		['name', typeof record.name === 'string'], ['retryOf', typeof record.retryOf === 'string'], ['usageSeconds', Number.isFinite(record.usageSeconds)],
		['error', typeof record.error === 'string'], ['serviceStatus', typeof record.serviceStatus === 'string'],
		['pollError', typeof record.pollError === 'string'], ['urlsNote', typeof record.urlsNote === 'string'],
		['negativePrompt', typeof record.negativePrompt === 'string'], ['firstFrame', typeof record.firstFrame === 'string'],
		['lastFrame', typeof record.lastFrame === 'string'],
	] as const;
	for (const [field, readable] of checks) {
		if (record[field] !== undefined && !readable) {
			delete record[field];
			dropped.push(field);
		}
	}
	return dropped;
}
