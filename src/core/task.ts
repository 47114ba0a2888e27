/**
 * The task model: what VideoGen remembers about one video it asked the service to make.
 * Nothing here knows about VS Code, so it is tested in plain Node.
 */

import { l10n } from './l10n';
import type { InsertPlace } from './videoLink';

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

/**
 * The model's parameters as sent, by their names in the submit body (`size`, `duration`,
 * `resolution`, …). Tasks written by VideoGen 0.1.0 hold `{ size, duration }`, which is one of them.
 */
export type VideoParameters = Readonly<Record<string, string | number | boolean>>;

/**
 * Where an image given with a task came from: a `file:` URI (the file is read again for Generate
 * Again) or the `https:` link sent to the service. Only this is kept: never the image's bytes.
 */
export type ImageSourceText = string;

export interface TaskRecord {
	/** VideoGen's own id, stable from before the submit is sent. */
	readonly id: string;
	/** The service's task id, once known. */
	readonly taskId?: string;
	readonly model: string;
	readonly prompt: string;
	/**
	 * What the user named a task tracked by its id, whose prompt VideoGen does not know. Shown in
	 * its place, never sent anywhere, and never taken for a prompt (such a task is not reusable).
	 */
	readonly name?: string;
	/** What the video should not show, for the models that take it. */
	readonly negativePrompt?: string;
	readonly parameters: VideoParameters;
	/** The first frame's source, for a video made from an image. */
	readonly firstFrame?: ImageSourceText;
	/** The last frame's source, when one was given too. */
	readonly lastFrame?: ImageSourceText;
	/** The API origin the task was submitted to; its status is only ever asked there. */
	readonly apiOrigin: string;
	readonly phase: TaskPhase;
	/** The service's `task_status`, verbatim. */
	readonly serviceStatus?: string;
	/** Why the task failed or could not be submitted, for the user. */
	readonly error?: string;
	readonly urls?: readonly string[];
	/** What VideoGen left out of the links the service sent (too many, too long), for the user. */
	readonly urlsNote?: string;
	/** Milliseconds since the epoch. */
	readonly createdAt: number;
	readonly submittedAt?: number;
	readonly finishedAt?: number;
	/**
	 * The service's `usage.duration`, in seconds, as last reported. What it counts depends on the
	 * model (how long the task ran, or the video's length): the catalogue says which.
	 */
	readonly usageSeconds?: number;
	/** Bumped on every change; the newer record wins when two windows write the same task. */
	readonly updatedAt: number;
	readonly download?: DownloadState;
	/** Consecutive failed status queries (for back-off and for the tree's tooltip). */
	readonly pollFailures?: number;
	/** Last problem met while polling, in words for the user; cleared by the next good answer. */
	readonly pollError?: string;
	/**
	 * Polling waits for an API key for the task's host: none is stored for it, or the service
	 * rejected the one stored. Cleared by the next good answer.
	 */
	readonly waitsForKey?: boolean;
	/**
	 * Made from a selection in a Markdown file: the document and the line after the selection, where
	 * VideoGen offers to insert the video once it is ready. Checked with `insertPlaceOf` when used.
	 */
	readonly insertBelow?: InsertPlace;
	/**
	 * VideoGen's id of the task this one sends again (Generate Again, Edit & Generate Again, Try
	 * Again after a refused submit). The original may be gone from the list since.
	 */
	readonly retryOf?: string;
}

// What a task's phase means. Every view, command and notification asks these; none tests phases itself.

const unfinishedPhases: ReadonlySet<TaskPhase> = new Set<TaskPhase>(['submitting', 'pending', 'running', 'unknown']);
const polledPhases: ReadonlySet<TaskPhase> = new Set<TaskPhase>(['pending', 'running', 'unknown']);
const finishedPhases: ReadonlySet<TaskPhase> = new Set<TaskPhase>(['succeeded', 'failed', 'expired', 'submitFailed']);
const failedPhases: ReadonlySet<TaskPhase> = new Set<TaskPhase>(['failed', 'expired', 'submitFailed']);
const serviceFinalPhases: ReadonlySet<TaskPhase> = new Set<TaskPhase>(['succeeded', 'failed', 'expired']);
const openByDefaultPhases: ReadonlySet<TaskPhase> = new Set<TaskPhase>(['failed', 'submitFailed', 'submitUnknown']);

/** True while the task is on its way: being submitted, or not yet final on the service. */
export function isUnfinished(task: TaskRecord): boolean {
	return unfinishedPhases.has(task.phase);
}

/** True for the phases a status answer ends a task in: Success, Failure, Expired. */
export function isFinalServicePhase(phase: TaskPhase): boolean {
	return serviceFinalPhases.has(phase);
}

/** True when the task needs polling: it has a service id and is not final. */
export function needsPolling(task: TaskRecord): boolean {
	return !!task.taskId && polledPhases.has(task.phase);
}

/**
 * True when nothing will change the task any more: final on the service, or refused at submit.
 * These are the tasks Clear Finished removes.
 */
