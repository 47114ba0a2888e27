/** How a task reads in the tree, the status bar and notifications. Pure functions, no VS Code. */

import { formatBytes } from '../core/format';
import { plainText } from '../core/serviceText';
import { canDownloadAgain, isAtRest, isFailure, isWaitingForKey, TaskRecord } from '../core/task';
import { hostOf } from '../core/validation';
import type { TaskProgress } from '../core/taskStore';
import { l10n } from '../core/l10n';

/**
 * The prompt's first line (or the name given to a task tracked by its id), shortened for a label, as plain text: a prompt taken from a file the user
 * did not write could hold `[label](command:…)`, which a notification or a dialog would make a link.
 */
export function shortPrompt(task: TaskRecord, max = 60): string {
	const prompt = (task.prompt.trim() || task.name?.trim()) ?? '';
	const lineEnd = prompt.search(/\r?\n/);
	const firstLine = lineEnd < 0 ? prompt : prompt.slice(0, lineEnd);
	if (!firstLine) {
		return task.taskId ? l10n.t('Task {0}', task.taskId) : l10n.t('Untitled task');
	}
	return plainText(firstLine, max);
}

/** The view's groups, in the order shown. */
export const taskGroups = ['inProgress', 'failed', 'ready'] as const;

export type TaskGroup = typeof taskGroups[number];

/**
 * Ready: the video is saved. Failed: no video will come without the user (the service failed or
 * expired it, the submit was refused or may not have arrived, the download failed or no link came).
 * In progress: everything on its way (submitting, queued, generating, downloading).
 */
export function groupOf(task: TaskRecord): TaskGroup {
	if (task.phase === 'succeeded' && task.download?.phase === 'done') {
		return 'ready';
	}
	return isFailure(task) || task.phase === 'submitUnknown' || canDownloadAgain(task) ? 'failed' : 'inProgress';
}

/** What a task says while its host has no usable key: polling it waits for one. */
export function waitingForKeyText(task: TaskRecord): string {
	return l10n.t('Waiting for the API key of {0}', hostOf(task.apiOrigin));
}

/** A few words for where the task stands. */
export function statusText(task: TaskRecord, progress?: TaskProgress): string {
	if (isWaitingForKey(task)) {
		return waitingForKeyText(task);
	}
	switch (task.phase) {
		case 'submitting': return l10n.t('Submitting');
		case 'submitUnknown': return l10n.t('Submit outcome unknown');
		case 'submitFailed': return l10n.t('Not submitted');
		case 'pending': return l10n.t('Queued');
		case 'running': return l10n.t('Generating');
		case 'unknown': return l10n.t('Status "{0}"', task.serviceStatus ?? '');
		case 'failed': return l10n.t('Failed');
		case 'expired': return l10n.t('Expired');
		case 'succeeded':
			switch (task.download?.phase) {
				case 'done': return l10n.t('Ready');
				case 'failed': return l10n.t('Download failed');
				case 'downloading': return progress ? l10n.t('Downloading {0}', downloadFraction(progress)) : l10n.t('Downloading');
				default: return task.urls?.length ? l10n.t('Waiting to download') : l10n.t('No video link');
			}
	}
}

function downloadFraction(progress: TaskProgress): string {
	if (progress.totalBytes) {
		const percent = Math.floor((progress.receivedBytes / progress.totalBytes) * 100);
		return new Intl.NumberFormat(l10n.language, { style: 'percent', maximumFractionDigits: 0 }).format(percent / 100);
	}
	return formatBytes(progress.receivedBytes);
}

/**
 * What a tree row starts with: the state in a few characters, so that it shows at any width (the
 * row's icon and group say the rest): `34s` while running, `moderation` for a failure, `8s 1280×720`
 * for a video that is ready, `Not submitted`.
 */
export function rowStatus(task: TaskRecord, progress?: TaskProgress, now = Date.now(), facts?: VideoFacts): string {
	if (isWaitingForKey(task)) {
		return l10n.t('No API key');
	}
	switch (task.phase) {
		case 'submitting': return l10n.t('Submitting');
		case 'submitUnknown': return l10n.t('Outcome unknown');
		case 'submitFailed': return l10n.t('Not submitted');
		case 'pending': return l10n.t('Queued {0}', elapsedText(task, now));
		case 'running': return elapsedText(task, now);
		case 'unknown': return l10n.t('"{0}" {1}', plainText(task.serviceStatus ?? '', 16), elapsedText(task, now));
		case 'failed': return shortReason(task.error) ?? l10n.t('Failed');
		case 'expired': return l10n.t('Expired');
		case 'succeeded':
			switch (task.download?.phase) {
				case 'done': return videoText(facts ?? videoFacts(task)) || l10n.t('Ready');
				case 'failed': return l10n.t('Download failed');
				case 'downloading': return progress ? downloadFraction(progress) : l10n.t('Downloading');
				default: return task.urls?.length ? l10n.t('Waiting to download') : l10n.t('No video link');
			}
	}
}

