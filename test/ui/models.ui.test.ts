/**
 * UI tests: a user who used VideoGen 0.1.0 opens a folder with an image in it. The task list 0.1.0
 * wrote shows as it was; Edit & Generate Again reopens an old task in the questions; the Explorer's
 * context menu makes a video from the image with another model, and the player shows the image.
 * Driven through the real web workbench (code-server in headless Chromium), in order, one window.
 *
 *   npm run compile && npx tsc -p test && npx mocha --config test/.mocharc.ui.json
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { TaskRecord } from '../../src/core/task';
import { oldTaskListText } from '../common/helpers';
import { dawnPng } from '../common/images';
import { waitFor } from '../common/waitFor';
import { reportFailuresOf } from './failures';
import { ROOT, Session, startSession } from './session';
import {
	changeSettings, chooseMenuItem, editorTab, focusedQuickItem, menuItem, menuLabels, openExplorerContextMenu, openVideoGenView, pickQuickItem,
	playerImages, pressEscape, quickInputBack, quickInputBox, quickItemLabels, submitQuickInput, treeRow, treeRowLabels, typeInQuickInput,
	waitForQuickInput, waitForQuickInputClosed, waitForVideoFrame, PROBE_MS,
} from './workbench';

const IMAGE = 'harbour at dawn.png';
const sample = path.join(ROOT, 'test', 'simulator', 'sample.mp4');

interface SentBody {
	model: string;
	input: Record<string, unknown>;
	parameters: Record<string, unknown>;
}

describe('VideoGen with every model, and a task list from 0.1.0', function () {
	let session: Session | undefined;
	let workspace: string;
	let old: TaskRecord[] = [];
	const image = dawnPng(960, 540);

	const page = () => {
		assert.ok(session, 'the workbench did not start (see the before all hook)');
		return session.page;
	};
	const submits = (): SentBody[] => session!.sim.requests
		.filter(request => request.server === 'api' && request.method === 'POST' && request.path.startsWith('/v1/tasks/submit'))
		.map(request => JSON.parse(request.body) as SentBody);

	/** The first Generate of the session asks for the key; later ones go straight to the questions. */
	const keyIfAsked = async (next: string) => {
		const asked = await waitFor(() => `neither the key nor "${next}" was asked`, async () => {
			const title = (await page().locator('.quick-input-widget .quick-input-title').textContent().catch(() => '')) ?? '';
			return title.includes('Set API Key') ? 'key' : title.includes(next) ? 'next' : undefined;
		}, 30_000, PROBE_MS);
		if (asked === 'key') {
			await typeInQuickInput(page(), session!.sim.apiKey, { title: 'Set API Key' });
			await submitQuickInput(page());
			await waitForQuickInput(page(), next);
		}
	};

	before(async function () {
		workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'videogen-ui-workspace-'));
		fs.writeFileSync(path.join(workspace, IMAGE), image);
		session = await startSession({
			folder: workspace,
			tempPrefix: 'videogen-ui-models-',
			tasksJson: folder => {
				const text = oldTaskListText(folder);
				old = (JSON.parse(text) as { tasks: TaskRecord[] }).tasks;
				for (const file of old.flatMap(task => task.download?.files ?? [])) {
					fs.copyFileSync(sample, file);
				}
				return text;
			},
		});
	});

	reportFailuresOf(() => session);

	after(async function () {
		await session?.stop();
		fs.rmSync(workspace, { recursive: true, force: true });
	});

	it('shows every task of the list 0.1.0 wrote, each as it was, and plays an old video', async function () {
		await openVideoGenView(page());
		const expected: [string, RegExp][] = [
			['A paper boat drifting down a rainy street', /, Ready · .* · 1280x720 · 8s$/],
			['Northern lights over a frozen lake', /, Ready · .* · 720x1280 · 12s$/],
			['A glass city under a violet sky', /, Failed · .* · 720x1280 · 4s$/],
			['A storm over the sea', /, Not submitted · .* · 720x1280 · 4s$/],
			['A lantern festival seen from a rooftop', /, Submit outcome unknown · .* · 1792x1024 · 12s$/],
			['Task task_0d1c2b3a4f5e6d7c8b9a0f1e', /, Expired · /],
		];
		let labels: string[] = [];
		await waitFor(() => `the old tasks are not all shown: ${JSON.stringify(labels)}`, async () => {
			labels = await treeRowLabels(page());
			return expected.every(([start, rest]) => labels.some(label => label.startsWith(start) && rest.test(label))) ? true : undefined;
		}, 30_000, PROBE_MS);
		await treeRow(page(), 'A paper boat drifting').first().click();
		const boat = old.find(task => task.prompt.startsWith('A paper boat'))!;
		const video = await waitForVideoFrame(page(), { minReadyState: 2, timeoutMs: 60_000 });
		assert.strictEqual(video.error, null);
		assert.strictEqual(decodeURIComponent(new URL(video.src).pathname), boat.download!.files![0]);
		assert.strictEqual(session!.sim.stats.submitsReceived, 0, 'loading the old list sent something');
	});

	it('reopens an old task in Edit & Generate Again on its prompt, goes back to its model, and submits the prompt changed with its old settings', async function () {
		await openVideoGenView(page());
		await treeRow(page(), 'A paper boat drifting').first().click({ button: 'right' });
		await menuItem(page(), 'Edit & Generate Again').first().waitFor({ state: 'visible', timeout: 10_000 }).catch(async () => {
			assert.fail(`the task's context menu has no "Edit & Generate Again": ${JSON.stringify(await menuLabels(page()))}`);
		});
		await chooseMenuItem(page(), 'Edit & Generate Again');
		await keyIfAsked('Edit & Generate Again: Prompt (2/3)');
		await waitFor(() => 'the old prompt is not in the box', async () => ((await quickInputBox(page()).inputValue()).startsWith('A paper boat drifting') ? true : undefined), 10_000, PROBE_MS);
		await quickInputBack(page(), 'Edit & Generate Again: Model (1/3)');
		assert.strictEqual(await focusedQuickItem(page()), 'Sora 2');
		await submitQuickInput(page());
		const prompt = 'A paper boat drifting down a rainy street at night, lanterns reflected';
		await typeInQuickInput(page(), prompt, { title: 'Edit & Generate Again: Prompt (2/3)' });
		await submitQuickInput(page());
		await waitForQuickInput(page(), 'Edit & Generate Again: Settings (3/3)');
		await pickQuickItem(page(), 'Generate', { title: 'Settings' });
		await waitForQuickInputClosed(page());
		await waitFor(() => 'the simulator never received the submit', () => (submits().length === 1 ? true : undefined), 30_000, PROBE_MS);
		assert.deepStrictEqual(submits()[0], { model: 'openai/sora-2/text-to-video', input: { prompt }, parameters: { size: '1280x720', duration: 8 } });
		const row = treeRow(page(), prompt.slice(0, 40));
		await waitFor(() => 'the new task never got Ready', async () => (/, Ready\b/.test((await row.first().getAttribute('aria-label').catch(() => '')) ?? '') ? true : undefined), 90_000, PROBE_MS);
	});

	it('offers "Generate Video from Image" on the image in the Explorer, with the models that take it', async function () {
		await openExplorerContextMenu(page(), IMAGE);
		const item = menuItem(page(), 'Generate Video from Image').first();
		await item.waitFor({ state: 'visible', timeout: 10_000 }).catch(async () => {
			assert.fail(`the Explorer's context menu has no "Generate Video from Image": ${JSON.stringify(await menuLabels(page()))}`);
		});
		await chooseMenuItem(page(), 'Generate Video from Image');
		await waitForQuickInput(page(), 'Generate Video from Image: Model (1/4)');
		await waitFor(() => 'Veo 3.1 is not focused', async () => ((await focusedQuickItem(page())) === 'Veo 3.1' ? true : undefined), 10_000, PROBE_MS);
		// The list shows only the rows in view: each model is looked for by typing its name, as a user does.
		const offered = async (label: string) => {
			await quickInputBox(page()).fill(label);
			await page().waitForTimeout(300);
			return (await quickItemLabels(page())).includes(label);
		};
		for (const label of ['Kling 3', 'Seedance 1.5 Pro', 'Vidu Q3 Pro']) {
			assert.ok(await offered(label), `${label} takes an image file but is not offered`);
		}
		for (const label of ['Sora 2', 'Wan 2.5 (image)', 'Vidu Q2']) {
			assert.ok(!(await offered(label)), `${label} takes no image file, yet is offered`);
		}
		await quickInputBox(page()).fill('');
	});

	it('makes the video from the image with the model and settings picked, and the player shows the image beside it', async function () {
		const prompt = 'The harbour wakes at dawn: fishing boats drift out, gulls circle the masts';
		await pickQuickItem(page(), 'Veo 3.1 Fast', { title: ': Model (1/4)' });
		await pickQuickItem(page(), 'No last frame', { title: ': Last frame (2/4)' });
		await typeInQuickInput(page(), prompt, { title: ': Prompt (3/4)' });
		await submitQuickInput(page());
		await changeSettings(page(), { Resolution: '1080p' });
		await pickQuickItem(page(), 'Generate', { title: ': Settings (4/4)' });
		await waitForQuickInputClosed(page());
		await waitFor(() => 'the simulator never received the submit', () => (submits().length === 2 ? true : undefined), 30_000, PROBE_MS);
		const body = submits()[1];
		assert.strictEqual(body.model, 'veo-3.1-fast-generate-001');
		assert.deepStrictEqual(body.input.image, { bytesBase64Encoded: image.toString('base64'), mimeType: 'image/png' });
		assert.strictEqual(body.parameters.resolution, '1080p');
		await openVideoGenView(page());
		const row = treeRow(page(), prompt.slice(0, 40));
		await waitFor(() => 'the task never got Ready', async () => (/, Ready · .* · 1080p · 16:9 · 4s$/.test((await row.first().getAttribute('aria-label').catch(() => '')) ?? '') ? true : undefined), 90_000, PROBE_MS);
		await editorTab(page(), prompt.slice(0, 20)).first().waitFor({ state: 'visible', timeout: 30_000 });
		const images = await waitFor(() => 'the player never showed the first frame', async () => {
			const found = await playerImages(page());
			return found.some(img => img.loaded) ? found : undefined;
		}, 60_000, 500);
		assert.deepStrictEqual(images.map(img => img.alt), ['First frame']);
		assert.match(new URL(images[0].src).hostname, /\.vscode-resource\.vscode-cdn\.net$/, `not a webview resource: ${images[0].src}`);
		assert.strictEqual(decodeURIComponent(new URL(images[0].src).pathname), path.join(workspace, IMAGE));
		await pressEscape(page());
	});
});
