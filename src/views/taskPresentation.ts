/** How a task reads in the tree, the status bar and notifications. Pure functions, no VS Code. */

import { fileURLToPath } from 'url';
import { formatBytes } from '../core/format';
import { loadModels } from '../core/modelsLoader';
import { plainText } from '../core/serviceText';
import { isAtRest, isWaitingForKey, TaskRecord } from '../core/task';
import { hostOf } from '../core/validation';
import type { TaskProgress } from '../core/taskStore';

/**
 * The prompt's first line, shortened for a label, as plain text: a prompt taken from a file the user
 * did not write could hold `[label](command:…)`, which a notification or a dialog would make a link.
 */
export function shortPrompt(task: TaskRecord, max = 60): string {
	const prompt = task.prompt.trim();
	const lineEnd = prompt.search(/\r?\n/);
	const firstLine = lineEnd < 0 ? prompt : prompt.slice(0, lineEnd);
	if (!firstLine) {
		return task.taskId ? `Task ${task.taskId}` : 'Untitled task';
	}
	return plainText(firstLine, max);
}

/** What a task says while its host has no usable key: polling it waits for one. */
export function waitingForKeyText(task: TaskRecord): string {
	return `Waiting for the API key of ${hostOf(task.apiOrigin)}`;
}

/** A few words for where the task stands. */
export function statusText(task: TaskRecord, progress?: TaskProgress): string {
	if (isWaitingForKey(task)) {
		return waitingForKeyText(task);
	}
	switch (task.phase) {
		case 'submitting': return 'Submitting';
		case 'submitUnknown': return 'Submit outcome unknown';
		case 'submitFailed': return 'Not submitted';
		case 'pending': return 'Queued';
		case 'running': return 'Generating';
		case 'unknown': return `Status "${task.serviceStatus}"`;
		case 'failed': return 'Failed';
		case 'expired': return 'Expired';
		case 'succeeded':
			switch (task.download?.phase) {
				case 'done': return 'Ready';
				case 'failed': return 'Download failed';
				case 'downloading': return progress ? `Downloading ${downloadFraction(progress)}` : 'Downloading';
				default: return task.urls?.length ? 'Waiting to download' : 'No video link';
			}
	}
}

function downloadFraction(progress: TaskProgress): string {
	if (progress.totalBytes) {
		return `${Math.floor((progress.receivedBytes / progress.totalBytes) * 100)}%`;
	}
	return formatBytes(progress.receivedBytes);
}

/** `1m 05s`-style elapsed time from creation to finish (or now). */
export function elapsedText(task: TaskRecord, now = Date.now()): string {
	const end = task.finishedAt ?? (isAtRest(task) ? task.updatedAt : now);
	const seconds = Math.max(0, Math.round((end - (task.submittedAt ?? task.createdAt)) / 1000));
	if (seconds < 60) {
		return `${seconds}s`;
	}
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) {
		return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
	}
	return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/**
 * The few parameters that say most about a video, for the tree's one line, whatever the model:
 * `720x1280 · 4s`, `1080p · 16:9 · 8s`. Read without the catalogue, which the tree does not load.
 */
export function parametersText(task: TaskRecord): string {
	const { size, resolution, aspect_ratio, ratio, duration } = task.parameters ?? {};
	const parts = [size ?? resolution, aspect_ratio ?? ratio].filter(value => value !== undefined).map(String);
	if (duration !== undefined) {
		parts.push(`${duration}s`);
	}
	return parts.join(' · ');
}

/** Where an image came from, as a person reads it: the file's path, or the link. */
export function imageSourceText(source: string): string {
	if (/^file:/i.test(source)) {
		try {
			return fileURLToPath(source);
		} catch {
			return source;
		}
	}
	return source;
}

/**
 * The lines of detail a tooltip or the player shows: the model by its name and id, each parameter
 * by its label, the images by where they came from. Loads the catalogue, for the labels: call it
 * when a task is looked at, not while listing tasks.
 */
export function detailLines(task: TaskRecord): [string, string][] {
	const { findModel, parameterLines, usageLine } = loadModels();
	const model = findModel(task.model);
	const lines: [string, string][] = [
		['Status', statusText(task) + (task.serviceStatus && task.phase !== 'unknown' ? ` (${task.serviceStatus})` : '')],
		['Model', model ? `${model.label} (${task.model})` : task.model],
		...parameterLines(task.model, task.parameters ?? {}),
	];
	if (task.negativePrompt) {
		lines.push(['Negative prompt', task.negativePrompt]);
	}
	if (task.firstFrame) {
		lines.push(['First frame', imageSourceText(task.firstFrame)]);
	}
	if (task.lastFrame) {
		lines.push(['Last frame', imageSourceText(task.lastFrame)]);
	}
	if (task.taskId) {
		lines.push(['Task id', task.taskId]);
	}
	lines.push(['Created', new Date(task.createdAt).toLocaleString()]);
	lines.push(['Elapsed', elapsedText(task)]);
	if (task.usageSeconds !== undefined && (task.usageSeconds > 0 || isAtRest(task))) {
		lines.push(usageLine(task.model, task.usageSeconds));
	}
	return lines;
}
