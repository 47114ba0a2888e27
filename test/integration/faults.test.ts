/**
 * What the user sees when the service misbehaves: the words and buttons of each message, what
 * becomes of the task, and what is (and is not) sent again. The real extension in a real
 * extension host, against the simulator's fault injection.
 *
 * Replaced, as in every host test: the answers to input boxes and the toasts (see helpers.ts).
 * Not covered here: a submit or status query that never gets an answer. The client gives up after
 * its fixed 30 s timeout, which the extension does not let a setting shorten; the plain-Node
 * client tests cover that case with a short timeout.
 */

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { TaskRecord } from '../../src/core/task';
import type { Fault } from '../simulator/simulator';
import { Environment, recordMessages, sampleVideo, setUpEnvironment, stateOf, waitFor } from './helpers';
import { recordShown } from './shown';
import { videoNamePattern } from '../common/videoNames';

const mayHaveBeenSubmitted = ' The task may have been submitted anyway; it is kept as "submit outcome unknown" and will not be sent again. If it appears in your UModelverse console, track it by its id.';

interface SubmitRow {
	readonly name: string;
	readonly fault: Fault;
	/** The whole message, or its start when a detail varies (a socket error code). */
	readonly message: string | RegExp;
	readonly buttons: readonly string[];
	readonly phase: 'submitFailed' | 'submitUnknown';
	/** Whether the simulator created (and would bill) the task. */
	readonly created: boolean;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const submitRows: readonly SubmitRow[] = [
	{
		name: '401', fault: { target: 'submit', kind: 'http', status: 401 }, phase: 'submitFailed', created: false,
		message: 'The API key was rejected (HTTP 401). The service said: "Simulated 401 Unauthorized". Set a valid key with "VideoGen: Set API Key".',
		buttons: ['Set API Key'],
	},
	{
		name: '403', fault: { target: 'submit', kind: 'http', status: 403 }, phase: 'submitFailed', created: false,
		message: 'The service refused the request (HTTP 403). The service said: "Simulated 403 Forbidden". The key may not be allowed to use openai/sora-2/text-to-video, the account\'s spend cap may be reached, or your IP may not be allowed. Check the key and its limits in the UModelverse console, or pick another model with "VideoGen: Select Model".',
		buttons: ['Select Model', 'Set API Key'],
	},
	{
		name: '429 with Retry-After', fault: { target: 'submit', kind: 'http', status: 429, retryAfter: '7' }, phase: 'submitFailed', created: false,
		message: 'The service is rate limiting requests (HTTP 429). It asked to wait 7 s. The service said: "Simulated 429 Too Many Requests". Try again in a moment.',
		buttons: ['Try Again', 'Show Log'],
	},
	{
		name: '500', fault: { target: 'submit', kind: 'http', status: 500 }, phase: 'submitUnknown', created: false,
		message: `The service had a problem (HTTP 500). The service said: "Simulated 500 Internal Server Error".${mayHaveBeenSubmitted}`,
		buttons: ['Attach Task ID...', 'Show Log'],
	},
	{
		name: '500 after the service created the task', fault: { target: 'submit', kind: 'http', status: 500, createTask: true }, phase: 'submitUnknown', created: true,
		message: `The service had a problem (HTTP 500). The service said: "Simulated 500 Internal Server Error".${mayHaveBeenSubmitted}`,
		buttons: ['Attach Task ID...', 'Show Log'],
	},
	{
		name: '502 with a proxy\'s HTML page', fault: { target: 'submit', kind: 'nonJson', status: 502 }, phase: 'submitUnknown', created: true,
		message: `The service had a problem (HTTP 502). The service said: "502 Bad Gateway".${mayHaveBeenSubmitted}`,
		buttons: ['Attach Task ID...', 'Show Log'],
	},
	{
		name: '503', fault: { target: 'submit', kind: 'http', status: 503 }, phase: 'submitFailed', created: false,
		message: 'The service had a problem (HTTP 503). The service said: "Simulated 503 Service Unavailable". Try again in a moment.',
		buttons: ['Try Again', 'Show Log'],
	},
	{
		name: 'a connection reset after the task was created', fault: { target: 'submit', kind: 'reset' }, phase: 'submitUnknown', created: true,
		message: new RegExp(`^The connection to the service broke \\(.+\\)\\.${escape(mayHaveBeenSubmitted)}$`),
		buttons: ['Attach Task ID...', 'Show Log'],
	},
	{
		name: 'a connection reset before the service took the request', fault: { target: 'submit', kind: 'resetBeforeAccept' }, phase: 'submitUnknown', created: false,
		message: new RegExp(`^The connection to the service broke \\(.+\\)\\.${escape(mayHaveBeenSubmitted)}$`),
		buttons: ['Attach Task ID...', 'Show Log'],
	},
	{
		name: '200 with a body that is not JSON', fault: { target: 'submit', kind: 'nonJson' }, phase: 'submitUnknown', created: true,
		message: `The service sent an answer VideoGen could not read (the answer is not JSON).${mayHaveBeenSubmitted}`,
		buttons: ['Attach Task ID...', 'Show Log'],
	},
	{
		name: '200 cut off mid-body', fault: { target: 'submit', kind: 'truncated' }, phase: 'submitUnknown', created: true,
		message: new RegExp(`^The service sent an answer VideoGen could not read \\(the answer was cut short: .+\\)\\.${escape(mayHaveBeenSubmitted)}$`),
		buttons: ['Attach Task ID...', 'Show Log'],
	},
	{
		name: '200 without a task id', fault: { target: 'submit', kind: 'noTaskId' }, phase: 'submitUnknown', created: false,
		message: `The service sent an answer VideoGen could not read (the answer has no task id).${mayHaveBeenSubmitted}`,
		buttons: ['Attach Task ID...', 'Show Log'],
	},
];

describe('faults: what the user sees', function () {
	this.timeout(60_000);
	let env: Environment;

	before(async () => {
		env = await setUpEnvironment();
	});

	after(async () => {
		env?.sim.faults.clear();
		await env?.dispose();
	});

	const byId = (id: string) => env.api.tasks().find(task => task.id === id);
	const byTaskId = (taskId: string | undefined) => env.api.tasks().find(task => task.taskId === taskId);
	const byPrompt = (prompt: string) => env.api.tasks().filter(task => task.prompt === prompt);
	const statusQueries = (taskId: string) => env.sim.requests.filter(r => r.path === `/v1/tasks/status?task_id=${taskId}`);
	const downloadsOf = (taskId: string) => env.sim.requests.filter(r => r.server === 'storage' && r.path.startsWith(`/videos/${taskId}`));
	const generate = (prompt: string) => vscode.commands.executeCommand<string | undefined>('videogen.generate', { prompt, size: '720x1280', duration: 4 });
	const finished = (id: string, what: (task: TaskRecord) => boolean) => waitFor(`task ${id} to finish`, () => { const t = byId(id); return !!t && what(t) && t; });

	describe('a submit that fails', () => {
		const submitsBefore = { received: 0, accepted: 0 };

		before(() => {
			submitsBefore.received = env.sim.stats.submitsReceived;
			submitsBefore.accepted = env.sim.stats.submitsAccepted;
		});

		for (const row of submitRows) {
			it(`on ${row.name}: says so with ${row.buttons.map(b => `"${b}"`).join(', ')}, and keeps the task as ${row.phase}`, async () => {
				const prompt = `Submit fault: ${row.name}`;
				const before = { received: env.sim.stats.submitsReceived, accepted: env.sim.stats.submitsAccepted };
				env.sim.faults.push(row.fault);
				const { result, shown } = await recordShown(() => generate(prompt));
				assert.strictEqual(result, undefined);
				assert.strictEqual(shown.length, 1, JSON.stringify(shown));
				assert.strictEqual(shown[0].level, 'error');
				if (typeof row.message === 'string') {
					assert.strictEqual(shown[0].text, row.message);
				} else {
					assert.match(shown[0].text, row.message);
				}
				assert.deepStrictEqual(shown[0].buttons, row.buttons);
				const [task] = byPrompt(prompt);
				assert.strictEqual(task?.phase, row.phase);
				assert.strictEqual(task.error, shown[0].text, 'the task does not keep the reason it shows');
				assert.strictEqual(env.sim.stats.submitsReceived, before.received + 1);
				assert.strictEqual(env.sim.stats.submitsAccepted, before.accepted + (row.created ? 1 : 0));
			});
		}

		it('sends none of those submits again by itself', async () => {
			await new Promise(resolve => setTimeout(resolve, 2_500)); // more than two poll intervals
			assert.strictEqual(env.sim.stats.submitsReceived, submitsBefore.received + submitRows.length);
			for (const row of submitRows) {
				const [task] = byPrompt(`Submit fault: ${row.name}`);
				assert.strictEqual(task.phase, row.phase);
				assert.strictEqual(task.taskId, undefined);
			}
		});

		it('sends a refused submit again only when the user presses Try Again, as a new task', async () => {
			const prompt = 'Submit fault: 503, then Try Again';
			env.sim.faults.push({ target: 'submit', kind: 'http', status: 503 });
			const before = env.sim.stats.submitsReceived;
			const { shown } = await recordShown(async () => {
				await generate(prompt);
				return waitFor('the second submit to be accepted', () => byPrompt(prompt).some(task => task.taskId));
			}, message => message.buttons.includes('Try Again') ? 'Try Again' : undefined);
			assert.strictEqual(shown.length, 1);
			assert.strictEqual(env.sim.stats.submitsReceived, before + 2);
			// The refused task, which nothing was paid for, leaves the list once its retry is accepted; the retry names it.
			const [accepted] = await waitFor('the refused task to leave the list', () => byPrompt(prompt).length === 1 && byPrompt(prompt));
			assert.ok(accepted.taskId && accepted.retryOf && accepted.retryOf !== accepted.id, JSON.stringify(accepted));
		});
	});

	it('keeps polling through status errors without a message, shows the last one under the task, and reaches the final state', async () => {
		env.sim.setTaskOutcome('Status faults', { runningMs: 60_000 });
		const taskId = (await generate('Status faults ahead'))!;
		const task = byTaskId(taskId)!;
		const pollErrors = new Set<string>();
		const watcher = env.api.onDidChangeTasks(() => {
			const error = byTaskId(taskId)?.pollError;
			if (error) {
				pollErrors.add(error);
			}
		});
		const batches: Fault[][] = [
			[{ target: 'status', kind: 'http', status: 500 }, { target: 'status', kind: 'http', status: 429, retryAfter: '1' }],
			[{ target: 'status', kind: 'reset' }, { target: 'status', kind: 'nonJson' }],
			[{ target: 'status', kind: 'truncated' }, { target: 'status', kind: 'http', status: 404 }],
		];
		try {
			const { shown } = await recordShown(async () => {
				for (const batch of batches) {
					const answered = statusQueries(taskId).length;
					env.sim.faults.push(...batch);
					// Both faults hit, then a good answer comes.
					await waitFor('the task to be asked again after the faults', () => {
						const after = statusQueries(taskId).slice(answered);
						return after.filter(r => r.fault).length === batch.length && after[after.length - 1].status === 200 && !after[after.length - 1].fault;
					});
					await waitFor('the good answer to clear the error', () => byTaskId(taskId)?.pollError === undefined);
				}
				env.sim.forceStatus(taskId, { status: 'Success' });
				await finished(task.id, t => t.download?.phase === 'done');
			});
			assert.deepStrictEqual(shown, [], 'a status error reached the user as a message');
		} finally {
			watcher.dispose();
		}
		const seen = [...pollErrors].join('\n');
		assert.match(seen, /^The service had a problem \(HTTP 500\)\. The service said: "Simulated 500 Internal Server Error"\. VideoGen will ask again\.$/m);
		assert.match(seen, /^The service is rate limiting requests \(HTTP 429\)\. It asked to wait 1 s\./m);
		assert.match(seen, /^The service no longer knows this task \(HTTP 404\)\..* VideoGen will ask again; if this keeps happening, the task has expired on the service\.$/m);
		assert.strictEqual(byTaskId(taskId)?.phase, 'succeeded');
	});

	it('asks the service for a fresh link once when the video link has expired, and downloads again without a message', async () => {
		env.sim.faults.push({ target: 'download', kind: 'http', status: 404 });
		const { result: taskId, shown } = await recordShown(async () => {
			const id = (await generate('An expired link [instant]'))!;
			await waitFor('the video to be saved', () => byTaskId(id)?.download?.phase === 'done');
			return id;
		});
		assert.deepStrictEqual(shown, []);
		assert.deepStrictEqual(downloadsOf(taskId).map(r => r.status), [404, 200]);
		const refreshed = statusQueries(taskId).filter(r => r.time > downloadsOf(taskId)[0].time);
		assert.strictEqual(refreshed.length, 1, 'the service was not asked exactly once for a fresh link');
		assert.ok(fs.readFileSync(byTaskId(taskId)!.download!.files![0]).equals(sampleVideo()));
	});

	it('tells the user when the fresh link has expired too, and downloads again when they press Download Again', async () => {
		env.sim.faults.push({ target: 'download', kind: 'http', status: 404, count: 2 });
		const prompt = 'Two expired links [instant]';
		const { result: taskId, shown } = await recordShown(async () => {
			const id = (await generate(prompt))!;
			await waitFor('the video to be saved', () => byTaskId(id)?.download?.phase === 'done');
			return id;
		}, message => message.buttons.includes('Download Again') ? 'Download Again' : undefined);
		assert.deepStrictEqual(shown.map(s => [s.level, s.text, s.buttons]), [[
			'warning',
			`VideoGen could not save "${prompt}": The video link has expired or is no longer valid (HTTP 404). Download Again asks the service for a fresh one.`,
			['Download Again', 'Show Log'],
		]]);
		assert.deepStrictEqual(downloadsOf(taskId).map(r => r.status), [404, 404, 200]);
	});

	describe('a task the service ends oddly', () => {
		const run = async (prompt: string, until: (task: TaskRecord) => boolean) => {
			let id: string | undefined;
			const { shown } = await recordShown(async () => {
				const taskId = (await generate(prompt))!;
				id = byTaskId(taskId)!.id;
				await finished(id, until);
				await new Promise(resolve => setTimeout(resolve, 100)); // the message follows the change
			});
			return { task: byId(id!)!, shown: shown.filter(s => s.text.includes(prompt)) };
		};
		const item = (id: string) => env.api.treeItems().find(i => i.id === id)!;

		it('says a Failure without a reason came without one, offering Generate Again', async () => {
			const { task, shown } = await run('Silent failure [fail-silent]', t => t.phase === 'failed');
			assert.strictEqual(task.error, 'The service reported a failure without giving a reason.');
			assert.deepStrictEqual(shown.map(s => [s.level, s.text, s.buttons]), [['error', 'VideoGen: "Silent failure [fail-silent]" failed: The service reported a failure without giving a reason.', ['Generate Again', 'Show Log']]]);
			assert.strictEqual((item(task.id).iconPath as vscode.ThemeIcon).id, 'error');
		});

		it('marks an Expired task as expired, offering Generate Again', async () => {
			const { task, shown } = await run('Expiring task [expire]', t => t.phase === 'expired');
			assert.deepStrictEqual(shown.map(s => [s.level, s.text, s.buttons]), [['warning', 'VideoGen: "Expiring task [expire]" expired on the service. The service reports that the task expired.', ['Generate Again']]]);
			assert.match(stateOf(item(task.id)), /^Expired/);
		});

		it('shows a status it does not know verbatim in the tree and keeps asking', async () => {
			const { shown, result: taskId } = await recordShown(async () => {
				const id = (await generate('Odd status [status:Foo]'))!;
				await waitFor('three answers of "Foo"', () => statusQueries(id).filter(r => r.status === 200).length >= 3, 15_000);
				return id;
			});
			const task = byTaskId(taskId)!;
			assert.strictEqual(task.phase, 'unknown');
			assert.strictEqual(task.serviceStatus, 'Foo');
			assert.match(stateOf(item(task.id)), /^Status "Foo" · /);
			assert.deepStrictEqual(shown, []);
			await recordMessages(() => vscode.commands.executeCommand('videogen.removeTask', task.id), () => 'Remove');
		});

		it('says a Success without a link has none, and Refresh fetches the link once the service has it', async () => {
			const { task, shown } = await run('No links [nourls]', t => t.phase === 'succeeded');
			assert.deepStrictEqual(shown.map(s => [s.level, s.text, s.buttons]), [['warning', 'VideoGen: "No links [nourls]" finished, but the service sent no video link.', ['Refresh']]]);
			assert.strictEqual(task.error, 'The service reported success but sent no video link. Refresh to ask again.');
			assert.match(stateOf(item(task.id)), /^No video link/);
			env.sim.forceStatus(task.taskId!, { urls: [`${env.sim.storageUrl}/videos/${task.taskId!}.mp4`] });
			await vscode.commands.executeCommand('videogen.refresh');
			const saved = await finished(task.id, t => t.download?.phase === 'done');
			assert.strictEqual(saved.error, undefined);
		});

		it('saves both videos of a task with two', async () => {
			const { task } = await run('Two videos [multi]', t => t.download?.phase === 'done');
			const files = task.download!.files!;
			assert.deepStrictEqual(files.map((file, index) => videoNamePattern(task.prompt, index).test(path.basename(file))), [true, true], files.join(', '));
			assert.ok(files.every(file => path.dirname(file) === env.downloadFolder && fs.readFileSync(file).equals(sampleVideo())));
			assert.strictEqual(item(task.id).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed, 'no "2 videos" line under the task');
		});
	});
});
