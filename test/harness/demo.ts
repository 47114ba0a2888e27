/**
 * The demo (`npm run demo`, through demo.sh): a user's first minutes with VideoGen, played in a real
 * VS Code (code-server, headless Chromium) against the API simulator, with a short log of each step
 * and screenshots in demo-output/:
 *   generate.png      the prompt step of "Generate Video" open
 *   player.png        the player: the video with the prompt and details beside it
 *   tree.png          the VideoGen view with tasks Ready, Failed and Generating
 *   models.png        "Generate Video from Image" from the Explorer: the models that take an image, by family
 *   settings.png      its Settings step: the model's parameters and Generate
 *   image-player.png  the player of a video made from an image, the image beside it
 * and each of these twice, as NAME-light.png and NAME-dark.png (the Light Modern and Dark Modern themes):
 *   tree                  the VideoGen view at the default side bar width: tasks running, failed, tried again and ready, in groups
 *   player-long-prompt    the player of a video with a 3,000-character prompt, cut to a few lines with Show more
 *   insert-into-document  Insert into Document: the video tag in a Markdown file of the workspace, beside the player
 *   gallery               the Gallery view beside the tasks: the finished videos' first frames
 *
 *   node out/test/harness/demo.js [--keep] [--port N] [--out DIR]
 *   --keep (or DEMO_KEEP=1)  leave the simulator and code-server running and print the URL to open, until Ctrl+C
 *   --port N                 code-server's port (default: a free one)
 *   --out DIR                where the screenshots go (default demo-output)
 * Exit code 0 on success, 1 when a step failed (with what failed and a failure.png), 2 on bad arguments.
 */
import * as fs from 'fs';
import * as path from 'path';
import { formatBytes } from '../../src/core/format';
import { SimTask } from '../simulator/simulator';
import * as os from 'os';
import { dawnPng } from '../common/images';
import { LONG_PROMPT } from '../common/prompts';
import { savedVideo } from '../common/videoNames';
import { ROOT, Session, startSession } from '../ui/session';
import { waitFor } from '../common/waitFor';
import {
	answerGenerateVideo, changeSettings, chooseMenuItem, clearNotifications, currentColorTheme, editorTab, expandTreeRow, galleryPostersShown, growGallery,
	insertIntoMarkdownFile, notificationToasts, openExplorerContextMenu, openTreeRowMenu, openVideoGenView, pickQuickItem, playerFrame, playerImages, playerText,
	pressDialogButton, resizeSideBar, runCommand, screenshotInThemes, ScreenshotTheme, setColorTheme, showBesidePlayer, showGallery, submitQuickInput,
	treeRow, treeRowLabels, typeInQuickInput, VideoAnswers, waitForQuickInput, waitForQuickInputClosed, waitForVideoFrame, PROBE_MS, welcomeButton,
} from '../ui/workbench';

interface Options {
	keep: boolean;
	port?: number;
	outDir: string;
}

/** The video everybody sees in the README. */
const HERO: VideoAnswers = { prompt: 'A paper boat drifting down a rainy street at dusk, cinematic', settings: { Size: '1280x720' } };
/** Text to video with a model other than Sora, at the model's own defaults. */
const OTHER_MODEL: VideoAnswers = { model: 'Wan 2.6', prompt: 'A lighthouse beam sweeping over a stormy sea, seen from the cliff' };
/** The simulator is told to fail this one. */
const FAILING: VideoAnswers = { prompt: 'A glass city under a violet sky', settings: { Size: '1280x720', 'Duration (s)': '8' } };
/** ... and to keep this one generating. */
const SLOW: VideoAnswers = { prompt: 'Northern lights over a frozen lake', settings: { 'Duration (s)': '12' } };
/** The image in the demo's workspace, and the video made from it with another model. */
const IMAGE = 'harbour at dawn.png';
const FROM_IMAGE = { model: 'Veo 3.1 Fast', prompt: 'The harbour wakes at dawn: fishing boats drift out, gulls circle the masts', settings: { Resolution: '1080p' } };
/** A storyboard of 3,000 characters, pasted into the prompt step. */
const LONG: VideoAnswers = { prompt: LONG_PROMPT, paste: true };
/** The Markdown file in the demo's workspace that the long prompt's video goes into. */
const NOTES = 'storyboard.md';
const NOTES_TEXT = '# Storyboard\n\nThe market at night:\n\n';
/** The side bar's width as VS Code starts it (the tree's pictures are taken at it). */
const DEFAULT_SIDE_BAR = 300;

