/**
 * UI tests: a user's first video, driven through the real web workbench (code-server in headless
 * Chromium) with keyboard and mouse, against the API simulator running in this process.
 * The tests run in order and share one window, as one user's session does.
 *
 *   npm run compile && npx tsc -p test && npx mocha --config test/.mocharc.ui.json
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { reportFailuresOf } from './failures';
import { Session, startSession } from './session';
import { waitFor } from '../common/waitFor';
import {
	answerGenerateVideo, changeSettings, editorTab, focusedQuickItem, menuItem, menuLabels, newUntitledFile, openVideoGenView, pickQuickItem,
	playerText, pressEscape, quickInputBack, quickInputBox, quickInputButton, quickInputMessage, quickInputTitle, quickItemLabels, reloadWindow, runCommand,
	submitQuickInput, treeRow, treeRowLabels, typeInQuickInput, videoGenView, waitForQuickInput, waitForQuickInputClosed, waitForQuickInputMessage,
	waitForVideoFrame, PROBE_MS, welcomeButton, welcomeContent,
} from './workbench';

const PROMPT = 'A paper boat drifting down a rainy street at dusk, cinematic';
const SIZE = '1280x720';
const DURATION = '8';
const EMPTY_PROMPT_MESSAGE = 'Sora 2 needs a prompt';

/** The submits the simulator received, with their JSON bodies parsed. */
function submits(session: Session): { model: string; input: { prompt: string }; parameters: { size: string; duration: number } }[] {
	return session.sim.requests
		.filter(request => request.server === 'api' && request.method === 'POST' && request.path.startsWith('/v1/tasks/submit'))
		.map(request => JSON.parse(request.body));
}

