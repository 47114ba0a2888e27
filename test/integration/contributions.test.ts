/** The public names others script against: commands, menus, views and settings, as contributed. */

import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, extensionId } from './helpers';
import { defaultModelId } from '../../src/core/videoModels';

const publicCommands = [
	'videogen.generate', 'videogen.generateFromSelection', 'videogen.generateFromImage', 'videogen.setApiKey', 'videogen.clearApiKey',
	'videogen.selectModel', 'videogen.refresh', 'videogen.play', 'videogen.openExternal', 'videogen.revealFile', 'videogen.copyUrl',
	'videogen.regenerate', 'videogen.editAndRegenerate', 'videogen.removeTask', 'videogen.clearFinished', 'videogen.trackTask', 'videogen.showLog',
	'videogen.saveCopy', 'videogen.clearFailed', 'videogen.openVideosFolder', 'videogen.attachTaskId',
];
const treeItemCommands = ['videogen.play', 'videogen.openExternal', 'videogen.revealFile', 'videogen.copyUrl', 'videogen.regenerate', 'videogen.editAndRegenerate', 'videogen.removeTask', 'videogen.attachTaskId'];

interface Manifest {
	name: string;
	capabilities: {
		untrustedWorkspaces: { supported: boolean | 'limited'; restrictedConfigurations?: string[]; description?: string };
		virtualWorkspaces: boolean | { supported: boolean | 'limited' };
	};
	contributes: {
		commands: { command: string; title: string; category: string }[];
		menus: Record<string, { command: string; when?: string }[]>;
		keybindings: { command: string; key: string; mac?: string; when?: string; args?: unknown }[];
		viewsContainers: { activitybar: { id: string }[] };
		views: Record<string, { id: string }[]>;
		configuration: { properties: Record<string, { default?: unknown; minimum?: number; maximum?: number; enum?: unknown[]; scope?: string }> };
	};
}