const t0 = Date.now();
let step = 'starting';
let session: Session | undefined;

function log(message: string): void {
	console.log(`[demo] ${message}`);
}

function seconds(since: number): string {
	return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function usage(message: string): never {
	console.error(`[demo] ${message}`);
	console.error('[demo] usage: npm run demo -- [--keep] [--port N] [--out DIR]   (or DEMO_KEEP=1 npm run demo)');
	process.exit(2);
}

function parseArgs(argv: string[]): Options {
	const options: Options = { keep: /^(1|true|yes)$/i.test(process.env.DEMO_KEEP ?? ''), outDir: path.join(ROOT, 'demo-output') };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--keep') {
			options.keep = true;
		} else if (arg === '--port') {
			const port = Number(argv[++i]);
			if (!Number.isInteger(port) || port <= 0 || port > 65535) {
				usage(`--port needs a port number, not ${argv[i]}`);
			}
			options.port = port;
		} else if (arg === '--out') {
			const dir = argv[++i];
			if (!dir) {
				usage('--out needs a folder');
			}
			options.outDir = path.resolve(dir);
		} else if (arg === '--help' || arg === '-h') {
			usage('plays VideoGen\'s user journey in a real VS Code against the API simulator');
		} else {
			usage(`unknown argument ${arg}`);
		}
	}
	return options;
}

/** Runs one step of the journey; a failure names the step. */
async function doStep<T>(name: string, work: () => Promise<T>): Promise<T> {
	step = name;
	return work();
}

function current(): Session {
	if (!session) {
		throw new Error('no session');
	}
	return session;
}

async function screenshot(options: Options, name: string): Promise<string> {
	const { page } = current();
	const toasts = await notificationToasts(page);
	if (toasts.length) {
		log(`note: a notification is showing in ${name}: ${toasts.join(' | ')}`);
	}
	const file = path.join(options.outDir, name);
	await page.screenshot({ path: file });
	logScreenshot(file);
	return file;
}

function logScreenshot(file: string): void {
	log(`screenshot ${path.relative(process.cwd(), file) || file} (${formatBytes(fs.statSync(file).size)})`);
}

/** Pictures `NAME-light.png` and `NAME-dark.png`; `ready` runs in each theme before its picture. */
async function themedScreenshots(options: Options, name: string, ready?: (theme: ScreenshotTheme) => Promise<unknown>): Promise<void> {
	const { page } = current();
	await clearNotifications(page);
	const files = await screenshotInThemes(page, theme => path.join(options.outDir, `${name}-${theme.name}.png`), ready);
	files.forEach(logScreenshot);
}

/** A prompt for the log: a long one cut short. */
function quoted(prompt: string): string {
	return prompt.length > 80 ? `"${prompt.slice(0, 60)}…" (${prompt.length} characters)` : `"${prompt}"`;
}

/** The simulator's task for a prompt, once the submit reached it. */
async function submittedTask(prompt: string): Promise<SimTask> {
	const { sim } = current();
	return waitFor(() => `the simulator never received a submit for ${quoted(prompt)}`, () => [...sim.tasks.values()].find(task => task.prompt === prompt), 30_000, PROBE_MS);
}

/** "Generate Video" from the command palette: model, prompt, settings; `beforeEnter` runs with the prompt typed. */
async function generate(video: VideoAnswers, beforeEnter?: () => Promise<unknown>): Promise<SimTask> {
	const { page } = current();
	await runCommand(page, 'VideoGen: Generate Video');
	await answerGenerateVideo(page, video, { beforeEnter });
	const task = await submittedTask(video.prompt);
	log(`submitted task ${task.taskId}: ${quoted(video.prompt)}, ${JSON.stringify(task.parameters)}`);
	return task;
}

