/** The words an error is shown with, for the cases no request produces. */

import * as assert from 'node:assert/strict';
import { ApiError } from '../../src/core/errors';

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
