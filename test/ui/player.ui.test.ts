/**
 * UI tests of the player in the real web workbench at 1400×900: a 3,000-character prompt leaves the
 * video, the details and the buttons in view, Show more opens it, scrolling keeps the video; the
 * video has the keyboard when the player opens from the tree (Space plays); Insert into Document puts
 * the video into a Markdown file. Screenshots of both in light and dark themes go to demo-output/.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LONG_PROMPT } from '../common/prompts';
import { waitFor } from '../common/waitFor';
import { reportFailuresOf } from './failures';
import { ROOT, Session, startSession } from './session';
import {
	Frame, insertIntoMarkdownFile, openVideoGenView, playerButtonLabels, playerFrame, PROBE_MS, screenshotInThemes, showBesidePlayer, treeRow,
	waitForVideoFrame,
} from './workbench';

const SHOTS = path.join(ROOT, 'demo-output');
const sample = path.join(ROOT, 'test', 'simulator', 'sample.mp4');
const NOTES = '# Storyboard\n\nThe market at night:\n\n';

/** Where an element of the player page is, and how big the page's view is. */
interface Box {
	top: number;
	bottom: number;
	viewHeight: number;
}

/** The boxes of the page's video, details, buttons and prompt. */
async function layout(frame: Frame): Promise<Record<'video' | 'details' | 'buttons' | 'prompt', Box>> {
	return frame.evaluate(`(() => {
		const box = selector => {
			const rect = document.querySelector(selector).getBoundingClientRect();
			return { top: rect.top, bottom: rect.bottom, viewHeight: window.innerHeight };
		};
		return { video: box('video'), details: box('dl'), buttons: box('.actions'), prompt: box('#prompt') };
	})()`);
}

function inView(box: Box): boolean {
	return box.top >= 0 && box.bottom <= box.viewHeight;
}