/** The status part of a tree row's label: `prompt, Status · 3s · 1280x720 · 4s` → `Status`. */
function statusOf(label: string): string {
	return label.slice(label.lastIndexOf(', ') + 2).split(' · ')[0];
}

/** Follows a task's row in the VideoGen view, logging each status it shows, until `done` says so. */
async function follow(prompt: string, done: (status: string) => boolean, name = false, timeoutMs = 120_000): Promise<string> {
	const { page } = current();
	const row = treeRow(page, prompt.slice(0, 40)).first();
	let last = '';
	return waitFor(() => `${quoted(prompt)} stayed at ${last || 'nothing'} in the VideoGen view`, async () => {
		const label = (await row.getAttribute('aria-label', { timeout: 1_000 })) ?? '';
		const status = statusOf(label);
		if (status && status !== last) {
			last = status;
			log(`${name ? `${quoted(prompt)}: ` : ''}${done(status) ? status : `${status}…`}`);
		}
		return done(status) ? status : undefined;
	}, timeoutMs, 200);
}

/** Follows a video's row until it ends; throws unless it ends Ready. */
async function followToReady(video: VideoAnswers, what: string, name = false): Promise<void> {
	const status = await follow(video.prompt, shown => shown === 'Ready' || /fail|expired|not submitted/i.test(shown), name);
	if (status !== 'Ready') {
		throw new Error(`${what} ended as ${status}`);
	}
}

