/**
 * Linux without a keyring: VS Code's SecretStorage throws. The user is told what to do, and the key
 * is kept nowhere else.
 *
 * Replaced: the SecretStorage handed to VideoGen's key store, by one that throws as a missing
 * keyring makes it throw (a broken keyring cannot be had in this host). Everything else is real:
 * the key store class compiled from src/host/apiKeyStore.ts and its password box (src/host/askApiKey.ts), the password box (answered, as in every host
 * test), the messages (recorded), the settings.
 */

import * as assert from 'assert';
import * as vscode from 'vscode';
import { ApiKeyStore } from '../../src/host/apiKeyStore';
import { askApiKey } from '../../src/host/askApiKey';
import { silentLogger } from '../../src/core/log';
import { withAnswers } from './helpers';
import { recordShown } from './shown';

const KEY = 'sk-keyring-test-5f1e';

/** A SecretStorage whose every call fails the way a missing keyring makes it fail. */
function brokenSecrets(calls: string[]): vscode.SecretStorage {
	const fail = (what: string) => {
		calls.push(what);
		return Promise.reject(new Error('Cannot create an item in a locked collection'));
	};
	const onDidChange = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>().event;
	return {
		get: () => fail('get'),
		store: () => fail('store'),
		delete: () => fail('delete'),
		onDidChange,
	} as unknown as vscode.SecretStorage;
}

describe('API key without a working keyring', () => {
	it('says the key cannot be kept and what to do, and writes it nowhere else', async () => {
		const calls: string[] = [];
		const store = new ApiKeyStore(brokenSecrets(calls), silentLogger);
		try {
			const { result, shown } = await recordShown(() => withAnswers([KEY], () => askApiKey(store)).then(r => r.result));
			assert.strictEqual(result, undefined, 'a key that could not be stored must not be used');
			assert.ok(calls.includes('store'), 'the key store never tried SecretStorage');
			const errors = shown.filter(s => s.level === 'error').map(s => s.text);
			assert.ok(errors.some(text => /could not use VS Code's secret storage, so the API key cannot be kept/.test(text)
				&& /start one, then run "VideoGen: Set API Key" again/.test(text)
				&& /The key was not saved anywhere else/.test(text)), errors.join('\n'));
			assert.ok(!errors.join('\n').includes(KEY), 'the key appeared in a message');
			const config = vscode.workspace.getConfiguration('videogen');
			const values = Object.keys(config).map(name => JSON.stringify(config.inspect(name) ?? {}));
			assert.ok(!values.some(value => value.includes(KEY)), 'the key was written to a setting');
			assert.strictEqual(await store.get('https://api.umodelverse.ai'), undefined, 'a broken keyring reads as no key, without throwing');
		} finally {
			store.dispose();
		}
	});
});
