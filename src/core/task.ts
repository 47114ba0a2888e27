/**
 * The task model: what VideoGen remembers about one video it asked the service to make.
 * Nothing here knows about VS Code, so it is tested in plain Node.
 */

/**
 * Where a task stands, from VideoGen's point of view.
 *
 * - `submitting`: saved, the submit request is on its way. A task found in this phase after a
 *   restart may or may not have reached the service, so it becomes `submitUnknown`.
 * - `submitUnknown`: the submit may have reached the service but no task id came back. Never
 *   resubmitted on its own (each accepted submit is a paid job); the user can track it by id.
 * - `submitFailed`: the service refused the submit; nothing was paid for.
 * - `pending`, `running`: accepted, polling.
 * - `unknown`: the service answered with a status VideoGen does not know (shown verbatim);
 *   still polled, with back-off.
 * - `succeeded`, `failed`, `expired`: final on the service side.
 */
export type TaskPhase =
	| 'submitting'
	| 'submitUnknown'
	| 'submitFailed'
	| 'pending'
	| 'running'
	| 'unknown'
	| 'succeeded'
	| 'failed'
	| 'expired';

/** Where the local copy of a succeeded task's video stands. */
export type DownloadPhase = 'waiting' | 'downloading' | 'done' | 'failed';

export interface DownloadState {
	readonly phase: DownloadPhase;
	/** Absolute paths of the finished files, one per result URL (only once `done`). */
	readonly files?: readonly string[];
	readonly receivedBytes?: number;
	readonly totalBytes?: number;
	/** What went wrong, in words for the user (only when `failed`). */
	readonly error?: string;
	/** The link is gone (403/404/410): only a fresh status query can give a new one. */
	readonly linkExpired?: boolean;
}

export interface VideoParameters {
	readonly size?: string;
	readonly duration?: number;
}

export interface TaskRecord {
	/** VideoGen's own id, stable from before the submit is sent. */
	readonly id: string;
	/** The service's task id, once known. */
	readonly taskId?: string;
	readonly model: string;
	readonly prompt: string;
	readonly parameters: VideoParameters;
	/** The API origin the task was submitted to; its status is only ever asked there. */
	readonly apiOrigin: string;
	readonly phase: TaskPhase;
	/** The service's `task_status`, verbatim. */
	readonly serviceStatus?: string;
	/** Why the task failed or could not be submitted, for the user. */
	readonly error?: string;
	readonly urls?: readonly string[];
	/** Milliseconds since the epoch. */
	readonly createdAt: number;
	readonly submittedAt?: number;
	readonly finishedAt?: number;
	/** Bumped on every change; the newer record wins when two windows write the same task. */
	readonly updatedAt: number;
	readonly download?: DownloadState;
	/** Consecutive failed status queries (for back-off and for the tree's tooltip). */
	readonly pollFailures?: number;
	/** Last problem met while polling, in words for the user; cleared by the next good answer. */
	readonly pollError?: string;
}

const unfinishedPhases: ReadonlySet<TaskPhase> = new Set<TaskPhase>(['submitting', 'pending', 'running', 'unknown']);
const finalServicePhases: ReadonlySet<TaskPhase> = new Set<TaskPhase>(['succeeded', 'failed', 'expired']);

/** True while the task is on its way: being submitted, or not yet final on the service. */
export function isUnfinished(task: TaskRecord): boolean {
	return unfinishedPhases.has(task.phase);
}

/** True when the task needs polling: it has a service id and is not final. */
export function needsPolling(task: TaskRecord): boolean {
	return !!task.taskId && (task.phase === 'pending' || task.phase === 'running' || task.phase === 'unknown');
}

/** True when the service will not change the task any more (or it never reached the service). */
export function isFinished(task: TaskRecord): boolean {
	return finalServicePhases.has(task.phase) || task.phase === 'submitFailed';
}

/** True when a succeeded task's video still has to be fetched. */
export function needsDownload(task: TaskRecord): boolean {
	return task.phase === 'succeeded' && !!task.urls?.length && (!task.download || task.download.phase === 'waiting');
}

/** Maps the service's `task_status` onto a phase. Unknown statuses are kept, not dropped. */
export function phaseForServiceStatus(status: string): TaskPhase {
	switch (status) {
		case 'Pending': return 'pending';
		case 'Running': return 'running';
		case 'Success': return 'succeeded';
		case 'Failure': return 'failed';
		case 'Expired': return 'expired';
		default: return 'unknown';
	}
}

/** A submit that was sent for longer than this without an answer is certainly over. */
export const submitDeadlineMs = 2 * 60_000;

/**
 * What to do, at start-up, with a task found still `submitting`: once the submit deadline has
 * passed, the request may or may not have reached the service, so the task becomes
 * `submitUnknown` and is never sent again. `undefined` when the task stays as it is (a younger
 * one may be another window's submit, still on its way).
 */
export function interruptedSubmitChange(task: TaskRecord, now: number): Pick<TaskRecord, 'phase' | 'error'> | undefined {
	if (task.phase === 'submitting' && !task.taskId && now - task.createdAt > submitDeadlineMs) {
		return {
			phase: 'submitUnknown',
			error: 'VideoGen was closed while this task was being submitted, so it may have been accepted. It will not be sent again; if it appears in your UModelverse console, track it by its id.',
		};
	}
	return undefined;
}

/** Service task ids become file names, so only a conservative alphabet is accepted. */
const taskIdPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export function isValidTaskId(value: string): boolean {
	return taskIdPattern.test(value);
}