/** `workspace`: the folder the workbench has open. */
async function journey(options: Options, workspace: string): Promise<void> {
	const s = current();
	const { page, sim } = s;
	fs.mkdirSync(options.outDir, { recursive: true });

	await doStep('opening the VideoGen view', async () => {
		await openVideoGenView(page);
		await welcomeButton(page, 'Set API Key').waitFor({ state: 'visible', timeout: 30_000 });
		log('the VideoGen view welcomes a new user with "Set API Key" and "Generate Video"');
	});

	await doStep('storing the API key', async () => {
		await welcomeButton(page, 'Set API Key').click();
		await typeInQuickInput(page, sim.apiKey, { title: 'Set API Key' });
		await submitQuickInput(page);
		await waitForQuickInputClosed(page);
		await welcomeButton(page, 'Set API Key').waitFor({ state: 'hidden', timeout: 30_000 });
		log('API key stored in VS Code\'s secret storage (typed into a password box)');
	});

	const hero = await doStep('generating the first video', async () => {
		log('command palette: VideoGen: Generate Video');
		return generate(HERO);
	});

	const readyAfter = await doStep('waiting for the first video', async () => {
		const since = hero.submittedAt;
		await followToReady(HERO, 'the first video');
		return seconds(since);
	});
	log(`Ready ${readyAfter} after the submit`);

	await doStep('checking the downloaded file', async () => {
		// Named from the date and the prompt's first words; the task id stays in the task list.
		const file = savedVideo(s.downloadFolder, HERO.prompt);
		if (!file) {
			throw new Error(`no video for ${hero.taskId} ("${HERO.prompt}") in ${s.downloadFolder}`);
		}
		log(`saved ${formatBytes(fs.statSync(file).size)} to ${file}`);
	});

	await doStep('checking the player', async () => {
		const video = await waitForVideoFrame(page, { minReadyState: 4, timeoutMs: 60_000 });
		if (video.error !== null) {
			throw new Error(`the player's video has media error ${video.error}`);
		}
		const src = new URL(video.src);
		log(`player: video readyState ${video.readyState}, ${video.videoWidth}x${video.videoHeight}, from ${src.hostname.split('.').slice(-3).join('.')} (a webview resource, not the storage URL)`);
		if (!(await playerText(page)).includes(HERO.prompt)) {
			throw new Error('the player does not show the prompt');
		}
		// Let the muted autoplay run a moment so the picture is a frame from the middle of the clip.
		await page.waitForTimeout(1_000);
		await clearNotifications(page);
		await screenshot(options, 'player.png');
	});

	await doStep('generating a video with another model', async () => {
		log(`command palette: VideoGen: Generate Video, model ${OTHER_MODEL.model}`);
		const task = await generate(OTHER_MODEL);
		log(`the model's own parameters were sent: ${task.model}, ${JSON.stringify(task.parameters)}`);
		await followToReady(OTHER_MODEL, `the ${OTHER_MODEL.model} video`, true);
	});

	const failing = await doStep('generating two more videos', async () => {
		sim.setTaskOutcome(FAILING.prompt, { status: 'Failure', errorMessage: 'The model could not render this prompt. Try a simpler scene.' });
		sim.setTaskOutcome(SLOW.prompt, { runningMs: 30 * 60_000 });
		log(`the simulator will fail "${FAILING.prompt}" and keep "${SLOW.prompt}" generating`);
		// Wide enough for each task's prompt and its status, time, size and duration on one line.
		await resizeSideBar(page, 680).catch(error => log(`note: could not widen the side bar: ${String(error)}`));
		const task = await generate(FAILING, async () => {
			await waitForQuickInput(page, ': Prompt (');
			await screenshot(options, 'generate.png');
		});
		await generate(SLOW);
		return task;
	});

	await doStep('waiting for Failed and Generating', async () => {
		await follow(FAILING.prompt, status => status === 'Failed', true);
		await follow(SLOW.prompt, status => status === 'Generating', true);
		// The failure's error toast is what a user sees first; the view keeps the reason under the task.
		await clearNotifications(page);
		// VideoGen opens a failed task by itself, half a second after the tree shows it.
		await expandTreeRow(page, FAILING.prompt, { opensByItselfWithinMs: 5_000 });
		await page.mouse.move(900, 700);
		await screenshot(options, 'tree.png');
		const tasks = (await treeRowLabels(page)).filter(label => label.includes(' · '));
		log(`the VideoGen view: ${tasks.map(label => statusOf(label)).join(', ')}`);
	});

	await doStep('making a video from an image in the Explorer', async () => {
		await openExplorerContextMenu(page, IMAGE);
		await chooseMenuItem(page, 'Generate Video from Image');
		log(`Explorer: right-click ${IMAGE} → Generate Video from Image`);
		await waitForQuickInput(page, ': Model (');
		await page.mouse.move(900, 700);
		// The list fades in: the picture is taken once it has.
		await page.waitForTimeout(800);
		await screenshot(options, 'models.png');
		await pickQuickItem(page, FROM_IMAGE.model, { title: ': Model (' });
		await pickQuickItem(page, 'No last frame', { title: ': Last frame (' });
		await typeInQuickInput(page, FROM_IMAGE.prompt, { title: ': Prompt (' });
		await submitQuickInput(page);
		await changeSettings(page, FROM_IMAGE.settings);
		await page.waitForTimeout(500);
		await screenshot(options, 'settings.png');
		await pickQuickItem(page, 'Generate', { title: ': Settings (' });
		await waitForQuickInputClosed(page);
		// Back to the VideoGen view while the task runs, to watch it there. (The command, not the activity
		// bar: the player may be opening, and a click on the bar then does not land.)
		await runCommand(page, 'View: Show VideoGen');
		const task = await submittedTask(FROM_IMAGE.prompt);
		log(`submitted task ${task.taskId} to ${task.model}: ${JSON.stringify(task.parameters)}, the first frame as ${task.images.first}`);
	});

	await doStep('playing the video made from an image', async () => {
		await follow(FROM_IMAGE.prompt, status => status === 'Ready', true);
		const images = await waitFor(() => 'the player shows no first frame', async () => {
			const found = await playerImages(page);
			return found.some(image => image.loaded) ? found : undefined;
		}, 60_000, 500);
		log(`player: the first frame beside the video (${images.map(image => image.alt).join(', ')}), from a webview resource`);
		// The side bar back to a usual width, so the player has room.
		await resizeSideBar(page, 380).catch(error => log(`note: could not narrow the side bar: ${String(error)}`));
		await page.waitForTimeout(1_000);
		await clearNotifications(page);
		await page.mouse.move(1200, 760);
		await screenshot(options, 'image-player.png');
	});

	await themedPictures(options, workspace, failing);

	log(`simulator: ${sim.stats.submitsAccepted} tasks submitted, ${sim.stats.statusQueries} status checks, ${sim.stats.downloads} download(s)`);
}

