/**
 * Downloads inside the real extension host, with the `net` and `tls` modules VS Code hands to
 * extensions. With `http.experimental.systemCertificatesV2` VS Code's connect functions create the
 * socket themselves, which drops the `onread` option the downloader reads through; the data then
 * arrives as ordinary 'data' events, and the video must still be saved whole.
 */

import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { Environment, sampleVideo, setUpEnvironment, waitFor } from './helpers';

describe('downloads with VS Code\'s own net and tls modules', function () {
	this.timeout(60_000);
	let env: Environment;
	const http = () => vscode.workspace.getConfiguration('http');

	before(async () => {
		env = await setUpEnvironment();
	});

	after(async () => {
		await http().update('experimental.systemCertificatesV2', undefined, vscode.ConfigurationTarget.Global);
		await env?.dispose();
	});

	it('saves the video byte for byte with http.experimental.systemCertificatesV2 on', async () => {
		// The modules an extension gets are VS Code's: it replaced `connect` and kept the original.
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const net = require('net') as { connect: unknown; __vscodeOriginal?: { connect: unknown } };
		assert.ok(net.__vscodeOriginal, 'this host does not patch the net module; the test would prove nothing');
		assert.notStrictEqual(net.connect, net.__vscodeOriginal.connect);
		await http().update('experimental.systemCertificatesV2', true, vscode.ConfigurationTarget.Global);
		assert.strictEqual(http().get('experimental.systemCertificatesV2'), true);
		assert.notStrictEqual(http().get('systemCertificates'), false, 'the patch is only active with http.systemCertificates on');

		const taskId = await vscode.commands.executeCommand<string>('videogen.generate', { prompt: 'A lantern on a jetty at dusk', size: '1280x720', duration: 4 });
		const task = await waitFor('the video to be saved', () => {
			const found = env.api.tasks().find(t => t.taskId === taskId);
			return found?.download?.phase === 'done' || found?.download?.phase === 'failed' ? found : undefined;
		});
		assert.strictEqual(task.download?.phase, 'done', `the download failed: ${task.download?.error ?? ''}`);
		assert.ok(fs.readFileSync(task.download!.files![0]).equals(sampleVideo()), 'the saved file differs from the served video');
	});
});
