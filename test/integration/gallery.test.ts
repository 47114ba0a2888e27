/**
 * The Gallery view's provider in the real extension host: it lists the finished (downloaded) videos
 * newest first, leaves out what has no video, lets its page load only the videos' folder and the
 * extension's media, keeps its page under a strict policy, and follows the task list as it changes.
 * The page itself (posters, filters, opening the player) is driven in test/ui/gallery.ui.test.ts.
 *
 * Replaced, as in every host test: the answers to input boxes and the toasts (see helpers.ts).
 */

import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { Environment, recordMessages, setUpEnvironment, waitFor } from './helpers';

describe('the gallery', function () {
	this.timeout(90_000);
	let env: Environment;

	before(async () => {
		env = await setUpEnvironment();
	});

	after(async () => {
		// The side bar back on the Explorer: the gallery's page is unloaded, and loads nothing while the other tests run.
		await vscode.commands.executeCommand('workbench.view.explorer');
		await env?.dispose();
	});

	const byPrompt = (prompt: string) => env.api.tasks().find(task => task.prompt === prompt);
	const saved = (prompt: string) => waitFor(`"${prompt}" to be saved`, () => byPrompt(prompt)?.download?.phase === 'done');
	const entryIds = () => (env.api.gallery()?.entries ?? []).map(entry => entry.id);

	it('lists the finished videos, newest first, and not the failed task', async () => {
		const older = 'Gallery: a heron on a misty river at dawn\nSecond line of the prompt.';
		const newer = 'Gallery: a tram in the snow [instant]';
		const failed = 'Gallery: a city of glass [fail] [instant]';
		await vscode.commands.executeCommand('videogen.generate', { prompt: older, size: '720x1280', duration: 4 });
		await saved(older);
		await vscode.commands.executeCommand('videogen.generate', { prompt: newer, model: 'Wan-AI/Wan2.6-T2V', parameters: {} });
		await recordMessages(() => vscode.commands.executeCommand('videogen.generate', { prompt: failed, size: '720x1280', duration: 4 }));
		await saved(newer);
		await waitFor('the failed task to fail', () => byPrompt(failed)?.phase === 'failed');

		await vscode.commands.executeCommand('videogen.showGallery');
		await waitFor('the gallery page to load and ask for its entries', () => env.api.gallery()?.listening);
		const { entries } = env.api.gallery()!;
		const ours = entries.filter(entry => entry.title.startsWith('Gallery: '));
		assert.deepStrictEqual(ours.map(entry => entry.id), [byPrompt(newer)!.id, byPrompt(older)!.id]);
		assert.ok(!entryIds().includes(byPrompt(failed)!.id), 'the failed task is in the gallery');
		// Every entry is a task whose video is on disk, newest first.
		const tasks = entries.map(entry => env.api.tasks().find(task => task.id === entry.id)!);
		assert.ok(tasks.every(task => task.download?.phase === 'done'));
		assert.deepStrictEqual(entries.map(entry => entry.created), [...entries.map(entry => entry.created)].sort((a, b) => b - a));

		const [newest, older2] = ours;
		assert.strictEqual(newest.title, newer);
		assert.strictEqual(newest.model, 'Wan-AI/Wan2.6-T2V');
		assert.strictEqual(newest.modelLabel, 'Wan 2.6');
		assert.strictEqual(older2.title, 'Gallery: a heron on a misty river at dawn', 'the caption is the first line');
		assert.strictEqual(older2.prompt, 'Gallery: a heron on a misty river at dawn Second line of the prompt.');
		// The video through the webview's own resource address, not the file path or the service's link.
		const file = byPrompt(older)!.download!.files![0];
		assert.ok(decodeURIComponent(older2.src).includes(path.basename(file)), older2.src);
		assert.match(older2.src, /^https:\/\/[^/]*vscode-resource|^vscode-webview-resource:|vscode-cdn\.net/, `not a webview resource: ${older2.src}`);
	});

	it('lets the page load only the videos\' folder and the extension\'s media, under a strict policy', () => {
		const gallery = env.api.gallery()!;
		const roots = gallery.localResourceRoots.map(uri => uri.fsPath);
		const media = path.join(vscode.extensions.getExtension('videogen.videogen')!.extensionPath, 'media');
		const folders = new Set(gallery.entries.map(entry => env.api.tasks().find(task => task.id === entry.id)!.download!.files!.map(file => path.dirname(file))).flat());
		assert.deepStrictEqual(new Set(roots), new Set([...folders, media]));
		assert.ok(roots.includes(env.downloadFolder), `${env.downloadFolder} is not among ${roots.join(', ')}`);
		const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(gallery.html)?.[1].replace(/&#39;/g, '\'') ?? '';
		assert.match(csp, /default-src 'none'/);
		assert.match(csp, /script-src 'nonce-[^']+'/);
		// The webview's own resource origins (`webview.cspSource`) and nothing else: no inline or evaluated
		// code, no other scheme, no wildcard of its own.
		assert.doesNotMatch(csp, /unsafe|data:|blob:|http:|(^|\s)\*(\s|;|$)|connect-src|frame-src/);
		const nonce = /script-src 'nonce-([^']+)'/.exec(csp)![1];
		const scripts = [...gallery.html.matchAll(/<script\b([^>]*)>/g)].map(match => match[1]);
		assert.strictEqual(scripts.length, 1);
		assert.ok(scripts[0].includes(`nonce="${nonce}"`));
		assert.doesNotMatch(gallery.html, /\son[a-z]+=/i, 'an inline event handler');
		// No prompt is in the page's HTML: the tiles come in a message and are set as text.
		assert.ok(!gallery.html.includes('heron'), 'a prompt is written into the HTML');
	});

	it('follows the task list: a new video joins at the top, a removed task leaves', async () => {
		const prompt = 'Gallery: fireflies over a meadow [instant]';
		await vscode.commands.executeCommand('videogen.generate', { prompt, size: '720x1280', duration: 4 });
		await saved(prompt);
		await waitFor('the new video in the gallery', () => entryIds()[0] === byPrompt(prompt)?.id);
		const removed = byPrompt('Gallery: a tram in the snow [instant]')!.id;
		await recordMessages(() => vscode.commands.executeCommand('videogen.removeTask', removed), () => 'Remove');
		await waitFor('the removed task to leave the gallery', () => !entryIds().includes(removed));
		assert.ok(env.api.gallery()!.listening, 'the page stopped listening');
	});
});