/**
 * The pictures in a light and a dark theme: the failed video tried again, a video from a long prompt,
 * the tree at the default width, that video's player, Insert into Document, the gallery. The theme
 * the workbench had is put back at the end.
 */
async function themedPictures(options: Options, workspace: string, failing: SimTask): Promise<void> {
	const { page, sim } = current();
	const theme = await doStep('reading the colour theme', () => currentColorTheme(page));

	await doStep('trying the failed video again', async () => {
		// This time the simulator lets it through.
		sim.setTaskOutcome(task => task.prompt === FAILING.prompt && task.taskId !== failing.taskId, { status: 'Success' });
		await runCommand(page, 'View: Show VideoGen');
		await openTreeRowMenu(page, FAILING.prompt);
		await chooseMenuItem(page, 'Generate Again');
		await pressDialogButton(page, 'Generate Again');
		const retry = await waitFor(() => 'Generate Again submitted nothing', () => [...sim.tasks.values()].find(task => task.prompt === FAILING.prompt && task.taskId !== failing.taskId), 30_000, PROBE_MS);
		log(`Generate Again on the failed task (confirmed in a dialog): submitted task ${retry.taskId}`);
		let statuses: string[] = [];
		await waitFor(() => `the tried-again task did not end Ready: ${statuses.join(', ')}`, async () => {
			statuses = (await treeRowLabels(page)).filter(label => label.startsWith(`${FAILING.prompt}, `)).map(statusOf);
			return statuses.length === 2 && statuses.includes('Ready') && statuses.includes('Failed') ? true : undefined;
		}, 60_000, PROBE_MS);
		log(`"${FAILING.prompt}": the original Failed, tried again Ready`);
	});

	await doStep('generating a video from a long prompt', async () => {
		await runCommand(page, 'View: Close All Editors');
		await generate(LONG);
		await followToReady(LONG, 'the long prompt\'s video');
	});

	await doStep('the VideoGen view at the default width in light and dark', async () => {
		await resizeSideBar(page, DEFAULT_SIDE_BAR).catch(error => log(`note: could not narrow the side bar: ${String(error)}`));
		await page.mouse.move(900, 700);
		await themedScreenshots(options, 'tree');
		const tasks = (await treeRowLabels(page)).filter(label => label.includes(' · '));
		log(`the VideoGen view: ${tasks.map(label => statusOf(label)).join(', ')}`);
	});

	await doStep('the player of the long prompt in light and dark', async () => {
		await editorTab(page, 'Opening shot').first().click();
		const frame = await playerFrame(page);
		const toggle = frame.locator('#prompt-toggle');
		await toggle.waitFor({ state: 'visible', timeout: 30_000 });
		log(`player: the ${LONG_PROMPT.length}-character prompt cut to a few lines under "${((await toggle.textContent()) ?? '').trim()}"`);
		await page.mouse.move(700, 760);
		await themedScreenshots(options, 'player-long-prompt');
	});

	await doStep('inserting the video into a Markdown file', async () => {
		const file = path.join(workspace, NOTES);
		await insertIntoMarkdownFile(page, NOTES, 'Opening shot');
		const inserted = await waitFor(() => `${NOTES} was not saved with the video: ${JSON.stringify(fs.readFileSync(file, 'utf8'))}`, () => {
			const text = fs.readFileSync(file, 'utf8');
			return text.startsWith(NOTES_TEXT) && text.length > NOTES_TEXT.length ? text.slice(NOTES_TEXT.length) : undefined;
		}, 15_000, PROBE_MS);
		log(`Insert into Document: ${NOTES} now ends with ${inserted}`);
		await showBesidePlayer(page, 'Opening shot');
		await page.mouse.move(700, 760);
		await themedScreenshots(options, 'insert-into-document');
	});

	await doStep('the gallery in light and dark', async () => {
		await runCommand(page, 'View: Close All Editors');
		await runCommand(page, 'View: Show VideoGen');
		await showGallery(page);
		// Wide enough for three columns of tiles, and most of the side bar's height.
		await resizeSideBar(page, 620).catch(error => log(`note: could not widen the side bar: ${String(error)}`));
		await growGallery(page);
		await themedScreenshots(options, 'gallery', async () => {
			const frame = await galleryPostersShown(page);
			await page.mouse.move(1200, 760);
			await page.waitForTimeout(800);
			log(`gallery: ${await frame.locator('#grid .tile').count()} videos, the first one's first frame loaded`);
		});
	});

	await doStep('putting the colour theme back', async () => {
		await setColorTheme(page, theme);
		log(`colour theme back to ${theme}`);
	});
}

