/**
 * The API key stays where it belongs, the player runs under a strict policy, and nothing the
 * service sends (markup in a prompt, a plain http: link, a task id that is a path) gets out of its
 * box. A full generate → download → play cycle in the real extension host, against the simulator.
 *
 * Replaced, as in every host test: the answers to input boxes and the toasts (see helpers.ts).
 * What must not be contacted is a real server that counts the connections it accepts.
 */

import * as assert from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { Environment, extensionId, filesUnder, sampleVideo, setUpEnvironment, waitFor, withAnswers } from './helpers';
import { recordShown } from './shown';

const KEY = `sk-videogen-${crypto.randomBytes(12).toString('hex')}-SECURITY`;

function filesContaining(files: readonly string[], needle: string): string[] {
	return files.filter(file => fs.readFileSync(file).includes(needle));
}

describe('security', function () {
	this.timeout(60_000);
	let env: Environment;

	before(async () => {
		env = await setUpEnvironment({ apiKey: KEY });
	});

	after(async () => {
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		await env?.dispose();
	});

	const taskOf = (taskId: string | undefined) => env.api.tasks().find(task => task.taskId === taskId);
	const generateAndPlay = async (prompt: string) => {
		const taskId = await vscode.commands.executeCommand<string>('videogen.generate', { prompt, size: '720x1280', duration: 4 });
		assert.ok(taskId, `"${prompt}" was not accepted`);
		const saved = await waitFor(`"${prompt}" to be saved`, () => taskOf(taskId)?.download?.phase === 'done' && taskOf(taskId));
		assert.strictEqual(await vscode.commands.executeCommand<boolean>('videogen.play', saved.id), true);
		const player = await waitFor('the player to be open', () => env.api.player(saved.id));
		return { task: saved, player };
	};

	it('keeps the API key out of the log, the stored files, the settings, the player and every request to the storage host', async () => {
		const { task, player } = await generateAndPlay('A lantern on a quiet pier');
		// The key searched for is the one that was really used.
		const submit = env.sim.requests.find(r => r.path === '/v1/tasks/submit');
		assert.strictEqual(submit?.headers.authorization, KEY);

		// The log: VideoGen's own files under logUri, and the rest of this extension host's logs beside them.
		await waitFor(`a log file under ${env.api.logUri.fsPath} to record the task`, () => filesContaining(filesUnder(env.api.logUri.fsPath), task.taskId!).length > 0);
		assert.deepStrictEqual(filesContaining(filesUnder(path.dirname(env.api.logUri.fsPath)), KEY), [], 'the key is in a log file');

		// The task list and everything else in global storage.
		const stored = filesUnder(env.api.globalStorageUri.fsPath);
		assert.ok(stored.some(file => path.basename(file) === 'tasks.json'), 'no task list in global storage');
		assert.deepStrictEqual(filesContaining(stored, KEY), [], 'the key is in a stored file');
		assert.ok(!JSON.stringify(env.api.tasks()).includes(KEY));

		// Settings, as the API reads them and as the user settings file holds them.
		const config = vscode.workspace.getConfiguration('videogen');
		const inspected = ['baseUrl', 'model', 'defaultSize', 'defaultDuration', 'pollIntervalSeconds', 'downloadFolder', 'openOnSuccess'].map(key => config.inspect(key));
		assert.ok(!JSON.stringify(config).includes(KEY) && !JSON.stringify(inspected).includes(KEY), 'the key is in a setting');
		const settingsFile = path.join(env.api.globalStorageUri.fsPath, '..', '..', 'settings.json');
		assert.match(fs.readFileSync(settingsFile, 'utf8'), /"videogen\.baseUrl"/, 'not the user settings file');
		assert.ok(!fs.readFileSync(settingsFile, 'utf8').includes(KEY), 'the key is in the user settings file');

		// The player.
		assert.ok(!player.html.includes(KEY), 'the key is in the player HTML');

		// The storage host: no Authorization, and the key nowhere in what it received.
		const storage = env.sim.requests.filter(r => r.server === 'storage');
		assert.ok(storage.length > 0, 'nothing was downloaded');
		for (const request of storage) {
			assert.ok(!('authorization' in request.headers), `${request.path} carried an Authorization header`);
			assert.ok(!JSON.stringify(request).includes(KEY), `${request.path} carried the key`);
		}
	});

	it('follows the API host\'s redirect to the storage host without sending the key across', async () => {
		const { task } = await generateAndPlay('A redirected video [redirect]');
		const hops = env.sim.requests.filter(r => r.path === `/files/${task.taskId!}.mp4` || r.path === `/videos/${task.taskId!}.mp4`);
		assert.deepStrictEqual(hops.map(r => `${r.server} ${r.status}`), ['api 302', 'storage 200']);
		assert.ok(hops.every(r => !('authorization' in r.headers) && !JSON.stringify(r).includes(KEY)), 'a hop of the redirect carried the key');
		assert.ok(fs.readFileSync(task.download!.files![0]).equals(sampleVideo()));
	});

	it('plays under a policy that allows only its own nonce script, and loads only from the video folder and its media', async () => {
		const task = env.api.tasks().find(t => env.api.openPlayers().includes(t.id))!;
		const { html, localResourceRoots } = env.api.player(task.id)!;
		const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
		assert.ok(csp, 'the player has no content security policy');
		const directives = new Map(csp.split(';').map(part => part.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
		// A browser client's page may also fetch (its own video, to hand to the browser's download).
		const browser = vscode.env.uiKind === vscode.UIKind.Web;
		assert.deepStrictEqual([...directives.keys()].sort(), [...browser ? ['connect-src'] : [], 'default-src', 'img-src', 'media-src', 'script-src', 'style-src']);
		assert.deepStrictEqual(directives.get('default-src'), ['\'none\'']);
		const scriptSources = directives.get('script-src')!;
		assert.strictEqual(scriptSources.length, 1);
		const nonce = /^'nonce-([A-Za-z0-9+/=]{16,})'$/.exec(scriptSources[0])?.[1];
		assert.ok(nonce, `script-src is ${scriptSources.join(' ')}, not a nonce alone`);
		assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|data:|http:/);
		// Images, video, styles and fetches only from the webview's own resource origin.
		// (A panel of the test's own tells what that origin is; it is closed with the other editors at the end.)
		const own = vscode.window.createWebviewPanel('videogen.cspProbe', 'probe', vscode.ViewColumn.Beside, {}).webview.cspSource.split(/\s+/);
		for (const name of ['img-src', 'media-src', 'style-src', ...browser ? ['connect-src'] : []]) {
			assert.deepStrictEqual(directives.get(name), own, `${name} allows more than the webview's own resources`);
		}
		const scripts = html.match(/<script\b[^>]*>/g) ?? [];
		assert.ok(scripts.length > 0 && scripts.every(tag => tag.includes(`nonce="${nonce}"`)), `a script without the nonce: ${scripts.join(' ')}`);
		assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'an inline event handler in the player');

		const media = vscode.Uri.joinPath(vscode.extensions.getExtension(extensionId)!.extensionUri, 'media').fsPath;
		assert.deepStrictEqual(localResourceRoots.map(uri => uri.fsPath).sort(), [env.downloadFolder, media].sort());
	});

	it('shows a prompt full of markup as text in the player', async () => {
		const prompt = '<img src=x onerror=alert(1)><script>alert(2)</script> [instant]';
		const { player } = await generateAndPlay(prompt);
		assert.ok(!player.html.includes('<img'), 'raw <img in the player');
		assert.doesNotMatch(player.html, /<script>alert/i);
		assert.strictEqual((player.html.match(/<script\b/g) ?? []).length, 1, 'a script element other than the player\'s own');
		assert.ok(player.html.includes('&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt; [instant]'), 'the prompt is not shown escaped');
	});

	it('refuses a plain http: video link to another host, says so, and sends nothing there', async () => {
		// The other host is a real server on an address of this machine that is not loopback: it
		// would serve the link, and it counts every connection made to it.
		const address = Object.values(os.networkInterfaces()).flat().find(a => a && a.family === 'IPv4' && !a.internal)?.address;
		assert.ok(address, 'this machine has no IPv4 address other than loopback to put the other host on');
		let connections = 0;
		const other = http.createServer((_request, response) => response.end('not a video'));
		other.on('connection', () => connections++);
		await new Promise<void>(resolve => other.listen(0, address, resolve));
		try {
			const link = `http://${address}:${(other.address() as AddressInfo).port}/x.mp4`;
			const prompt = 'A link that is not https';
			const taskId = await vscode.commands.executeCommand<string>('videogen.generate', { prompt, size: '720x1280', duration: 4 });
			env.sim.forceStatus(taskId, { status: 'Success', urls: [link] });
			const { shown } = await recordShown(() => waitFor('the download to be refused', () => taskOf(taskId)?.download?.phase === 'failed'));
			const task = taskOf(taskId)!;
			assert.strictEqual(task.download?.error, `The service returned a video link that is not https: (${new URL(link).origin}); VideoGen will not download it.`);
			assert.deepStrictEqual(shown.map(s => [s.text, s.buttons]), [[`VideoGen could not save "${prompt}": ${task.download!.error!}`, ['Download Again', 'Show Log']]]);
			assert.strictEqual(connections, 0, 'VideoGen connected to the host of the refused link');
			assert.deepStrictEqual(fs.readdirSync(env.downloadFolder).filter(name => name.startsWith(taskId)), []);
			// The count is not zero for want of a way in: the same link, fetched here, reaches the server.
			await new Promise<void>((resolve, reject) => http.get(link, response => response.resume().on('end', resolve)).on('error', reject));
			assert.strictEqual(connections, 1);
		} finally {
			other.closeAllConnections();
			await new Promise(resolve => other.close(resolve));
		}
	});

	it('refuses a task id that is a path, from the service and from the user, and writes nothing outside the folder', async () => {
		const before = new Set(fs.readdirSync(path.dirname(env.downloadFolder)));
		env.sim.faults.push({ target: 'submit', kind: 'http', status: 200, body: JSON.stringify({ output: { task_id: '../../evil' }, request_id: 'r' }) });
		const { result, shown } = await recordShown(() => vscode.commands.executeCommand<string>('videogen.generate', { prompt: 'A task with an evil id', size: '720x1280', duration: 4 }));
		assert.strictEqual(result, undefined);
		assert.match(shown[0]?.text ?? '', /^The service sent an answer VideoGen could not read \(the task id has characters a task id never has\)\. The task may have been submitted anyway/);
		const task = env.api.tasks().find(t => t.prompt === 'A task with an evil id')!;
		assert.strictEqual(task.phase, 'submitUnknown');
		assert.strictEqual(task.taskId, undefined);

		await assert.rejects(
			withAnswers(['../../evil'], () => vscode.commands.executeCommand('videogen.trackTask')),
			/the input box refused "\.\.\/\.\.\/evil": A task id is letters, digits, "-" and "_" only\./,
		);
		await new Promise(resolve => setTimeout(resolve, 1_500)); // more than a poll interval
		assert.ok(!env.sim.requests.some(r => r.path.includes('evil')), 'the evil id was asked about');
		assert.ok(!env.api.tasks().some(t => t.taskId?.includes('evil')));
		const added = fs.readdirSync(path.dirname(env.downloadFolder)).filter(name => !before.has(name));
		assert.deepStrictEqual(added.filter(name => name.includes('evil')), []);
	});
});
