/** Retry timing: pure functions, tested with a fixed random source instead of Math.random. */

import * as assert from 'node:assert/strict';
import { backoffDelay, parseRetryAfter } from '../../src/core/backoff';

const options = { baseMs: 1000, maxMs: 60_000 };
const low = () => 0;
const high = () => 0.999999;

describe('backoffDelay', () => {
	it('keeps half of the exponential delay and randomises the other half', () => {
		assert.equal(backoffDelay(1, options, undefined, low), 500);
		assert.equal(backoffDelay(1, options, undefined, high), 1000);
		assert.equal(backoffDelay(1, options, undefined, () => 0.5), 750);
	});

	it('doubles with every attempt', () => {
		const floors = [1, 2, 3, 4, 5].map(attempt => backoffDelay(attempt, options, undefined, low));
		assert.deepEqual(floors, [500, 1000, 2000, 4000, 8000]);
	});

	it('never exceeds the maximum, however many attempts failed', () => {
		assert.equal(backoffDelay(50, options, undefined, high), 60_000);
		assert.equal(backoffDelay(1000, options, undefined, low), 30_000);
	});

	it('treats attempt 0 or below like the first retry', () => {
		assert.equal(backoffDelay(0, options, undefined, low), 500);
		assert.equal(backoffDelay(-3, options, undefined, high), 1000);
	});

	it('waits at least as long as the server\'s Retry-After', () => {
		assert.equal(backoffDelay(1, options, 7_000, low), 7_000);
		assert.equal(backoffDelay(1, options, 7_000, high), 7_000);
	});

	it('keeps the back-off when it is longer than the Retry-After', () => {
		assert.equal(backoffDelay(6, options, 1_000, low), 16_000);
	});

	it('caps a Retry-After longer than the maximum at the maximum', () => {
		assert.equal(backoffDelay(1, options, 3_600_000, low), 60_000);
	});

	it('spreads delays of many tasks over the jitter range', () => {
		let seed = 1;
		const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
		const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(3, options, undefined, random)));
		assert.ok(delays.size > 40, `only ${delays.size} distinct delays`);
		for (const value of delays) {
			assert.ok(value >= 2000 && value <= 4000, String(value));
		}
	});
});

describe('parseRetryAfter', () => {
	const now = Date.parse('2026-01-01T00:00:00Z');

	it('reads whole seconds as milliseconds', () => {
		assert.equal(parseRetryAfter('120', now), 120_000);
		assert.equal(parseRetryAfter(' 0 ', now), 0);
	});

	it('reads an HTTP date as the time left until then', () => {
		assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
	});

	it('turns a date in the past into no wait at all', () => {
		assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now), 0);
	});

	it('takes a wait longer than a day, or a number too long to read, as a day', () => {
		assert.equal(parseRetryAfter('99999999', now), 86_400_000);
		assert.equal(parseRetryAfter('9'.repeat(400), now), 86_400_000);
		assert.equal(parseRetryAfter('Fri, 01 Jan 2027 00:00:00 GMT', now), 86_400_000);
	});

	it('takes the first of repeated headers', () => {
		assert.equal(parseRetryAfter(['5', '50'], now), 5_000);
	});

	it('ignores a missing, empty or unreadable header', () => {
		assert.equal(parseRetryAfter(undefined, now), undefined);
		assert.equal(parseRetryAfter('', now), undefined);
		assert.equal(parseRetryAfter('soon', now), undefined);
	});
});