/**
 * The service's reason for a failure in a word or two: `moderation`, `timeout`, or the reason's first
 * clause, cut short. `undefined` when there is no reason worth showing.
 */
export function shortReason(reason: string | undefined): string | undefined {
	const text = reason?.trim();
	if (!text) {
		return undefined;
	}
	if (/moderat|sensitive|content (check|policy|filter|safety)|nsfw|inappropriate|unsafe/i.test(text)) {
		return l10n.t('moderation');
	}
	if (/time(d)? ?out/i.test(text)) {
		return l10n.t('timeout');
	}
	const clause = text.split(/[.:;,(\n，。：；（]/, 1)[0].trim() || text;
	return plainText(clause, 24);
}

/** How long the video is and its size, for a row: `8s 1280×720`, `5s 1080p 16:9`. */
function videoText({ duration, size, ratio }: VideoFacts): string {
	let text = duration ?? '';
	if (size !== undefined) {
		text += (text ? ' ' : '') + size.replace(/^(\d+)x(\d+)$/, '$1×$2');
	}
	if (ratio !== undefined) {
		text += (text ? ' ' : '') + ratio;
	}
	return text;
}

/** How a task stands to its retries: it was sent again (`retried`), or it sends another again (`retry`). */
export type RetryRole = 'retried' | 'retry' | undefined;

/** The word a row's description gives its retry role. */
export function retryWord(role: RetryRole): string {
	return role === 'retried' ? l10n.t('retried') : role === 'retry' ? l10n.t('retry') : '';
}

/** What a screen reader says for a row: the prompt, how it stands to a retry, then the state in full. */
export function accessibleRowLabel(prompt: string, state: string, role: RetryRole): string {
	return role === 'retried' ? l10n.t('{0}, retried, {1}', prompt, state)
		: role === 'retry' ? l10n.t('{0}, a retry, {1}', prompt, state)
			: l10n.t('{0}, {1}', prompt, state);
}

/** `1m 05s`-style elapsed time from creation to finish (or now). */
export function elapsedText(task: TaskRecord, now = Date.now()): string {
	const end = task.finishedAt ?? (isAtRest(task) ? task.updatedAt : now);
	const seconds = Math.max(0, Math.round((end - (task.submittedAt ?? task.createdAt)) / 1000));
	if (seconds < 60) {
		return l10n.t('{0}s', seconds);
	}
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) {
		return l10n.t('{0}m {1}s', minutes, String(seconds % 60).padStart(2, '0'));
	}
	return l10n.t('{0}h {1}m', Math.floor(minutes / 60), String(minutes % 60).padStart(2, '0'));
}

/** The parameters that say most about a video, read without the catalogue (which the tree does not load). */
export interface VideoFacts {
	/** `1280x720`, `1080p`. */
	readonly size?: string;
	/** `16:9`, `adaptive`. */
	readonly ratio?: string;
	/** `8s`, in the user's language. */
	readonly duration?: string;
}

export function videoFacts(task: TaskRecord): VideoFacts {
	const { size, resolution, aspect_ratio, ratio, duration } = task.parameters ?? {};
	const shown = size ?? resolution;
	const shape = aspect_ratio ?? ratio;
	return {
		size: shown === undefined ? undefined : String(shown),
		ratio: shape === undefined ? undefined : String(shape),
		duration: duration === undefined ? undefined : l10n.t('{0}s', String(duration)),
	};
}

/**
 * The few parameters that say most about a video, for the tree's one line, whatever the model:
 * `720x1280 · 4s`, `1080p · 16:9 · 8s`. Read without the catalogue, which the tree does not load.
 */
export function parametersText(task: TaskRecord, facts = videoFacts(task)): string {
	return [facts.size, facts.ratio, facts.duration].filter(value => value !== undefined).join(' · ');
}
