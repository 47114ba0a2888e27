/**
 * Settings outside what they may be: numbers beyond their range (VS Code only warns about them, and
 * a hand-edited settings.json can hold anything, 1e309 included), and a download folder that is
 * relative or holds a variable. The real extension and the real configuration.
 *
 * Replaced, as in every host test: the answers to input boxes and the toasts (see helpers.ts).
 */

import * as assert from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { numberRanges, settings } from '../../src/host/settings';
import { Environment, extensionId, setUpEnvironment, waitFor } from './helpers';
import { recordShown } from './shown';

interface NumberSetting {
	readonly type: string;
	readonly minimum?: number;
	readonly maximum?: number;
	readonly default?: number;
}

describe('settings out of range', function () {
	this.timeout(60_000);
	let env: Environment;
	const config = () => vscode.workspace.getConfiguration('videogen');
	const global = vscode.ConfigurationTarget.Global;
	const settingsFile = () => path.join(env.api.globalStorageUri.fsPath, '..', '..', 'settings.json');
	const relative = `videogen-settings-test-${crypto.randomBytes(4).toString('hex')}`;

	before(async () => {
		env = await setUpEnvironment();
	});

	after(async () => {
		await config().update('pollIntervalSeconds', 1, global);
		await config().update('defaultDuration', undefined, global);
		await config().update('downloadFolder', env.downloadFolder, global);
		fs.rmSync(path.join(os.homedir(), relative), { recursive: true, force: true });
		await env?.dispose();
	});

	it('gives every number setting a minimum and a maximum, the ones VideoGen holds a value to when reading it', () => {
		const properties = (vscode.extensions.getExtension(extensionId)!.packageJSON as { contributes: { configuration: { properties: Record<string, NumberSetting> } } }).contributes.configuration.properties;
		const numbers = Object.entries(properties).filter(([, property]) => property.type === 'number');
		assert.ok(numbers.length >= 2);
		for (const [name, property] of numbers) {
			const short = name.replace(/^videogen\./, '') as keyof typeof numberRanges;
			assert.ok(typeof property.minimum === 'number' && typeof property.maximum === 'number', `${name} has no minimum or maximum`);
			assert.deepStrictEqual(numberRanges[short], { minimum: property.minimum, maximum: property.maximum, default: property.default }, name);
		}
	});

	it('reads a poll interval beyond its range as the nearest bound, and one that is not a number as the default', async () => {
		for (const [value, ms] of [[1e12, 600_000], [0, 1_000], [-5, 1_000], [30, 30_000], ['soon', 5_000]] as const) {
			await config().update('pollIntervalSeconds', value, global);
			assert.strictEqual(settings.pollIntervalMs(), ms, `pollIntervalSeconds ${value}`);
		}
	});

	it('never makes a poll interval of 1e309 in settings.json a timer that fires at once: the maximum, or the default when it arrives as no number', async () => {
		// JSON has no Infinity, so VS Code cannot write this value: only a hand edit of the file can.
		await config().update('pollIntervalSeconds', 7, global);
		const text = fs.readFileSync(settingsFile(), 'utf8');
		assert.match(text, /"videogen\.pollIntervalSeconds": 7\b/);
		fs.writeFileSync(settingsFile(), text.replace(/("videogen\.pollIntervalSeconds": )7\b/, '$11e309'));
		await waitFor('VS Code to read the edited file', () => config().inspect('pollIntervalSeconds')?.globalValue !== 7, 15_000);
		const value = config().get('pollIntervalSeconds');
		console.log(`      [settings] pollIntervalSeconds 1e309 reaches the extension as ${String(value)}`);
		assert.strictEqual(settings.pollIntervalMs(), value === Infinity ? 600_000 : 5_000);
	});

	it('refuses a download folder with ${workspaceFolder}, saying why, and saves to a relative folder in the home folder', async () => {
		await config().update('downloadFolder', '${workspaceFolder}/videos', global);
		const prompt = 'A folder with a variable in it [instant]';
		const { result: taskId, shown } = await recordShown(async () => {
			const id = await vscode.commands.executeCommand<string>('videogen.generate', { prompt, size: '720x1280', duration: 4 });
			await waitFor('the download to fail', () => env.api.tasks().find(t => t.taskId === id)?.download?.phase === 'failed');
			return id;
		});
		assert.deepStrictEqual(shown.map(s => [s.level, s.text, s.buttons]), [[
			'warning',
			`VideoGen could not save "${prompt}": The videogen.downloadFolder setting "\${workspaceFolder}/videos" contains a variable, which VideoGen does not expand: videos are saved by whichever window is polling, whatever folder it has open. Set a full path such as ~/Videos/VideoGen, then download again.`,
			['Download Again', 'Show Log'],
		]]);
		assert.ok(!fs.existsSync(path.join(process.cwd(), '${workspaceFolder}')), 'a folder named ${workspaceFolder} was made');

		await config().update('downloadFolder', relative, global);
		const task = env.api.tasks().find(t => t.taskId === taskId)!;
		await vscode.commands.executeCommand('videogen.retryDownload', task.id);
		const saved = await waitFor('the video to be saved', () => env.api.tasks().find(t => t.id === task.id && t.download?.phase === 'done'));
		assert.strictEqual(path.dirname(saved.download!.files![0]), path.join(os.homedir(), relative));
	});
});
