/** Proves the harness: the real extension is loaded by the extension host and contributes its commands. */
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'videogen.videogen';

describe('extension smoke', () => {
	it('is present in the extension host', () => {
		assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `${EXTENSION_ID} is not loaded`);
	});

	it('activates', async () => {
		const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
		await extension.activate();
		assert.strictEqual(extension.isActive, true);
	});

	it('registers videogen.generate', async () => {
		const commands = await vscode.commands.getCommands(true);
		assert.ok(commands.includes('videogen.generate'), 'videogen.generate is not registered');
	});
});
