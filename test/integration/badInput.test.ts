/** Bad input and refusals reach the user as clear messages, and nothing is sent or lost. */

import * as assert from 'assert';
import * as vscode from 'vscode';
import { Environment, recordMessages, setUpEnvironment, waitFor, withAnswers } from './helpers';

describe('bad input and refusals', function () {
	this.timeout(60_000);
	let env: Environment;

	before(async () => {
		env = await setUpEnvironment();
	});

	after(async () => {
		await vscode.workspace.getConfiguration('videogen').update('baseUrl', env.sim.apiUrl, vscode.ConfigurationTarget.Global);
		await env?.dispose();
	});

	const generate = (argument: unknown) => recordMessages(() => vscode.commands.executeCommand<string>('videogen.generate', argument));

	for (const [argument, expected] of [
		[{ prompt: '   ', size: '720x1280', duration: 4 }, /Sora 2 needs a prompt: describe the video you want/],
		[{ prompt: 'A forest', size: '999x999', duration: 4 }, /Sora 2: Size \(size\) must be one of 720x1280, 1280x720, not "999x999"/],
		[{ prompt: 'A forest', size: '720x1280', duration: 5 }, /Sora 2: Duration \(s\) \(duration\) must be one of 4, 8, 12, not 5/],
		[{ prompt: 'A forest', model: 'veo-3.1-generate-001', parameters: { resolution: '4k' } }, /Veo 3\.1: Resolution \(resolution\) must be one of 720p, 1080p, not "4k"/],
		[{ prompt: 'A forest', model: 'openai/sora-2/text-to-video', image: 'http://images.example.com/a.png' }, /neither an https: link nor a file: URI/],
		[{ prompt: 'A forest', image: 42 }, /The image "42" is neither an https: link nor a file: URI/],
	] as const) {
		it(`refuses ${JSON.stringify(argument)} with a message and sends nothing`, async () => {
			const before = env.sim.stats.submitsReceived;
			const { result, messages } = await generate(argument);
			assert.strictEqual(result, undefined);
			assert.strictEqual(messages.length, 1, messages.join('\n'));
			assert.match(messages[0], expected);
			assert.strictEqual(env.sim.stats.submitsReceived, before);
		});
	}

	it('refuses an empty prompt typed in the input box', async () => {
		await assert.rejects(
			withAnswers(['Sora 2', '   '], () => vscode.commands.executeCommand('videogen.generate')),
			/the input box refused " {3}": Sora 2 needs a prompt: describe the video you want/,
		);
	});

	it('refuses a plain http: base URL to a non-loopback host, saying why', async () => {
		await vscode.workspace.getConfiguration('videogen').update('baseUrl', 'http://api.example.com', vscode.ConfigurationTarget.Global);
		try {
			const before = env.sim.stats.submitsReceived;
			const { result, messages } = await generate({ prompt: 'A forest', size: '720x1280', duration: 4 });
			assert.strictEqual(result, undefined);
			assert.match(messages.join('\n'), /uses plain http:, which would send your API key unencrypted/);
			assert.strictEqual(env.sim.stats.submitsReceived, before);
		} finally {
			await vscode.workspace.getConfiguration('videogen').update('baseUrl', env.sim.apiUrl, vscode.ConfigurationTarget.Global);
		}
	});

	it('turns a moderation refusal into a message and a task marked not submitted', async () => {
		const { result, messages } = await generate({ prompt: 'Something [moderate]', size: '720x1280', duration: 4 });
		assert.strictEqual(result, undefined);
		assert.match(messages.join('\n'), /rejected by the service's content check/);
		const task = env.api.tasks().find(t => t.prompt === 'Something [moderate]');
		assert.strictEqual(task?.phase, 'submitFailed');
	});

	it('keeps a submit whose answer was lost as "outcome unknown", never resends it, and lets the user attach its id', async () => {
		env.sim.faults.push({ target: 'submit', kind: 'reset' });
		const before = { received: env.sim.stats.submitsReceived, accepted: env.sim.stats.submitsAccepted };
		const { result, messages } = await generate({ prompt: 'A comet over mountains', size: '720x1280', duration: 4 });
		assert.strictEqual(result, undefined);
		assert.match(messages.join('\n'), /may have been submitted anyway/);
		assert.strictEqual(env.sim.stats.submitsReceived, before.received + 1, 'the submit was sent more than once');
		assert.strictEqual(env.sim.stats.submitsAccepted, before.accepted + 1);
		const task = env.api.tasks().find(t => t.prompt === 'A comet over mountains')!;
		assert.strictEqual(task.phase, 'submitUnknown');
		const item = env.api.treeItems().find(i => i.id === task.id);
		assert.match(String(item?.contextValue), /\btrackable\b/, 'the task does not offer Attach Task ID');
		const serviceId = [...env.sim.tasks.values()].find(t => t.prompt === 'A comet over mountains')!.taskId;
		await withAnswers([serviceId], () => vscode.commands.executeCommand('videogen.attachTaskId', item));
		const tracked = await waitFor('the tracked task to be saved', () => {
			const t = env.api.tasks().find(x => x.id === task.id);
			return t?.download?.phase === 'done' && t;
		}, 30_000);
		assert.strictEqual(tracked.taskId, serviceId);
		assert.strictEqual(env.sim.stats.submitsReceived, before.received + 1);
	});

	it('asks for the key again when the service rejects it', async () => {
		// Set API Key checks the key and refuses this one; the user stores it anyway.
		await recordMessages(() => withAnswers(['wrong-key'], () => vscode.commands.executeCommand('videogen.setApiKey')), () => 'Store Anyway');
		try {
			const { result, messages } = await generate({ prompt: 'A river', size: '720x1280', duration: 4 });
			assert.strictEqual(result, undefined);
			assert.match(messages.join('\n'), /The API key was rejected \(HTTP 401\)/);
			assert.ok(!messages.join('\n').includes('wrong-key'), 'the key appeared in a message');
		} finally {
			await withAnswers([env.sim.apiKey], () => vscode.commands.executeCommand('videogen.setApiKey'));
		}
	});

	it('asks for a key first when none is stored, and stores the one given', async () => {
		await vscode.commands.executeCommand('videogen.clearApiKey');
		const { result: cancelled } = await withAnswers([undefined], () => vscode.commands.executeCommand<string>('videogen.generate', { prompt: 'A bridge', size: '720x1280', duration: 4 }));
		assert.strictEqual(cancelled, undefined);
		const { result: taskId, asked } = await withAnswers([env.sim.apiKey], () => vscode.commands.executeCommand<string>('videogen.generate', { prompt: 'A bridge', size: '720x1280', duration: 4 }));
		assert.match(asked[0], /^input:VideoGen: Set API Key/);
		assert.ok(taskId && env.sim.tasks.has(taskId));
		// Stored: the next generate asks nothing.
		const { asked: none } = await withAnswers([], () => vscode.commands.executeCommand<string>('videogen.generate', { prompt: 'A bridge at night', size: '720x1280', duration: 4 }));
		assert.deepStrictEqual(none, []);
	});
});
