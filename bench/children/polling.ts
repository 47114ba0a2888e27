/**
 * Child process of the benchmark: 50 tasks polled for a while against a simulator in this process,
 * one way per process, so that three ways can run side by side in the same minute:
 *
 *   node polling.js service <interval ms> <window ms> <tasks> <server idle ms>
 *       the extension's own TaskService (src/host/taskService.ts) with everything it wires: the store,
 *       the poller, the download queue, the polling lease, the re-reading of the task list, and
 *       the dispatcher from src/core/net/httpStack.ts; `vscode` is the benchmark's stand-in (settings, secrets).
 *   node polling.js fresh <interval ms> <window ms> <tasks> <server idle ms>
 *       the store and poller alone, with a dispatcher that opens a fresh connection per request
 *       (undici's `pipelining: 0` turns keep-alive off): the comparison for the socket count.
 *
 * Each task is Pending, then Running from a random moment, and turns Success at the end of the
 * window (spread over three seconds), so every task changes while it is polled, and the moment of
 * each flip to Success is known from the simulator's timeline. <server idle ms> is how long the
 * simulator keeps an idle connection open. Prints one JSON line.
 */

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Agent } from 'undici';
import type { Event } from '../../src/core/event';
import type { TaskRecord } from '../../src/core/task';
import type { TaskList } from '../../src/core/taskStore';
import { startSimulator } from '../../test/simulator/simulator';
import { model, Rig, untilAllFinished } from '../lib/rig';
import { installVscodeStub } from '../lib/stubLoader';
import { sleep } from '../lib/stats';

export interface PollingRun {
	readonly connections: number;
	readonly connectionsAfterSubmit: number;
	readonly statusQueries: number;
	/** Poll rounds while every task was still polling (before the first flip to Success). */
	readonly rounds: number;
	/** Writes of the task list in that span, and of the polling lease. */
	readonly storeWrites: number;
	readonly leaseWrites: number;
	/** The most writes between the ends of two consecutive rounds, in that span. */
	readonly maxStoreWritesPerRound: number;
	readonly maxLeaseWritesPerRound: number;
	/** Task records changed in that span: what one write per task change would have cost. */
	readonly taskChanges: number;
	readonly spanMs: number;
	readonly latenciesMs: number[];
	readonly polledMs: number;
	readonly finished: boolean;
}

/**
 * Counts the writes of the task list and of the lease: every write of the list ends in a rename
 * onto it, and every renewal of the lease creates the next term in its folder.
 */
const renamed = { store: 0, lease: 0 };
function countRenames(): void {
	const count = (target: fs.PathLike) => {
		const name = path.basename(String(target));
		if (name === 'tasks.json') {
			renamed.store++;
		} else if (name === 'poller.lease') {
			renamed.lease++;
		}
	};
	// The module object itself (the code under test reads its functions from it at each call).
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const real = require('fs') as { renameSync: typeof fs.renameSync; writeFileSync: typeof fs.writeFileSync; promises: { rename: typeof fs.promises.rename } };
	const writeFileSync = real.writeFileSync;
	real.writeFileSync = (file, data, options) => {
		writeFileSync(file, data, options);
		count(path.dirname(String(file)));
	};
	const renameSync = real.renameSync;
	real.renameSync = (from, to) => {
		renameSync(from, to);
		count(to);
	};
	const rename = real.promises.rename;
	real.promises.rename = async (from, to) => {
		await rename(from, to);
		count(to);
	};
}

interface Wiring {
	readonly store: TaskList;
	readonly onDidPoll: Event<readonly string[]>;
	readonly pollStats: { readonly rounds: number };
	submit(prompt: string): Promise<TaskRecord>;
	close(): Promise<void>;
}

