/**
 * The core polling pieces without VS Code: the extension's own `TaskStore`, `Poller` and
 * `ApiClient` against one simulator, with a dispatcher of the caller's choice.
 */

import * as path from 'path';
import type { Dispatcher } from 'undici';
import { ApiClient } from '../../src/core/net/apiClient';
import { buildSubmitBody, serializeSubmitBody } from '../../src/core/models/submitBody';
import { Poller } from '../../src/core/poller';
import { defaultModelId } from '../../src/core/videoModels';
import { needsPolling, newTask, TaskRecord } from '../../src/core/task';
import { TaskList, TaskStore } from '../../src/core/taskStore';
import { Simulator } from '../../test/simulator/simulator';
import { msSince, sleep } from './stats';

export const model = defaultModelId;

export class Rig {
	readonly store: TaskStore;
	readonly poller: Poller;
	readonly client: ApiClient;
	/** Round trip of each status query, ms. */
	readonly queryMs: number[] = [];

	constructor(readonly sim: Simulator, readonly dispatcher: Dispatcher, folder: string, intervalMs: number) {
		this.client = new ApiClient({ origin: sim.apiUrl, apiKey: sim.apiKey, dispatcher });
		this.store = new TaskStore({ file: path.join(folder, 'tasks.json') });
		this.poller = new Poller({
			store: this.store,
			intervalMs: () => intervalMs,
			query: async task => {
				const started = process.hrtime.bigint();
				try {
					return await this.client.status(task.taskId!);
				} finally {
					this.queryMs.push(msSince(started));
				}
			},
		});
	}

	/** Submits a task and saves it as `TaskService.submit` leaves it: pending, submitted now. */
	async submit(prompt: string): Promise<TaskRecord> {
		const { taskId } = await this.client.submit(model, serializeSubmitBody(buildSubmitBody(model, { prompt, parameters: { size: '720x1280', duration: 4 } })));
		const task: TaskRecord = {
			...newTask({ id: `bench-${taskId}`, taskId, model, prompt, parameters: { size: '720x1280', duration: 4 }, apiOrigin: this.sim.apiUrl, phase: 'pending' }),
			serviceStatus: 'Pending',
		};
		await this.store.add(task);
		return task;
	}

	async close(): Promise<void> {
		this.poller.dispose();
		await this.store.flush().catch(() => undefined);
		this.store.dispose();
		await this.dispatcher.close();
		await this.sim.close();
	}
}

/** Waits until no task of `store` needs polling; false on timeout. */
export async function untilAllFinished(store: TaskList, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (store.all().some(needsPolling)) {
		if (Date.now() > deadline) {
			return false;
		}
		await sleep(20);
	}
	return true;
}

/** Status requests the simulator received for one task. */
export function statusRequests(sim: Simulator, taskId: string): number {
	const wanted = `/v1/tasks/status?task_id=${encodeURIComponent(taskId)}`;
	return sim.requests.filter(r => r.server === 'api' && r.path === wanted).length;
}
