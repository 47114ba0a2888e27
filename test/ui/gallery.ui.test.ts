/**
 * UI tests: the Gallery view in the real web workbench (code-server in headless Chromium). A user
 * with two dozen finished videos (and one failed task) opens the gallery beside the task tree, sees
 * the videos' first frames newest first, previews one by pointing at it, narrows the list by words
 * of the prompt and by model, and opens the player with a click and with Enter. The last test takes
 * the gallery's pictures in a light and a dark theme for demo-output/.
 *
 *   npm run compile && npx tsc -p test && npx mocha --config test/.mocharc.ui.json out/test/ui/gallery.ui.test.js
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { TaskRecord } from '../../src/core/task';
import type { Page } from '../harness/codeServer';
import { waitFor } from '../common/waitFor';
import { reportFailuresOf } from './failures';
import { ROOT, Session, startSession } from './session';
import {
	DomTile, editorTab, Frame, galleryFrame, galleryPostersShown, GalleryVideo, growGallery, openVideoGenView, resizeSideBar, runCommand,
	screenshotInThemes, showGallery, tileVideo, waitForPoster, PROBE_MS,
} from './workbench';

const sample = path.join(ROOT, 'test', 'simulator', 'sample.mp4');
const SORA = 'openai/sora-2/text-to-video';
const WAN = 'Wan-AI/Wan2.6-T2V';
const VEO = 'veo-3.1-fast-generate-001';
const HOSTILE = 'A <img src=x onerror="document.title=1"> sign on a door';

const subjects = ['A lighthouse on a cliff at dusk', 'A paper boat on a rainy street', 'A fox crossing a snowy field', 'An old tram in the fog', 'A hummingbird at a red flower', 'A koi pond in the rain'];
const styles = ['slow dolly shot', 'handheld, golden hour', 'aerial view', 'macro lens, shallow depth of field'];

/** 24 finished videos, newest first, with three models, one with markup in its prompt, and one failed task. */
function seedTasks(folder: string): TaskRecord[] {
	const now = Date.now();
	const tasks: TaskRecord[] = [];
	for (let i = 0; i < 24; i++) {
		const createdAt = now - (i + 1) * 3_600_000;
		const id = `gallery-${String(i).padStart(2, '0')}`;
		const file = path.join(folder, `task_${id}.mp4`);
		fs.copyFileSync(sample, file);
		tasks.push({
			id, taskId: `task_${id}`, model: [SORA, WAN, VEO][(i + Math.floor(i / 6)) % 3],
			prompt: i === 5 ? HOSTILE : `${subjects[i % subjects.length]}, ${styles[i % styles.length]} #${i}\nA second line of direction.`,
			parameters: { size: '1280x720', duration: 4 }, apiOrigin: 'https://api.umodelverse.ai',
			phase: 'succeeded', serviceStatus: 'Success', urls: [`https://storage.example.com/${id}.mp4`],
			createdAt, submittedAt: createdAt + 500, finishedAt: createdAt + 60_000, updatedAt: createdAt + 61_000,
			download: { phase: 'done', files: [file] },
		});
	}
	tasks.splice(2, 0, {
		id: 'gallery-failed', taskId: 'task_gallery-failed', model: SORA, prompt: 'A lighthouse that failed to render',
		parameters: { size: '1280x720', duration: 4 }, apiOrigin: 'https://api.umodelverse.ai',
		phase: 'failed', serviceStatus: 'Failure', error: 'The model could not render this prompt.',
		createdAt: now - 2.5 * 3_600_000, submittedAt: now - 2.5 * 3_600_000, finishedAt: now - 2.4 * 3_600_000, updatedAt: now - 2.4 * 3_600_000,
	});
	return tasks;
}

/** The captions of the tiles shown (not filtered out), top to bottom. */
function shownCaptions(frame: Frame): Promise<string[]> {
	return frame.locator('#grid .tile').evaluateAll((tiles: DomTile[]) =>
		tiles.filter(tile => !tile.hidden).map(tile => tile.querySelector('.caption')?.textContent ?? ''));
}

