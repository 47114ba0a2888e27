/**
 * Save a Copy, and what a window offers for a saved video. `npm run test:host` runs this in
 * code-server's extension host: a browser client of a remote window, where the commands take the
 * browser's way; `npm run test:desktop` runs it in the desktop app's local window. What other kinds of
 * window do (the player's buttons and notes; a save dialog on the user's own disk) is checked through
 * the same functions given those kinds of window, as far as one host can: the native dialog itself is
 * replaced by its answer, as input boxes are in every host test.
 */

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { saveCopyWithDialog } from '../../src/commands/saveCopy';
import { TaskRecord } from '../../src/core/task';
import { videoActions, WindowKind } from '../../src/core/videoActions';
import { windowKind } from '../../src/host/windowKind';
import { renderPlayer } from '../../src/views/playerPanel';
import { Environment, extensionId, sampleVideo, setUpEnvironment, waitFor, withAnswers } from './helpers';
import { recordShown } from './shown';

/** An in-memory `Memento`, for what Save a Copy remembers. */
class MemoryMemento implements vscode.Memento {
	private readonly values = new Map<string, unknown>();
	keys(): readonly string[] {
		return [...this.values.keys()];
	}
	get<T>(key: string, defaultValue?: T): T | undefined {
		return this.values.has(key) ? this.values.get(key) as T : defaultValue;
	}
	update(key: string, value: unknown): Thenable<void> {
		this.values.set(key, value);
		return Promise.resolve();
	}
}

/** Runs `work` while every save dialog is answered by `answer`; resolves with the dialogs' options. */
async function withSaveDialog<T>(answer: vscode.Uri | undefined, work: () => Promise<T>): Promise<{ result: T; asked: vscode.SaveDialogOptions[] }> {
	const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: typeof vscode.window[K] };
	const original = window.showSaveDialog;
	const asked: vscode.SaveDialogOptions[] = [];
	window.showSaveDialog = async (options?: vscode.SaveDialogOptions) => {
		asked.push(options ?? {});
		return answer;
	};
	try {
		return { result: await work(), asked };
	} finally {
		window.showSaveDialog = original;
	}
}

const LOCAL_DESKTOP: WindowKind = { desktop: true, remoteName: undefined, runsOnUiSide: false };
const SSH_DESKTOP: WindowKind = { desktop: true, remoteName: 'ssh-remote', runsOnUiSide: false };
const SSH_DESKTOP_UI_SIDE: WindowKind = { desktop: true, remoteName: 'ssh-remote', runsOnUiSide: true };
const BROWSER: WindowKind = { desktop: false, remoteName: 'localhost:8080', runsOnUiSide: false };

