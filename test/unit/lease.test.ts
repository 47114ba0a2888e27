/**
 * The lease that lets one window poll, on a real folder in a temp folder. Expiry is tested with an
 * injected clock (the Lease takes one) rather than by sleeping. Processes racing for it for real:
 * test/system/leaseRace.test.ts.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Lease } from '../../src/core/lease';
import { TempDirs } from '../common/helpers';

describe('Lease', () => {
	const dirs = new TempDirs();
	let file: string;
	let clock: number;
	const now = () => clock;

	beforeEach(() => {
		file = path.join(dirs.make(), 'state', 'poller.lease');
		clock = 1_000_000;
	});

	/** The holder the lease's folder names now, as a window that holds nothing reads it. */
	const onDisk = () => new Lease(file, 'observer', now).holder();

	afterEach(() => dirs.cleanup());

	it('is taken by the first owner that asks and written to its folder', () => {
		const a = new Lease(file, 'window-a', now);
		assert.equal(a.tryAcquire(10_000), true);
		assert.equal(a.isHeld, true);
		assert.deepEqual(onDisk(), { owner: 'window-a', expiresAt: 1_010_000 });
	});

	it('cannot be taken by a second owner while it has not run out', () => {
		const a = new Lease(file, 'window-a', now);
		const b = new Lease(file, 'window-b', now);
		assert.equal(a.tryAcquire(10_000), true);
		clock += 9_999;
		assert.equal(b.tryAcquire(10_000), false);
		assert.equal(b.isHeld, false);
		assert.equal(onDisk()?.owner, 'window-a');
	});

	it('is renewed by its holder, which pushes the expiry out', () => {
		const a = new Lease(file, 'window-a', now);
		const b = new Lease(file, 'window-b', now);
		a.tryAcquire(10_000);
		clock += 8_000;
		assert.equal(a.tryAcquire(10_000), true);
		clock += 8_000; // 16 s after the first take: only the renewal keeps it
		assert.equal(b.tryAcquire(10_000), false);
	});

	it('is rewritten by a renewal only once half of it is spent', () => {
		const a = new Lease(file, 'window-a', now);
		a.tryAcquire(10_000);
		clock += 4_000;
		assert.equal(a.tryAcquire(10_000), true);
		assert.equal(onDisk()?.expiresAt, 1_010_000, 'six seconds left: not rewritten');
		clock += 2_000;
		assert.equal(a.tryAcquire(10_000), true);
		assert.equal(onDisk()?.expiresAt, 1_016_000, 'four seconds left: renewed');
	});

	it('can be taken by a second owner once it has run out, and the first then knows it lost it', () => {
		const a = new Lease(file, 'window-a', now);
		const b = new Lease(file, 'window-b', now);
		a.tryAcquire(10_000);
		clock += 10_001;
		assert.equal(b.tryAcquire(10_000), true);
		assert.equal(a.tryAcquire(10_000), false);
		assert.equal(a.isHeld, false);
	});

	it('is freed at once by release(), so another owner can take it before it would run out', () => {
		const a = new Lease(file, 'window-a', now);
		const b = new Lease(file, 'window-b', now);
		a.tryAcquire(60_000);
		a.release();
		assert.equal(a.isHeld, false);
		assert.ok((onDisk()?.expiresAt ?? 0) <= clock, 'the lease has not run out');
		assert.equal(b.tryAcquire(60_000), true);
	});

	it('is not freed by an owner that does not hold it', () => {
		const a = new Lease(file, 'window-a', now);
		const b = new Lease(file, 'window-b', now);
		a.tryAcquire(60_000);
		b.release();
		assert.equal(onDisk()?.owner, 'window-a');
		assert.equal(b.tryAcquire(60_000), false);
	});

	it('keeps the files of only the newest term', () => {
		const a = new Lease(file, 'window-a', now);
		for (let i = 0; i < 5; i++) {
			a.tryAcquire(10_000);
			clock += 6_000;
		}
		assert.equal(fs.readdirSync(file).length, 1);
	});

	it('goes by the newest term only, even when an older one that has run out was left behind', () => {
		const a = new Lease(file, 'window-a', now);
		const b = new Lease(file, 'window-b', now);
		a.tryAcquire(10_000);
		const [first] = fs.readdirSync(file);
		clock += 6_000;
		assert.equal(a.tryAcquire(10_000), true);
		fs.writeFileSync(path.join(file, first), JSON.stringify({ owner: 'window-a', expiresAt: 0 }));
		assert.equal(b.tryAcquire(10_000), false, 'B took the lease A holds');
		assert.equal(onDisk()?.owner, 'window-a');
	});

	it('treats a term being written as held, and a damaged one as free once a lease would have run out', () => {
		fs.mkdirSync(file, { recursive: true });
		const term = path.join(file, '7');
		fs.writeFileSync(term, '{"owner":');
		fs.utimesSync(term, clock / 1000, clock / 1000);
		const a = new Lease(file, 'window-a', now);
		assert.equal(a.tryAcquire(10_000), false);
		clock += 10_001;
		assert.equal(a.tryAcquire(10_000), true);
		assert.deepEqual(fs.readdirSync(file), ['8']);
	});

	it('respects a lease a window of version 0.1.0 holds in its single file, and replaces the file once it runs out', () => {
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, JSON.stringify({ owner: 'old-window', expiresAt: clock + 10_000 }));
		const a = new Lease(file, 'window-a', now);
		assert.equal(a.tryAcquire(10_000), false);
		clock += 10_001;
		assert.equal(a.tryAcquire(10_000), true);
		assert.ok(fs.statSync(file).isDirectory(), 'the single file is still there: the old version could write over it');
		assert.equal(onDisk()?.owner, 'window-a');
	});

	it('is not held when its file cannot be written', () => {
		// A path below a regular file cannot be created, even by root (ENOTDIR).
		const blocker = path.join(dirs.make(), 'a-file');
		fs.writeFileSync(blocker, '');
		const a = new Lease(path.join(blocker, 'poller.lease'), 'window-a', now);
		assert.equal(a.tryAcquire(10_000), false);
		assert.equal(a.isHeld, false);
	});
});
