/**
 * Shared pieces of the plain-Node unit and system tests: real temp folders, the real simulator on
 * loopback, the API client's real undici dispatcher from `src/core/net/httpStack.ts`, and a task
 * factory. Nothing here mocks a library: what a test talks to is a real server or a real file system.
 */

import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Agent } from 'undici';
import { createDispatcher } from '../../src/core/net/httpStack';
import { ApiClient } from '../../src/core/net/apiClient';
import { SerializedBody, serializeSubmitBody } from '../../src/core/models/submitBody';
import { Event } from '../../src/core/event';
import { newTask, TaskRecord } from '../../src/core/task';
import { defaultModelId } from '../../src/core/videoModels';
import { Simulator, SimulatorOptions, startSimulator } from '../simulator/simulator';

export const MODEL = defaultModelId;

/** The video every simulated task serves (compiled tests run from out/test/<folder>). */
export const SAMPLE_VIDEO = path.join(__dirname, '../../../test/simulator/sample.mp4');

/** A key long and odd enough that finding it in a message cannot be a coincidence. */
export const SECRET_KEY = 'sk-unit-7f3c9a1e-DO-NOT-LEAK-4b2d';

/**
 * A character that must never reach a message, the task list or a log line as it is: a C0 or C1
 * control (a line break, a terminal escape), a line separator, a bidirectional override.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const controlCharacter = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Makes a fresh folder under the system temp folder; `cleanup()` removes every one made. */
export class TempDirs {
	private readonly made: string[] = [];

	make(prefix = 'videogen-unit-'): string {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
		this.made.push(dir);
		return dir;
	}

	cleanup(): void {
		for (const dir of this.made.splice(0)) {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	}
}

/**
 * One simulator and one real undici Agent per test, closed afterwards, so no socket or timer
 * outlives a test (an open keep-alive socket would keep mocha's process alive).
 */
export class Loopback {
	sim!: Simulator;
	dispatcher!: Agent;

	async start(options: SimulatorOptions = {}): Promise<Simulator> {
		this.sim = await startSimulator({ apiKey: SECRET_KEY, pendingMs: 100, runningMs: 100, ...options });
		this.dispatcher = createDispatcher();
		return this.sim;
	}

	client(options: { apiKey?: string; timeoutMs?: number; origin?: string } = {}): ApiClient {
		return new ApiClient({
			origin: options.origin ?? this.sim.apiUrl,
			apiKey: options.apiKey ?? this.sim.apiKey,
			dispatcher: this.dispatcher,
			timeoutMs: options.timeoutMs ?? 5_000,
		});
	}

	/** Status requests the simulator received for one task, oldest first. */
	statusRequests(taskId: string) {
		return this.sim.requests.filter(r => r.server === 'api' && r.path === `/v1/tasks/status?task_id=${encodeURIComponent(taskId)}`);
	}

	async stop(): Promise<void> {
		await this.dispatcher?.destroy();
		await this.sim?.close();
	}
}

/** A port nobody listens on: a server is started on it and closed again. */
export async function deadPort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise<void>(resolve => server.close(() => resolve()));
	return port;
}

let counter = 0;

/** A task record with sensible defaults; `over` wins. */
export function makeTask(over: Partial<TaskRecord> = {}): TaskRecord {
	counter++;
	const born = newTask({
		id: `local-${counter}-${Math.random().toString(36).slice(2, 8)}`,
		model: MODEL,
		prompt: `prompt ${counter}`,
		parameters: { size: '720x1280', duration: 4 },
		apiOrigin: 'https://api.umodelverse.ai',
		phase: 'submitting',
	});
	return { ...born, phase: 'pending', ...over };
}

/**
 * A serialized submit body `{ model, input: { prompt }, parameters }`, written directly rather than by
 * `buildSubmitBody`, so that tests of the client can also send what the catalogue would refuse.
 */
export function promptBody(prompt: string, parameters: Record<string, unknown> = { size: '720x1280', duration: 4 }, model = MODEL): SerializedBody {
	return serializeSubmitBody({ model, input: { prompt }, parameters });
}

/** Submits `prompt` to the simulator and returns a polling task record for it. */
export async function submitTask(loop: Loopback, prompt: string, over: Partial<TaskRecord> = {}): Promise<TaskRecord> {
	const { taskId } = await loop.client().submit(MODEL, promptBody(prompt));
	const now = Date.now();
	return makeTask({ taskId, prompt, apiOrigin: loop.sim.apiUrl, phase: 'pending', submittedAt: now, createdAt: now, updatedAt: now, ...over });
}

/** Resolves with the next value `event` fires that passes `filter`. */
export function nextEvent<T>(event: Event<T>, filter: (value: T) => boolean = () => true): Promise<T> {
	return new Promise(resolve => {
		const subscription = event(value => {
			if (filter(value)) {
				subscription.dispose();
				resolve(value);
			}
		});
	});
}

export const delay = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

/** Every file below `dir`, as paths relative to it, sorted. */
export function listFiles(dir: string): string[] {
	const found: string[] = [];
	const walk = (current: string): void => {
		for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
			const full = path.join(current, entry.name);
			if (entry.isDirectory()) {
				walk(full);
			} else {
				found.push(path.relative(dir, full));
			}
		}
	};
	walk(dir);
	return found.sort();
}

/** Where the videos of the 0.1.0 task list fixture (test/fixtures/tasks-0.1.0.json) were saved. */
export const oldVideoFolder = '/home/user/.config/Code/User/globalStorage/videogen.videogen/videos';

/**
 * The text of a task list written by VideoGen 0.1.0 (test/fixtures/tasks-0.1.0.json), with its
 * videos' folder replaced by `videoFolder` when given.
 */
export function oldTaskListText(videoFolder?: string): string {
	const text = fs.readFileSync(path.join(__dirname, '../../../test/fixtures/tasks-0.1.0.json'), 'utf8');
	return videoFolder ? text.split(oldVideoFolder).join(videoFolder) : text;
}
