/**
 * Saving result videos: the simulator's storage host over loopback, the downloader's own HTTP
 * client, and a real temp folder. After every failure the folder must hold neither the video nor its `.part`.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { downloadVideo, DownloadOptions } from '../../src/core/net/downloader';
import { DownloadError, DownloadErrorKind } from '../../src/core/errors';
import { listFiles, Loopback, SAMPLE_VIDEO, SECRET_KEY, submitTask, TempDirs } from '../common/helpers';
import { videoBytes } from '../common/videoBytes';
import { waitFor } from '../common/waitFor';

describe('downloadVideo', () => {
	const loop = new Loopback();
	const dirs = new TempDirs();
	let folder: string;
	let file: string;
	let sample: Buffer;
	let url: string;
	let taskId: string;

	before(() => {
		sample = fs.readFileSync(SAMPLE_VIDEO);
	});

	beforeEach(async () => {
		await loop.start();
		folder = dirs.make();
		file = path.join(folder, 'video.mp4');
		taskId = (await submitTask(loop, 'a kite [instant]')).taskId!;
		url = `${loop.sim.storageUrl}/videos/${taskId}.mp4`;
	});

	afterEach(async () => {
		await loop.stop();
		dirs.cleanup();
	});

	const download = (over: Partial<DownloadOptions> = {}) =>
		downloadVideo({ url, file, apiOrigin: loop.sim.apiUrl, ...over });

	/** Awaits a download that must fail; checks its kind, that the key is not in it and that nothing was left behind. */
	async function expectFailure(call: Promise<unknown>, kind: DownloadErrorKind, message: RegExp): Promise<DownloadError> {
		const error = await call.then(() => undefined, (e: unknown) => e);
		assert.ok(error instanceof DownloadError, `expected a DownloadError, got ${String(error)}`);
		assert.equal(error.kind, kind, error.message);
		assert.match(error.message, message);
		assert.ok(!error.message.includes(SECRET_KEY));
		assert.deepEqual(listFiles(folder), [], 'neither the video nor a .part file is left');
		return error;
	}

	/** Requests for videos that reached either simulator server (the [redirect] hop goes to the API host). */
	const videoRequests = () => loop.sim.requests.filter(r => r.path.startsWith('/videos/') || r.path.startsWith('/files/') || r.path.startsWith('/redirect/'));

	it('saves every byte of the video under its final name and leaves no .part file', async () => {
		const progress: Array<[number, number | undefined]> = [];
		const result = await download({ onProgress: (received, total) => progress.push([received, total]) });
		assert.equal(result.file, file);
		assert.equal(result.bytes, sample.length);
		assert.ok(fs.readFileSync(file).equals(sample));
		assert.deepEqual(listFiles(folder), ['video.mp4']);
		assert.deepEqual(progress.at(-1), [sample.length, sample.length], 'the last progress report is complete');
	});

	it('saves a large video byte for byte, through many batched writes', async () => {
		// 24 MB of random bytes: any chunk written twice, dropped or out of order changes the file.
		const source = path.join(dirs.make(), 'large.mp4');
		const large = videoBytes(24 * 1024 * 1024);
		fs.writeFileSync(source, large);
		const server = new Loopback();
		await server.start({ pendingMs: 0, runningMs: 0, videoFile: source });
		try {
			const { taskId: id } = await submitTask(server, 'a long take [instant]');
			const progress: number[] = [];
			const result = await downloadVideo({ url: `${server.sim.storageUrl}/videos/${id}.mp4`, file, apiOrigin: server.sim.apiUrl, onProgress: received => progress.push(received) });
			assert.equal(result.bytes, large.length);
			assert.ok(fs.readFileSync(file).equals(large), 'the saved file is the served file');
			assert.deepEqual(listFiles(folder), ['video.mp4']);
			assert.equal(progress.at(-1), large.length);
		} finally {
			await server.stop();
		}
	});

	it('reports a disk that fills up during the download as a disk problem and leaves nothing behind', async () => {
		// /dev/full accepts the open and refuses every write with ENOSPC, as a full disk does.
		fs.symlinkSync('/dev/full', `${file}.part`);
		const error = await expectFailure(download(), 'disk', /Could not save the video in .*: the disk is full\. Choose another folder in the videogen\.downloadFolder setting/);
		assert.equal(error.retryable, false, 'a full disk is not retried by itself');
	});

	it('creates the folder when it does not exist yet', async () => {
		file = path.join(folder, 'nested', 'deeper', 'video.mp4');
		await download();
		assert.ok(fs.readFileSync(file).equals(sample));
	});

	it('never sends an authorization header to the storage host', async () => {
		await download();
		const requests = videoRequests();
		assert.equal(requests.length, 1);
		assert.equal(requests[0].server, 'storage');
		assert.equal(requests[0].headers.authorization, undefined);
	});

	it('follows a cross-origin redirect from the API host to the storage host without sending a key to either', async () => {
		const redirected = await submitTask(loop, 'a kite [instant] [redirect]');
		const [link] = (await loop.client().status(redirected.taskId!)).urls;
		assert.ok(link.startsWith(`${loop.sim.apiUrl}/files/`), link);
		await download({ url: link });
		assert.ok(fs.readFileSync(file).equals(sample));
		const hops = videoRequests();
		assert.deepEqual(hops.map(r => r.server), ['api', 'storage']);
		for (const hop of hops) {
			assert.equal(hop.headers.authorization, undefined, `${hop.server} ${hop.path}`);
		}
	});

	it('follows a redirect within the storage host', async () => {
		await download({ url: `${loop.sim.storageUrl}/redirect/${taskId}.mp4` });
		assert.ok(fs.readFileSync(file).equals(sample));
		assert.equal(videoRequests().length, 2);
	});

	for (const status of [403, 404]) {
		it(`reports HTTP ${status} from storage as an expired link, so that a fresh link is asked for`, async () => {
			loop.sim.faults.push({ target: 'download', kind: 'http', status });
			const error = await expectFailure(download(), 'linkExpired', new RegExp(`expired or is no longer valid \\(HTTP ${status}\\)\\. Download Again asks the service for a fresh one`));
			assert.equal(error.status, status);
			assert.equal(error.retryable, false);
		});
	}

	it('reports a link to a video the storage host does not have as expired', async () => {
		await expectFailure(download({ url: `${loop.sim.storageUrl}/videos/task_unknown.mp4` }), 'linkExpired', /HTTP 404/);
	});

	it('reports a storage server error as retryable', async () => {
		loop.sim.faults.push({ target: 'download', kind: 'http', status: 503 });
		const error = await expectFailure(download(), 'http', /answered HTTP 503/);
		assert.equal(error.retryable, true);
	});

	it('discards a download reset in the middle of the body: no video and no .part file', async () => {
		loop.sim.faults.push({ target: 'download', kind: 'reset', afterBytes: 10_000 });
		const error = await expectFailure(download(), 'incomplete', /broke off after .* of 41 KB/);
		assert.equal(error.retryable, true);
	});

	it('discards a body that ends cleanly before its Content-Length: no video and no .part file', async () => {
		loop.sim.faults.push({ target: 'download', kind: 'short', bytes: 5_000 });
		await expectFailure(download(), 'incomplete', /of 41 KB/);
	});

	it('discards a body cut in half by the server', async () => {
		loop.sim.faults.push({ target: 'download', kind: 'truncated' });
		await expectFailure(download(), 'incomplete', /of 41 KB/);
	});

	it('gives up on a body that stalls longer than the idle timeout and discards what came', async () => {
		loop.sim.faults.push({ target: 'download', kind: 'hang', afterBytes: 4_000 });
		await expectFailure(download({ idleTimeoutMs: 300 }), 'incomplete', /broke off after/);
	});

	it('has what arrived of a stalled body on disk in the .part file while it waits, not only in memory', async () => {
		loop.sim.faults.push({ target: 'download', kind: 'hang', afterBytes: 10_000 });
		const running = download({ idleTimeoutMs: 2_000 }).then(() => undefined, (e: unknown) => e);
		const part = `${file}.part`;
		await waitFor('the first 10,000 bytes in the .part file', () => fs.existsSync(part) && fs.statSync(part).size >= 10_000, 1_500);
		assert.ok(!fs.existsSync(file), 'nothing under the video\'s own name');
		const error = await running;
		assert.ok(error instanceof DownloadError && error.kind === 'incomplete', String(error));
		assert.deepEqual(listFiles(folder), [], 'the partial file is gone once the download gives up');
	});

	it('reports a storage host that never answers as unreachable', async () => {
		loop.sim.faults.push({ target: 'download', kind: 'hang' });
		const error = await expectFailure(download({ idleTimeoutMs: 300 }), 'network', /Could not reach the video storage host/);
		assert.equal(error.retryable, true);
	});

	it('discards the partial file when the download is cancelled', async () => {
		loop.sim.faults.push({ target: 'download', kind: 'hang', afterBytes: 4_000 });
		const controller = new AbortController();
		const running = download({ signal: controller.signal, onProgress: () => controller.abort() });
		setTimeout(() => controller.abort(), 200);
		await expectFailure(running, 'incomplete', /broke off/);
	});

	it('reports a folder that cannot be written as a disk problem and says to choose another folder', async () => {
		// Tests run as root, and root ignores permission bits (chmod 0o500 would not stop it), so the
		// folder is made unwritable for everyone: its path goes through a regular file (ENOTDIR).
		const blocker = path.join(folder, 'not-a-folder');
		fs.writeFileSync(blocker, 'x');
		file = path.join(blocker, 'videos', 'video.mp4');
		const error = await download().then(() => undefined, (e: unknown) => e);
		assert.ok(error instanceof DownloadError);
		assert.equal(error.kind, 'disk');
		assert.match(error.message, /Could not save the video in .*not-a-folder.*ENOTDIR.*Choose another folder in the videogen\.downloadFolder setting/);
		assert.deepEqual(listFiles(folder), ['not-a-folder']);
		assert.equal(videoRequests().length, 0, 'nothing is fetched when it cannot be saved');
	});

	it('reports a final name that is taken by a folder as a disk problem and leaves no .part file', async () => {
		fs.mkdirSync(file);
		fs.writeFileSync(path.join(file, 'keep'), '');
		const error = await download().then(() => undefined, (e: unknown) => e);
		assert.ok(error instanceof DownloadError);
		assert.equal(error.kind, 'disk');
		assert.deepEqual(listFiles(folder), ['video.mp4/keep']);
	});

	describe('limits on what the storage host sends', () => {
		const MB = 1024 * 1024;

		/** Names created in the folder while `work` runs: a refusal before writing creates none. */
		async function created(work: () => Promise<unknown>): Promise<string[]> {
			const names: string[] = [];
			const watcher = fs.watch(folder, (_event, name) => names.push(String(name)));
			try {
				await work();
				await new Promise(resolve => setTimeout(resolve, 50));
			} finally {
				watcher.close();
			}
			return names;
		}

		it('refuses a video whose Content-Length is above the limit before writing anything', async () => {
			const names = await created(() => expectFailure(download({ maxBytes: 10_000 }), 'tooLarge',
				/^The video is 41 KB, more than the 9\.8 KB the videogen\.maxDownloadMegabytes setting allows; nothing was saved\. If the video really is that large, raise the setting, then Download Again\.$/));
			assert.deepEqual(names, [], 'not even the .part file was created');
		});

		for (const framing of ['chunked', 'close'] as const) {
			it(`stops a ${framing === 'chunked' ? 'chunked body' : 'body ended only by closing'} that goes on past the limit, and discards it`, async () => {
				loop.sim.faults.push({ target: 'download', kind: 'endless', framing });
				const error = await expectFailure(download({ maxBytes: MB }), 'tooLarge',
					/^The video storage host sent more than 1\.0 MB, the most the videogen\.maxDownloadMegabytes setting allows, so the download was stopped and the partial file discarded\./);
				assert.equal(error.retryable, false, 'the same link would send the same body');
			});
		}

		it('saves exactly the declared bytes of a body that goes on past its Content-Length', async () => {
			loop.sim.faults.push({ target: 'download', kind: 'overlong', extraBytes: 4 * MB });
			const result = await download({ maxBytes: MB });
			assert.equal(result.bytes, sample.length);
			assert.ok(fs.readFileSync(file).equals(sample));
		});

		it('stops a body that trickles in below the speed floor, and discards what came', async () => {
			loop.sim.faults.push({ target: 'download', kind: 'trickle', bytesPerSecond: 2_000 });
			const started = Date.now();
			const error = await expectFailure(download({ minBytesPerSecond: 20_000, slowWindowMs: 300 }), 'tooSlow',
				/^The download was too slow \(\d{1,3}(,\d{3})* B in \d+ ms, less than 20 KB a second\), so it was stopped and the partial file discarded\. The network or the storage host may be struggling: try Download Again later\.$/);
			assert.ok(Date.now() - started < 2_000, 'stopped after about one window, not when the 41 KB had trickled in');
			assert.equal(error.retryable, false);
		});

		it('lets a slow body that stays above the speed floor finish', async () => {
			loop.sim.faults.push({ target: 'download', kind: 'trickle', bytesPerSecond: 100_000 });
			const result = await download({ minBytesPerSecond: 10_000, slowWindowMs: 100 });
			assert.equal(result.bytes, sample.length);
			assert.ok(fs.readFileSync(file).equals(sample));
		});
	});

	describe('only a video is kept', () => {
		it('asks for the video as is, not compressed', async () => {
			await download();
			assert.equal(videoRequests()[0].headers['accept-encoding'], 'identity');
		});

		it('refuses a gzip-compressed body typed as video/mp4, and keeps nothing', async () => {
			loop.sim.faults.push({ target: 'download', kind: 'gzip' });
			const error = await expectFailure(download(), 'notVideo',
				/^The video storage host sent the video compressed \(Content-Encoding: gzip\) although VideoGen asked for it as is; nothing was saved\./);
			assert.equal(error.retryable, false);
		});

		for (const body of ['html', 'random'] as const) {
			it(`refuses a 200 video/mp4 body that is ${body === 'html' ? 'a web page' : 'random bytes'}, and keeps nothing`, async () => {
				loop.sim.faults.push({ target: 'download', kind: 'notVideo', body });
				await expectFailure(download(), 'notVideo',
					/^The service sent something that is not a video \(it starts neither like an MP4 or MOV file nor like a WebM file\); it was not kept\. A proxy or the storage host may be failing: try Download Again later\.$/);
			});
		}

		describe('from a server of the test\'s own', () => {
			let server: http.Server;
			let origin: string;
			let reply: { headers: http.OutgoingHttpHeaders; body: Buffer };

			beforeEach(async () => {
				server = http.createServer((_req, res) => {
					res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': reply.body.length, ...reply.headers });
					res.end(reply.body);
				});
				await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
				origin = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
			});

			afterEach(() => new Promise<void>(resolve => {
				server.close(() => resolve());
				server.closeAllConnections();
			}));

			for (const encoding of ['br', 'deflate', 'x-gzip', 'gzip, identity', 'zstd']) {
				it(`refuses a body with Content-Encoding: ${encoding}`, async () => {
					reply = { headers: { 'content-encoding': encoding }, body: videoBytes(1000) };
					await expectFailure(download({ url: `${origin}/v.mp4` }), 'notVideo', new RegExp(`compressed \\(Content-Encoding: ${encoding}\\)`));
				});
			}

			it('accepts a body whose Content-Encoding is identity', async () => {
				reply = { headers: { 'content-encoding': 'identity' }, body: videoBytes(1000) };
				await download({ url: `${origin}/v.mp4` });
				assert.ok(fs.readFileSync(file).equals(reply.body));
			});

			it('shows a hostile Content-Encoding as plain text of bounded length', async () => {
				reply = { headers: { 'content-encoding': `gzip<script>${'x'.repeat(500)}` }, body: videoBytes(1000) };
				const error = await expectFailure(download({ url: `${origin}/v.mp4` }), 'notVideo', /Content-Encoding: gzipscriptx+…\)/);
				assert.ok(!error.message.includes('<') && error.message.length < 400, error.message);
			});

			it('keeps a WebM video, which starts with the EBML header', async () => {
				reply = { headers: { 'content-type': 'video/webm' }, body: Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), videoBytes(5000).subarray(4)]) };
				await download({ url: `${origin}/v.webm` });
				assert.ok(fs.readFileSync(file).equals(reply.body));
			});

			for (const [name, body] of [['empty', Buffer.alloc(0)], ['seven bytes long', Buffer.from('\0\0\0\x14fty')]] as const) {
				it(`refuses a 200 body that is ${name}, too short to be a video`, async () => {
					reply = { headers: {}, body };
					await expectFailure(download({ url: `${origin}/v.mp4` }), 'notVideo', /not a video/);
				});
			}
		});
	});

	describe('redirects the storage host should not send', () => {
		it('reports a Location that is not a URL as the storage host\'s fault, to be tried again, not as the disk\'s', async () => {
			loop.sim.faults.push({ target: 'download', kind: 'badRedirect' });
			const error = await expectFailure(download(), 'badRedirect', /^The video storage host sent a redirect to an address that is not a valid URL \(HTTP 302\)\.$/);
			assert.equal(error.status, 302);
			assert.equal(error.retryable, true);
		});

		it('reports a redirect without a Location the same way', async () => {
			loop.sim.faults.push({ target: 'download', kind: 'badRedirect', location: '' });
			const error = await expectFailure(download(), 'badRedirect', /^The video storage host sent a redirect without saying where to \(HTTP 302\)\.$/);
			assert.equal(error.retryable, true);
		});
	});

	describe('insecure links', () => {
		it('refuses a plain http link to a remote host without fetching it', async () => {
			await expectFailure(download({ url: 'http://cdn.example.com/v.mp4' }), 'insecureUrl', /not https: \(http:\/\/cdn\.example\.com\); VideoGen will not download it/);
		});

		it('refuses a loopback http link when the API is not on loopback', async () => {
			await expectFailure(download({ apiOrigin: 'https://api.umodelverse.ai' }), 'insecureUrl', /not https:/);
			assert.equal(videoRequests().length, 0);
		});

		it('accepts a loopback http link when the API is on loopback', async () => {
			await download({ apiOrigin: loop.sim.apiUrl });
			assert.ok(fs.readFileSync(file).equals(sample));
		});

		describe('behind a redirect', () => {
			let server: http.Server;
			let origin: string;
			let location = '';
			const sockets = new Set<net.Socket>();

			beforeEach(async () => {
				// A second real server on loopback that answers every request with a redirect to `location`.
				server = http.createServer((_req, res) => {
					res.writeHead(302, { location, 'content-length': '0' });
					res.end();
				});
				server.on('connection', socket => sockets.add(socket));
				await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
				origin = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
			});

			afterEach(async () => {
				for (const socket of sockets) {
					socket.destroy();
				}
				await new Promise<void>(resolve => server.close(() => resolve()));
			});

			it('checks every hop, and refuses a redirect to a plain http remote host', async () => {
				location = 'http://cdn.example.com/v.mp4';
				await expectFailure(download({ url: `${origin}/v.mp4` }), 'insecureUrl', /http:\/\/cdn\.example\.com/);
			});

			it('gives up on a link that redirects in a loop', async () => {
				location = '/again';
				await expectFailure(download({ url: `${origin}/v.mp4` }), 'tooManyRedirects', /redirected more than 5 times/);
			});
		});
	});
});
