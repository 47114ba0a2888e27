/**
 * VideoGen behind a company proxy, in a real extension host: the proxy is set where a user sets it,
 * in VS Code's `http.proxy` (with a user name and password), and it is Debian's tinyproxy, started
 * here on loopback with basic authentication. The API speaks HTTPS with a certificate from a
 * private authority that this extension host trusts only because NODE_EXTRA_CA_CERTS names it (the
 * test runner sets it before VS Code starts, as a company's machine would).
 *
 * Another authority is in what Node reads as the operating system's store (on Linux, the file
 * SSL_CERT_FILE names, also set by the runner).
 *
 * The simulator listens on 127.0.0.2, loopback but not a name VS Code reaches directly, so requests
 * to it take the proxy; tinyproxy connects onwards from 127.0.0.3, so the simulator can tell what
 * came through it. Replaced, as in every host test: the toasts (recorded, see helpers.ts).
 */

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { privateCa } from '../common/privateCa';
import { startTinyproxy, Tinyproxy } from '../common/tinyproxy';
import { deadPort } from '../common/helpers';
import { startSimulator } from '../simulator/simulator';
import { Environment, recordMessages, setUpEnvironment, waitFor, withAnswers } from './helpers';
import { recordShown } from './shown';

const PASSWORD = 'h0st-Proxy-pw';

/** Every file under a folder, recursively (none when it does not exist). */
function filesUnder(folder: string): string[] {
	if (!fs.existsSync(folder)) {
		return [];
	}
	return fs.readdirSync(folder, { withFileTypes: true }).flatMap(entry => {
		const full = path.join(folder, entry.name);
		return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
	});
}

