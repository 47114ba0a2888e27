/**
 * The packed `.vsix`, installed as a user installs it (`--install-extension`, production bundles,
 * no development path), generates a video from the command palette and plays it. This is what a
 * user gets; the other UI tests load the working tree.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { packInCopy } from '../harness/pack';
import { ROOT, Session, startSession } from './session';
import { waitFor } from '../common/waitFor';
import {
	answerGenerateVideo, editorTab, openVideoGenView, runCommand, submitQuickInput, treeRow, typeInQuickInput,
	waitForQuickInput, waitForVideoFrame, PROBE_MS,
} from './workbench';

const PROMPT = 'A kite over a green hill, late afternoon';

describe('the packed .vsix installed as a user installs it', function () {
	let work: string | undefined;
	let session: Session | undefined;
	let packed: { folder: string; vsix: string } | undefined;

	before(async function () {
		work = fs.mkdtempSync(path.join(os.tmpdir(), 'videogen-vsix-'));
		packed = await packInCopy(ROOT, work);
		session = await startSession({ vsix: packed.vsix });
	});

	after(async function () {
		await session?.stop();
		if (work) {
			fs.rmSync(work, { recursive: true, force: true });
		}
	});

	it('holds every bundle the build makes: a part loaded later (the HTTP stack, the flow, the errors\' words) missing from it would fail only when first used', () => {
		const bundles = fs.readdirSync(path.join(packed!.folder, 'dist')).filter(name => name.endsWith('.js'));
		assert.ok(bundles.length >= 5, bundles.join(', '));
		// A .vsix is a zip: each entry's name is stored as plain text in its headers.
		const archive = fs.readFileSync(packed!.vsix);
		assert.deepStrictEqual(bundles.filter(name => !archive.includes(`extension/dist/${name}`)), []);
	});

	it('holds the manifest\'s and the runtime strings\' translations, without which titles show as %keys%', () => {
		const archive = fs.readFileSync(packed!.vsix);
		const translations = [
			...fs.readdirSync(ROOT).filter(name => /^package\.nls(\.[\w-]+)?\.json$/.test(name)),
			...fs.readdirSync(path.join(ROOT, 'l10n')).map(name => `l10n/${name}`),
		];
		assert.ok(translations.length >= 4, translations.join(', '));
		assert.deepStrictEqual(translations.filter(name => !archive.includes(`extension/${name}`)), []);
	});

	it('generates from the command palette, saves the video and plays it', async function () {
		const page = session!.page;
		await openVideoGenView(page);
		await runCommand(page, 'VideoGen: Generate Video');
		await waitForQuickInput(page, 'Set API Key');
		await typeInQuickInput(page, session!.sim.apiKey);
		await submitQuickInput(page);
		await answerGenerateVideo(page, { prompt: PROMPT });
		const row = treeRow(page, PROMPT.slice(0, 30));
		await waitFor(() => 'the task never got Ready', async () => (/, Ready\b/.test((await row.first().getAttribute('aria-label').catch(() => '')) ?? '') ? true : undefined), 90_000, PROBE_MS);
		assert.strictEqual(session!.sim.stats.submitsReceived, 1);
		const files = fs.readdirSync(session!.downloadFolder).filter(name => name.endsWith('.mp4'));
		assert.strictEqual(files.length, 1);
		await editorTab(page, PROMPT.slice(0, 20)).first().waitFor({ state: 'visible', timeout: 30_000 });
		const video = await waitForVideoFrame(page, { minReadyState: 2, timeoutMs: 60_000 });
		assert.strictEqual(video.error, null);
		assert.strictEqual(decodeURIComponent(new URL(video.src).pathname), path.join(session!.downloadFolder, files[0]));
	});
});