describe('contributions', () => {
	let manifest: Manifest;

	before(async () => {
		await activateExtension();
		manifest = vscode.extensions.getExtension(extensionId)!.packageJSON as Manifest;
	});

	it('binds Delete (Cmd+Backspace on a Mac) to Remove on the selection, in the VideoGen view only and never while typing', () => {
		assert.deepStrictEqual(manifest.contributes.keybindings, [{
			command: 'videogen.removeTask',
			key: 'delete',
			mac: 'cmd+backspace',
			when: 'focusedView == videogen.tasks && listFocus && !inputFocus',
			args: { selection: true },
		}]);
		assert.ok(manifest.contributes.views.videogen.some(view => view.id === 'videogen.tasks'));
	});

	it('registers every public command once the extension is active', async () => {
		const registered = new Set(await vscode.commands.getCommands(true));
		const missing = publicCommands.filter(command => !registered.has(command));
		assert.deepStrictEqual(missing, []);
	});

	it('names the extension videogen and puts every command in the VideoGen category', () => {
		assert.strictEqual(manifest.name, 'videogen');
		for (const command of publicCommands) {
			const contributed = manifest.contributes.commands.find(c => c.command === command);
			assert.ok(contributed, `${command} is not contributed`);
			assert.strictEqual(contributed.category, 'VideoGen', command);
		}
		assert.strictEqual(manifest.contributes.commands.find(c => c.command === 'videogen.generate')?.title, 'Generate Video');
		assert.strictEqual(manifest.contributes.commands.find(c => c.command === 'videogen.generateFromSelection')?.title, 'Generate Video from Selection');
	});

	it('offers Generate Video from Selection in the editor context menu only when text is selected', () => {
		const entry = manifest.contributes.menus['editor/context'].find(item => item.command === 'videogen.generateFromSelection');
		assert.strictEqual(entry?.when, 'editorHasSelection');
	});

	it('offers Generate Video from Image in the Explorer on PNG, JPEG and WebP files only, and not in the palette', () => {
		const entry = manifest.contributes.menus['explorer/context'].find(item => item.command === 'videogen.generateFromImage');
		assert.ok(entry?.when, 'not in the Explorer\'s context menu');
		const extension = /resourceExtname =~ \/(.*)\/i/.exec(entry.when)!;
		const pattern = new RegExp(extension[1], 'i');
		for (const name of ['.png', '.jpg', '.JPEG', '.webp']) {
			assert.ok(pattern.test(name), name);
		}
		for (const name of ['.gif', '.svg', '.mp4', '.png.txt']) {
			assert.ok(!pattern.test(name), name);
		}
		assert.match(entry.when, /!explorerResourceIsFolder/);
		assert.strictEqual(manifest.contributes.menus.commandPalette.find(item => item.command === 'videogen.generateFromImage')?.when, 'false');
	});

	it('offers Edit & Generate Again on every task', () => {
		const entry = manifest.contributes.menus['view/item/context'].find(item => item.command === 'videogen.editAndRegenerate');
		assert.match(entry?.when ?? '', /viewItem =~ \/\\btask\\b\//);
	});

	it('hides the tree item commands from the command palette', () => {
		const palette = manifest.contributes.menus.commandPalette;
		for (const command of treeItemCommands) {
			assert.strictEqual(palette.find(item => item.command === command)?.when, 'false', command);
		}
	});

	it('offers Save a Copy on every saved video, and in the command palette', () => {
		const command = manifest.contributes.commands.find(c => c.command === 'videogen.saveCopy');
		assert.strictEqual(command?.title, 'Save a Copy...');
		assert.ok(command && 'icon' in command, 'Save a Copy shows in a menu: it needs an icon');
		const entries = manifest.contributes.menus['view/item/context'].filter(item => item.command === 'videogen.saveCopy');
		assert.deepStrictEqual(entries.map(item => item.when), ['view == videogen.tasks && viewItem =~ /\\bplayable\\b/']);
		assert.ok(!manifest.contributes.menus.commandPalette.some(item => item.command === 'videogen.saveCopy'), 'Save a Copy is hidden from the palette');
	});

	it('offers Open in System Player and Reveal File on a task only where the video is on the user\'s computer', () => {
		for (const command of ['videogen.openExternal', 'videogen.revealFile']) {
			const entries = manifest.contributes.menus['view/item/context'].filter(item => item.command === command);
			assert.ok(entries.length > 0, `${command} is on no task`);
			assert.ok(entries.every(item => /&& videogen\.videosAreLocal$/.test(item.when ?? '')), JSON.stringify(entries));
		}
	});

	it('offers Attach Task ID on a task whose submit outcome is unknown, and Track Task by ID in the view\'s menu, not on tasks', () => {
		const entries = manifest.contributes.menus['view/item/context'].filter(item => item.command === 'videogen.attachTaskId');
		assert.ok(entries.length > 0, 'Attach Task ID is not on any task');
		assert.ok(entries.every(item => /viewItem =~ \/\\btrackable\\b\//.test(item.when ?? '')), JSON.stringify(entries));
		assert.ok(!manifest.contributes.menus['view/item/context'].some(item => item.command === 'videogen.trackTask'), 'Track Task by ID on a task would attach its id');
	});

	it('offers Open Videos Folder, Clear Finished and Clear Failed in the view\'s menu and the palette', () => {
		for (const command of ['videogen.openVideosFolder', 'videogen.clearFinished', 'videogen.clearFailed', 'videogen.trackTask']) {
			assert.ok(manifest.contributes.menus['view/title'].some(item => item.command === command && item.when === 'view == videogen.tasks'), command);
			assert.ok(!manifest.contributes.menus.commandPalette.some(item => item.command === command), `${command} is hidden from the palette`);
		}
	});

	it('contributes the videogen activity bar container with the videogen.tasks tree', () => {
		assert.ok(manifest.contributes.viewsContainers.activitybar.some(container => container.id === 'videogen'));
		assert.ok(manifest.contributes.views.videogen.some(view => view.id === 'videogen.tasks'));
	});

	it('documents every setting with the agreed defaults', () => {
		const properties = manifest.contributes.configuration.properties;
		assert.strictEqual(properties['videogen.baseUrl'].default, 'https://api.umodelverse.ai');
		assert.strictEqual(properties['videogen.model'].default, defaultModelId);
		assert.strictEqual(properties['videogen.pollIntervalSeconds'].default, 5);
		assert.strictEqual(properties['videogen.pollIntervalSeconds'].minimum, 1);
		assert.strictEqual(properties['videogen.downloadFolder'].default, '');
		assert.deepStrictEqual(properties['videogen.openOnSuccess'].enum, ['notify', 'open', 'none']);
		assert.deepStrictEqual([properties['videogen.maxDownloadMegabytes'].default, properties['videogen.maxDownloadMegabytes'].minimum, properties['videogen.maxDownloadMegabytes'].maximum], [2048, 10, 65536]);
		assert.ok(properties['videogen.defaultSize']);
		assert.ok(properties['videogen.defaultDuration']);
	});

	it('works in Restricted Mode, ignoring the folder\'s settings that decide what is billed', () => {
		const trust = manifest.capabilities.untrustedWorkspaces;
		assert.strictEqual(trust.supported, 'limited');
		assert.deepStrictEqual([...trust.restrictedConfigurations ?? []].sort(), ['videogen.defaultDuration', 'videogen.defaultSize', 'videogen.model']);
		assert.ok(trust.description, 'Restricted Mode support needs a description of what is limited');
	});

	it('lets no folder set a setting it could abuse: each is for the user only, restricted, or judged harmless', () => {
		const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [];
		// Settings of these scopes are read from user (and remote) settings only, never a folder's.
		const userOnly = ['application', 'machine'];
		// What a folder may still set in Restricted Mode, and why that is harmless.
		const harmless: Record<string, string> = {
			'videogen.pollIntervalSeconds': 'status checks are not billed, are at least a second apart, and back off when the service says so',
			'videogen.openOnSuccess': 'it only chooses what this window shows when a video is ready',
			'videogen.player.loop': 'it only chooses whether the player plays a video again',
			'videogen.player.autoplay': 'it only chooses whether the player starts a video, muted, as it opens',
		};
		for (const [name, property] of Object.entries(manifest.contributes.configuration.properties)) {
			const scope = property.scope ?? 'window';
			assert.ok(userOnly.includes(scope) || restricted.includes(name) || name in harmless,
				`${name} (scope ${scope}) can be set by a folder's .vscode/settings.json: make it application or machine scoped, add it to restrictedConfigurations, or say here why it is harmless`);
		}
	});

	it('declares that it works in virtual workspaces: it reads no workspace file', () => {
		assert.strictEqual(manifest.capabilities.virtualWorkspaces, true);
	});
});