async function main(): Promise<void> {
	const [mode, intervalText, windowText, tasksText, idleText] = process.argv.slice(2);
	const intervalMs = Number(intervalText);
	const windowMs = Number(windowText);
	const taskCount = Number(tasksText);
	countRenames();
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'videogen-bench-polling-'));
	const sim = await startSimulator({ pendingMs: windowMs, runningMs: 0, keepAliveTimeoutMs: Number(idleText) });
	let wiring: Wiring;
	if (mode === 'service') {
		const vscode = installVscodeStub();
		vscode.configuration.set('videogen.baseUrl', sim.apiUrl);
		vscode.configuration.set('videogen.pollIntervalSeconds', intervalMs / 1000);
		vscode.configuration.set('videogen.downloadFolder', path.join(work, 'videos'));
		vscode.configuration.set('videogen.openOnSuccess', 'none');
		const context = vscode.extensionContext(work, path.join(work, 'storage'));
		await context.secrets.store('videogen.apiKey', sim.apiKey);
		/* eslint-disable @typescript-eslint/no-require-imports */
		const { ApiKeyStore } = require('../../src/host/apiKeyStore') as typeof import('../../src/host/apiKeyStore');
		const { TaskService } = require('../../src/host/taskService') as typeof import('../../src/host/taskService');
		/* eslint-enable @typescript-eslint/no-require-imports */
		const log = vscode.window.createOutputChannel('VideoGen');
		const apiKey = new ApiKeyStore(context.secrets as never, log);
		const service = new TaskService(context as never, apiKey, log);
		await service.restore();
		wiring = {
			store: service.tasks,
			onDidPoll: service.onDidPoll,
			get pollStats() {
				return service.pollStats;
			},
			submit: async prompt => {
				const { task, error } = await service.submit({ prompt, model, parameters: { size: '720x1280', duration: 4 } }, sim.apiKey, sim.apiUrl);
				if (error) {
					throw error;
				}
				return task;
			},
			close: async () => {
				service.dispose();
				apiKey.dispose();
				await sleep(100);
				await sim.close();
			},
		};
	} else {
		const rig = new Rig(sim, new Agent({ pipelining: 0 }), work, intervalMs);
		wiring = { store: rig.store, onDidPoll: rig.poller.onDidPoll, pollStats: rig.poller.stats, submit: prompt => rig.submit(prompt), close: () => rig.close() };
	}
	const { store } = wiring;

	const flipAt = new Map<string, number>();
	const latenciesMs: number[] = [];
	let inSpan = false;
	let taskChanges = 0;
	store.onDidChange(ids => {
		for (const id of ids) {
			const task = store.get(id);
			if (!task) {
				continue;
			}
			if (inSpan) {
				taskChanges++;
			}
			const at = task.taskId ? flipAt.get(task.taskId) : undefined;
			if (task.phase === 'succeeded' && at !== undefined) {
				latenciesMs.push(Date.now() - at);
				flipAt.delete(task.taskId!);
			}
		}
	});
	await Promise.all(Array.from({ length: taskCount }, async (_, i) => {
		const task = await wiring.submit(`A bench scene polled for a while, number ${i}.`);
		const simTask = sim.tasks.get(task.taskId!)!;
		const pendingMs = windowMs * (0.1 + 0.6 * Math.random());
		const runningMs = windowMs - pendingMs + Math.random() * 3_000;
		sim.setTaskOutcome(task.taskId!, { pendingMs, runningMs });
		flipAt.set(task.taskId!, simTask.submittedAt + pendingMs + runningMs);
	}));
	const connectionsAfterSubmit = sim.connections;

	// The span in which all the tasks poll: from now to the first flip to Success.
	await sleep(300); // the last submit's own writes
	const spanStart = { at: Date.now(), store: renamed.store, lease: renamed.lease, rounds: wiring.pollStats.rounds };
	inSpan = true;
	let last = { store: renamed.store, lease: renamed.lease };
	let maxStore = 0;
	let maxLease = 0;
	wiring.onDidPoll(() => {
		if (inSpan) {
			maxStore = Math.max(maxStore, renamed.store - last.store);
			maxLease = Math.max(maxLease, renamed.lease - last.lease);
		}
		last = { store: renamed.store, lease: renamed.lease };
	});
	const firstFlip = Math.min(...flipAt.values());
	await sleep(Math.max(0, firstFlip - Date.now()));
	inSpan = false;
	const span = {
		spanMs: Date.now() - spanStart.at,
		rounds: wiring.pollStats.rounds - spanStart.rounds,
		storeWrites: renamed.store - spanStart.store,
		leaseWrites: renamed.lease - spanStart.lease,
	};
	const finished = await untilAllFinished(store, windowMs + 30_000);
	const polledMs = Date.now() - spanStart.at;
	const result: PollingRun = {
		connections: sim.connections,
		connectionsAfterSubmit,
		statusQueries: sim.stats.statusQueries,
		...span,
		maxStoreWritesPerRound: maxStore,
		maxLeaseWritesPerRound: maxLease,
		taskChanges,
		latenciesMs,
		polledMs,
		finished,
	};
	await wiring.close();
	fs.rmSync(work, { recursive: true, force: true });
	process.stdout.write(`${JSON.stringify(result)}\n`);
	process.exit(0);
}

main().catch(error => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
