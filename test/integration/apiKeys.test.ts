/**
 * A key belongs to the API host it was set for. Two simulators stand for two regional hosts, each
 * accepting only its own key; `videogen.baseUrl` moves from one to the other while a task of the
 * first is unfinished. What each host received (every request, with its headers) is recorded by
 * the simulators themselves.
 *
 * Replaced, as in every host test: the answers to input boxes and the toasts (see helpers.ts). The
 * 0.1.0 key is read from a SecretStorage held in memory, handed to the real key store class
 * (src/host/apiKeyStore.ts): the extension's own secrets cannot be written from a test.
 */

import * as assert from 'assert';
import * as crypto from 'crypto';
import * as vscode from 'vscode';
import { silentLogger } from '../../src/core/log';
import type { TaskRecord } from '../../src/core/task';
import { ApiKeyStore } from '../../src/host/apiKeyStore';
import { Simulator, startSimulator } from '../simulator/simulator';
import { Environment, recordMessages, setUpEnvironment, stateOf, waitFor, withAnswers } from './helpers';
import { recordShown } from './shown';

const FIRST_KEY = `sk-first-host-${crypto.randomBytes(8).toString('hex')}`;
const SECOND_KEY = `sk-second-host-${crypto.randomBytes(8).toString('hex')}`;

/** SecretStorage as VS Code keeps it, in memory. */
class MemorySecrets implements vscode.SecretStorage {
	readonly values: Map<string, string>;
	private readonly changes = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
	readonly onDidChange = this.changes.event;

	constructor(initial: Record<string, string>) {
		this.values = new Map(Object.entries(initial));
	}

	async get(key: string): Promise<string | undefined> {
		return this.values.get(key);
	}

	async store(key: string, value: string): Promise<void> {
		this.values.set(key, value);
		this.changes.fire({ key });
	}

	async delete(key: string): Promise<void> {
		this.values.delete(key);
		this.changes.fire({ key });
	}
}

