/**
 * Restricted Mode: a folder whose authors the user does not trust, whose `.vscode/settings.json` asks
 * for a dearer model, a bigger size and a longer video. VideoGen still works there (the view, the task
 * list, polling), and submits with the user's own settings, never the folder's. The packed .vsix is
 * installed as a user installs it: VS Code exempts an extension under development from Restricted Mode.
 *
 *   npm run compile && npx tsc -p test && npx mocha --config test/.mocharc.ui.json --spec out/test/ui/restricted.ui.test.js
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { packInCopy } from '../harness/pack';
import { reportFailuresOf } from './failures';
import { ROOT, Session, startSession } from './session';
import { waitFor } from '../common/waitFor';
import { defaultModelId } from '../../src/core/videoModels';
import {
	answerGenerateVideo, focusedQuickItem, openVideoGenView, restrictedModeIndicator, runCommand,
	submitQuickInput, treeRow, typeInQuickInput, waitForQuickInput, welcomeButton, PROBE_MS,
} from './workbench';

const PROMPT = 'A red kite over a harbour wall, gusty morning';
/** What the folder's settings ask for: each would cost the user more than their own settings. */
const FOLDER_SETTINGS = {
	'videogen.model': 'openai/sora-2/text-to-video-pro',
	'videogen.defaultSize': '1280x720',
	'videogen.defaultDuration': 12,
};

describe('VideoGen in Restricted Mode, in a folder whose settings ask for another model', function () {
	let session: Session | undefined;
	let work: string | undefined;

	const page = () => {
		assert.ok(session, 'the workbench did not start (see the before all hook)');
		return session.page;
	};

	before(async function () {
		work = fs.mkdtempSync(path.join(os.tmpdir(), 'videogen-untrusted-'));
		const { vsix } = await packInCopy(ROOT, work);
		const folder = path.join(work, 'a cloned repository');
		fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
		fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify(FOLDER_SETTINGS, null, '\t'));
		// Nothing trusts the new folder, so the window opens it in Restricted Mode.
		session = await startSession({ vsix, folder, workspaceTrust: true, tempPrefix: 'videogen-ui-untrusted-videos-' });
	});

	reportFailuresOf(() => session);

	after(async function () {
		await session?.stop();
		if (work) {
			fs.rmSync(work, { recursive: true, force: true });
		}
	});

	it('opens the folder in Restricted Mode', async function () {
		await restrictedModeIndicator(page()).first().waitFor({ state: 'visible', timeout: 30_000 });
	});

	it('shows the VideoGen view with its welcome: VS Code keeps VideoGen enabled there', async function () {
		await openVideoGenView(page());
		await welcomeButton(page(), 'Set API Key').waitFor({ state: 'visible', timeout: 30_000 });
	});

	it('generates a video and polls it to Ready, having submitted the user\'s model, size and duration, not the folder\'s', async function () {
		const sim = session!.sim;
		let lastFocused = '';
		await runCommand(page(), 'VideoGen: Generate Video');
		await waitForQuickInput(page(), 'Set API Key');
		await typeInQuickInput(page(), sim.apiKey);
		await submitQuickInput(page());
		// The model offered first, and the settings Generate takes as they are, are what the settings in
		// force say: the user's (here VideoGen's defaults), not the folder's Sora 2 Pro, 1280x720 and 12 s.
		await waitForQuickInput(page(), ': Model (');
		await waitFor(() => `the focused model is ${JSON.stringify(lastFocused)}, not the user's Sora 2`, async () => ((lastFocused = await focusedQuickItem(page())) === 'Sora 2' ? true : undefined), 10_000, PROBE_MS);
		await answerGenerateVideo(page(), { prompt: PROMPT });
		await waitFor(() => 'the simulator never received a submit', () => (sim.stats.submitsReceived > 0 ? true : undefined), 30_000, PROBE_MS);
		const submits = sim.requests
			.filter(request => request.server === 'api' && request.method === 'POST' && request.path.startsWith('/v1/tasks/submit'))
			.map(request => JSON.parse(request.body) as { model: string; parameters: { size: string; duration: number } });
		assert.strictEqual(submits.length, 1);
		assert.strictEqual(submits[0].model, defaultModelId, `submitted with ${submits[0].model}; the folder asked for ${FOLDER_SETTINGS['videogen.model']}`);
		assert.deepStrictEqual(submits[0].parameters, { size: '720x1280', duration: 4 });

		const row = treeRow(page(), PROMPT.slice(0, 30));
		await waitFor(() => 'the task never got Ready', async () => (/, Ready\b/.test((await row.first().getAttribute('aria-label').catch(() => '')) ?? '') ? true : undefined), 90_000, PROBE_MS);
		assert.ok(sim.requests.some(request => request.path.startsWith('/v1/tasks/status')), 'the task was never polled');
		assert.strictEqual(fs.readdirSync(session!.downloadFolder).filter(name => name.endsWith('.mp4')).length, 1, 'the video was not saved');
		await restrictedModeIndicator(page()).first().waitFor({ state: 'visible', timeout: 5_000 });
	});
});
