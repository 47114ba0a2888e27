/**
 * One "window" in its own process, for the durability test: the real store, poller, download
 * queue and client (wired as TaskService wires them, see ./serviceStack), pointed at a simulator
 * that runs in the parent. The parent kills this process with SIGKILL whenever it likes.
 *
 *   node durabilityChild.js '<json config>'
 * stdin:  one JSON command per line: {"cmd":"submit","prompt":"..."}
 * stdout: one JSON event per line: ready, submitted {id, phase, taskId}, saved {id}, downloadFailed {id, message}
 */

import * as readline from 'readline';
import { createDispatcher } from '../../src/core/net/httpStack';
import { ServiceStack } from '../common/serviceStack';

export interface ChildConfig {
	readonly storeFile: string;
	readonly folder: string;
	readonly apiUrl: string;
	readonly apiKey: string;
	readonly intervalMs: number;
	readonly owner: string;
	/** How long this window's polling lease lasts without renewal (the extension's default when absent). */
	readonly leaseMs?: number;
}

function emit(event: Record<string, unknown>): void {
	process.stdout.write(`${JSON.stringify(event)}\n`);
}

async function main(): Promise<void> {
	const config = JSON.parse(process.argv[2]) as ChildConfig;
	const stack = new ServiceStack({
		storeFile: config.storeFile,
		folder: config.folder,
		origin: config.apiUrl,
		apiKey: config.apiKey,
		dispatcher: createDispatcher(),
		intervalMs: config.intervalMs,
		owner: config.owner,
		leaseMs: config.leaseMs,
	});
	stack.downloads.onDidSave(task => emit({ event: 'saved', id: task.id }));
	stack.downloads.onDidFail(({ task, error }) => emit({ event: 'downloadFailed', id: task.id, message: error.message }));
	await stack.restore();
	readline.createInterface({ input: process.stdin }).on('line', line => {
		const command = JSON.parse(line) as { cmd: string; prompt: string };
		if (command.cmd === 'submit') {
			void stack.submit({ prompt: command.prompt, parameters: { size: '720x1280', duration: 4 } }).then(({ task }) => emit({ event: 'submitted', id: task.id, phase: task.phase, taskId: task.taskId }));
		}
	});
	emit({ event: 'ready' });
}

main().catch(error => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