describe('API keys, one per API host', function () {
	this.timeout(90_000);
	let env: Environment;
	let second: Simulator;
	const config = () => vscode.workspace.getConfiguration('videogen');
	const host = (sim: Simulator) => new URL(sim.apiUrl).host;

	before(async () => {
		env = await setUpEnvironment({ apiKey: FIRST_KEY, pendingMs: 200, runningMs: 400 });
		second = await startSimulator({ apiKey: SECOND_KEY, pendingMs: 200, runningMs: 400 });
	});

	after(async () => {
		for (const task of env.api.tasks().filter(t => t.apiOrigin === second?.apiUrl)) {
			await recordMessages(() => vscode.commands.executeCommand('videogen.removeTask', task.id), () => 'Remove');
		}
		await config().update('baseUrl', env.sim.apiUrl, vscode.ConfigurationTarget.Global);
		await second?.close();
		await env?.dispose();
	});

	const byTaskId = (taskId: string | undefined) => env.api.tasks().find(task => task.taskId === taskId);
	const statusQueries = (sim: Simulator, taskId: string) => sim.requests.filter(r => r.path === `/v1/tasks/status?task_id=${taskId}`);
	const generate = (prompt: string) => vscode.commands.executeCommand<string | undefined>('videogen.generate', { prompt, size: '720x1280', duration: 4 });
	const itemOf = (task: TaskRecord) => env.api.treeItems().find(item => item.id === task.id) as (vscode.TreeItem & { task: TaskRecord }) | undefined;
	let firstTaskId: string;
	let waitingTaskId: string;

	it('keeps asking the old host about its task with the old host\'s key after videogen.baseUrl moves, and never sends either key to the other host', async () => {
		env.sim.setTaskOutcome('on the first host', { runningMs: 60_000 });
		firstTaskId = (await generate('A long task on the first host'))!;
		waitingTaskId = (await generate('Another long task on the first host'))!;
		assert.ok(firstTaskId && waitingTaskId, 'the first host did not accept the tasks');
		await waitFor('the first task to be running', () => byTaskId(firstTaskId)?.phase === 'running');

		await config().update('baseUrl', second.apiUrl, vscode.ConfigurationTarget.Global);
		const movedAt = Date.now();
		const { result: stored, asked } = await withAnswers([SECOND_KEY], () => vscode.commands.executeCommand<boolean>('videogen.setApiKey'));
		assert.strictEqual(stored, true);
		const secondTaskId = (await generate('A task on the second host'))!;
		assert.ok(second.tasks.has(secondTaskId), 'the second host did not accept the task');

		const askedAfterMove = () => statusQueries(env.sim, firstTaskId).filter(r => r.time > movedAt);
		await waitFor('the first host to be asked again after the move', () => askedAfterMove().length >= 1);
		assert.deepStrictEqual([...new Set(askedAfterMove().map(r => r.headers.authorization))], [FIRST_KEY], 'after the move, the first host was asked with another key');
		await waitFor('the first host to be asked once more', () => askedAfterMove().length >= 2);
		env.sim.forceStatus(firstTaskId, { status: 'Success' });
		await waitFor('both videos to be saved', () => byTaskId(firstTaskId)?.download?.phase === 'done' && byTaskId(secondTaskId)?.download?.phase === 'done');

		const firstHost = env.sim.requests.filter(r => r.server === 'api');
		const secondHost = second.requests.filter(r => r.server === 'api');
		assert.deepStrictEqual([...new Set(firstHost.map(r => r.headers.authorization))], [FIRST_KEY], 'the first host received another key');
		assert.deepStrictEqual([...new Set(secondHost.map(r => r.headers.authorization))], [SECOND_KEY], 'the second host received another key');
		assert.ok(!JSON.stringify(env.sim.requests).includes(SECOND_KEY), 'the second host\'s key reached the first host');
		assert.ok(!JSON.stringify(second.requests).includes(FIRST_KEY), 'the first host\'s key reached the second host');
		assert.ok(statusQueries(second, firstTaskId).length === 0, 'the first host\'s task was asked about at the second host');
		assert.deepStrictEqual(asked, [`input:VideoGen: Set API Key for ${host(second)}`], 'Set API Key did not say which host the key is for');
	});

	it('lets a task wait, saying for which host\'s key, when that host has none, and polls it once the key is set from the message', async () => {
		const waiting = byTaskId(waitingTaskId)!;
		assert.strictEqual(waiting.phase, 'running');
		const message = `No API key is set for ${host(env.sim)}. Set one with "VideoGen: Set API Key".`;
		let press!: () => void;
		const pressed = new Promise<void>(resolve => press = resolve);
		let clearedAt = 0;
		const { result: asked, shown } = await recordShown(async () => {
			await vscode.commands.executeCommand('videogen.clearApiKey', env.sim.apiUrl);
			clearedAt = Date.now();
			await waitFor('the task to wait for its host\'s key', () => itemOf(waiting)?.contextValue?.includes('needsKey'));
			const item = itemOf(waiting)!;
			assert.match(stateOf(item), new RegExp(`^Waiting for the API key of ${host(env.sim).replace(/\./g, '\\.')} · `));
			assert.strictEqual(item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded, 'the line saying what to do is hidden');
			const queriesWhileWaiting = statusQueries(env.sim, waitingTaskId).length;
			await new Promise(resolve => setTimeout(resolve, 2_500)); // more than two poll intervals
			assert.strictEqual(statusQueries(env.sim, waitingTaskId).length, queriesWhileWaiting, 'the host was asked without a key');
			// Now the user presses Set API Key in the message, and the box asks for the first host's key.
			return (await withAnswers([FIRST_KEY], async () => {
				press();
				await waitFor('the task to be polled with the new key', () => byTaskId(waitingTaskId)?.waitsForKey === undefined);
			})).asked;
		}, entry => entry.text === message ? pressed.then(() => 'Set API Key') : undefined);
		assert.deepStrictEqual(shown.map(s => [s.level, s.text, s.buttons]), [['error', message, ['Set API Key']]]);
		assert.deepStrictEqual(asked, [`input:VideoGen: Set API Key for ${host(env.sim)}`]);
		assert.ok(statusQueries(env.sim, waitingTaskId).some(r => r.time > clearedAt && r.status === 200), 'the task was not polled once its key was set');
		assert.ok(!JSON.stringify(env.sim.requests).includes(SECOND_KEY), 'the second host\'s key was sent while the first host had none');
	});

	it('sets the key of a waiting task\'s own host from the task\'s row', async () => {
		await vscode.commands.executeCommand('videogen.clearApiKey', env.sim.apiUrl);
		await recordShown(() => waitFor('the task to wait again', () => itemOf(byTaskId(waitingTaskId)!)?.contextValue?.includes('needsKey')));
		const { asked } = await withAnswers([FIRST_KEY], () => vscode.commands.executeCommand('videogen.setApiKey', itemOf(byTaskId(waitingTaskId)!)));
		assert.deepStrictEqual(asked, [`input:VideoGen: Set API Key for ${host(env.sim)}`]);
		env.sim.forceStatus(waitingTaskId, { status: 'Success' });
		await waitFor('the waiting task\'s video to be saved', () => byTaskId(waitingTaskId)?.download?.phase === 'done');
		assert.deepStrictEqual([...new Set(env.sim.requests.filter(r => r.server === 'api').map(r => r.headers.authorization))], [FIRST_KEY]);
	});

	it('takes the single key of version 0.1.0 as the key of the host configured then, once, and offers it to no other host', async () => {
		const regional = 'https://api-us-ca.umodelverse.ai';
		await config().update('baseUrl', regional, vscode.ConfigurationTarget.Global);
		const secrets = new MemorySecrets({ 'videogen.apiKey': 'sk-from-0.1.0' });
		const store = new ApiKeyStore(secrets, silentLogger);
		try {
			assert.strictEqual(await store.get('https://api.umodelverse.ai'), undefined, 'the old key went to the default host, not the configured one');
			assert.strictEqual(await store.get(regional), 'sk-from-0.1.0');
			assert.deepStrictEqual([...secrets.values.keys()], [`videogen.apiKey:${regional}`], 'the old key is still kept as well');

			await config().update('baseUrl', 'https://api.modelverse.cn', vscode.ConfigurationTarget.Global);
			const later = new ApiKeyStore(secrets, silentLogger);
			assert.strictEqual(await later.get('https://api.modelverse.cn'), undefined, 'the old key followed the setting to another host');
			assert.strictEqual(await later.get(regional), 'sk-from-0.1.0');
			later.dispose();
		} finally {
			store.dispose();
			await config().update('baseUrl', second.apiUrl, vscode.ConfigurationTarget.Global);
		}
	});

	it('takes the 0.1.0 key as the default host\'s when videogen.baseUrl was never set', async () => {
		await config().update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
		const secrets = new MemorySecrets({ 'videogen.apiKey': 'sk-from-0.1.0' });
		const store = new ApiKeyStore(secrets, silentLogger);
		try {
			assert.strictEqual(await store.get('https://api.umodelverse.ai'), 'sk-from-0.1.0');
		} finally {
			store.dispose();
			await config().update('baseUrl', second.apiUrl, vscode.ConfigurationTarget.Global);
		}
	});
});
