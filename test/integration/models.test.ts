/**
 * Every model, not only Sora 2: Select Model, images from the Explorer and from links, the player and
 * the task list with images, Edit & Generate Again and Generate Again, a model the service refuses,
 * and a task list written by VideoGen 0.1.0. In a real extension host against the simulator.
 */

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { TaskRecord } from '../../src/core/task';
import { oldTaskListText } from '../common/helpers';
import { png } from '../common/images';
import { BACK, Environment, filesUnder, recordMessages, sampleVideo, setUpEnvironment, stateOf, waitFor, withAnswers } from './helpers';

interface SentBody {
	model: string;
	input: Record<string, unknown>;
	parameters: Record<string, unknown>;
}

/** A tooltip's Markdown as it reads: escapes and non-breaking spaces undone. */
function tooltipText(item: vscode.TreeItem | undefined): string {
	return String((item?.tooltip as vscode.MarkdownString | undefined)?.value ?? '').replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
}

describe('models and images', function () {
	this.timeout(60_000);
	let env: Environment;
	let pictures: string;
	let harbour: vscode.Uri;
	const image = png(320, 240);
	const config = () => vscode.workspace.getConfiguration('videogen');

	before(async () => {
		env = await setUpEnvironment();
		pictures = fs.mkdtempSync(path.join(os.tmpdir(), 'videogen-host-pictures-'));
		harbour = vscode.Uri.file(path.join(pictures, 'harbour at dawn.png'));
		fs.writeFileSync(harbour.fsPath, image);
	});

	after(async () => {
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		await config().update('model', undefined, vscode.ConfigurationTarget.Global);
		await env?.dispose();
		fs.rmSync(pictures, { recursive: true, force: true });
	});

	const taskOf = (taskId: string | undefined) => env.api.tasks().find(task => task.taskId === taskId);
	const sent = (taskId: string | undefined): SentBody => {
		const prompt = env.sim.tasks.get(taskId!)?.prompt;
		const submits = env.sim.requests.filter(r => r.path === '/v1/tasks/submit' && r.status === 200);
		const body = submits.map(r => JSON.parse(r.body) as SentBody).reverse().find(b => (b.input.prompt ?? '') === prompt);
		assert.ok(body, `no submit for ${taskId}`);
		return body;
	};
	const saved = (taskId: string | undefined) => waitFor(`task ${taskId} to be saved`, () => taskOf(taskId)?.download?.phase === 'done' && taskOf(taskId));

	describe('Select Model', () => {
		it('lists the catalogue by family, the current model focused, and sets the one picked', async () => {
			const { result, shown } = await withAnswers(['Kling 3'], () => vscode.commands.executeCommand<string>('videogen.selectModel'));
			assert.strictEqual(result, 'kling-v3');
			assert.strictEqual(config().get('model'), 'kling-v3');
			const [pick] = shown;
			assert.strictEqual(pick.title, 'VideoGen: Select Model');
			assert.strictEqual(pick.active, 'Sora 2');
			for (const label of ['Sora 2', 'Sora 2 Pro', 'Sora 2 (image)', 'Veo 3.1', 'Veo 3.1 Fast', 'Kling 2.6', 'Kling 3', 'Hailuo 2.3', 'Wan 2.6', 'Seedance 1.5 Pro', 'Vidu Q2', 'Vidu Q3 Pro', 'Another model…']) {
				assert.ok(pick.labels!.includes(label), `${label} is missing: ${pick.labels!.join(' | ')}`);
			}
			assert.match(String(pick.items!.find(item => item.label === 'Sora 2')?.detail), /retired/, 'Sora 2 says it may be refused');
			const again = await withAnswers([undefined], () => vscode.commands.executeCommand<string>('videogen.selectModel'));
			assert.strictEqual(again.shown[0].active, 'Kling 3');
			assert.match(String(again.shown[0].items!.find(item => item.label === 'Kling 3')?.description), /kling-v3 · current/);
		});

		it('takes any model id typed, saying that only the prompt is sent to a model VideoGen does not know', async () => {
			const { result, shown } = await withAnswers(['Another model…', 'acme/video-9'], () => vscode.commands.executeCommand<string>('videogen.selectModel'));
			assert.strictEqual(result, 'acme/video-9');
			assert.strictEqual(config().get('model'), 'acme/video-9');
			assert.strictEqual(shown[1].title, 'VideoGen: Another model…');
			const next = await withAnswers([undefined], () => vscode.commands.executeCommand<string>('videogen.selectModel'));
			assert.strictEqual(next.shown[0].labels![0], 'acme/video-9', 'the current id VideoGen does not know heads the list');
			assert.match(String(next.shown[0].items![0].detail), /only the prompt is sent/);
			await config().update('model', undefined, vscode.ConfigurationTarget.Global);
		});
	});

	describe('a model the service refuses', () => {
		it('names the model and suggests another that makes video from the same inputs, with Select Model', async () => {
			const { result, messages } = await recordMessages(() => vscode.commands.executeCommand<string>('videogen.generate', { prompt: 'A fox in snow', model: 'acme/retired-model', parameters: {} }));
			assert.strictEqual(result, undefined);
			assert.deepStrictEqual(messages, [
				'error: The model acme/retired-model is not available. The service said: "Model acme/retired-model does not exist or is not available". Try another model, such as Veo 3.1 (veo-3.1-generate-001), with "VideoGen: Select Model".',
			]);
		});
	});

	describe('images', () => {
		let imageTask: TaskRecord;
		let linkTask: TaskRecord;

		it('offers Generate Video from Image with the models that take an image file, and sends its bytes where the model takes them', async () => {
			const { result: taskId, shown } = await withAnswers(
				['Veo 3.1 Fast', 'No last frame', 'The harbour wakes up, boats drift out', 'Generate'],
				() => vscode.commands.executeCommand<string>('videogen.generateFromImage', harbour),
			);
			assert.deepStrictEqual(shown.map(question => question.title), [
				'Generate Video from Image: Model (1/4)', 'Generate Video from Image: Last frame (2/4)', 'Generate Video from Image: Prompt (3/4)', 'Generate Video from Image: Settings (4/4)',
			]);
			assert.strictEqual(shown[0].active, 'Veo 3.1', 'the first model that takes the image and carries no warning is focused');
			const offered = shown[0].labels!;
			for (const label of ['Sora 2 (image)', 'Veo 3.1', 'Kling 3', 'Hailuo 2.3 Fast', 'Wan 2.2 (image)', 'Seedance 1.5 Pro', 'Vidu Q3 Pro']) {
				assert.ok(offered.includes(label), `${label} is not offered: ${offered.join(' | ')}`);
			}
			for (const label of ['Sora 2', 'Wan 2.5 (image)', 'Wan 2.6 (image)', 'Vidu Q2', 'Another model…']) {
				assert.ok(!offered.includes(label), `${label} takes no image file, yet is offered`);
			}
			assert.match(String(shown[3].items![0].description), /Veo 3\.1 Fast · from harbour at dawn\.png/);
			const body = sent(taskId);
			assert.deepStrictEqual(body.input.image, { bytesBase64Encoded: image.toString('base64'), mimeType: 'image/png' });
			imageTask = await saved(taskId);
			assert.strictEqual(imageTask.firstFrame, harbour.toString());
			assert.strictEqual(imageTask.model, 'veo-3.1-fast-generate-001');
		});

		it('keeps the image\'s bytes out of the task list and the log', async () => {
			const needle = image.toString('base64').slice(40, 120);
			await waitFor('the log to record the task', () => filesUnder(env.api.logUri.fsPath).some(file => fs.readFileSync(file, 'utf8').includes(imageTask.taskId!)));
			const stored = filesUnder(env.api.globalStorageUri.fsPath).concat(filesUnder(path.dirname(env.api.logUri.fsPath)));
			assert.deepStrictEqual(stored.filter(file => fs.readFileSync(file, 'utf8').includes(needle)), []);
			assert.ok(!JSON.stringify(env.api.tasks()).includes(needle));
		});

		it('shows the image file in the player through the webview, its folder the only one added to what the player may load', async () => {
			assert.strictEqual(await vscode.commands.executeCommand<boolean>('videogen.play', imageTask.id), true);
			const player = await waitFor('the player to be open', () => env.api.player(imageTask.id));
			const img = /<img src="([^"]+)" alt="First frame">/.exec(player.html);
			assert.ok(img, 'the first frame is not shown');
			assert.match(img[1], /^https:\/\/[^/]*vscode-resource|^vscode-webview-resource:|vscode-cdn\.net/, `not a webview resource: ${img[1]}`);
			assert.ok(decodeURIComponent(img[1]).includes(harbour.path), img[1]);
			const media = vscode.Uri.joinPath(vscode.extensions.getExtension('videogen.videogen')!.extensionUri, 'media').fsPath;
			assert.deepStrictEqual(player.localResourceRoots.map(uri => uri.fsPath).sort(), [env.downloadFolder, pictures, media].sort());
			assert.match(player.html, /Edit &amp; Generate Again/);
			// The tab's icon is an image, where currentColor is black: one per kind of theme, each in a colour of its own.
			const icons = player.iconPath as { light: vscode.Uri; dark: vscode.Uri };
			const strokes = [icons.light, icons.dark].map(icon => /stroke="(#[0-9A-F]{6})"/i.exec(fs.readFileSync(icon.fsPath, 'utf8'))?.[1]);
			assert.deepStrictEqual(strokes, ['#424242', '#C5C5C5']);
			const tooltip = tooltipText(env.api.treeItems().find(item => item.id === imageTask.id));
			assert.ok(tooltip.includes(`**First frame:** ${harbour.fsPath}`), tooltip);
			// Veo reports in usage.duration how long it worked on the task; the simulator sends the video's duration.
			assert.match(player.html, /<dt>Service run time<\/dt><dd>\d+s \(usage\.duration: how long the service worked on it\)<\/dd>/);
			assert.match(tooltip, /\*\*Service run time:\*\* \d+s/);
			await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		});

		it('takes an image link for a model that fetches its frame, and the player names the link without loading it', async () => {
			const link = 'https://images.example.com/frames/lighthouse.png?size=large&v=<2>';
			await assert.rejects(
				withAnswers(['Wan 2.5 (image)', 'Enter an image link…', 'http://images.example.com/x.png'], () => vscode.commands.executeCommand<string>('videogen.generate')),
				/the input box refused "http:\/\/images\.example\.com\/x\.png": Enter an https: link to the image/,
			);
			const { result: taskId, shown } = await withAnswers(
				['Wan 2.5 (image)', 'Enter an image link…', link, 'A lighthouse beam sweeps the fog', 'Generate'],
				() => vscode.commands.executeCommand<string>('videogen.generate'),
			);
			assert.strictEqual(shown[1].title, 'Generate Video: First frame (2/4)');
			assert.ok(!shown[1].labels!.includes('Choose an image file…'), 'Wan 2.5 takes a link only');
			assert.strictEqual(sent(taskId).input.first_frame_url, new URL(link).href);
			linkTask = await saved(taskId);
			assert.strictEqual(linkTask.firstFrame, new URL(link).href);
			await vscode.commands.executeCommand('videogen.play', linkTask.id);
			const player = await waitFor('the player to be open', () => env.api.player(linkTask.id));
			assert.ok(!/<img\b/.test(player.html), 'the player loads a remote image');
			assert.ok(player.html.includes('https://images.example.com/frames/lighthouse.png?size=large&amp;v=%3C2%3E'), 'the link is not shown as text');
			const media = vscode.Uri.joinPath(vscode.extensions.getExtension('videogen.videogen')!.extensionUri, 'media').fsPath;
			assert.deepStrictEqual(player.localResourceRoots.map(uri => uri.fsPath).sort(), [env.downloadFolder, media].sort());
			await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		});

		it('opens Edit & Generate Again on the task\'s prompt, with Back to its images, and submits what was changed', async () => {
			const { result: taskId, shown } = await withAnswers([
				BACK, BACK, // Prompt → Last frame → First frame
				'Keep harbour at dawn.png', 'No last frame',
				'The harbour at night, lanterns on the water', 'Sound', 'on', 'Generate',
			], () => vscode.commands.executeCommand<string>('videogen.editAndRegenerate', imageTask.id));
			assert.deepStrictEqual(shown.slice(0, 4).map(question => question.title), [
				'Edit & Generate Again: Prompt (4/5)', 'Edit & Generate Again: Last frame (3/5)', 'Edit & Generate Again: First frame (2/5)', 'Edit & Generate Again: Last frame (3/5)',
			]);
			assert.strictEqual(shown[0].value, imageTask.prompt);
			assert.strictEqual(shown[2].active, 'Keep harbour at dawn.png');
			const lastSettings = shown.filter(question => question.title.endsWith('Settings (5/5)')).pop()!;
			assert.match(String(lastSettings.items![0].description), /^Veo 3\.1 Fast · from harbour at dawn\.png · 720p · 4 s · 16:9 · sound · allow_adult$/, 'a switch that is on reads by its name');
			const again = taskOf(taskId)!;
			assert.strictEqual(again.prompt, 'The harbour at night, lanterns on the water');
			assert.strictEqual(again.firstFrame, imageTask.firstFrame);
			assert.deepStrictEqual(again.parameters, { ...imageTask.parameters, generate_audio: true });
			assert.deepStrictEqual(sent(taskId).input.image, { bytesBase64Encoded: image.toString('base64'), mimeType: 'image/png' }, 'the file was read again');
		});

		it('generates a task with an image again from the file as it is now, and says so when the file is gone', async () => {
			const { result: taskId } = await recordMessages(
				() => vscode.commands.executeCommand<string>('videogen.regenerate', imageTask.id),
				(_message, buttons) => buttons.includes('Generate Again') ? 'Generate Again' : undefined,
			);
			assert.ok(taskId, 'not submitted');
			assert.strictEqual(taskOf(taskId)?.firstFrame, imageTask.firstFrame);
			assert.deepStrictEqual(sent(taskId).parameters, sent(imageTask.taskId).parameters);

			fs.renameSync(harbour.fsPath, `${harbour.fsPath}.moved`);
			try {
				const before = env.sim.stats.submitsReceived;
				const { result, messages } = await recordMessages(
					() => vscode.commands.executeCommand<string>('videogen.regenerate', imageTask.id),
					(_message, buttons) => buttons.includes('Generate Again') ? 'Generate Again' : undefined,
				);
				assert.strictEqual(result, undefined);
				// Refused before the question about billing: nothing is confirmed only to fail.
				assert.strictEqual(messages.length, 1, messages.join('\n'));
				assert.match(messages[0], /^error: VideoGen cannot generate this task again as it was: The first frame could not be read again: VideoGen could not read harbour at dawn\.png/);
				assert.strictEqual(env.sim.stats.submitsReceived, before);
			} finally {
				fs.renameSync(`${harbour.fsPath}.moved`, harbour.fsPath);
			}
		});

		it('refuses an image a model cannot take when it is picked, and keeps the question open', async () => {
			const tiny = vscode.Uri.file(path.join(pictures, 'tiny.png'));
			fs.writeFileSync(tiny.fsPath, png(120, 120));
			const { result, shown } = await withAnswers(
				['Kling 3', 'Choose an image file…', tiny, undefined],
				() => vscode.commands.executeCommand<string>('videogen.generate'),
			);
			assert.strictEqual(result, undefined);
			assert.strictEqual(shown[2].kind, 'dialog');
			assert.match(shown[3].labels![0], /Kling 3: the first frame is 120×120 pixels; it must be at least 300 pixels wide and high/);
		});
	});

	describe('a task list written by VideoGen 0.1.0', () => {
		let written: TaskRecord[];

		before(async () => {
			// The 0.1.0 list's videos, in a folder of this test.
			written = (JSON.parse(oldTaskListText(env.downloadFolder)) as { tasks: TaskRecord[] }).tasks;
			for (const file of written.flatMap(task => task.download?.files ?? [])) {
				fs.writeFileSync(file, sampleVideo());
			}
			// Another window running 0.1.0 wrote these records into the shared list.
			const file = path.join(env.api.globalStorageUri.fsPath, 'tasks.json');
			const list = JSON.parse(fs.readFileSync(file, 'utf8')) as { tasks: TaskRecord[] };
			fs.writeFileSync(`${file}.0.1.0.tmp`, JSON.stringify({ ...list, tasks: [...list.tasks, ...written] }));
			fs.renameSync(`${file}.0.1.0.tmp`, file);
			await vscode.commands.executeCommand('videogen.refresh');
			await waitFor('the 0.1.0 tasks to show', () => written.every(task => env.api.tasks().some(t => t.id === task.id)));
		});

		after(async () => {
			for (const task of written) {
				await recordMessages(() => vscode.commands.executeCommand('videogen.removeTask', task.id), () => 'Remove');
			}
		});

		it('loads every record unchanged and shows each as before', async () => {
			for (const task of written) {
				assert.deepStrictEqual(env.api.tasks().find(t => t.id === task.id), task);
			}
			const boat = written.find(task => task.prompt.startsWith('A paper boat'))!;
			const item = env.api.treeItems().find(i => i.id === boat.id)!;
			assert.match(stateOf(item), /^Ready · .* · 1280x720 · 8s$/);
			const tooltip = tooltipText(item);
			for (const line of ['**Model:** Sora 2 (openai/sora-2/text-to-video)', '**Size:** 1280x720', '**Duration (s):** 8']) {
				assert.ok(tooltip.includes(line), `${line} is not in the tooltip: ${tooltip}`);
			}
			assert.strictEqual(await vscode.commands.executeCommand<boolean>('videogen.play', boat.id), true);
			const player = await waitFor('the player to be open', () => env.api.player(boat.id));
			assert.ok(player.html.includes(path.basename(boat.download!.files![0])), 'the player does not play the saved file');
			await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		});

		it('generates an old task again with the same body 0.1.0 sent', async () => {
			const boat = written.find(task => task.prompt.startsWith('A paper boat'))!;
			const { result: taskId } = await recordMessages(
				() => vscode.commands.executeCommand<string>('videogen.regenerate', boat.id),
				(_message, buttons) => buttons.includes('Generate Again') ? 'Generate Again' : undefined,
			);
			assert.deepStrictEqual(sent(taskId), { model: 'openai/sora-2/text-to-video', input: { prompt: boat.prompt }, parameters: { size: '1280x720', duration: 8 } });
		});

		it('opens an old task in Edit & Generate Again with its prompt and settings', async () => {
			const pro = written.find(task => task.model === 'openai/sora-2/text-to-video-pro')!;
			const { result, shown } = await withAnswers([pro.prompt, undefined], () => vscode.commands.executeCommand<string>('videogen.editAndRegenerate', pro.id));
			assert.strictEqual(result, undefined);
			assert.strictEqual(shown[0].title, 'Edit & Generate Again: Prompt (2/3)');
			assert.strictEqual(shown[0].value, pro.prompt);
			const settings = shown[1].items!;
			assert.strictEqual(settings.find(item => item.label === 'Size')?.description, '1792x1024');
			assert.strictEqual(settings.find(item => item.label === 'Duration (s)')?.description, '12');
		});
	});
});