describe('VideoGen in the VS Code web workbench', function () {
	let session: Session | undefined;
	/** The downloaded video, once the task is Ready. */
	let videoFile: string | undefined;

	const page = () => {
		assert.ok(session, 'the workbench did not start (see the before all hook)');
		return session.page;
	};

	before(async function () {
		const t0 = Date.now();
		session = await startSession();
		console.log(`      [ui] simulator at ${session.sim.apiUrl}, workbench at ${session.host.origin} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
	});

	reportFailuresOf(() => session);

	after(async function () {
		await session?.stop();
	});

	it('shows the welcome with "Set API Key" and "Generate Video" buttons while no key is stored', async function () {
		await openVideoGenView(page());
		await welcomeContent(page()).waitFor({ state: 'visible', timeout: 30_000 });
		await welcomeButton(page(), 'Set API Key').waitFor({ state: 'visible', timeout: 30_000 });
		await welcomeButton(page(), 'Generate Video').waitFor({ state: 'visible', timeout: 30_000 });
		const text = (await welcomeContent(page()).textContent()) ?? '';
		assert.match(text, /Start by storing your UModelverse API key/);
	});

	it('asks for the API key in a password box when "VideoGen: Generate Video" runs from the command palette', async function () {
		await runCommand(page(), 'VideoGen: Generate Video');
		await waitForQuickInput(page(), 'Set API Key');
		assert.strictEqual(await quickInputBox(page()).getAttribute('type'), 'password', 'the API key box must hide what is typed');
		await typeInQuickInput(page(), session!.sim.apiKey);
		await submitQuickInput(page());
		await waitForQuickInput(page(), 'Generate Video: Model (1/3)');
		assert.strictEqual(await quickInputBox(page()).getAttribute('type'), 'text');
	});

	it('opens on the model, the configured one focused, with every family of the catalogue to pick from', async function () {
		await waitFor(() => 'the configured model is not focused', async () => ((await focusedQuickItem(page())) === 'Sora 2' ? true : undefined), 10_000, PROBE_MS);
		const labels = await quickItemLabels(page());
		for (const label of ['Sora 2', 'Veo 3.1', 'Kling 3']) {
			assert.ok(labels.includes(label), `${label} is not offered: ${labels.join(' | ')}`);
		}
		assert.strictEqual(await quickInputButton(page(), 'Back').count(), 0, 'no Back on the first step');
		await submitQuickInput(page());
		await waitForQuickInput(page(), 'Generate Video: Prompt (2/3)');
	});

	it('refuses an empty or blank prompt with an inline message and stays on the prompt', async function () {
		for (const blank of ['', '   ']) {
			await typeInQuickInput(page(), blank, { title: 'Prompt' });
			if (blank) {
				await waitForQuickInputMessage(page(), EMPTY_PROMPT_MESSAGE);
			}
			await submitQuickInput(page());
			const message = await waitForQuickInputMessage(page(), EMPTY_PROMPT_MESSAGE);
			assert.match(message, /describe the video you want/);
			assert.match(await quickInputTitle(page()), /Generate Video: Prompt \(2\/3\)/, `after Enter on ${JSON.stringify(blank)} the prompt box must stay`);
		}
		assert.strictEqual(session!.sim.stats.submitsReceived, 0, 'nothing may be submitted for a blank prompt');
	});

	it('goes back from the settings to the prompt with the text kept, and submits the prompt with the size and duration changed in the settings', async function () {
		await typeInQuickInput(page(), PROMPT, { title: 'Prompt' });
		// The validation runs in the extension host: the message goes once it has seen the new text.
		await waitFor(() => 'the "needs a prompt" message stayed after a real prompt was typed', async () => (!(await quickInputMessage(page())).includes(EMPTY_PROMPT_MESSAGE) ? true : undefined), 10_000, PROBE_MS);
		await submitQuickInput(page());
		await waitForQuickInput(page(), 'Generate Video: Settings (3/3)');
		await quickInputBack(page(), 'Generate Video: Prompt (2/3)');
		assert.strictEqual(await quickInputBox(page()).inputValue(), PROMPT, 'Back lost the prompt');
		await submitQuickInput(page());
		// 1280x720 is the second size (720x1280 is the default): picked by typing to filter.
		await changeSettings(page(), { Size: SIZE, 'Duration (s)': DURATION });
		await pickQuickItem(page(), 'Generate', { title: 'Settings' });
		await waitForQuickInputClosed(page());
		await waitFor(() => 'the simulator never received a submit', () => (session!.sim.stats.submitsReceived > 0 ? true : undefined), 30_000, PROBE_MS);
		const [submit] = submits(session!);
		assert.strictEqual(submit.input.prompt, PROMPT);
		assert.strictEqual(submit.parameters.size, SIZE);
		assert.strictEqual(submit.parameters.duration, 8);
	});

	it('shows the task in the VideoGen view until it is Ready, having submitted it exactly once', async function () {
		const row = treeRow(page(), PROMPT.slice(0, 40));
		await row.first().waitFor({ state: 'visible', timeout: 30_000 });
		const seen = new Set<string>();
		const label = await waitFor(() => `the task never got Ready; it was ${[...seen].join(' → ')}`, async () => {
			const text = (await row.first().getAttribute('aria-label')) ?? '';
			seen.add(text.slice(text.lastIndexOf(', ') + 2).split(' · ')[0]);
			return /, Ready\b/.test(text) ? text : undefined;
		}, 90_000, PROBE_MS);
		console.log(`      [ui] the row went ${[...seen].join(' → ')}: "${label}"`);
		assert.match(label, /1280x720 · 8s/);
		assert.strictEqual(await row.count(), 1, 'one row for the task');
		assert.strictEqual(submits(session!).length, 1, 'exactly one submit');
		assert.strictEqual(session!.sim.stats.submitsAccepted, 1);
		const files = fs.readdirSync(session!.downloadFolder).filter(name => name.endsWith('.mp4'));
		assert.strictEqual(files.length, 1, `one video in the download folder, found ${files.join(', ') || 'none'}`);
		videoFile = path.join(session!.downloadFolder, files[0]);
	});

	it('opens the player, whose video loads the downloaded file through a webview resource URI', async function () {
		assert.ok(videoFile, 'needs the video downloaded in the previous test');
		await editorTab(page(), PROMPT.slice(0, 20)).first().waitFor({ state: 'visible', timeout: 30_000 });
		const video = await waitForVideoFrame(page(), { minReadyState: 2, timeoutMs: 60_000 });
		assert.strictEqual(video.error, null, `media error ${video.error}`);
		assert.ok(video.readyState >= 2, `readyState ${video.readyState}`);
		const src = new URL(video.src);
		assert.match(src.hostname, /\.vscode-resource\.vscode-cdn\.net$/, `not a webview resource URI: ${video.src}`);
		assert.ok(!video.src.startsWith(session!.sim.storageUrl) && !video.src.includes(new URL(session!.sim.storageUrl).host), `the player must not stream from the storage URL: ${video.src}`);
		assert.strictEqual(decodeURIComponent(src.pathname), videoFile, 'the player plays the downloaded file');
		assert.ok(video.videoWidth > 0 && video.videoHeight > 0, 'the video has a picture');
		const text = await playerText(page());
		assert.ok(text.includes(PROMPT), 'the player shows the prompt beside the video');
		assert.match(text, /Sora 2 \(openai\/sora-2\/text-to-video\)/);
		assert.match(text, /1280x720/);
	});

	it('keeps the task in the VideoGen view after "Developer: Reload Window"', async function () {
		await reloadWindow(page());
		await openVideoGenView(page());
		const row = treeRow(page(), PROMPT.slice(0, 40));
		await row.first().waitFor({ state: 'visible', timeout: 60_000 });
		await waitFor(() => 'the task came back but not as Ready', async () => (/, Ready\b/.test((await row.first().getAttribute('aria-label')) ?? '') ? true : undefined), 30_000, PROBE_MS);
		assert.strictEqual(await row.count(), 1);
		assert.strictEqual(submits(session!).length, 1, 'a reload submits nothing');
	});

	it('brings the player back after the window reloads', async function () {
		await editorTab(page(), PROMPT.slice(0, 20)).first().waitFor({ state: 'visible', timeout: 60_000 });
		const video = await waitForVideoFrame(page(), { minReadyState: 2, timeoutMs: 60_000 });
		assert.strictEqual(video.error, null, `media error ${video.error}`);
		assert.strictEqual(decodeURIComponent(new URL(video.src).pathname), videoFile);
	});

	it('shows a failed task open, with the service\'s reason under it, without a click', async function () {
		const prompt = 'A glass city under a violet sky [fail]';
		await openVideoGenView(page());
		await runCommand(page(), 'VideoGen: Generate Video');
		await answerGenerateVideo(page(), { prompt });
		const row = treeRow(page(), prompt.slice(0, 30));
		await waitFor(() => 'the task never showed Failed', async () => (/, Failed\b/.test((await row.first().getAttribute('aria-label').catch(() => '')) ?? '') ? true : undefined), 60_000, PROBE_MS);
		const reason = treeRow(page(), 'Simulated failure: the model could not render this prompt');
		await reason.first().waitFor({ state: 'visible', timeout: 15_000 });
	});

	it('shows a task that failed while the view was hidden open once the view is shown', async function () {
		// The row is drawn while the task runs, without child lines; the view is hidden; the task fails.
		const prompt = 'A desert of mirrors at noon [fail]';
		await openVideoGenView(page());
		await runCommand(page(), 'VideoGen: Generate Video');
		await answerGenerateVideo(page(), { prompt });
		await treeRow(page(), prompt.slice(0, 30)).first().waitFor({ state: 'visible', timeout: 15_000 });
		await runCommand(page(), 'View: Show Explorer');
		await waitFor(() => 'the VideoGen view stayed visible', async () => (await videoGenView(page()).isVisible() ? undefined : true), 15_000, PROBE_MS);
		// The extension hears of the failure while its view is hidden: a status query answered after the task failed.
		const sim = session!.sim;
		await waitFor(() => 'the failure was never asked about', () => {
			const task = [...sim.tasks.values()].find(t => t.prompt === prompt);
			const failedAt = task && sim.view(task.taskId)?.finishedAt;
			return failedAt && sim.requests.some(r => r.path === `/v1/tasks/status?task_id=${task!.taskId}` && r.time >= failedAt && r.status === 200) ? true : undefined;
		}, 60_000, PROBE_MS);
		await new Promise(resolve => setTimeout(resolve, 1_000));
		assert.strictEqual(await videoGenView(page()).isVisible(), false, 'the view was shown before the failure arrived');
		await openVideoGenView(page());
		const row = treeRow(page(), prompt.slice(0, 30));
		await row.first().waitFor({ state: 'visible', timeout: 15_000 });
		// The row right under the task is its reason: the task was opened without a click.
		let labels: string[] = [];
		await waitFor(() => `the reason is not shown under the task: ${JSON.stringify(labels)}`, async () => {
			labels = await treeRowLabels(page());
			const index = labels.findIndex(label => label.startsWith(prompt.slice(0, 30)));
			return index >= 0 && labels[index + 1]?.includes('Simulated failure: the model could not render this prompt') ? true : undefined;
		}, 15_000, PROBE_MS);
	});

	it('submits nothing on Esc, and the prompt typed comes back in the next Generate Video and in its recent prompts', async function () {
		const prompt = 'A hot air balloon over a patchwork of fields';
		const before = session!.sim.stats.submitsReceived;
		await runCommand(page(), 'VideoGen: Generate Video');
		await waitForQuickInput(page(), ': Model (');
		await submitQuickInput(page());
		await typeInQuickInput(page(), prompt, { title: ': Prompt (' });
		await pressEscape(page());
		await waitForQuickInputClosed(page());
		assert.strictEqual(session!.sim.stats.submitsReceived, before, 'Esc submitted something');

		await runCommand(page(), 'VideoGen: Generate Video');
		await waitForQuickInput(page(), ': Model (');
		await submitQuickInput(page());
		await waitForQuickInput(page(), ': Prompt (');
		await waitFor(() => 'the prompt left behind is not back', async () => ((await quickInputBox(page()).inputValue()) === prompt ? true : undefined), 10_000, PROBE_MS);
		await quickInputButton(page(), 'Recent prompts').click();
		await waitForQuickInput(page(), ': Prompt: recent');
		const recent = await quickItemLabels(page());
		assert.strictEqual(recent[0], prompt, `the prompt does not head the recent ones: ${recent.join(' | ')}`);
		assert.ok(recent.includes(PROMPT), 'the submitted prompt is among the recent ones');
		await pickQuickItem(page(), PROMPT, { title: ': Prompt: recent' });
		// The list of recent prompts had PROMPT typed into its filter: wait for the prompt step itself.
		await waitFor(() => 'the recent prompt was not put in the box', async () => (!(await quickInputTitle(page())).includes(': recent')
			&& (await quickInputBox(page()).inputValue()) === PROMPT ? true : undefined), 10_000, PROBE_MS);
		await pressEscape(page());
		await waitForQuickInputClosed(page());
		assert.strictEqual(session!.sim.stats.submitsReceived, before);
	});

	it('sets the default model with "VideoGen: Select Model", which Generate Video then offers first', async function () {
		await runCommand(page(), 'VideoGen: Select Model');
		await waitForQuickInput(page(), 'VideoGen: Select Model');
		await pickQuickItem(page(), 'Veo 3.1 Fast', { title: 'Select Model' });
		await waitForQuickInputClosed(page());
		await runCommand(page(), 'VideoGen: Generate Video');
		await waitForQuickInput(page(), ': Model (');
		await waitFor(() => 'Generate Video does not offer the model selected first', async () => ((await focusedQuickItem(page())) === 'Veo 3.1 Fast' ? true : undefined), 10_000, PROBE_MS);
		await submitQuickInput(page());
		// Veo takes an image: its steps say so.
		await waitForQuickInput(page(), 'Generate Video: First frame (2/4)');
		await pressEscape(page());
		await waitForQuickInputClosed(page());
		await runCommand(page(), 'VideoGen: Select Model');
		await pickQuickItem(page(), 'Sora 2', { title: 'Select Model' });
		await waitForQuickInputClosed(page());
	});

	it('offers "Generate Video from Selection" in the context menu of text selected in an editor', async function () {
		const editor = await newUntitledFile(page());
		await page().keyboard.type('A lighthouse in a storm, waves crashing, slow motion');
		await page().keyboard.press('Control+A');
		await editor.locator('.view-lines').click({ button: 'right' });
		const item = menuItem(page(), 'Generate Video from Selection');
		try {
			await item.first().waitFor({ state: 'visible', timeout: 15_000 });
		} catch {
			assert.fail(`the editor's context menu has no "Generate Video from Selection": ${JSON.stringify(await menuLabels(page()))}`);
		} finally {
			await pressEscape(page());
		}
	});
});
