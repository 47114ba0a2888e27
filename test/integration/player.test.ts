/**
 * A player that leads somewhere, and prompts worth writing, inside a real extension host against the
 * API simulator: Insert into Document, Copy Prompt, the player's settings, the offer to insert a video
 * made from a Markdown selection, and New Prompt with its Generate CodeLens.
 */

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { TaskRecord } from '../../src/core/task';
import { BACK, Environment, recordMessages, setUpEnvironment, waitFor, withAnswers } from './helpers';

/** The settings the page is given, read from the player's HTML. */
function pageSettings(html: string): { id: string; loop: boolean; autoplay: boolean } {
	const attribute = /<meta id="player-settings" data-settings="([^"]*)">/.exec(html)![1];
	return JSON.parse(attribute.replace(/&quot;/g, '"').replace(/&#39;/g, '\'').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
}

describe('the player\'s actions and prompt documents', function () {
	this.timeout(90_000);
	let env: Environment;
	let video: TaskRecord;
	let folder: string;

	/** Generates a video from `prompt` and waits until it is saved. */
	const generate = async (argument: object, options: { insertFrom?: () => Thenable<unknown> } = {}): Promise<TaskRecord> => {
		const taskId = options.insertFrom
			? await options.insertFrom() as string
			: await vscode.commands.executeCommand<string>('videogen.generate', argument);
		assert.ok(taskId, 'the simulator did not accept the task');
		return waitFor('the video to be saved', () => env.api.tasks().find(task => task.taskId === taskId && task.download?.phase === 'done'));
	};

	/** A file in the workspace, opened in an editor with the cursor at `cursor`. */
	const openFile = async (name: string, text: string, cursor: vscode.Position): Promise<vscode.TextEditor> => {
		const file = path.join(folder, name);
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, text);
		const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
		editor.selection = new vscode.Selection(cursor, cursor);
		return editor;
	};

	before(async () => {
		env = await setUpEnvironment();
		folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
		video = await generate({ prompt: 'A paper boat on a rainy street [instant]', size: '1280x720', duration: 4 });
	});

	after(async () => {
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		for (const setting of ['player.loop', 'player.autoplay', 'openOnSuccess']) {
			await vscode.workspace.getConfiguration('videogen').update(setting, undefined, vscode.ConfigurationTarget.Global);
		}
		await env?.dispose();
	});

	describe('Insert into Document', () => {
		it('puts a <video> tag with a path relative to the Markdown document at its cursor, after the player took the focus', async () => {
			const editor = await openFile('notes/plan.md', '# Plan\n\nThe opening shot:\n\nThen the title.\n', new vscode.Position(3, 0));
			await vscode.commands.executeCommand('videogen.play', video.id);
			await waitFor('the player to open', () => env.api.openPlayers().includes(video.id) || undefined);
			await waitFor('the player to take the focus from the text editor', () => vscode.window.activeTextEditor === undefined || undefined);
			const inserted = await vscode.commands.executeCommand<string>('videogen.insertIntoDocument', video.id);
			const relative = path.relative(path.join(folder, 'notes'), video.download!.files![0]).split(path.sep).join('/');
			assert.ok(!relative.startsWith('/'), relative);
			const tag = `<video src="${relative.split('/').map(encodeURIComponent).join('/')}" controls></video>`;
			assert.strictEqual(inserted, tag);
			assert.strictEqual(editor.document.getText(), `# Plan\n\nThe opening shot:\n${tag}\nThen the title.\n`);
			assert.deepStrictEqual([editor.selection.active.line, editor.selection.active.character], [3, tag.length], 'the cursor is after the video');
			// The path leads to the video from the document's folder.
			assert.ok(fs.existsSync(path.resolve(path.join(folder, 'notes'), decodeURIComponent(relative))));
		});

		it('puts the plain relative path into a plain-text document, in the middle of a line where the cursor is', async () => {
			const editor = await openFile('shots.txt', 'Opening: () then titles\n', new vscode.Position(0, 10));
			const inserted = await vscode.commands.executeCommand<string>('videogen.insertIntoDocument', video.id);
			const relative = path.relative(folder, video.download!.files![0]).split(path.sep).join('/');
			assert.strictEqual(inserted, relative);
			assert.strictEqual(editor.document.getText(), `Opening: (${relative}) then titles\n`);
			assert.deepStrictEqual([editor.selection.active.line, editor.selection.active.character], [0, 10 + relative.length], 'the cursor is after the path');
		});

		it('puts the video\'s file: URI into an untitled Markdown document and says why it is not relative', async () => {
			const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: '' });
			await vscode.window.showTextDocument(document);
			const { result, messages } = await recordMessages(() => vscode.commands.executeCommand<string>('videogen.insertIntoDocument', video.id));
			assert.strictEqual(result, `<video src="${vscode.Uri.file(video.download!.files![0]).toString(true).replace(/ /g, '%20')}" controls></video>`);
			assert.strictEqual(document.getText(), result);
			assert.match(messages.join('\n'), /is not a file on disk, so VideoGen inserted the video's full address/);
			await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
		});
	});

	it('copies the prompt to the clipboard with Copy Prompt', async () => {
		await vscode.env.clipboard.writeText('something else');
		const copied = await vscode.commands.executeCommand<string>('videogen.copyPrompt', video.id);
		assert.strictEqual(copied, video.prompt);
		assert.strictEqual(await vscode.env.clipboard.readText(), video.prompt);
	});

	it('gives the page the loop and autoplay settings when the player opens, and again when they change', async () => {
		const config = vscode.workspace.getConfiguration('videogen');
		vscode.commands.executeCommand('workbench.action.closeAllEditors');
		await waitFor('the player to close', () => !env.api.openPlayers().includes(video.id) || undefined);
		// As VS Code ships them: autoplay (muted, as browsers require), no loop.
		await vscode.commands.executeCommand('videogen.play', video.id);
		let html = await waitFor('the player to open', () => env.api.player(video.id)?.html);
		assert.deepStrictEqual([pageSettings(html).loop, pageSettings(html).autoplay], [false, true]);
		assert.match(html, /<video [^>]* autoplay muted[^>]*>/);
		assert.doesNotMatch(html, /<video [^>]*\sloop\b/);

		await config.update('player.loop', true, vscode.ConfigurationTarget.Global);
		await config.update('player.autoplay', false, vscode.ConfigurationTarget.Global);
		html = await waitFor('the open player to take the new settings', () => {
			const now = env.api.player(video.id)?.html;
			return now && pageSettings(now).loop && !pageSettings(now).autoplay ? now : undefined;
		});
		assert.match(html, /<video [^>]*\sloop\b[^>]*>/);
		assert.doesNotMatch(html, /\sautoplay\b/);
		assert.doesNotMatch(html, /\smuted\b/, 'a video that does not play by itself keeps its sound');

		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		await waitFor('the player to close', () => !env.api.openPlayers().includes(video.id) || undefined);
		await vscode.commands.executeCommand('videogen.play', video.id);
		html = await waitFor('the player to open', () => env.api.player(video.id)?.html);
		assert.deepStrictEqual([pageSettings(html).loop, pageSettings(html).autoplay], [true, false], 'read when the player opens');
	});

	it('offers, when a video made from a Markdown selection is ready, to insert it below the selection, and does so', async () => {
		await vscode.workspace.getConfiguration('videogen').update('openOnSuccess', 'notify', vscode.ConfigurationTarget.Global);
		const editor = await openFile('story.md', '# Story\n\nA lantern on a quiet pier [instant]\nat night.\nThe end.\n', new vscode.Position(2, 0));
		editor.selection = new vscode.Selection(2, 0, 3, 9);
		let offered: { message: string; buttons: string[] } | undefined;
		const { result: task } = await recordMessages(
			// The selection is the prompt: the model and the settings are asked.
			() => generate({}, { insertFrom: async () => (await withAnswers(['Sora 2', 'Generate'], () => vscode.commands.executeCommand<string>('videogen.generateFromSelection'))).result })
				.then(saved => waitFor('the notification that the video is ready', () => offered && saved)),
			(message, buttons) => {
				if (message.includes('is ready')) {
					offered = { message, buttons };
					return 'Insert below Selection';
				}
				return undefined;
			});
		assert.deepStrictEqual(task.insertBelow, { uri: editor.document.uri.toString(), line: 4 }, 'the task remembers the document and the line after the selection');
		assert.match(offered!.message, /^VideoGen: your video "A lantern on a quiet pier \[instant\]" is ready\. Insert it below the selection it was made from, in story\.md\?$/);
		assert.deepStrictEqual(offered!.buttons, ['Insert below Selection', 'Play', 'Save a Copy...']);
		const relative = path.relative(folder, task.download!.files![0]).split(path.sep).join('/');
		const tag = `<video src="${relative.split('/').map(encodeURIComponent).join('/')}" controls></video>`;
		await waitFor('the video to be inserted', () => editor.document.getText().includes(tag) || undefined);
		assert.strictEqual(editor.document.getText(), `# Story\n\nA lantern on a quiet pier [instant]\nat night.\n\n${tag}\n\nThe end.\n`);
	});

	describe('New Prompt and its Generate CodeLens', () => {
		/** The CodeLenses VS Code asks the providers for, resolved. */
		const lenses = (uri: vscode.Uri) => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
		const ours = async (uri: vscode.Uri) => (await lenses(uri)).filter(lens => lens.command?.command === 'videogen.generateFromPromptDocument');

		it('opens an untitled Markdown document whose front matter names the configured model and its parameters', async () => {
			const editor = await vscode.commands.executeCommand<vscode.TextEditor>('videogen.newPrompt');
			const { document } = editor;
			assert.strictEqual(document.isUntitled, true);
			assert.strictEqual(document.languageId, 'markdown');
			assert.match(document.getText(), /^---\nmodel: openai\/sora-2\/text-to-video\nsize: 720x1280\nduration: 4\n---\n\n<!-- Describe the video below this note[^\n]*-->\n\n$/);
			assert.strictEqual(editor.selection.active.line, document.lineCount - 1, 'the cursor is where the prompt goes');
			const [lens] = await ours(document.uri);
			assert.strictEqual(lens?.command?.title, '$(play) Generate', 'Sora 2 publishes no prompt limit');
			await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
		});

		it('runs the flow from the CodeLens with the front matter\'s model and parameters, and the body as the prompt', async () => {
			const before = env.sim.requests.length;
			const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: '---\nmodel: kling-v3\nmode: pro\nduration: 7\n---\n\n<!-- notes -->\nA red kite over white dunes at noon [instant]\n' });
			await vscode.window.showTextDocument(document);
			const [lens] = await waitFor('the Generate CodeLens', async () => (await ours(document.uri)).length ? ours(document.uri) : undefined);
			assert.strictEqual(lens.command!.title, `$(play) Generate · ${'A red kite over white dunes at noon [instant]'.length}/2,500`, 'the prompt\'s length against Kling 3\'s limit');
			const { result: taskId, shown } = await withAnswers(['Generate'], () => vscode.commands.executeCommand<string>(lens.command!.command, ...(lens.command!.arguments ?? [])));
			assert.match(shown[0].title, /^Generate Video: Settings \((\d)\/\1\)$/, 'opens on Settings, with the model and the prompt steps back');
			assert.ok(taskId);
			const submit = env.sim.requests.slice(before).find(request => request.server === 'api' && request.path === '/v1/tasks/submit');
			const body = JSON.parse(submit!.body);
			assert.strictEqual(body.model, 'kling-v3');
			assert.strictEqual(body.input.prompt, 'A red kite over white dunes at noon [instant]');
			assert.strictEqual(body.parameters.mode, 'pro');
			assert.strictEqual(body.parameters.duration, 7);
			await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
		});

		it('refuses a value the model does not take, naming the line, and submits nothing', async () => {
			const submits = env.sim.stats.submitsReceived;
			const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: '---\nmodel: openai/sora-2/text-to-video\nsize: 1280x720\nduration: 7\n---\n\nA kite\n' });
			await vscode.window.showTextDocument(document);
			const [lens] = await waitFor('the CodeLens', async () => (await ours(document.uri)).length ? ours(document.uri) : undefined);
			assert.strictEqual(lens.command!.title, '$(warning) Line 4: Duration (s) (duration) must be one of 4, 8, 12, not "7".');
			const { messages } = await recordMessages(() => vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? [])));
			assert.deepStrictEqual(messages, ['error: Line 4: Duration (s) (duration) must be one of 4, 8, 12, not "7".']);
			assert.strictEqual(vscode.window.activeTextEditor?.selection.active.line, 3, 'the line is selected');
			assert.strictEqual(env.sim.stats.submitsReceived, submits);
			await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
		});

		it('shows the prompt\'s length against the model\'s limit in the prompt step', async () => {
			const { shown } = await withAnswers(['Kling 3', 'No image', 'A kite over dunes [instant]', BACK, 'A kite over dunes [instant]', 'Generate'], () => vscode.commands.executeCommand('videogen.generate'));
			const prompts = shown.filter(question => question.title.startsWith('Generate Video: Prompt'));
			assert.strictEqual(prompts.length, 2);
			assert.strictEqual(prompts[1].value, 'A kite over dunes [instant]');
			assert.strictEqual(prompts[1].message, '27 / 2,500 characters', 'a prompt written before shows its length at once');
		});
	});
});
