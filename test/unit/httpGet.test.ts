/**
 * The downloader's HTTP client on the wire shapes the simulator does not produce: chunked bodies,
 * bodies ended by closing the connection, heads that arrive in pieces after a `100 Continue`, TLS,
 * answers that are not HTTP, and a disk slower than the network. Real servers on loopback (Node's
 * `http`/`https`, and raw `net` sockets for exact bytes), real files.
 */

import * as assert from 'node:assert/strict';
import * as childProcess from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as path from 'node:path';
import { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { downloadVideo } from '../../src/core/net/downloader';
import { DownloadError, DownloadErrorKind } from '../../src/core/errors';
import { listFiles, TempDirs } from '../common/helpers';
import { FTYP_BOX, videoBytes } from '../common/videoBytes';

const fixtures = path.join(__dirname, '../../../test/unit/fixtures');
/** The test certificate authority: the HTTPS servers here use its certificate for localhost and 127.0.0.1. */
const cert = fs.readFileSync(path.join(fixtures, 'localhost.crt'));
const key = fs.readFileSync(path.join(fixtures, 'localhost.key'));

describe('downloadVideo on the wire', () => {
	const dirs = new TempDirs();
	const servers: net.Server[] = [];
	let folder: string;
	let file: string;

	beforeEach(() => {
		folder = dirs.make();
		file = path.join(folder, 'video.mp4');
	});

	afterEach(async () => {
		await Promise.all(servers.splice(0).map(server => new Promise(resolve => {
			server.close(resolve);
			(server as http.Server).closeAllConnections?.();
		})));
		dirs.cleanup();
	});

	async function listen<T extends net.Server>(server: T): Promise<string> {
		servers.push(server);
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		return `127.0.0.1:${(server.address() as AddressInfo).port}`;
	}

	/** A raw server: `respond` gets the socket once the request's head has arrived. */
	function rawServer(respond: (socket: net.Socket) => void): Promise<string> {
		return listen(net.createServer(socket => {
			let request = '';
			socket.on('data', data => {
				request += data.toString('latin1');
				if (request.includes('\r\n\r\n')) {
					socket.removeAllListeners('data');
					respond(socket);
				}
			});
		}));
	}

	/** A server that sends `body` with its Content-Length, over TLS with the test certificate when `secure`. */
	function serve(body: Buffer, secure = false): Promise<string> {
		const handler: http.RequestListener = (_req, res) => {
			res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': body.length });
			res.end(body);
		};
		return listen(secure ? https.createServer({ cert, key }, handler) : http.createServer(handler));
	}

	const download = (url: string, over: { idleTimeoutMs?: number; ca?: Buffer } = {}) =>
		downloadVideo({ url, file, apiOrigin: 'http://127.0.0.1', ...over });

	/** Downloads `url`, which must fail with `kind` and a message matching `message`, and leave nothing behind. */
	async function expectFailure(url: string, kind: DownloadErrorKind, message: RegExp): Promise<void> {
		const error = await download(url).then(() => undefined, (e: unknown) => e);
		assert.ok(error instanceof DownloadError, String(error));
		assert.equal(error.kind, kind);
		assert.match(error.message, message);
		assert.deepEqual(listFiles(folder), []);
	}

	it('saves a chunked body whole', async () => {
		const body = videoBytes(3 * 1024 * 1024 + 17);
		const host = await listen(http.createServer((_req, res) => {
			res.writeHead(200, { 'content-type': 'video/mp4' }); // no Content-Length: Node sends it chunked
			for (let offset = 0; offset < body.length; offset += 100_000) {
				res.write(body.subarray(offset, offset + 100_000));
			}
			res.end();
		}));
		const result = await download(`http://${host}/v.mp4`);
		assert.equal(result.bytes, body.length);
		assert.ok(fs.readFileSync(file).equals(body));
	});

	it('reads a head that arrives in pieces after a 100 Continue, and chunk extensions and trailers', async () => {
		const pieces = [
			'HTTP/1.1 100 Continue\r\n\r\n',
			'HTTP/1.1 200 OK\r\nContent-Ty', 'pe: video/mp4\r\nTransfer-Encoding: chunked\r', '\n\r\n',
			'8;name=value\r\n\0\0\0\x14ftyp\r\n', '6\r\n hel', 'lo\r\n0\r\nX-Checksum: none\r\n', '\r\n',
		];
		const host = await rawServer(async socket => {
			socket.setNoDelay(true);
			for (const piece of pieces) {
				socket.write(piece);
				await new Promise(resolve => setTimeout(resolve, 5));
			}
		});
		const result = await download(`http://${host}/v.mp4`);
		assert.equal(fs.readFileSync(file, 'latin1'), '\0\0\0\x14ftyp hello');
		assert.equal(result.bytes, 14);
	});

	it('saves a body that ends when the server closes the connection', async () => {
		const body = videoBytes(200_000);
		const host = await rawServer(socket => {
			socket.write('HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nConnection: close\r\n\r\n');
			socket.end(body);
		});
		await download(`http://${host}/v.mp4`);
		assert.ok(fs.readFileSync(file).equals(body));
	});

	it('discards a body without a length that stops in the middle of the video, where its last box says it goes on', async () => {
		const whole = videoBytes(200_000);
		const host = await rawServer(socket => {
			socket.write('HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nConnection: close\r\n\r\n');
			socket.end(whole.subarray(0, 150_000));
		});
		await expectFailure(`http://${host}/v.mp4`, 'incomplete', /^The download ended after 146 KB in the middle of the video: the storage host did not say how long the video is, and its connection closed before the end\. The partial file was discarded\.$/);
	});

	it('saves a real MP4 sent without a length, whose boxes fill it', async () => {
		const sample = fs.readFileSync(path.join(__dirname, '../../../test/simulator/sample.mp4'));
		const host = await rawServer(socket => {
			socket.write('HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nConnection: close\r\n\r\n');
			socket.end(sample);
		});
		await download(`http://${host}/v.mp4`);
		assert.ok(fs.readFileSync(file).equals(sample));
	});

	describe('a body without a length, whole or not by its boxes', () => {
		/** A box of `type` with `payload`; `size` overrides the size field (0: to the end; 1: a 64-bit size after the type). */
		function box(type: string, payload: Buffer, size?: 0 | 1): Buffer {
			const head = Buffer.alloc(size === 1 ? 16 : 8);
			head.writeUInt32BE(size ?? head.length + payload.length, 0);
			head.write(type, 4, 'latin1');
			if (size === 1) {
				head.writeBigUInt64BE(BigInt(head.length + payload.length), 8);
			}
			return Buffer.concat([head, payload]);
		}
		const ftyp = FTYP_BOX.subarray(0, FTYP_BOX.readUInt32BE(0));
		const media = () => videoBytes(50_000).subarray(100);

		async function sentWithoutLength(body: Buffer): Promise<string> {
			return rawServer(socket => {
				socket.write('HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nConnection: close\r\n\r\n');
				socket.end(body);
			});
		}

		it('saves an MP4 whose media box has a 64-bit size, or runs to the end of the file', async () => {
			for (const last of [box('mdat', media(), 1), box('mdat', media(), 0)]) {
				const body = Buffer.concat([ftyp, box('moov', Buffer.alloc(40)), last]);
				await download(`http://${await sentWithoutLength(body)}/v.mp4`);
				assert.ok(fs.readFileSync(file).equals(body));
				fs.rmSync(file);
			}
		});

		it('discards an MP4 cut between its boxes, after the index and before the media', async () => {
			const host = await sentWithoutLength(Buffer.concat([ftyp, box('moov', Buffer.alloc(40))]));
			await expectFailure(`http://${host}/v.mp4`, 'incomplete', /in the middle of the video/);
		});

		it('saves a WebM file, whose end it does not check', async () => {
			const body = crypto.randomBytes(30_000);
			Buffer.from([0x1a, 0x45, 0xdf, 0xa3]).copy(body);
			await download(`http://${await sentWithoutLength(body)}/v.mp4`);
			assert.ok(fs.readFileSync(file).equals(body));
		});
	});

	it('downloads over TLS, checking the certificate', async () => {
		const body = videoBytes(1024 * 1024);
		const port = (await serve(body, true)).split(':')[1];
		await download(`https://localhost:${port}/v.mp4`, { ca: cert });
		assert.ok(fs.readFileSync(file).equals(body), 'by name');
		fs.rmSync(file);
		await download(`https://127.0.0.1:${port}/v.mp4`, { ca: cert });
		assert.ok(fs.readFileSync(file).equals(body), 'by address');
		fs.rmSync(file);

		// Without the test authority the certificate is not trusted, and nothing is saved.
		await expectFailure(`https://localhost:${port}/v.mp4`, 'network', /Could not reach the video storage host \(.*(CERT|SIGNED).*\)/);
	});

	it('reports an answer that is not HTTP as unreadable, and saves nothing', async () => {
		const host = await rawServer(socket => socket.end('SSH-2.0-OpenSSH_9.2\r\n\r\n'));
		await expectFailure(`http://${host}/v.mp4`, 'http', /sent an answer VideoGen cannot read: it is not HTTP\/1\.1\./);
	});

	it('discards a chunked body cut off before its last chunk', async () => {
		const host = await rawServer(socket => socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n\0\0\0\x10ftyp01'));
		await expectFailure(`http://${host}/v.mp4`, 'incomplete', /broke off after 10 B \(the connection closed before the whole body arrived\)/);
	});

	it('discards a whole chunked body that is shorter than the Content-Length sent with it', async () => {
		const host = await rawServer(socket => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\na\r\n\0\0\0\x10ftyp01\r\n0\r\n\r\n'));
		await expectFailure(`http://${host}/v.mp4`, 'incomplete', /ended after 10 B of 100 B; the partial file was discarded/);
	});

	describe('a storage host that would hold the download for as long as it likes', () => {
		/** Writes `piece` every 50 ms until the connection closes. */
		function drip(socket: net.Socket, first: string, piece: () => string): void {
			socket.write(first);
			const timer = setInterval(() => socket.writable ? socket.write(piece()) : clearInterval(timer), 50);
			socket.on('close', () => clearInterval(timer));
		}

		/** Downloads with a 400 ms timeout; it must fail with `kind` and `message`, in well under two seconds, leaving nothing behind. */
		async function expectStopped(host: string, kind: DownloadErrorKind, message: RegExp): Promise<void> {
			const started = Date.now();
			const error = await download(`http://${host}/v.mp4`, { idleTimeoutMs: 400 }).then(() => undefined, (e: unknown) => e);
			assert.ok(error instanceof DownloadError, String(error));
			assert.equal(error.kind, kind);
			assert.match(error.message, message);
			assert.ok(Date.now() - started < 2_000, `stopped after ${Date.now() - started} ms`);
			assert.deepEqual(listFiles(folder), []);
		}

		it('gives up on a head that comes a byte at a time, though each byte comes within the idle timeout', async () => {
			const head = 'HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nX-Padding: ' + 'a'.repeat(60_000);
			let sent = 0;
			const host = await rawServer(socket => drip(socket, 'H', () => head[++sent] ?? 'a'));
			await expectStopped(host, 'network', /no complete answer from 127\.0\.0\.1:\d+ within 400 ms/);
		});

		it('gives up on one 100 Continue after another', async () => {
			const host = await rawServer(socket => drip(socket, 'HTTP/1.1 100 Continue\r\n\r\n', () => 'HTTP/1.1 100 Continue\r\n\r\n'));
			await expectStopped(host, 'network', /no complete answer from 127\.0\.0\.1:\d+ within 400 ms/);
		});

		it('gives up on one 103 Early Hints after another through undici too, the route a download through a proxy takes', async () => {
			// undici's own headers timeout starts again at each 1xx but 100; the route is the same without the proxy.
			const host = await rawServer(socket => drip(socket, 'HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n', () => 'HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n'));
			const agent = new Agent();
			try {
				const started = Date.now();
				const error = await downloadVideo({ url: `http://${host}/v.mp4`, file, apiOrigin: 'http://127.0.0.1', idleTimeoutMs: 400, route: { dispatcher: agent } }).then(() => undefined, (e: unknown) => e);
				assert.ok(error instanceof DownloadError, String(error));
				assert.equal(error.kind, 'network', error.message);
				assert.match(error.message, /no complete answer from 127\.0\.0\.1:\d+ within 400 ms/);
				assert.ok(Date.now() - started < 2_000, `stopped after ${Date.now() - started} ms`);
				assert.deepEqual(listFiles(folder), []);
			} finally {
				await agent.destroy();
			}
		});

		it('reads the answer after a 103 Early Hints through undici, as without it', async () => {
			const body = videoBytes(50_000);
			const host = await rawServer(socket => {
				socket.write('HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n');
				socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: ${body.length}\r\n\r\n`), body]));
			});
			const agent = new Agent();
			try {
				await downloadVideo({ url: `http://${host}/v.mp4`, file, apiOrigin: 'http://127.0.0.1', route: { dispatcher: agent } });
				assert.ok(fs.readFileSync(file).equals(body));
			} finally {
				await agent.destroy();
			}
		});

		it('gives up on a chunk header that comes a byte at a time', async () => {
			const host = await rawServer(socket => drip(socket, 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n\0\0\0\x10ftyp01234567\r\n1;name=', () => 'v'));
			await expectStopped(host, 'incomplete', /broke off after 16 B \(a chunk header took longer than 400 ms to arrive\)/);
		});

		it('saves the body at its last chunk, without waiting for trailers that never end', async () => {
			const host = await rawServer(socket => drip(socket, 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n\0\0\0\x10ftyp01234567\r\n0\r\nX-Trailer: ', () => 'x'));
			const started = Date.now();
			const result = await download(`http://${host}/v.mp4`, { idleTimeoutMs: 400 });
			assert.ok(Date.now() - started < 1_000, `saved after ${Date.now() - started} ms`);
			assert.equal(result.bytes, 16);
			assert.equal(fs.readFileSync(file, 'latin1'), '\0\0\0\x10ftyp01234567');
		});
	});

	it('shows a transfer coding it does not read as a plain word: no link, no escape sequence', async () => {
		const host = await rawServer(socket => socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip [Install the fix](command:workbench.action.terminal.sendSequence?%7B%7D) \x1b[31m\r\n\r\n'));
		const error = await download(`http://${host}/v.mp4`).then(() => undefined, (e: unknown) => e);
		assert.ok(error instanceof DownloadError, String(error));
		assert.equal(error.kind, 'http');
		assert.match(error.message, /it uses a transfer coding VideoGen does not read \(gzip Install the fixcommandworkbench\.act…\)/);
		assert.ok(!error.message.includes("](") && !error.message.includes("\u001b"), error.message);
	});

	describe('where the host replaces net.connect and tls.connect and onread is lost', () => {
		// VS Code's extension host hands extensions its own `net` and `tls`; with the setting
		// http.experimental.systemCertificatesV2 their connect functions create the socket themselves,
		// and the `onread` option never reaches it. That patch exists only inside VS Code, so these
		// stand-ins do what it does: the same module objects, with connect replaced.
		/* eslint-disable @typescript-eslint/no-require-imports */
		const netModule = require('node:net') as typeof net;
		const tlsModule = require('node:tls') as typeof import('node:tls');
		/* eslint-enable @typescript-eslint/no-require-imports */
		const original = { net: netModule.connect, tls: tlsModule.connect };

		before(() => {
			netModule.connect = ((options: net.NetConnectOpts, listener?: () => void) => new netModule.Socket().connect(options, listener)) as typeof net.connect;
			tlsModule.connect = ((options: import('node:tls').ConnectionOptions, listener?: () => void) =>
				original.tls({ ...options, socket: new netModule.Socket().connect({ host: options.host!, port: options.port! }) }, listener)) as typeof tlsModule.connect;
		});

		after(() => {
			netModule.connect = original.net;
			tlsModule.connect = original.tls;
		});

		it('still saves every byte, over plain HTTP and over TLS', async () => {
			const body = videoBytes(6 * 1024 * 1024 + 5);
			await download(`http://${await serve(body)}/v.mp4`);
			assert.ok(fs.readFileSync(file).equals(body), 'over plain HTTP');
			fs.rmSync(file);

			await download(`https://localhost:${(await serve(body, true)).split(':')[1]}/v.mp4`, { ca: cert });
			assert.ok(fs.readFileSync(file).equals(body), 'over TLS');
		});

		it('still reads a body that ends when the server closes the connection', async () => {
			const body = videoBytes(300_000);
			const host = await rawServer(socket => {
				socket.write('HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nConnection: close\r\n\r\n');
				socket.end(body);
			});
			await download(`http://${host}/v.mp4`);
			assert.ok(fs.readFileSync(file).equals(body), 'not an empty or partial file');
		});
	});

	it('reports a connection error whose code a file system also uses (ENOENT) as a network problem, not a disk one', async () => {
		// A host that routes connections through a local socket, one that is gone: the socket's
		// error is ENOENT, as a missing file's would be, and must still not be blamed on the disk.
		const netModule = require('node:net') as typeof net; // eslint-disable-line @typescript-eslint/no-require-imports
		const connect = netModule.connect;
		netModule.connect = (() => new netModule.Socket().connect({ path: path.join(folder, 'gone.sock') })) as typeof net.connect;
		try {
			await expectFailure('http://127.0.0.1:9/v.mp4', 'network', /^Could not reach the video storage host \(ENOENT\)\.$/);
		} finally {
			netModule.connect = connect;
		}
	});

	it('waits for a disk slower than the network without losing a byte, and without counting the wait as the server\'s silence', async () => {
		// The .part file is a named pipe read slowly here: the writes block as on a slow disk, and
		// the download must stop reading the socket meanwhile. One stall is longer than the idle timeout.
		const body = videoBytes(8 * 1024 * 1024);
		const host = await serve(body);
		childProcess.execFileSync('mkfifo', [`${file}.part`]);
		const received: Buffer[] = [];
		const reading = (async () => {
			let stalled = false;
			for await (const chunk of fs.createReadStream(`${file}.part`, { highWaterMark: 256 * 1024 })) {
				received.push(chunk as Buffer);
				const total = received.reduce((sum, part) => sum + part.length, 0);
				await new Promise(resolve => setTimeout(resolve, !stalled && total > 4 * 1024 * 1024 ? 600 : 2));
				stalled ||= total > 4 * 1024 * 1024;
			}
		})();
		const result = await download(`http://${host}/v.mp4`, { idleTimeoutMs: 300 });
		await reading;
		assert.equal(result.bytes, body.length);
		assert.ok(Buffer.concat(received).equals(body), 'every byte reached the disk, in order');
	});

	it('does not hold the time it waits for a slow disk against the storage host\'s speed', async () => {
		// As above, a named pipe read slowly, with one stall far longer than the speed window: the
		// socket waits for the disk, so that window says nothing about the server.
		const body = videoBytes(8 * 1024 * 1024);
		const host = await serve(body);
		childProcess.execFileSync('mkfifo', [`${file}.part`]);
		const reading = (async () => {
			let total = 0;
			for await (const chunk of fs.createReadStream(`${file}.part`, { highWaterMark: 256 * 1024 })) {
				total += (chunk as Buffer).length;
				await new Promise(resolve => setTimeout(resolve, total > 2 * 1024 * 1024 && total <= 2 * 1024 * 1024 + 256 * 1024 ? 800 : 1));
			}
		})();
		const result = await downloadVideo({ url: `http://${host}/v.mp4`, file, apiOrigin: 'http://127.0.0.1', minBytesPerSecond: 10 * 1024 * 1024, slowWindowMs: 200 });
		await reading;
		assert.equal(result.bytes, body.length);
	});
});
