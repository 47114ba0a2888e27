/**
 * Checking an API key when it is set: a status query for a task id that cannot exist, against the
 * simulator over loopback through the real API client. What the answer means for the key: 401 (or
 * a 403 about the key) wrong, the API's 404/400 accepted, any other 403 known but limited, and no
 * usable answer (a proxy's 404 page among them) not checked, with the reason. No task is ever created.
 */

import * as assert from 'node:assert/strict';
import { checkKey, keyCheckTaskId } from '../../src/core/keyCheck';
import { ApiError } from '../../src/core/errors';
import { deadPort, Loopback, SECRET_KEY } from '../common/helpers';

describe('checking an API key', () => {
	const loop = new Loopback();
	beforeEach(() => loop.start());
	afterEach(() => loop.stop());

	const check = (apiKey = SECRET_KEY, origin?: string) => {
		const client = loop.client({ apiKey, origin, timeoutMs: 2_000 });
		return checkKey(taskId => client.status(taskId));
	};

	it('accepts a key the service takes: it answers that the task does not exist (404), and nothing is created', async () => {
		assert.deepEqual(await check(), { outcome: 'accepted', status: 404 });
		const asked = loop.statusRequests(keyCheckTaskId);
		assert.equal(asked.length, 1);
		assert.equal(asked[0].headers.authorization, SECRET_KEY);
		assert.equal(loop.sim.stats.submitsReceived, 0, 'a task was submitted');
		assert.equal(loop.sim.tasks.size, 0);
	});

	it('says a wrong key is wrong (401), with the service\'s words and never the key', async () => {
		const result = await check('sk-wrong-key-1234');
		assert.equal(result.outcome, 'rejected');
		assert.ok(result.outcome === 'rejected' && result.status === 401 && result.serviceMessage === 'Invalid API key', JSON.stringify(result));
		assert.ok(!JSON.stringify(result).includes('sk-wrong-key-1234'), 'the key is in the outcome');
	});

	it('takes a 400 (the service found fault with the id, so it took the key) as accepted', async () => {
		loop.sim.faults.push({ target: 'status', kind: 'http', status: 400 });
		assert.deepEqual(await check(), { outcome: 'accepted', status: 400 });
	});

	it('cannot check a key on a 404 page that is not the API\'s JSON error: a proxy or CDN answered, not the service', async () => {
		loop.sim.faults.push({ target: 'status', kind: 'http', status: 404, body: '<html><body><h1>404 Not Found</h1>nginx</body></html>' });
		const result = await check();
		assert.equal(result.outcome, 'unverified');
		assert.match(result.outcome === 'unverified' ? result.reason : '', /HTTP 404.*404 Not Found nginx/);
	});

	it('says a 403 about the key itself is a wrong key, and any other 403 a known key with limits', async () => {
		loop.sim.faults.push({ target: 'status', kind: 'http', status: 403, body: JSON.stringify({ error: { message: 'Invalid API key', type: 'auth_error', param: '', code: 'invalid_api_key' } }) });
		assert.equal((await check()).outcome, 'rejected');
		loop.sim.faults.push({ target: 'status', kind: 'http', status: 403, body: JSON.stringify({ error: { message: 'IP 10.0.0.1 is not allowed', type: 'permission_error', param: '', code: 'permission_error' } }) });
		const limited = await check();
		assert.equal(limited.outcome, 'limited');
		assert.match(limited.outcome === 'limited' ? limited.reason : '', /IP 10\.0\.0\.1 is not allowed/);
	});

	it('cannot check a key when nothing answers, and says why', async () => {
		const result = await check(SECRET_KEY, `http://127.0.0.1:${await deadPort()}`);
		assert.equal(result.outcome, 'unverified');
		assert.match(result.outcome === 'unverified' ? result.reason : '', /connect|refused/i);
	});

	it('cannot check a key on a server error, a rate limit, a timeout or an answer that is not JSON', async () => {
		for (const fault of [
			{ target: 'status', kind: 'http', status: 500 },
			{ target: 'status', kind: 'http', status: 429, retryAfter: '1' },
			{ target: 'status', kind: 'hang' },
			{ target: 'status', kind: 'nonJson', status: 200 },
		] as const) {
			loop.sim.faults.push(fault);
			const result = await check();
			assert.equal(result.outcome, 'unverified', JSON.stringify(fault));
			assert.ok(result.outcome === 'unverified' && result.reason.length > 0);
		}
	});

	it('accepts a key when, against the odds, the service answers with a status', async () => {
		assert.deepEqual(await checkKey(() => Promise.resolve({ status: 'Pending' })), { outcome: 'accepted', status: 200 });
		const outcome = await checkKey(() => Promise.reject(new ApiError({ kind: 'unauthorized', operation: 'status', status: 401 })));
		assert.equal(outcome.outcome, 'rejected');
		assert.equal((await checkKey(() => Promise.reject(new Error('boom')))).outcome, 'unverified');
	});
});