/** Stops everything on Ctrl+C; runs before the harness's own handler (registered first), so it decides the exit code. */
function installSignalHandlers(waiting: () => boolean): void {
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.once(signal, () => {
			const keptRunning = waiting();
			console.log(keptRunning ? '\n[demo] stopping the simulator and code-server' : `\n[demo] ${signal} during "${step}": stopping`);
			if (session) {
				// What is left (code-server's process group, Chromium) is killed by the process exit hooks.
				fs.rmSync(session.downloadFolder, { recursive: true, force: true });
			}
			process.exit(keptRunning ? 0 : 130);
		});
	}
}

async function main(): Promise<number> {
	const options = parseArgs(process.argv.slice(2));
	let waiting = false;
	installSignalHandlers(() => waiting);
	try {
		log('starting the API simulator, code-server and headless Chromium');
		// A folder named for what it holds, as the workbench's title shows it.
		const temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'videogen-demo-workspace-'));
		const workspace = path.join(temporary, 'pictures');
		fs.mkdirSync(workspace);
		fs.writeFileSync(path.join(workspace, IMAGE), dawnPng(960, 540));
		fs.writeFileSync(path.join(workspace, NOTES), NOTES_TEXT);
		process.once('exit', () => fs.rmSync(temporary, { recursive: true, force: true }));
		session = await doStep('starting the simulator and code-server', () => startSession({
			simulator: { pendingMs: 1000, runningMs: 2000 },
			port: options.port,
			tempPrefix: 'videogen-demo-videos-',
			folder: workspace,
		}));
		log(`simulator at ${session.sim.apiUrl}, VS Code at ${session.host.origin} (${seconds(t0)})`);
		await journey(options, workspace);
		log(`done in ${seconds(t0)}: screenshots in ${path.relative(process.cwd(), options.outDir) || options.outDir}/`);
	} catch (error) {
		console.error(`[demo] FAILED while ${step}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
		if (session) {
			const file = path.join(options.outDir, 'failure.png');
			fs.mkdirSync(options.outDir, { recursive: true });
			await session.page.screenshot({ path: file }).then(() => console.error(`[demo] the workbench at that moment: ${file}`), () => undefined);
			const toasts = await notificationToasts(session.page).catch(() => []);
			if (toasts.length) {
				console.error(`[demo] notifications: ${toasts.join(' | ')}`);
			}
			const recent = session.recentLog(15);
			if (recent) {
				console.error(`[demo] workbench log (tail):\n${recent}`);
			}
			console.error(`[demo] code-server log (tail):\n${session.host.logTail(15)}`);
		}
		await session?.stop();
		return 1;
	}
	const s = current();
	if (!options.keep) {
		await s.stop();
		return 0;
	}
	await s.browser.close().catch(() => undefined);
	waiting = true;
	log('--keep: the simulator and code-server keep running. Open VS Code with VideoGen in a browser:');
	log(`  ${s.host.url}`);
	log(`the simulator's API key is "${s.sim.apiKey}" (your browser has its own secret storage: set it with "Set API Key")`);
	log('press Ctrl+C to stop');
	await new Promise<never>(() => setInterval(() => undefined, 1 << 30));
	return 0;
}

main().then(
	code => process.exit(code),
	error => {
		console.error(`[demo] error: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	},
);