describe('behind a proxy set in http.proxy', function () {
	this.timeout(90_000);
	let env: Environment;
	let tinyproxy: Tinyproxy;
	/** What the service received before the proxy was set (Set API Key's check of the key), left out of what must come through it. */
	let requestsBeforeProxy = 0;
	const http = () => vscode.workspace.getConfiguration('http');
	const proxyWith = (password: string) => tinyproxy.url.replace('http://', `http://alice:${password}@`);

	before(async () => {
		const authority = process.env.VIDEOGEN_TEST_AUTHORITY;
		assert.ok(authority, 'the runner names the trusted test authority in VIDEOGEN_TEST_AUTHORITY');
		tinyproxy = await startTinyproxy({ auth: { user: 'alice', password: PASSWORD } });
		env = await setUpEnvironment({ host: '127.0.0.2', tls: privateCa(authority).issue(['127.0.0.2']) });
		assert.match(env.sim.apiUrl, /^https:\/\/127\.0\.0\.2:/);
		await http().update('proxy', proxyWith(PASSWORD), vscode.ConfigurationTarget.Global);
		requestsBeforeProxy = env.sim.requests.length;
	});

	after(async () => {
		await http().update('proxy', undefined, vscode.ConfigurationTarget.Global);
		await http().update('noProxy', undefined, vscode.ConfigurationTarget.Global);
		await env?.dispose();
		await tinyproxy?.stop();
	});

	const byTaskId = (taskId: string | undefined) => env.api.tasks().find(task => task.taskId === taskId);
	const generate = (prompt: string) => vscode.commands.executeCommand<string | undefined>('videogen.generate', { prompt, size: '720x1280', duration: 4 });
	const port = (origin: string) => new URL(origin).port;

	it('submits, follows and saves a video through the proxy: the proxy\'s log has each tunnel, and the service saw everything come from the proxy', async () => {
		const taskId = await generate('A lighthouse behind the company proxy');
		assert.ok(taskId, 'the submit was not accepted');
		const task = await waitFor('the video to be saved', () => byTaskId(taskId)?.download?.phase === 'done' && byTaskId(taskId));
		assert.ok(fs.statSync(task.download!.files![0]).size > 1000);

		const seen = env.sim.requests.slice(requestsBeforeProxy).map(r => `${r.server} ${r.method} ${r.path.split('?')[0]} from ${r.peer}`);
		assert.ok(seen.includes(`api POST /v1/tasks/submit from ${tinyproxy.outgoingAddress}`), seen.join('\n'));
		assert.ok(seen.includes(`api GET /v1/tasks/status from ${tinyproxy.outgoingAddress}`), seen.join('\n'));
		assert.ok(seen.includes(`storage GET /videos/${taskId}.mp4 from ${tinyproxy.outgoingAddress}`), seen.join('\n'));
		assert.ok(env.sim.requests.slice(requestsBeforeProxy).every(r => r.peer === tinyproxy.outgoingAddress), seen.join('\n'));
		const tunnels = tinyproxy.requests();
		assert.ok(tunnels.includes(`CONNECT 127.0.0.2:${port(env.sim.apiUrl)}`), tunnels.join(', '));
		assert.ok(tunnels.includes(`CONNECT 127.0.0.2:${port(env.sim.storageUrl)}`), tunnels.join(', '));
	});

	it('says a wrong proxy password is wrong, naming http.proxy, with Open Settings and Try Again, and sends nothing', async () => {
		await http().update('proxy', proxyWith('not-the-password'), vscode.ConfigurationTarget.Global);
		try {
			const before = env.sim.requests.length;
			const prompt = 'A submit the proxy refuses';
			const { result, shown } = await recordShown(() => generate(prompt));
			assert.strictEqual(result, undefined);
			// tinyproxy answers a wrong password with 401 (a missing one with 407).
			assert.deepStrictEqual(shown.map(s => [s.level, s.text, s.buttons]), [[
				'error',
				`The proxy http://***@127.0.0.1:${tinyproxy.port} refused VideoGen's proxy credentials (HTTP 401), so nothing was sent to the VideoGen API. The user name or password for the proxy is wrong: check the http.proxy setting (and http.proxyAuthorization, if you set it).`,
				['Open Settings', 'Try Again'],
			]]);
			assert.strictEqual(env.api.tasks().find(t => t.prompt === prompt)?.phase, 'submitFailed');
			assert.strictEqual(env.sim.requests.length, before, 'the service received something');
		} finally {
			await http().update('proxy', proxyWith(PASSWORD), vscode.ConfigurationTarget.Global);
		}
	});

	it('keeps the proxy password out of the log and the task list', async () => {
		const logs = filesUnder(env.api.logUri.fsPath);
		assert.ok(logs.length > 0, 'no log file');
		await waitFor('the log to name the proxy', () => logs.some(file => fs.readFileSync(file, 'utf8').includes(`http://***@127.0.0.1:${tinyproxy.port}`)));
		for (const file of [...logs, path.join(env.api.globalStorageUri.fsPath, 'tasks.json')]) {
			const text = fs.readFileSync(file, 'utf8');
			assert.ok(!text.includes(PASSWORD) && !text.includes('not-the-password'), `${path.basename(file)} holds a proxy password`);
		}
	});

	it('trusts an authority in the operating system\'s store while http.systemCertificates is on, and refuses its certificates, saying so, when it is off', async () => {
		const systemAuthority = process.env.VIDEOGEN_TEST_SYSTEM_AUTHORITY;
		assert.ok(systemAuthority, 'the runner names the system store\'s test authority in VIDEOGEN_TEST_SYSTEM_AUTHORITY');
		const other = await startSimulator({ apiKey: env.sim.apiKey, host: '127.0.0.2', tls: privateCa(systemAuthority).issue(['127.0.0.2']), pendingMs: 300, runningMs: 300 });
		const config = vscode.workspace.getConfiguration('videogen');
		await config.update('baseUrl', other.apiUrl, vscode.ConfigurationTarget.Global);
		try {
			// A key belongs to the host it was set for: this one is another host.
			await withAnswers([other.apiKey], () => vscode.commands.executeCommand('videogen.setApiKey'));
			const taskId = await generate('A video from a host the system store vouches for');
			assert.ok(taskId, 'the submit was not accepted');
			await waitFor('the video to be saved', () => byTaskId(taskId)?.download?.phase === 'done');
			assert.ok(other.requests.length >= 3 && other.requests.every(r => r.peer === tinyproxy.outgoingAddress));

			await http().update('systemCertificates', false, vscode.ConfigurationTarget.Global);
			const before = other.requests.length;
			const { result, shown } = await recordShown(() => generate('A video from a host nothing vouches for now'));
			assert.strictEqual(result, undefined);
			assert.deepStrictEqual(shown.map(s => [s.level, s.text, s.buttons]), [[
				'error',
				'Could not connect securely to the VideoGen API: its certificate was not accepted (UNABLE_TO_VERIFY_LEAF_SIGNATURE), so nothing was sent. Check the videogen.baseUrl setting, and whether something on your network (a proxy, security software) intercepts HTTPS: if it does, the certificate authority it uses must be trusted, in the operating system\'s store or in the file NODE_EXTRA_CA_CERTS names.',
				['Open Settings', 'Try Again'],
			]]);
			assert.strictEqual(other.requests.length, before, 'a request got past the TLS handshake');
		} finally {
			await http().update('systemCertificates', undefined, vscode.ConfigurationTarget.Global);
			await config.update('baseUrl', env.sim.apiUrl, vscode.ConfigurationTarget.Global);
			for (const task of env.api.tasks().filter(t => t.apiOrigin === other.apiUrl)) {
				await recordMessages(() => vscode.commands.executeCommand('videogen.removeTask', task.id), () => 'Remove');
			}
			await other.close();
		}
	});

	it('goes around the proxy for a host in http.noProxy', async () => {
		await http().update('proxy', `http://127.0.0.1:${await deadPort()}`, vscode.ConfigurationTarget.Global);
		await http().update('noProxy', ['127.0.0.2'], vscode.ConfigurationTarget.Global);
		try {
			const before = env.sim.requests.length;
			const taskId = await generate('A video that takes the direct way');
			assert.ok(taskId, 'the submit was not accepted');
			await waitFor('the video to be saved', () => byTaskId(taskId)?.download?.phase === 'done');
			const direct = env.sim.requests.slice(before);
			assert.ok(direct.length >= 3 && direct.every(r => r.peer === '127.0.0.1'), direct.map(r => `${r.path} from ${r.peer}`).join('\n'));
		} finally {
			await http().update('noProxy', undefined, vscode.ConfigurationTarget.Global);
			await http().update('proxy', proxyWith(PASSWORD), vscode.ConfigurationTarget.Global);
		}
	});
});
