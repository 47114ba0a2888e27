/** Runs a Node or other program as a child process and collects its output. */

import { spawn } from 'child_process';

export interface ChildResult {
	readonly code: number | null;
	readonly stdout: string;
	readonly stderr: string;
}

export function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ChildResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', chunk => stdout += String(chunk));
		child.stderr.on('data', chunk => stderr += String(chunk));
		const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
		child.once('error', error => {
			clearTimeout(timer);
			reject(error);
		});
		child.once('close', code => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}

/** Runs a Node script that prints one JSON line; rejects with its stderr when it fails. */
export async function runNodeJson<T>(script: string, args: readonly string[], nodeOptions: readonly string[] = [], timeoutMs = 120_000): Promise<T> {
	const result = await run(process.execPath, [...nodeOptions, script, ...args], { timeoutMs });
	const line = result.stdout.trim().split('\n').pop();
	if (result.code !== 0 || !line) {
		throw new Error(`${script} exited with ${result.code}: ${result.stderr.trim() || result.stdout.trim()}`);
	}
	return JSON.parse(line) as T;
}

/** True when `command` can be run. */
export async function hasCommand(command: string): Promise<boolean> {
	try {
		return (await run(command, ['--version'], { timeoutMs: 10_000 })).code === 0;
	} catch {
		return false;
	}
}