describe('the player, with a long prompt, and Insert into Document', function () {
	let session: Session | undefined;
	let workspace: string;
	let videoFile: string;

	const page = () => {
		assert.ok(session, 'the workbench did not start (see the before all hook)');
		return session.page;
	};

	before(async function () {
		workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'videogen-ui-player-'));
		fs.writeFileSync(path.join(workspace, 'notes.md'), NOTES);
		session = await startSession({
			folder: workspace,
			tempPrefix: 'videogen-ui-player-videos-',
			viewport: { width: 1400, height: 900 },
			// Autoplay off, so that Space is what starts the video.
			userSettings: { 'videogen.player.autoplay': false, 'videogen.openOnSuccess': 'none' },
			tasksJson: folder => {
				videoFile = path.join(folder, 'market at night.mp4');
				fs.copyFileSync(sample, videoFile);
				const now = Date.now();
				return JSON.stringify({
					version: 1,
					tasks: [{
						id: 'b7f3c9d2-long-prompt', model: 'openai/sora-2/text-to-video', prompt: LONG_PROMPT, parameters: { size: '1280x720', duration: 8 },
						apiOrigin: 'https://api.umodelverse.ai', phase: 'succeeded', serviceStatus: 'Success', taskId: 'task_longprompt0001',
						createdAt: now - 60_000, submittedAt: now - 59_000, finishedAt: now - 30_000, updatedAt: now - 30_000,
						urls: ['https://storage.umodelverse.example/videos/task_longprompt0001.mp4'],
						download: { phase: 'done', files: [videoFile] },
					}],
				});
			},
		});
	});

	reportFailuresOf(() => session);

	after(async function () {
		await session?.stop();
		fs.rmSync(workspace, { recursive: true, force: true });
	});

	it('gives the video the keyboard when the player opens from the tree: Space plays it', async function () {
		await openVideoGenView(page());
		await treeRow(page(), 'Opening shot: beat 1').first().click();
		await waitForVideoFrame(page(), { minReadyState: 2 });
		const frame = await playerFrame(page());
		await waitFor(() => 'the video never had the focus', async () => (await frame.evaluate('document.activeElement && document.activeElement.tagName') === 'VIDEO' ? true : undefined), 10_000, PROBE_MS);
		assert.strictEqual(await frame.evaluate('document.querySelector("video").paused'), true, 'autoplay is off: the video waits');
		await page().keyboard.press('Space');
		await waitFor(() => 'Space did not start the video', async () => (await frame.evaluate('document.querySelector("video").paused') === false ? true : undefined), 10_000, PROBE_MS);
	});

	it('shows the video, the details and the buttons without scrolling under a 3,000-character prompt, and Show more opens it', async function () {
		const frame = await playerFrame(page());
		assert.strictEqual(LONG_PROMPT.length, 3000);
		const before = await layout(frame);
		for (const [name, box] of Object.entries(before)) {
			assert.ok(inView(box), `the ${name} is not in view: ${JSON.stringify(box)}`);
		}
		assert.ok(before.prompt.bottom - before.prompt.top < 200, `the prompt is not cut to a few lines: ${JSON.stringify(before.prompt)}`);
		assert.deepStrictEqual(await playerButtonLabels(page()), ['Save a Copy...', 'Copy URL', 'Insert into Document', 'Edit & Generate Again', 'Copy Prompt', 'Remove Task']);
		assert.strictEqual(await frame.evaluate('document.getElementById("prompt").textContent'), LONG_PROMPT, 'the whole prompt, as plain text');

		const toggle = frame.locator('#prompt-toggle');
		assert.strictEqual((await toggle.textContent())?.trim(), 'Show more');
		await toggle.click();
		await waitFor(() => 'Show more did not open the prompt', async () => ((await toggle.textContent())?.trim() === 'Show less' ? true : undefined), 10_000, PROBE_MS);
		assert.strictEqual(await toggle.getAttribute('aria-expanded'), 'true');
		const opened = await layout(frame);
		assert.ok(opened.prompt.bottom - opened.prompt.top > 5 * (before.prompt.bottom - before.prompt.top), `the prompt did not open: ${JSON.stringify(opened.prompt)}`);

		// Scrolled to the prompt's end, the video stays in view beside it.
		await frame.evaluate('window.scrollTo(0, document.documentElement.scrollHeight)');
		await page().waitForTimeout(300);
		const scrolled = await layout(frame);
		assert.ok(await frame.evaluate<number>('window.scrollY') > 0, 'the page did not scroll');
		assert.ok(inView(scrolled.video), `scrolling hid the video: ${JSON.stringify(scrolled.video)}`);
		await frame.evaluate('window.scrollTo(0, 0)');
		await toggle.click();
		await waitFor(() => 'Show less did not close the prompt', async () => ((await toggle.textContent())?.trim() === 'Show more' ? true : undefined), 10_000, PROBE_MS);

		fs.mkdirSync(SHOTS, { recursive: true });
		await page().mouse.move(700, 820);
		await screenshotInThemes(page(), theme => path.join(SHOTS, `player-long-prompt-${theme.name}.png`));
	});

	it('inserts a <video> tag with the path relative to the Markdown file at its cursor', async function () {
		await insertIntoMarkdownFile(page(), 'notes.md', 'Opening shot');
		const relative = path.relative(workspace, videoFile).split(path.sep).map(encodeURIComponent).join('/');
		const tag = `<video src="${relative}" controls></video>`;
		await waitFor(() => `notes.md was not saved with the video: ${JSON.stringify(fs.readFileSync(path.join(workspace, 'notes.md'), 'utf8'))}`,
			() => (fs.readFileSync(path.join(workspace, 'notes.md'), 'utf8') === `${NOTES}${tag}` ? true : undefined), 10_000, PROBE_MS);
		assert.ok(fs.existsSync(path.resolve(workspace, decodeURIComponent(relative))), 'the relative path does not lead to the video');

		// The Markdown file beside the player, for the pictures.
		await showBesidePlayer(page(), 'Opening shot');
		await page().mouse.move(700, 820);
		await screenshotInThemes(page(), theme => path.join(SHOTS, `insert-into-document-${theme.name}.png`));
	});
});
