/** Task lists as the extension writes them, for the restore and tree measurements. */

import * as fs from 'fs';
import * as path from 'path';
import { TaskRecord } from '../../src/core/task';
import { defaultModelId } from '../../src/core/videoModels';

const subjects = ['a lighthouse', 'a paper boat', 'a fox', 'an old tram', 'a glass city', 'a hummingbird', 'a desert caravan', 'a koi pond'];
const actions = ['at dawn in heavy fog', 'drifting through a neon-lit street at night', 'seen from a slow dolly shot', 'during a summer storm, rain on the lens', 'in the style of a 1970s documentary'];
const details = ['', ' Warm colour grade, shallow depth of field, 35 mm film grain.', ' The camera circles once, then pulls back to reveal the horizon.\nSecond line of the prompt with more direction for the model.'];

/**
 * `count` finished tasks, newest first: mostly succeeded with their video saved, some failed,
 * some expired — a long-used task list. Video files are named, not created.
 */
export function finishedTasks(count: number, storage: string, now = Date.now()): TaskRecord[] {
	const tasks: TaskRecord[] = [];
	for (let i = 0; i < count; i++) {
		const createdAt = now - (i + 1) * 47 * 60_000;
		const submittedAt = createdAt + 400;
		const finishedAt = submittedAt + 60_000 + (i % 7) * 9_000;
		const taskId = `task_${(0x9a3f00 + i).toString(16)}b7c1d2e3f4a5b6c7`;
		const prompt = `${subjects[i % subjects.length]} ${actions[i % actions.length]}.${details[i % details.length]}`;
		const base = {
			id: `0b8f3c2e-1d4a-4e5f-9a6b-${String(i).padStart(12, '0')}`,
			taskId,
			model: i % 5 === 0 ? 'openai/sora-2/text-to-video-pro' : defaultModelId,
			prompt,
			parameters: { size: i % 3 === 0 ? '1280x720' : '720x1280', duration: [4, 8, 12][i % 3] },
			apiOrigin: 'https://api.umodelverse.ai',
			createdAt,
			submittedAt,
			finishedAt,
			updatedAt: finishedAt + 2_000,
		};
		if (i % 25 === 3) {
			tasks.push({ ...base, phase: 'failed', serviceStatus: 'Failure', error: 'Simulated failure: the model could not render this prompt' });
		} else if (i % 40 === 7) {
			tasks.push({ ...base, phase: 'expired', serviceStatus: 'Expired', error: 'The service reports that the task expired.' });
		} else {
			const url = `https://storage.example.com/videos/${taskId}.mp4?X-Signature=${'ab12'.repeat(16)}&Expires=${Math.floor(finishedAt / 1000) + 86_400}`;
			tasks.push({
				...base, phase: 'succeeded', serviceStatus: 'Success', urls: [url],
				download: { phase: 'done', files: [path.join(storage, 'videos', `${taskId}.mp4`)] },
			});
		}
	}
	return tasks;
}

/** Writes `tasks` as the store's file in `storage`. */
export function writeTaskList(storage: string, tasks: readonly TaskRecord[]): void {
	fs.mkdirSync(storage, { recursive: true });
	fs.writeFileSync(path.join(storage, 'tasks.json'), JSON.stringify({ version: 1, tasks, removed: {} }));
}
