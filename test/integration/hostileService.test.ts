/**
 * A hostile or broken service, as the user meets it in a real extension host: what it writes is
 * shown as text (never as a link that runs a command, never as an icon) and cut to a length that
 * leaves VideoGen's own advice in view; what it sends is bounded; and a request that could not
 * have reached it is said to be not sent.
 *
 * Replaced, as in every host test: the answers to input boxes and the toasts (see helpers.ts), so
 * a message is checked by its words and buttons. What VS Code would render is checked by its own
 * rule: the pattern below is the one its notifications use to find links.
 */

import * as assert from 'assert';
import * as fs from 'fs';
import * as https from 'https';
import * as net from 'net';
import * as path from 'path';
import * as vscode from 'vscode';
import { Environment, recordMessages, setUpEnvironment, stateOf, waitFor, withAnswers } from './helpers';
import { recordShown } from './shown';
import { videoNamePattern } from '../common/videoNames';

/** What VS Code's notifications (and other "linked text") make links of: src/vs/base/common/linkedText.ts. */
const vscodeLink = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;
/** A command link as a hostile service would write it: this one would forget the user's API key. */
const LINK = '[Click here](command:videogen.clearApiKey)';
const fixtures = path.join(__dirname, '../../../test/unit/fixtures');

describe('a hostile service', function () {
	this.timeout(60_000);
	let env: Environment;

	before(async () => {
		env = await setUpEnvironment();
	});

	after(async () => {
		env?.sim.faults.clear();
		await env?.dispose();
	});

	const byTaskId = (taskId: string | undefined) => env.api.tasks().find(task => task.taskId === taskId);
	const generate = (prompt: string) => vscode.commands.executeCommand<string | undefined>('videogen.generate', { prompt, size: '720x1280', duration: 4 });
	const itemOf = (id: string) => env.api.treeItems().find(item => item.id === id)!;
	const linesUnder = (id: string) => env.api.treeItems(id).map(item => String(item.label));
	const tooltipOf = (id: string) => itemOf(id).tooltip as vscode.MarkdownString;
	/** A tooltip's words as the hover shows them: `appendText` writes spaces as `&nbsp;` and escapes punctuation. */
	const readable = (markdown: vscode.MarkdownString) => markdown.value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
	const remove = (id: string) => recordMessages(() => vscode.commands.executeCommand('videogen.removeTask', id), () => 'Remove');

	it('shows a failure message full of link markup, icons and line breaks as text in the notification, the tree and the tooltip', async () => {
		const prompt = 'A failure with markup';
		env.sim.setTaskOutcome(prompt, { runningMs: 60_000 });
		const taskId = (await generate(prompt))!;
		const id = byTaskId(taskId)!.id;
		const { shown } = await recordShown(async () => {
			env.sim.forceStatus(taskId, { status: 'Failure', errorMessage: `Your video failed. ${LINK} to fix it $(alert)\n[poller] task task_forged is Success\u001b[31m` });
			await waitFor('the task to fail', () => byTaskId(taskId)?.phase === 'failed');
			await new Promise(resolve => setTimeout(resolve, 100)); // the message follows the change
		});
		const text = 'Your video failed. [Click here] (command:videogen.clearApiKey) to fix it $ (alert) [poller] task task_forged is Success\\u001b[31m';
		assert.deepStrictEqual(shown.map(s => [s.level, s.text, s.buttons]), [['error', `VideoGen: "${prompt}" failed: ${text}`, ['Generate Again', 'Show Log']]]);
		assert.doesNotMatch(shown[0].text, vscodeLink);

		assert.deepStrictEqual(linesUnder(id), [text]);
		assert.deepStrictEqual(env.api.treeItems(id).map(item => item.tooltip), [text]);
		const tooltip = tooltipOf(id);
		assert.ok(!tooltip.isTrusted && !tooltip.supportHtml, 'the tooltip may run commands or HTML');
		assert.ok(!tooltip.value.includes(']('), `a link can form in the tooltip: ${tooltip.value}`);
		assert.ok(readable(tooltip).endsWith(`$(error) ${text}`), readable(tooltip));
	});

	it('shows a status full of link markup as text in the tree and the tooltip, and keeps following the task', async () => {
		const prompt = 'A status with markup';
		env.sim.setTaskOutcome(prompt, { runningMs: 60_000 });
		const taskId = (await generate(prompt))!;
		const id = byTaskId(taskId)!.id;
		const { shown } = await recordShown(async () => {
			env.sim.forceStatus(taskId, { status: `${LINK}\n$(alert) Queued` });
			await waitFor('the status to show', () => byTaskId(taskId)?.serviceStatus?.endsWith('Queued'));
		});
		assert.deepStrictEqual(shown, []);
		assert.strictEqual(byTaskId(taskId)!.serviceStatus, '[Click here] (command:videogen.clearApiKey) $ (alert) Queued');
		assert.match(stateOf(itemOf(id)), /^Status "\[Click here\] \(command:videogen\.clearApiKey\) \$ \(alert\) Queued" · /);
		assert.doesNotMatch(stateOf(itemOf(id)), vscodeLink);
		assert.ok(!tooltipOf(id).value.includes(']('), tooltipOf(id).value);
		assert.ok(readable(tooltipOf(id)).includes('**Status:** Status "[Click here] (command:videogen.clearApiKey) $ (alert) Queued"'), readable(tooltipOf(id)));
		await remove(id);
	});

	it('quotes a refused submit\'s long, marked-up error as text, leaving the advice after it in view', async () => {
		env.sim.faults.push({ target: 'submit', kind: 'hostile', text: `${LINK} ${'z'.repeat(200_000)}` });
		const prompt = 'A refusal with markup';
		const { shown } = await recordShown(() => generate(prompt));
		assert.strictEqual(shown.length, 1, JSON.stringify(shown));
		const text = shown[0].text;
		assert.match(text, /^The service refused the request as invalid \(HTTP 400, \[Click here\] \(command:videogen\.clearApiKey\) z+…\)\. The service said: "\[Click here\] \(command:videogen\.clearApiKey\) z+…"\. Check the prompt, the image and the model's settings, then try again\.$/);
		// VS Code cuts a notification after 1,000 characters: the advice must come before that.
		assert.ok(text.length < 1000, `${text.length} characters`);
		assert.doesNotMatch(text, vscodeLink);
		assert.deepStrictEqual(shown[0].buttons, ['Show Log']);
		const task = env.api.tasks().find(t => t.prompt === prompt)!;
		assert.strictEqual(task.phase, 'submitFailed');
		assert.strictEqual(task.error, text);
	});

	it('says nothing when a status answer is too large to read, shows why under the task, and follows the task to its end', async () => {
		const prompt = 'A huge status answer';
		env.sim.setTaskOutcome(prompt, { runningMs: 60_000 });
		const taskId = (await generate(prompt))!;
		const id = byTaskId(taskId)!.id;
		// What the task's line said while the answers were refused.
		const lines = new Set<string>();
		const watcher = env.api.onDidChangeTasks(() => linesUnder(id).forEach(line => lines.add(line)));
		try {
			const { shown } = await recordShown(async () => {
				env.sim.faults.push({ target: 'status', kind: 'huge' }, { target: 'status', kind: 'endless' });
				await waitFor('both answers to be refused and a good one to follow', () => env.sim.requests.filter(r => r.fault === 'huge' || r.fault === 'endless').length === 2 && !byTaskId(taskId)?.pollError);
				env.sim.forceStatus(taskId, { status: 'Success' });
				await waitFor('the video to be saved', () => byTaskId(taskId)?.download?.phase === 'done');
			});
			assert.deepStrictEqual(shown, []);
		} finally {
			watcher.dispose();
		}
		const why = 'The service sent an answer VideoGen could not read (the answer is larger than 1 MB, so VideoGen stopped reading it). VideoGen will ask again.';
		assert.deepStrictEqual([...lines], [`Last check: ${why}`]);
	});

	it('saves 10 of the 10,000 videos a task reports, and says under the task and in its tooltip that more were sent', async () => {
		const taskId = (await generate('Ten thousand links [many-urls] [instant]'))!;
		const task = await waitFor('the videos to be saved', () => byTaskId(taskId)?.download?.phase === 'done' && byTaskId(taskId));
		assert.strictEqual(task.urls?.length, 10);
		const names = task.download!.files!.map(file => path.basename(file));
		assert.strictEqual(names.length, 10, names.join(', '));
		assert.ok(names.every((name, i) => videoNamePattern(task.prompt, i).test(name)), names.join(', '));
		const note = 'The service sent 10,000 video links; VideoGen keeps the first 10.';
		assert.deepStrictEqual(linesUnder(task.id), ['10 videos', note]);
		assert.ok(readable(tooltipOf(task.id)).endsWith(`$(info) ${note}`), readable(tooltipOf(task.id)));
		assert.strictEqual(env.sim.requests.filter(r => r.server === 'storage' && r.path.startsWith(`/videos/${taskId}`)).length, 10);
	});

	it('says nothing was sent when the API\'s certificate is not trusted, offers Try Again, and keeps the task as not submitted', async () => {
		let requests = 0;
		const server = https.createServer({ cert: fs.readFileSync(path.join(fixtures, 'localhost.crt')), key: fs.readFileSync(path.join(fixtures, 'localhost.key')) }, (_req, res) => {
			requests++;
			res.end('{}');
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		const config = vscode.workspace.getConfiguration('videogen');
		await config.update('baseUrl', `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`, vscode.ConfigurationTarget.Global);
		try {
			// Keys belong to their API host: this one gets a key of its own, which it never sees (nothing is sent).
			await withAnswers(['sk-hostile-tls-host'], () => vscode.commands.executeCommand('videogen.setApiKey'));
			const prompt = 'An untrusted certificate';
			const { result, shown } = await recordShown(() => generate(prompt));
			assert.strictEqual(result, undefined);
			assert.deepStrictEqual(shown.map(s => [s.level, s.text, s.buttons]), [[
				'error',
				'Could not connect securely to the VideoGen API: its certificate was not accepted (DEPTH_ZERO_SELF_SIGNED_CERT), so nothing was sent. Check the videogen.baseUrl setting, and whether something on your network (a proxy, security software) intercepts HTTPS: if it does, the certificate authority it uses must be trusted, in the operating system\'s store or in the file NODE_EXTRA_CA_CERTS names.',
				['Open Settings', 'Try Again'],
			]]);
			assert.strictEqual(env.api.tasks().find(t => t.prompt === prompt)?.phase, 'submitFailed');
			assert.strictEqual(requests, 0, 'the server received a request');
		} finally {
			await config.update('baseUrl', env.sim.apiUrl, vscode.ConfigurationTarget.Global);
			server.closeAllConnections();
			await new Promise(resolve => server.close(resolve));
		}
	});
});