describe('Save a Copy, and what each kind of window offers for a saved video', function () {
	this.timeout(60_000);
	let env: Environment;
	let saved: TaskRecord;
	let folder: string;
	let log: vscode.LogOutputChannel;

	before(async () => {
		env = await setUpEnvironment();
		folder = fs.mkdtempSync(path.join(os.tmpdir(), 'videogen-save-copy-'));
		log = vscode.window.createOutputChannel('VideoGen save copy test', { log: true });
		const taskId = await vscode.commands.executeCommand<string>('videogen.generate', { prompt: 'A lantern on a quiet pier [instant]', size: '720x1280', duration: 4 });
		saved = await waitFor('the video to be saved', () => env.api.tasks().find(task => task.taskId === taskId && task.download?.phase === 'done'));
	});

	after(async () => {
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		log?.dispose();
		await env?.dispose();
		fs.rmSync(folder, { recursive: true, force: true });
	});

	describe('the player', () => {
		/** A webview of the test's own, for the player's HTML to be rendered with: nothing is shown in it. */
		let probe: vscode.WebviewPanel;
		before(() => {
			probe = vscode.window.createWebviewPanel('videogen.renderProbe', 'probe', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {});
		});
		after(() => probe?.dispose());

		/** The player as a window of `kind` would show it: its buttons, its notes and its policy. */
		const render = (kind: WindowKind) => {
			const media = vscode.Uri.joinPath(vscode.extensions.getExtension(extensionId)!.extensionUri, 'media');
			const html = renderPlayer(probe.webview, media, saved, videoActions(kind));
			const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1];
			return {
				buttons: [...html.matchAll(/<button\b[^>]*data-action="[^"]+"[^>]*>([^<]*)<\/button>/g)].map(match => match[1]),
				sound: /<p class="note sound">([\s\S]*?)<\/p>/.exec(html)?.[1].replace(/<[^>]+>/g, '') ?? '',
				fallback: /<p class="error"[^>]*>([\s\S]*?)<\/p>/.exec(html)![1].replace(/<[^>]+>/g, ''),
				connect: /connect-src ([^;]+)/.exec(csp)?.[1].trim(),
				own: probe.webview.cspSource,
				html,
			};
		};

		it('offers the system player, Save a Copy, Reveal File, Copy URL and Edit & Generate Again in the desktop app\'s local window, and says it plays silently', () => {
			const player = render(LOCAL_DESKTOP);
			assert.deepStrictEqual(player.buttons, ['Open in System Player', 'Save a Copy...', 'Reveal File', 'Copy URL', 'Insert into Document', 'Edit &amp; Generate Again', 'Copy Prompt', 'Remove Task']);
			assert.match(player.sound, /plays silently here\. Use Open in System Player to hear it/);
			assert.match(player.fallback, /Use Open in System Player/);
			assert.strictEqual(player.connect, undefined, 'the page fetches nothing where a dialog saves the copy');
			assert.doesNotMatch(player.html, /remote machine/);
		});

		it('offers the same where VideoGen runs on the user\'s side of a remote window', () => {
			assert.deepStrictEqual(render(SSH_DESKTOP_UI_SIDE).buttons, ['Open in System Player', 'Save a Copy...', 'Reveal File', 'Copy URL', 'Insert into Document', 'Edit &amp; Generate Again', 'Copy Prompt', 'Remove Task']);
		});

		it('leaves out the system player and Reveal File in the desktop app\'s remote window, and still says it plays silently', () => {
			const player = render(SSH_DESKTOP);
			assert.deepStrictEqual(player.buttons, ['Save a Copy...', 'Copy URL', 'Insert into Document', 'Edit &amp; Generate Again', 'Copy Prompt', 'Remove Task']);
			assert.match(player.sound, /plays silently here\. Use Save a Copy\.\.\. and play the copy on your computer to hear it/);
			assert.match(player.fallback, /Use Save a Copy\.\.\. to play it on your computer/);
			assert.strictEqual(player.connect, undefined);
			assert.match(player.html, /Saved at [^<]*, on the remote machine/);
		});

		it('leaves out the system player, Reveal File and the sound note in a browser, whose page may fetch only its own resources', () => {
			const player = render(BROWSER);
			assert.deepStrictEqual(player.buttons, ['Save a Copy...', 'Copy URL', 'Insert into Document', 'Edit &amp; Generate Again', 'Copy Prompt', 'Remove Task']);
			assert.strictEqual(player.sound, '');
			assert.doesNotMatch(player.html, /silent|AAC/);
			assert.strictEqual(player.connect, player.own);
		});
	});

	describe('in the desktop app (a save dialog)', () => {
		it('copies the video to where the dialog says, first offering the home folder and the video\'s name', async () => {
			const target = vscode.Uri.file(path.join(folder, 'my copy.mp4'));
			const state = new MemoryMemento();
			const { result, asked } = await withSaveDialog(target, () => saveCopyWithDialog(saved.download!.files![0], 'saveDialog', state, log));
			assert.strictEqual(result?.toString(), target.toString());
			assert.ok(fs.readFileSync(target.fsPath).equals(sampleVideo()), 'the copy is not the video');
			assert.strictEqual(asked.length, 1);
			assert.strictEqual(asked[0].defaultUri?.scheme, 'file');
			assert.strictEqual(asked[0].defaultUri?.fsPath, path.join(os.homedir(), path.basename(saved.download!.files![0])));
			assert.deepStrictEqual(asked[0].filters, { 'MP4 video': ['mp4'] });
		});

		it('opens the next dialog in the folder the last copy went to', async () => {
			const state = new MemoryMemento();
			await withSaveDialog(vscode.Uri.file(path.join(folder, 'first.mp4')), () => saveCopyWithDialog(saved.download!.files![0], 'saveDialog', state, log));
			const { asked } = await withSaveDialog(undefined, () => saveCopyWithDialog(saved.download!.files![0], 'saveDialog', state, log));
			assert.strictEqual(asked[0].defaultUri?.fsPath, path.join(folder, path.basename(saved.download!.files![0])));
		});

		it('replaces a file there, which the dialog has asked the user about', async () => {
			const target = path.join(folder, 'replaced.mp4');
			fs.writeFileSync(target, 'an older file');
			await withSaveDialog(vscode.Uri.file(target), () => saveCopyWithDialog(saved.download!.files![0], 'saveDialog', new MemoryMemento(), log));
			assert.ok(fs.readFileSync(target).equals(sampleVideo()));
		});

		it('copies nothing when the dialog is cancelled', async () => {
			const before = fs.readdirSync(folder);
			const { result } = await withSaveDialog(undefined, () => saveCopyWithDialog(saved.download!.files![0], 'saveDialog', new MemoryMemento(), log));
			assert.strictEqual(result, undefined);
			assert.deepStrictEqual(fs.readdirSync(folder), before);
		});

		it('in a remote window, opens the dialog on the user\'s own side (vscode-local:)', async () => {
			const { asked } = await withSaveDialog(undefined, () => saveCopyWithDialog(saved.download!.files![0], 'saveDialogLocal', new MemoryMemento(), log));
			assert.strictEqual(asked[0].defaultUri?.scheme, 'vscode-local');
			assert.strictEqual(asked[0].defaultUri?.path, `/${path.basename(saved.download!.files![0])}`);
		});

		it('says so when the copy cannot be written', async () => {
			const target = vscode.Uri.file(path.join(folder, 'no such folder', 'copy.mp4'));
			fs.writeFileSync(path.join(folder, 'no such folder'), 'a file where the folder should be');
			const { result: { result }, shown } = await recordShown(() => withSaveDialog(target, () => saveCopyWithDialog(saved.download!.files![0], 'saveDialog', new MemoryMemento(), log)));
			assert.strictEqual(result, undefined);
			assert.ok(shown.some(s => s.level === 'error' && s.text.startsWith(`VideoGen could not save a copy as ${target.fsPath}:`) && s.buttons.includes('Show Log')), JSON.stringify(shown));
		});
	});

	// The commands as this window runs them: code-server's (test:host) is a browser client of a remote window.
	const here = videoActions(windowKind(vscode.extensions.getExtension(extensionId)!));
	if (here.saveCopy === 'browserDownload') {
		describe('here, in a browser client', () => {
			it('Save a Copy opens the player, whose page is asked to hand the video to the browser\'s download', async () => {
				await vscode.commands.executeCommand('workbench.action.closeAllEditors');
				const { result, asked } = await withSaveDialog(undefined, () => Promise.resolve(vscode.commands.executeCommand<boolean>('videogen.saveCopy', saved.id)));
				assert.strictEqual(result, true);
				assert.strictEqual(asked.length, 0, 'a browser gets no save dialog');
				assert.ok(env.api.openPlayers().includes(saved.id), 'the player did not open');
			});

			for (const [command, label] of [['videogen.openExternal', 'Open in System Player'], ['videogen.revealFile', 'Reveal File']]) {
				it(`${label} says why it cannot work here and offers Save a Copy instead`, async () => {
					await vscode.commands.executeCommand('workbench.action.closeAllEditors');
					const { shown } = await recordShown(() => vscode.commands.executeCommand(command, saved.id), () => 'Save a Copy...');
					assert.deepStrictEqual(shown.map(s => [s.level, s.buttons]), [['info', ['Save a Copy...']]]);
					assert.match(shown[0].text, new RegExp(`^${label} is not available in this window: the video is saved on the remote machine, not on your computer`));
					await waitFor('Save a Copy to open the player', () => env.api.openPlayers().includes(saved.id) || undefined);
				});
			}

			it('offers Play and Save a Copy, not Reveal File, when a video is ready', async () => {
				const config = vscode.workspace.getConfiguration('videogen');
				await config.update('openOnSuccess', 'notify', vscode.ConfigurationTarget.Global);
				try {
					const { shown } = await recordShown(async () => {
						const taskId = await vscode.commands.executeCommand<string>('videogen.generate', { prompt: 'A paper crane on a windowsill [instant]', size: '720x1280', duration: 4 });
						await waitFor('the ready notification', () => env.api.tasks().some(task => task.taskId === taskId && task.download?.phase === 'done') || undefined);
						await new Promise(resolve => setTimeout(resolve, 200));
					});
					const ready = shown.find(s => /is ready\.$/.test(s.text));
					assert.deepStrictEqual(ready?.buttons, ['Play', 'Save a Copy...'], JSON.stringify(shown));
				} finally {
					await config.update('openOnSuccess', 'none', vscode.ConfigurationTarget.Global);
				}
			});

			it('asks which video when a task has several, and does nothing when none is picked', async () => {
				const taskId = await vscode.commands.executeCommand<string>('videogen.generate', { prompt: 'Two takes of a harbour [multi] [instant]', size: '720x1280', duration: 4 });
				const task = await waitFor('both videos to be saved', () => env.api.tasks().find(t => t.taskId === taskId && t.download?.phase === 'done' && t.download.files?.length === 2));
				await vscode.commands.executeCommand('workbench.action.closeAllEditors');
				const cancelled = await withAnswers([undefined], () => vscode.commands.executeCommand<boolean>('videogen.saveCopy', task.id));
				assert.strictEqual(cancelled.result, false);
				assert.deepStrictEqual(cancelled.asked, ['pick:Save a copy of which video?:Video 1|Video 2']);
				assert.ok(!env.api.openPlayers().includes(task.id), 'the player opened though no video was picked');
				const picked = await withAnswers(['Video 2'], () => vscode.commands.executeCommand<boolean>('videogen.saveCopy', task.id));
				assert.strictEqual(picked.result, true);
				assert.ok(env.api.openPlayers().includes(task.id));
			});

			it('says a task without a saved video has nothing to save', async () => {
				const taskId = await vscode.commands.executeCommand<string>('videogen.generate', { prompt: 'A slow tide [slow]', size: '720x1280', duration: 4 });
				const task = env.api.tasks().find(t => t.taskId === taskId)!;
				const { result, shown } = await recordShown(() => vscode.commands.executeCommand<boolean>('videogen.saveCopy', task.id));
				assert.strictEqual(result, false);
				assert.deepStrictEqual(shown.map(s => s.text), ['"A slow tide [slow]" has no saved video yet.']);
			});
		});
	}

	if (here.saveCopy === 'saveDialog') {
		describe('here, in the desktop app\'s local window', () => {
			it('Save a Copy asks where in a save dialog and copies the video there', async () => {
				const target = vscode.Uri.file(path.join(folder, 'from the command.mp4'));
				const { result, asked } = await withSaveDialog(target, () => Promise.resolve(vscode.commands.executeCommand<boolean>('videogen.saveCopy', saved.id)));
				assert.strictEqual(result, true);
				assert.strictEqual(asked.length, 1);
				assert.ok(fs.readFileSync(target.fsPath).equals(sampleVideo()));
			});

			it('offers Play and Reveal File when a video is ready', async () => {
				const config = vscode.workspace.getConfiguration('videogen');
				await config.update('openOnSuccess', 'notify', vscode.ConfigurationTarget.Global);
				try {
					const { shown } = await recordShown(async () => {
						const taskId = await vscode.commands.executeCommand<string>('videogen.generate', { prompt: 'A paper crane on a windowsill [instant]', size: '720x1280', duration: 4 });
						await waitFor('the ready notification', () => env.api.tasks().some(task => task.taskId === taskId && task.download?.phase === 'done') || undefined);
						await new Promise(resolve => setTimeout(resolve, 200));
					});
					assert.deepStrictEqual(shown.find(s => /is ready\.$/.test(s.text))?.buttons, ['Play', 'Reveal File'], JSON.stringify(shown));
				} finally {
					await config.update('openOnSuccess', 'none', vscode.ConfigurationTarget.Global);
				}
			});
		});
	}
});
