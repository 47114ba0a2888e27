/**
 * In a browser client (code-server's web workbench is one, and its window is a remote one) the video is
 * saved on the server, and the browser plays AAC sound. The player and the task's menu offer
 * Save a Copy..., which hands the video to the browser's download, and neither Open in System Player
 * nor Reveal File, which could only act on the server; the player does not say it plays silently.
 *
 *   npm run compile && npx tsc -p test && npx mocha --timeout 180000 out/test/ui/browser.ui.test.js
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type * as PlaywrightCore from 'playwright-core';
import { reportFailuresOf } from './failures';
import { ROOT, Session, startSession } from './session';
import { waitFor } from '../common/waitFor';
import {
	acceptFirstQuickItem, answerGenerateVideo, chooseMenuItem, clickPlayerButton, dismissNotifications, editorTab, 
	openTreeRowMenu, openVideoGenView, playerButtonLabels, playerFrame, playerText, runCommand, submitQuickInput, treeRow, 
	typeInQuickInput, waitForNotification, waitForQuickInput, waitForVideoFrame, PROBE_MS,
} from './workbench';

const PROMPT = 'A lighthouse keeper winding the lamp at dusk';
/** Where the player as this test sees it is kept, for a person to look at. */
const SHOTS = path.join(ROOT, '.harness', 'ui-screenshots');
const SAVE_COPY = 'Save a Copy...';

describe('VideoGen in a browser client, whose videos are saved on the server', function () {
	let session: Session | undefined;
	/** The video as VideoGen saved it, on the server's disk. */
	let videoFile: string | undefined;

	const page = () => {
		assert.ok(session, 'the workbench did not start (see the before all hook)');
		return session.page;
	};

	/** Runs `start`, and resolves with what the browser downloaded meanwhile: its suggested name and bytes. */
	async function browserDownload(start: () => Promise<unknown>): Promise<{ name: string; bytes: Buffer }> {
		const [download] = await Promise.all([page().waitForEvent('download', { timeout: 30_000 }) as Promise<PlaywrightCore.Download>, start()]);
		const failure = await download.failure();
		assert.strictEqual(failure, null, `the download failed: ${failure}`);
		const file = await download.path();
		return { name: download.suggestedFilename(), bytes: fs.readFileSync(file) };
	}

	before(async function () {
		session = await startSession({ tempPrefix: 'videogen-ui-browser-videos-' });
		await openVideoGenView(page());
		await runCommand(page(), 'VideoGen: Generate Video');
		await waitForQuickInput(page(), 'Set API Key');
		await typeInQuickInput(page(), session.sim.apiKey);
		await submitQuickInput(page());
		await answerGenerateVideo(page(), { prompt: PROMPT });
		const row = treeRow(page(), PROMPT.slice(0, 30));
		await waitFor(() => 'the task never got Ready', async () => (/, Ready\b/.test((await row.first().getAttribute('aria-label').catch(() => '')) ?? '') ? true : undefined), 90_000, PROBE_MS);
		const files = fs.readdirSync(session.downloadFolder).filter(name => name.endsWith('.mp4'));
		assert.strictEqual(files.length, 1);
		videoFile = path.join(session.downloadFolder, files[0]);
		// The session opens the player when a video is ready.
		await editorTab(page(), PROMPT.slice(0, 20)).first().waitFor({ state: 'visible', timeout: 30_000 });
		await waitForVideoFrame(page(), { minReadyState: 2 });
	});

	reportFailuresOf(() => session);

	after(async function () {
		await session?.stop();
	});

	it('shows Save a Copy in the player, neither Open in System Player nor Reveal File, and no note that it plays silently', async function () {
		assert.deepStrictEqual(await playerButtonLabels(page()), [SAVE_COPY, 'Copy URL', 'Insert into Document', 'Edit & Generate Again', 'Copy Prompt', 'Remove Task']);
		const text = await playerText(page());
		assert.ok(text.includes(PROMPT), 'not the player of the task');
		assert.doesNotMatch(text, /silent|without its AAC sound|Open in System Player/i);
		assert.doesNotMatch(text, /Reveal File/);
		fs.mkdirSync(SHOTS, { recursive: true });
		await page().screenshot({ path: path.join(SHOTS, 'browser-player.png') });
	});

	it('hands the video to the browser\'s download when Save a Copy is pressed in the player: the same bytes, under its name', async function () {
		const { name, bytes } = await browserDownload(() => clickPlayerButton(page(), SAVE_COPY));
		assert.strictEqual(name, path.basename(videoFile!));
		assert.ok(bytes.equals(fs.readFileSync(videoFile!)), `the download (${bytes.length} bytes) is not the video (${fs.statSync(videoFile!).size} bytes)`);
	});

	it('offers Save a Copy in the task\'s context menu, without Open in System Player or Reveal File, and it downloads the video', async function () {
		const labels = await openTreeRowMenu(page(), PROMPT.slice(0, 30));
		assert.ok(labels.includes(SAVE_COPY), `the menu has no ${SAVE_COPY}: ${JSON.stringify(labels)}`);
		assert.ok(!labels.includes('Open in System Player') && !labels.includes('Reveal File'), `the menu offers what cannot work here: ${JSON.stringify(labels)}`);
		const { bytes } = await browserDownload(() => chooseMenuItem(page(), SAVE_COPY));
		assert.ok(bytes.equals(fs.readFileSync(videoFile!)));
	});

	it('downloads the video from the command palette\'s Save a Copy, with the player closed', async function () {
		await runCommand(page(), 'View: Close All Editors');
		await editorTab(page(), PROMPT.slice(0, 20)).first().waitFor({ state: 'hidden', timeout: 10_000 });
		const { bytes } = await browserDownload(async () => {
			await runCommand(page(), `VideoGen: ${SAVE_COPY}`);
			assert.strictEqual(await acceptFirstQuickItem(page()), PROMPT);
		});
		assert.ok(bytes.equals(fs.readFileSync(videoFile!)));
	});

	it('says so when the browser cannot get the video to download', async function () {
		await playerFrame(page());
		const away = `${videoFile!}.away`;
		fs.renameSync(videoFile!, away);
		try {
			await clickPlayerButton(page(), SAVE_COPY);
			const { message } = await waitForNotification(page(), 'The browser could not download');
			assert.match(message, new RegExp(`^The browser could not download "${path.basename(videoFile!)}": the video could not be read \\(HTTP \\d+\\)`));
		} finally {
			fs.renameSync(away, videoFile!);
			await dismissNotifications(page());
		}
	});

	it('offers Save a Copy, not the system player, when the player cannot play the video', async function () {
		const video = fs.readFileSync(videoFile!);
		await runCommand(page(), 'View: Close All Editors');
		fs.writeFileSync(videoFile!, Buffer.alloc(4096, 7));
		try {
			await openTreeRowMenu(page(), PROMPT.slice(0, 30));
			await chooseMenuItem(page(), 'Play Video');
			// The player takes the focus as it opens: only then may the palette open the Notifications center.
			await playerFrame(page());
			const { message, buttons } = await waitForNotification(page(), 'The player could not play this video');
			assert.match(message, /Try "Save a Copy\.\.\."\.$/);
			assert.deepStrictEqual(buttons, [SAVE_COPY]);
			assert.match(await playerText(page()), /This video could not be played here\. Use Save a Copy\.\.\. to play it on your computer\./);
		} finally {
			fs.writeFileSync(videoFile!, video);
			await dismissNotifications(page());
		}
	});
});