/** The player's frame: the webview with a `<video controls>` (the gallery's videos have none). */
async function playerVideo(page: Page, timeoutMs = 60_000): Promise<{ src: string; readyState: number }> {
	let last = '';
	return waitFor(() => `no player video with a frame to show (${last || 'none found'})`, async () => {
		for (const frame of page.frames()) {
			if (frame === page.mainFrame() || frame.isDetached()) {
				continue;
			}
			const videos = await frame.locator('video[controls]').evaluateAll((nodes: GalleryVideo[]) => nodes.map(video => ({ src: video.currentSrc, readyState: video.readyState }))).catch(() => []);
			const ready = videos.find(video => video.readyState >= 2);
			if (ready) {
				return ready;
			}
			if (videos.length) {
				last = JSON.stringify(videos);
			}
		}
		return undefined;
	}, timeoutMs, PROBE_MS);
}

describe('the gallery of finished videos', function () {
	let session: Session | undefined;
	let tasks: TaskRecord[] = [];
	let frame: Frame;
	const finished = () => tasks.filter(task => task.download?.phase === 'done');
	const caption = (task: TaskRecord) => task.prompt.split('\n')[0];

	const page = () => {
		assert.ok(session, 'the workbench did not start (see the before all hook)');
		return session.page;
	};

	before(async function () {
		session = await startSession({
			tempPrefix: 'videogen-ui-gallery-',
			viewport: { width: 1400, height: 900 },
			tasksJson: folder => {
				tasks = seedTasks(folder);
				return JSON.stringify({ version: 1, tasks, removed: {} });
			},
		});
	});

	reportFailuresOf(() => session);

	after(async function () {
		await session?.stop();
	});

	it('opens beside the task tree and shows every finished video newest first, each with its first frame', async function () {
		await openVideoGenView(page());
		frame = await showGallery(page());
		let captions: string[] = [];
		await waitFor(() => `the gallery shows ${JSON.stringify(captions)}`, async () => {
			captions = await shownCaptions(frame);
			return captions.length === finished().length ? true : undefined;
		}, 30_000, PROBE_MS);
		assert.deepStrictEqual(captions, finished().map(caption), 'not every finished video, newest first, or the failed task is there');
		const poster = await waitForPoster(frame, 0);
		assert.ok(poster.videoWidth > 0, 'the first tile\'s video has no picture');
		assert.ok(poster.paused, 'a tile plays before it is pointed at');
		assert.strictEqual(decodeURIComponent(new URL(poster.currentSrc).pathname), finished()[0].download!.files![0]);
		// A prompt with markup shows as the text it is.
		const hostile = frame.locator('#grid .tile').nth(finished().findIndex(task => task.prompt === HOSTILE));
		assert.strictEqual(await hostile.locator('.caption').textContent(), HOSTILE);
		assert.strictEqual(await frame.locator('#grid img').count(), 0, 'markup from a prompt became an element');
		assert.strictEqual(await frame.locator('#status').textContent(), `Videos: ${finished().length}`);
	});

	it('gives only the tiles near the view a video, and one coming into view its first frame', async function () {
		const total = finished().length;
		const withVideo = await frame.locator('#grid .tile video').count();
		assert.ok(withVideo > 0 && withVideo < total, `${withVideo} of ${total} tiles have a video`);
		assert.strictEqual(await tileVideo(frame, total - 1), undefined, 'the last tile, far below, has a video');
		// Scrolled until it stays in view: tiles far off are laid out at an estimated height until they come near.
		let last: GalleryVideo | undefined;
		await waitFor(() => `the last tile, scrolled into view, stayed at ${last ? `readyState ${last.readyState}` : 'no video'}`, async () => {
			await frame.locator('#grid .tile').nth(total - 1).evaluate((tile: DomTile) => tile.scrollIntoView({ block: 'center' }));
			last = await tileVideo(frame, total - 1);
			return last && last.readyState >= 2 ? true : undefined;
		}, 30_000, PROBE_MS);
		assert.strictEqual(decodeURIComponent(new URL(last!.currentSrc).pathname), finished()[total - 1].download!.files![0]);
		await waitFor(() => 'the first tile kept its video far out of view', async () => (await tileVideo(frame, 0)) === undefined ? true : undefined, 10_000, PROBE_MS);
		await frame.locator('#grid .tile').first().evaluate((tile: DomTile) => tile.scrollIntoView({ block: 'end' }));
		await waitForPoster(frame, 0);
	});

	it('plays a tile muted while the pointer is on it, and goes back to the first frame when it leaves', async function () {
		await frame.locator('#grid .tile').first().hover();
		const playing = await waitFor(() => 'the tile did not play under the pointer', async () => {
			const video = await tileVideo(frame, 0);
			return video && !video.paused && video.currentTime > 0 ? video : undefined;
		}, 10_000, PROBE_MS);
		assert.ok(playing.muted, 'the preview plays with sound');
		await frame.locator('#status').hover();
		const stopped = await waitFor(() => 'the tile kept playing after the pointer left', async () => {
			const video = await tileVideo(frame, 0);
			return video && video.paused ? video : undefined;
		}, 10_000, PROBE_MS);
		assert.strictEqual(stopped.currentTime, 0);
	});

	it('narrows the tiles to words of the prompt, and to a model', async function () {
		const lighthouses = finished().filter(task => /lighthouse/i.test(task.prompt));
		await frame.locator('#text').fill('LIGHTHOUSE');
		let captions: string[] = [];
		await waitFor(() => `the text filter left ${JSON.stringify(captions)}`, async () => {
			captions = await shownCaptions(frame);
			return captions.length === lighthouses.length ? true : undefined;
		}, 10_000, PROBE_MS);
		assert.deepStrictEqual(captions, lighthouses.map(caption));
		assert.strictEqual(await frame.locator('#status').textContent(), `Showing ${lighthouses.length} of ${finished().length} videos`);

		const options = await frame.locator('#model option').evaluateAll((nodes: { textContent: string | null }[]) => nodes.map(node => node.textContent));
		assert.deepStrictEqual(options, ['All models', 'Sora 2 (8)', 'Veo 3.1 Fast (8)', 'Wan 2.6 (8)']);
		await frame.locator('#model').selectOption(WAN);
		const wanLighthouses = lighthouses.filter(task => task.model === WAN);
		assert.ok(wanLighthouses.length > 0 && wanLighthouses.length < lighthouses.length);
		await waitFor(() => `the model filter left ${JSON.stringify(captions)}`, async () => {
			captions = await shownCaptions(frame);
			return captions.length === wanLighthouses.length ? true : undefined;
		}, 10_000, PROBE_MS);
		assert.deepStrictEqual(captions, wanLighthouses.map(caption));

		await frame.locator('#text').fill('');
		await waitFor(() => 'the model filter alone did not leave the model\'s videos', async () => {
			captions = await shownCaptions(frame);
			return captions.length === finished().filter(task => task.model === WAN).length ? true : undefined;
		}, 10_000, PROBE_MS);
		assert.deepStrictEqual(captions, finished().filter(task => task.model === WAN).map(caption));

		await frame.locator('#text').fill('no such words anywhere');
		await frame.locator('#empty').waitFor({ state: 'visible', timeout: 10_000 });
		assert.strictEqual(await frame.locator('#empty').textContent(), 'No video matches the filter.');
		await frame.locator('#text').fill('');
		await frame.locator('#model').selectOption('');
		await waitFor(() => 'clearing the filters did not bring every tile back', async () => ((await shownCaptions(frame)).length === finished().length ? true : undefined), 10_000, PROBE_MS);
	});

	it('opens the player of a tile on a click, and of another on Enter', async function () {
		const [, second, third] = finished();
		await frame.locator('#grid .tile').nth(1).click();
		await editorTab(page(), caption(second).slice(0, 20)).first().waitFor({ state: 'visible', timeout: 30_000 });
		const played = await playerVideo(page());
		assert.strictEqual(decodeURIComponent(new URL(played.src).pathname), second.download!.files![0]);

		frame = await galleryFrame(page());
		await frame.locator('#grid .tile').nth(2).focus();
		await page().keyboard.press('Enter');
		await editorTab(page(), caption(third).slice(0, 20)).first().waitFor({ state: 'visible', timeout: 30_000 });
	});

	it('reads well in a light and a dark theme (pictures for demo-output/)', async function () {
		const out = path.join(ROOT, 'demo-output');
		fs.mkdirSync(out, { recursive: true });
		await runCommand(page(), 'View: Close All Editors');
		// Wide enough for three columns of tiles, and most of the side bar's height.
		await resizeSideBar(page(), 620);
		await growGallery(page());
		const colours: string[] = [];
		await screenshotInThemes(page(), theme => path.join(out, `gallery-${theme.name}.png`), async () => {
			frame = await galleryPostersShown(page());
			await page().mouse.move(1300, 850);
			await page().waitForTimeout(800);
			colours.push(await frame.locator('.caption').first().evaluate((node: unknown) => {
				const view = globalThis as unknown as { getComputedStyle(element: unknown): { color: string } };
				return view.getComputedStyle(node).color;
			}));
		});
		assert.notStrictEqual(colours[0], colours[1], 'the captions have the same colour in both themes');
	});
});
