/**
 * The simulator's hostile downloads, read byte for byte off a raw socket: a downloader test that
 * passes against them means something only if they really send what they claim.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as zlib from 'node:zlib';
import { Simulator } from '../simulator/simulator';
import { Loopback, SAMPLE_VIDEO, submitTask } from '../common/helpers';

interface RawReply {
	readonly head: string;
	readonly body: Buffer;
	/** True when the server closed the connection; false when the read stopped at `maxBytes`. */
	readonly closed: boolean;
	readonly ms: number;
}

/** GETs `url` on a raw socket and returns the head and every byte after it, up to `maxBytes`. */
function rawGet(url: string, maxBytes = 16 * 1024 * 1024): Promise<RawReply> {
	const target = new URL(url);
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const socket = net.connect(Number(target.port), target.hostname);
		const chunks: Buffer[] = [];
		let size = 0;
		const done = (closed: boolean) => {
			socket.destroy();
			const all = Buffer.concat(chunks);
			const end = all.indexOf('\r\n\r\n');
			resolve({ head: all.subarray(0, end).toString('latin1'), body: all.subarray(end + 4), closed, ms: Date.now() - started });
		};
		socket.on('connect', () => socket.write(`GET ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nConnection: close\r\n\r\n`));
		socket.on('data', chunk => {
			chunks.push(chunk);
			size += chunk.length;
			if (size > maxBytes) {
				done(false);
			}
		});
		socket.on('end', () => done(true));
		socket.on('error', reject);
	});
}

const header = (reply: RawReply, name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(reply.head)?.[1];

/** Undoes chunked transfer coding. */
function unchunk(body: Buffer): Buffer {
	const parts: Buffer[] = [];
	for (let offset = 0; ;) {
		const lineEnd = body.indexOf('\r\n', offset);
		const size = parseInt(body.toString('latin1', offset, lineEnd), 16);
		if (!size) {
			return Buffer.concat(parts);
		}
		parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
		offset = lineEnd + 2 + size + 2;
	}
}

describe('the simulator\'s hostile downloads', () => {
	const loop = new Loopback();
	const sample = fs.readFileSync(SAMPLE_VIDEO);
	let sim: Simulator;
	let url: string;

	beforeEach(async () => {
		sim = await loop.start();
		url = `${sim.storageUrl}/videos/${(await submitTask(loop, 'a kite [instant]')).taskId!}.mp4`;
	});

	afterEach(() => loop.stop());

	it('trickle sends the whole video at about the rate asked for, with its Content-Length', async () => {
		sim.faults.push({ target: 'download', kind: 'trickle', bytesPerSecond: 100_000 });
		const reply = await rawGet(url);
		assert.equal(header(reply, 'content-length'), String(sample.length));
		assert.ok(reply.body.equals(sample));
		// 41 KB at 100 KB/s, in pieces of 10 KB every 100 ms.
		assert.ok(reply.ms >= 350, `${reply.ms} ms`);
	});

	it('endless sends the video and then goes on, chunked, for as long as the client reads', async () => {
		sim.faults.push({ target: 'download', kind: 'endless' });
		const reply = await rawGet(url, 4 * 1024 * 1024);
		assert.equal(reply.closed, false);
		assert.match(reply.head, /^HTTP\/1\.1 200/);
		assert.equal(header(reply, 'transfer-encoding'), 'chunked');
		assert.equal(header(reply, 'content-length'), undefined);
		assert.ok(reply.body.length > 4 * 1024 * 1024);
	});

	it('endless with framing "close" sends no length and no chunks, only bytes', async () => {
		sim.faults.push({ target: 'download', kind: 'endless', framing: 'close' });
		const reply = await rawGet(url, 4 * 1024 * 1024);
		assert.equal(reply.closed, false);
		assert.equal(header(reply, 'transfer-encoding'), undefined);
		assert.equal(header(reply, 'content-length'), undefined);
		assert.ok(reply.body.subarray(0, sample.length).equals(sample), 'the body starts with the video itself');
	});

	it('overlong declares the video\'s length and sends more bytes than that', async () => {
		sim.faults.push({ target: 'download', kind: 'overlong', extraBytes: 100_000 });
		const reply = await rawGet(url);
		assert.equal(reply.closed, true);
		assert.equal(header(reply, 'content-length'), String(sample.length));
		assert.equal(reply.body.length, sample.length + 100_000);
		assert.ok(reply.body.subarray(0, sample.length).equals(sample));
	});

	it('gzip sends the video compressed, saying so, and still typed as video/mp4', async () => {
		sim.faults.push({ target: 'download', kind: 'gzip' });
		const reply = await rawGet(url);
		assert.equal(header(reply, 'content-encoding'), 'gzip');
		assert.equal(header(reply, 'content-type'), 'video/mp4');
		assert.ok(zlib.gunzipSync(unchunk(reply.body)).equals(sample));
	});

	for (const body of ['html', 'random'] as const) {
		it(`notVideo (${body}) answers 200 video/mp4 with a body that starts like no video`, async () => {
			sim.faults.push({ target: 'download', kind: 'notVideo', body });
			const reply = await rawGet(url);
			assert.match(reply.head, /^HTTP\/1\.1 200/);
			assert.equal(header(reply, 'content-type'), 'video/mp4');
			assert.equal(header(reply, 'content-length'), String(reply.body.length));
			assert.notEqual(reply.body.toString('latin1', 4, 8), 'ftyp');
			assert.ok(reply.body.length > 0);
		});
	}

	it('badRedirect answers 302 with a Location no URL parser accepts, or with none', async () => {
		sim.faults.push({ target: 'download', kind: 'badRedirect' });
		const bad = await rawGet(url);
		assert.match(bad.head, /^HTTP\/1\.1 302/);
		assert.throws(() => new URL(header(bad, 'location')!, url));
		sim.faults.push({ target: 'download', kind: 'badRedirect', location: '' });
		const none = await rawGet(url);
		assert.match(none.head, /^HTTP\/1\.1 302/);
		assert.equal(header(none, 'location'), undefined);
	});

	it('draws hang, trickle and endless at random only when asked for', async () => {
		sim.faults.random({ rate: 1, targets: ['download'] });
		for (let index = 0; index < 60; index++) {
			await rawGet(url).catch(() => undefined); // a reset is one of the kinds
		}
		const kinds = new Set(sim.requests.map(request => request.fault).filter(Boolean));
		for (const kind of ['hang', 'trickle', 'endless']) {
			assert.ok(!kinds.has(kind as never), `${kind} was drawn`);
		}
		assert.ok(kinds.has('gzip') && kinds.has('notVideo') && kinds.has('overlong') && kinds.has('badRedirect'), [...kinds].join(', '));
	});
});