export function isFinished(task: TaskRecord): boolean {
	return finishedPhases.has(task.phase);
}

/**
 * True when nothing happens to the task without the user: finished, or waiting for the user to
 * track a submit whose outcome is unknown. Its clock (elapsed time) has stopped.
 */
export function isAtRest(task: TaskRecord): boolean {
	return isFinished(task) || task.phase === 'submitUnknown';
}

/** True when the task ended without a video: the service failed or expired it, or refused the submit. */
export function isFailure(task: TaskRecord): boolean {
	return failedPhases.has(task.phase);
}

/** True when the task's explanation (why it failed, what to do) is shown open rather than collapsed. */
export function opensByDefault(task: TaskRecord): boolean {
	return openByDefaultPhases.has(task.phase) || isWaitingForKey(task);
}

/**
 * True when the task can be sent again as it was (Generate Again): its prompt, or its image, is
 * known. A task tracked by its id has neither; the name the user gave it is not a prompt.
 */
export function isReusable(task: TaskRecord): boolean {
	return !!task.prompt.trim() || !!task.firstFrame;
}

/** True when a follow-up is the user's to make: the submit may have been accepted, and only its id can tell. */
export function isTrackable(task: TaskRecord): boolean {
	return task.phase === 'submitUnknown';
}

/**
 * Marked expired by VideoGen after the service's 404s, not by the service's own `Expired`: the user
 * who tracks its id again says the service knows it after all, and it is followed again.
 */
export function isRevivable(task: TaskRecord): boolean {
	return task.phase === 'expired' && task.serviceStatus !== 'Expired';
}

/** True when polling the task waits until the user sets an API key for its host. */
export function isWaitingForKey(task: TaskRecord): boolean {
	return !!task.waitsForKey && needsPolling(task);
}

/** True when the task's video is on disk and can be played. */
export function isPlayable(task: TaskRecord): boolean {
	return task.download?.phase === 'done' && !!task.download.files?.length;
}

/** True when a succeeded task's video still has to be fetched. */
export function needsDownload(task: TaskRecord): boolean {
	return task.phase === 'succeeded' && !!task.urls?.length && (!task.download || task.download.phase === 'waiting');
}

/**
 * True while some window still has work to do on the task: submitting or polling it, or saving its
 * video. Every other task only waits to be shown; `TaskList.active()` lists the tasks this is true of,
 * so that the poller, the downloads and the status bar look at a handful of tasks, not at every task
 * the list has ever held.
 */
export function needsWork(task: TaskRecord): boolean {
	return unfinishedPhases.has(task.phase) || task.download?.phase === 'downloading' || needsDownload(task);
}

/** True when the user can ask for the video again: it succeeded but its download failed or no link came. */
export function canDownloadAgain(task: TaskRecord): boolean {
	return task.phase === 'succeeded' && (task.download?.phase === 'failed' || !task.urls?.length);
}

/** True when a succeeded task needs fresh links from the service before it can be saved. */
export function needsFreshLinks(task: TaskRecord): boolean {
	return task.phase === 'succeeded' && (!task.urls?.length || !!task.download?.linkExpired);
}

/** What a new task record is made from; everything else starts empty. */
export type NewTask = Pick<TaskRecord, 'id' | 'model' | 'prompt' | 'name' | 'negativePrompt' | 'parameters' | 'firstFrame' | 'lastFrame' | 'apiOrigin' | 'taskId' | 'insertBelow' | 'retryOf'> & {
	/** `submitting` for a task about to be sent; `pending` for one tracked by its service id. */
	readonly phase: Extract<TaskPhase, 'submitting' | 'pending'>;
	/** Milliseconds since the epoch; now when absent. */
	readonly now?: number;
};

/** The one place a task record is born: a submit about to be sent, or a task tracked by its id. */
export function newTask({ id, model, prompt, name, negativePrompt, parameters, firstFrame, lastFrame, apiOrigin, phase, taskId, insertBelow, retryOf, now = Date.now() }: NewTask): TaskRecord {
	return {
		id,
		...(taskId === undefined ? {} : { taskId }),
		model,
		prompt,
		...(name ? { name } : {}),
		...(negativePrompt ? { negativePrompt } : {}),
		parameters,
		...(firstFrame === undefined ? {} : { firstFrame }),
		...(lastFrame === undefined ? {} : { lastFrame }),
		...(insertBelow === undefined ? {} : { insertBelow }),
		apiOrigin,
		phase,
		...(phase === 'pending' ? { submittedAt: now } : {}),
		...(retryOf === undefined ? {} : { retryOf }),
		createdAt: now,
		updatedAt: now,
	};
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
			error: l10n.t('VideoGen was closed while this task was being submitted, so it may have been accepted. It will not be sent again; if it appears in your UModelverse console, track it by its id.'),
		};
	}
	return undefined;
}

/** Service task ids become file names, so only a conservative alphabet is accepted. */
const taskIdPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export function isValidTaskId(value: string): boolean {
	return taskIdPattern.test(value);
}
