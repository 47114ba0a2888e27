/**
 * The checks of a record read from the saved task list (VideoGen's own file, which may have been
 * edited by hand, damaged, or written by another version). Used on every record of every read, so
 * they are written out field by field, and only what the views cannot do without is checked here.
 */

import type { TaskRecord } from './task';

/** The fields a task cannot be shown or polled without. */
export function isTaskRecord(value: unknown): value is TaskRecord {
	const task = value as TaskRecord;
	return !!task && typeof task.id === 'string' && typeof task.prompt === 'string' && typeof task.phase === 'string'
		&& typeof task.createdAt === 'number' && typeof task.updatedAt === 'number';
}

/**
 * The optional fields the views read as text or a number: a tracked task's name, the task a retry
 * sends again, the service's run time, its status word and the reason a task failed (every row
 * reads these; each of another type broke the whole view), and the last status query's error, the
 * note on unusable links, the negative prompt and the frames' sources (a row's lines, its tooltip
 * and the player). Written out, because a restore runs it on every record before the list is
 * shown, and the restore's time is measured against a bare read of the file.
 */
export function hasReadableOptionals(task: TaskRecord): boolean {
	return (task.name === undefined || typeof task.name === 'string')
		&& (task.retryOf === undefined || typeof task.retryOf === 'string')
		&& (task.usageSeconds === undefined || Number.isFinite(task.usageSeconds))
		&& (task.error === undefined || typeof task.error === 'string')
		&& (task.serviceStatus === undefined || typeof task.serviceStatus === 'string')
		&& (task.pollError === undefined || typeof task.pollError === 'string')
		&& (task.urlsNote === undefined || typeof task.urlsNote === 'string')
		&& (task.negativePrompt === undefined || typeof task.negativePrompt === 'string')
		&& (task.firstFrame === undefined || typeof task.firstFrame === 'string')
		&& (task.lastFrame === undefined || typeof task.lastFrame === 'string');
}
