/** The words an error is shown with, for the cases no request produces. */

import * as assert from 'node:assert/strict';
import { ApiError, DownloadError } from '../../src/core/errors';

describe('ApiError messages', () => {
	it('says that no key is set, not that one was rejected, when polling finds no key', () => {
		const error = new ApiError({ kind: 'unauthorized', operation: 'status', detail: 'no API key is set' });
		assert.equal(error.message, 'No API key is set. Set one with "VideoGen: Set API Key".');
		assert.deepEqual(error.actions, ['setApiKey']);
	});

	it('says the key was rejected when the service answered 401', () => {
		const error = new ApiError({ kind: 'unauthorized', operation: 'status', status: 401 });
		assert.match(error.message, /^The API key was rejected \(HTTP 401\)\./);
	});

	it('is recognised across copies of the class, as the two bundles have', () => {
		const foreign = Object.assign(new Error('x'), { [Symbol.for('videogen.ApiError')]: true });
		assert.equal(ApiError.is(foreign), true);
		assert.equal(ApiError.is(new Error('x')), false);
	});
});

describe('DownloadError messages', () => {
	it('keeps what a storage host, a proxy or a certificate put in its message plain: no link, no escape sequence, no line break', () => {
		// A TLS error, for one, quotes the names in the server's certificate.
		const error = new DownloadError('network', 'Could not reach the video storage host (Host: a. is not in the cert\'s altnames: DNS:[Run](command:x)\u001b[2J\nnext).');
		assert.equal(error.message, 'Could not reach the video storage host (Host: a. is not in the cert\'s altnames: DNS:[Run] (command:x)\\u001b[2J next).');
	});
});
