/**
 * The extension's task engine (src/core/taskEngine.ts) as a window runs it, without VS Code: the
 * real TaskEngine with its TaskStore, Poller, DownloadQueue and Lease, the real ApiClient and
 * downloader, wired by the engine itself as in the extension. What differs from the extension, and
 * why: the settings, the key and the storage folder come from the test instead of VS Code, and the
 * engine's calls to the API are counted here (submits sent, status queries per task) so the tests
 * can compare them with what the simulator saw.
 */

import * as crypto from 'crypto';
import * as path from 'path';
import type { Dispatcher } from 'undici';
import { ApiError } from '../../src/core/errors';
import * as httpStack from '../../src/core/net/httpStack';
import type { ProxySettings } from '../../src/core/net/proxy';
import type { Logger } from '../../src/core/log';
import { TaskRecord } from '../../src/core/task';
import { GenerateRequest, TaskEngine } from '../../src/core/taskEngine';
import { defaultModelId } from '../../src/core/videoModels';

export const MODEL = defaultModelId;

export interface StackOptions {
	readonly storeFile: string;
	readonly folder: string;
	readonly origin: string;
	readonly apiKey: string;
	/** The test's own connection pool for the API, used as it is; without it the engine makes its own from `proxySettings`. */
	readonly dispatcher?: Dispatcher;
	/** The proxy settings, read at each request as the extension reads VS Code's (none by default). */
	readonly proxySettings?: () => ProxySettings;
	/** A certificate authority to trust besides Node's own (a test's private one). */
	readonly ca?: string | Buffer;
	/** Where the engine's log goes (nowhere by default). */
	readonly log?: Logger;
	readonly intervalMs: number;
	/** The API client's timeout (the extension uses the client's default, 30 s). */
	readonly timeoutMs?: number;
	/** How long a download may stay silent (the extension uses the downloader's default, 30 s). */
	readonly idleTimeoutMs?: number;
	/** The largest video saved (the extension reads videogen.maxDownloadMegabytes, 2 GB by default). */
	readonly maxDownloadBytes?: number;
	/** The slowest a download may come (the extension uses the downloader's default, 10 KB/s over 60 s). */
	readonly downloadSpeedFloor?: { readonly bytesPerSecond: number; readonly windowMs: number };
	/** The poller's longest back-off (the extension uses the poller's default, 5 min). */
	readonly maxBackoffMs?: number;
	/** Who this stack is, in the lease (a window's session and process in the extension). */
	readonly owner?: string;
	/** How long the lease lasts without renewal (the extension's default, at least 15 s, when absent). */
	readonly leaseMs?: number;
}

export interface SubmitOutcome {
	readonly task: TaskRecord;
	readonly error?: ApiError;
}

export class ServiceStack {
	readonly engine: TaskEngine;
	/** Submit requests this stack handed to the API client. */
	submitsSent = 0;
	/** Status queries this stack made, per VideoGen task id, with the time each was asked. */
	readonly queries = new Map<string, number[]>();

	constructor(private readonly options: StackOptions) {
		if (path.basename(options.storeFile) !== 'tasks.json') {
			throw new Error('the engine keeps its task list in <storage folder>/tasks.json');
		}
		// The real HTTP stack, with an API client that counts what the engine asks of it.
		const countSubmit = (): void => {
			this.submitsSent++;
		};
		const countStatus = (taskId: string): void => {
			const id = this.engine.store.findByTaskId(taskId)?.id ?? taskId;
			this.queries.set(id, [...this.queries.get(id) ?? [], Date.now()]);
		};
		class CountingApiClient extends httpStack.ApiClient {
			override submit(...args: Parameters<httpStack.ApiClient['submit']>) {
				countSubmit();
				return super.submit(...args);
			}

			override status(taskId: string) {
				countStatus(taskId);
				return super.status(taskId);
			}
		}
		this.engine = new TaskEngine({
			storageFolder: path.dirname(options.storeFile),
			owner: options.owner ?? `stack-${process.pid}-${crypto.randomUUID()}`,
			folder: () => options.folder,
			intervalMs: () => options.intervalMs,
			apiKey: async () => options.apiKey,
			httpStack: () => ({ ...httpStack, ApiClient: CountingApiClient }),
			dispatcher: options.dispatcher,
			proxySettings: options.proxySettings,
			ca: options.ca,
			log: options.log,
			apiTimeoutMs: options.timeoutMs,
			downloadIdleTimeoutMs: options.idleTimeoutMs,
			maxDownloadBytes: options.maxDownloadBytes === undefined ? undefined : () => options.maxDownloadBytes!,
			downloadSpeedFloor: options.downloadSpeedFloor,
			newId: () => crypto.randomUUID(),
			maxBackoffMs: options.maxBackoffMs,
			leaseMs: options.leaseMs === undefined ? undefined : () => options.leaseMs!,
			// Automatic download retries wait milliseconds here instead of seconds.
			downloadRetryBackoff: { baseMs: 20, maxMs: 100 },
		});
	}

	get store() {
		return this.engine.store;
	}

	get poller() {
		return this.engine.poller;
	}

	get downloads() {
		return this.engine.downloads;
	}

	get lease() {
		return this.engine.lease;
	}

	restore(): Promise<void> {
		return this.engine.restore();
	}

	/** A submit as the Generate Video command makes it. */
	submit(request: Omit<GenerateRequest, 'model'> & { model?: string }): Promise<SubmitOutcome> {
		return this.engine.submit({ model: MODEL, ...request }, this.options.apiKey, this.options.origin);
	}

	refreshLinks(id: string): Promise<TaskRecord | undefined> {
		return this.engine.refreshLinks(id);
	}

	/** The window closes: the engine stops and gives up the lease (the dispatcher is the test's). */
	dispose(): void {
		this.engine.dispose();
	}
}
