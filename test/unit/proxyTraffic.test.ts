/**
 * VideoGen's requests through a real proxy: Debian's tinyproxy, started by these tests on loopback,
 * with and without basic authentication, in front of the simulator speaking HTTPS with a
 * certificate from a private authority made here with openssl. The engine runs as the extension
 * runs it (ServiceStack), given the proxy settings the extension reads from VS Code.
 *
 * The simulator listens on 127.0.0.2, which is loopback but not one of the names VS Code (and
 * VideoGen) always reach directly, so requests to it take the proxy. tinyproxy connects onwards
 * from 127.0.0.3: a request the simulator sees from that address came through the proxy.
 */

import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { Agent } from 'undici';
import { ApiError, DownloadError } from '../../src/core/errors';
import { ApiClient } from '../../src/core/net/apiClient';
import { downloadVideo } from '../../src/core/net/downloader';
import { Network } from '../../src/core/net/network';
import { ProxySettings } from '../../src/core/net/proxy';
import { isFinished, TaskRecord } from '../../src/core/task';
import { Simulator, startSimulator } from '../simulator/simulator';
import { deadPort, listFiles, MODEL, promptBody, SECRET_KEY, TempDirs } from '../common/helpers';
import { PrivateCa, privateCa } from '../common/privateCa';
import { ServiceStack } from '../common/serviceStack';
import { startTinyproxy, Tinyproxy } from '../common/tinyproxy';
import { waitFor } from '../common/waitFor';

const PASSWORD = 'pr0xy-S3cret-pw';
const noSettings: ProxySettings = { proxy: '', noProxy: [], proxyStrictSSL: true, systemCertificates: true, env: {} };

describe('requests through a real proxy', function () {
	this.timeout(30_000);
	const dirs = new TempDirs();
	const stacks: ServiceStack[] = [];
	const proxies: Tinyproxy[] = [];
	const servers: net.Server[] = [];
	let ca: PrivateCa;
	let certificate: { cert: string; key: string };
	let sim: Simulator;
	let logLines: string[];
	const record = (message: string) => void logLines.push(message);

	before(() => {
		ca = privateCa(dirs.make('videogen-ca-'));
		certificate = ca.issue(['127.0.0.2']);
	});

	beforeEach(async () => {
		sim = await startSimulator({ apiKey: SECRET_KEY, host: '127.0.0.2', tls: certificate, pendingMs: 50, runningMs: 50 });
		logLines = [];
	});

	afterEach(async () => {
		stacks.splice(0).forEach(stack => stack.dispose());
		await Promise.all(proxies.splice(0).map(proxy => proxy.stop()));
		await Promise.all(servers.splice(0).map(server => new Promise(resolve => server.close(resolve))));
		await sim.close();
	});

	after(() => dirs.cleanup());

	async function proxy(options: Parameters<typeof startTinyproxy>[0] = {}): Promise<Tinyproxy> {
		const started = await startTinyproxy(options);
		proxies.push(started);
		return started;
	}

	/** The engine as a window runs it, with these proxy settings (read at every request) and, unless told otherwise, the private authority trusted. */
	function stack(settings: () => ProxySettings, options: { trust?: boolean; origin?: string; timeoutMs?: number } = {}): ServiceStack {
		const dir = dirs.make();
		const made = new ServiceStack({
			storeFile: path.join(dir, 'state', 'tasks.json'),
			folder: path.join(dir, 'videos'),
			origin: options.origin ?? sim.apiUrl,
			apiKey: SECRET_KEY,
			intervalMs: 100,
			proxySettings: settings,
			ca: options.trust === false ? undefined : ca.cert,
			idleTimeoutMs: 5_000,
			timeoutMs: options.timeoutMs ?? 5_000,
			// The engine's log, as the extension's output channel would hold it.
			log: { trace: record, debug: record, info: record, warn: record, error: message => record(String(message)) },
		});
		stacks.push(made);
		return made;
	}

	const settings = (over: Partial<ProxySettings>) => () => ({ ...noSettings, ...over });

	const restored = new WeakSet<ServiceStack>();

	/** Submits one task and waits until its video is saved (or its download failed). */
	async function generate(engine: ServiceStack, prompt = 'A harbour at dawn [instant]'): Promise<{ task: TaskRecord; error?: ApiError }> {
		if (!restored.has(engine)) {
			restored.add(engine);
			await engine.restore();
		}
		const { task, error } = await engine.submit({ prompt, parameters: { size: '720x1280', duration: 4 } });
		if (error) {
			return { task, error };
		}
		const ended = await waitFor('the video to be saved', () => {
			const now = engine.store.get(task.id);
			return now && isFinished(now) && ['done', 'failed'].includes(now.download?.phase ?? '') ? now : undefined;
		});
		return { task: ended };
	}

	const port = (origin: string) => new URL(origin).port;

	/** Nothing of the password in the messages, the task list file or the log. */
	function assertNoPassword(engine: ServiceStack, ...texts: (string | undefined)[]): void {
		const file = engine.store.file;
		for (const text of [...texts, fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '', ...logLines]) {
			assert.ok(!text?.includes(PASSWORD), `the proxy password leaked into: ${text}`);
			assert.ok(!text?.includes(Buffer.from(`alice:${PASSWORD}`).toString('base64')), `the proxy credentials leaked into: ${text}`);
		}
	}

	it('submits, polls and downloads through the proxy in http.proxy: the proxy\'s log has each tunnel, and the service saw every request come from the proxy', async () => {
		const tinyproxy = await proxy();
		const engine = stack(settings({ proxy: tinyproxy.url }));
		const { task } = await generate(engine);
		assert.equal(task.download?.phase, 'done', task.download?.error);
		assert.ok(fs.readFileSync(task.download!.files![0]).length > 1000);

		const kinds = sim.requests.map(r => `${r.server} ${r.method} ${r.path.split('?')[0]}`);
		assert.ok(kinds.includes('api POST /v1/tasks/submit') && kinds.includes('api GET /v1/tasks/status') && kinds.some(k => k.startsWith('storage GET /videos/')), kinds.join(', '));
		assert.deepEqual([...new Set(sim.requests.map(r => r.peer))], [tinyproxy.outgoingAddress], 'a request reached the service without the proxy');
		const tunnels = tinyproxy.requests();
		assert.ok(tunnels.includes(`CONNECT 127.0.0.2:${port(sim.apiUrl)}`), tunnels.join(', '));
		assert.ok(tunnels.includes(`CONNECT 127.0.0.2:${port(sim.storageUrl)}`), tunnels.join(', '));
		assert.ok(logLines.some(line => line.startsWith(`[http] requests go through the proxy ${tinyproxy.url} (the http.proxy setting)`)), logLines.join('\n'));
	});

	it('gives the proxy the user name and password in http.proxy, and shows them nowhere', async () => {
		const tinyproxy = await proxy({ auth: { user: 'alice', password: PASSWORD } });
		const engine = stack(settings({ proxy: tinyproxy.url.replace('http://', `http://alice:${PASSWORD}@`) }));
		const { task } = await generate(engine);
		assert.equal(task.download?.phase, 'done', task.download?.error);
		assert.deepEqual([...new Set(sim.requests.map(r => r.peer))], [tinyproxy.outgoingAddress]);
		assert.ok(logLines.some(line => line.includes(`http://***@127.0.0.1:${tinyproxy.port}`)), logLines.join('\n'));
		assertNoPassword(engine);
	});

	it('sends http.proxyAuthorization as the proxy\'s credentials when set', async () => {
		const tinyproxy = await proxy({ auth: { user: 'alice', password: PASSWORD } });
		const engine = stack(settings({ proxy: tinyproxy.url, proxyAuthorization: `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}` }));
		const { task } = await generate(engine);
		assert.equal(task.download?.phase, 'done', task.download?.error);
		assertNoPassword(engine);
	});

	it('says a wrong proxy password is wrong, names http.proxy, sends nothing, offers Try Again, and keeps the password out of every text', async () => {
		const tinyproxy = await proxy({ auth: { user: 'alice', password: PASSWORD } });
		const wrong = `${PASSWORD}-not`;
		const engine = stack(settings({ proxy: tinyproxy.url.replace('http://', `http://alice:${wrong}@`) }));
		const { task, error } = await generate(engine);
		assert.ok(error instanceof ApiError);
		assert.equal(error.kind, 'proxy');
		assert.equal(error.notSent, true);
		// tinyproxy answers a wrong password with 401, a missing one with 407 (the next test).
		assert.equal(error.message, `The proxy http://***@127.0.0.1:${tinyproxy.port} refused VideoGen's proxy credentials (HTTP 401), so nothing was sent to the VideoGen API. The user name or password for the proxy is wrong: check the http.proxy setting (and http.proxyAuthorization, if you set it).`);
		assert.deepEqual(error.actions, ['openSettings', 'tryAgain']);
		assert.equal(error.setting, 'http.proxy');
		assert.equal(task.phase, 'submitFailed', 'a submit that was never sent is not "outcome unknown"');
		assert.equal(sim.requests.length, 0, 'the service received something');
		assert.ok(!error.message.includes(wrong) && !task.error?.includes(wrong));
		const file = fs.readFileSync(engine.store.file, 'utf8');
		assert.ok(!file.includes(wrong) && !logLines.join('\n').includes(wrong), 'the wrong password was kept or logged');
		assertNoPassword(engine, error.message);
	});

	it('says the proxy wants a user name and password when none is given (HTTP 407)', async () => {
		const tinyproxy = await proxy({ auth: { user: 'alice', password: PASSWORD } });
		const { error } = await generate(stack(settings({ proxy: tinyproxy.url })));
		assert.equal(error?.kind, 'proxy');
		assert.match(error!.message, new RegExp(`^The proxy http://127\\.0\\.0\\.1:${tinyproxy.port} asks for a user name and password \\(HTTP 407\\), so nothing was sent to the VideoGen API\\. Give them in the http\\.proxy setting, as http://user:password@host:port\\.$`));
	});

	it('uses HTTPS_PROXY when http.proxy is not set, and names the variable when that proxy cannot be reached', async () => {
		const dead = `http://127.0.0.1:${await deadPort()}`;
		const { task, error } = await generate(stack(settings({ env: { HTTPS_PROXY: dead } })));
		assert.equal(error?.kind, 'proxy');
		assert.equal(error!.notSent, true);
		assert.equal(error!.message, `Could not connect to the proxy ${dead} (ECONNREFUSED), so nothing was sent to the VideoGen API. Check the HTTPS_PROXY environment variable, and that the proxy is running.`);
		assert.deepEqual(error!.actions, ['openSettings', 'tryAgain']);
		assert.equal(task.phase, 'submitFailed');
		assert.equal(sim.requests.length, 0, 'the service received something');

		const tinyproxy = await proxy();
		const { task: through } = await generate(stack(settings({ env: { HTTPS_PROXY: tinyproxy.url } })));
		assert.equal(through.download?.phase, 'done');
		assert.ok(sim.requests.length > 0 && sim.requests.every(r => r.peer === tinyproxy.outgoingAddress));
	});

	it('goes around the proxy for the hosts in NO_PROXY', async () => {
		const dead = `http://127.0.0.1:${await deadPort()}`;
		const { task } = await generate(stack(settings({ env: { HTTPS_PROXY: dead, NO_PROXY: 'example.com,127.0.0.2' } })));
		assert.equal(task.download?.phase, 'done', task.download?.error);
		assert.ok(sim.requests.length > 0 && sim.requests.every(r => r.peer === '127.0.0.1'), 'a request did not come directly');
	});

	it('lets http.noProxy replace NO_PROXY, as VS Code does', async () => {
		const tinyproxy = await proxy();
		const { task } = await generate(stack(settings({ proxy: tinyproxy.url, noProxy: ['example.com'], env: { NO_PROXY: '127.0.0.2' } })));
		assert.equal(task.download?.phase, 'done', task.download?.error);
		assert.ok(sim.requests.every(r => r.peer === tinyproxy.outgoingAddress), 'NO_PROXY was used although http.noProxy is set');

		const { task: around } = await generate(stack(settings({ proxy: `http://127.0.0.1:${await deadPort()}`, noProxy: ['127.0.0.2'] })));
		assert.equal(around.download?.phase, 'done', around.download?.error);
	});

	it('reads the settings at every request: a proxy set, changed or excepted later applies to the next request', async () => {
		const tinyproxy = await proxy();
		let current: ProxySettings = noSettings;
		const engine = stack(() => current);
		const peers = () => sim.requests.map(r => r.peer);
		await generate(engine, 'First, directly [instant]');
		assert.ok(peers().every(peer => peer === '127.0.0.1'));
		const before = sim.requests.length;

		current = { ...noSettings, proxy: tinyproxy.url };
		await generate(engine, 'Then through the proxy [instant]');
		assert.ok(sim.requests.slice(before).every(r => r.peer === tinyproxy.outgoingAddress), JSON.stringify(peers()));
		const middle = sim.requests.length;

		current = { ...noSettings, proxy: tinyproxy.url, noProxy: ['127.0.0.2'] };
		await generate(engine, 'Then around it again [instant]');
		assert.ok(sim.requests.slice(middle).every(r => r.peer === '127.0.0.1'), JSON.stringify(peers()));
	});

	it('says nothing was sent when the proxy refuses the tunnel to the API (HTTP 403), naming the proxy', async () => {
		const tinyproxy = await proxy({ connectPorts: [443] });
		const { task, error } = await generate(stack(settings({ proxy: tinyproxy.url })));
		assert.equal(error?.kind, 'proxy');
		assert.equal(error!.message, `The proxy ${tinyproxy.url} would not open a connection to the VideoGen API (HTTP 403), so nothing was sent. Check the http.proxy setting, or ask whoever runs the proxy whether it lets VideoGen through.`);
		assert.equal(task.phase, 'submitFailed');
		assert.equal(sim.requests.length, 0, 'the service received something');
	});

	it('gives up on a proxy that takes the connection and never answers, within the API\'s timeout, as not sent', async () => {
		const held = new Set<net.Socket>();
		const silent = net.createServer(socket => void held.add(socket)); // accepts, answers nothing
		servers.push(silent);
		await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
		const engine = stack(settings({ proxy: url }), { timeoutMs: 1_500 });
		const started = Date.now();
		const { task, error } = await generate(engine);
		assert.equal(error?.kind, 'proxy');
		assert.equal(error!.notSent, true);
		assert.equal(error!.message, `Could not connect to the proxy ${url} (it did not answer in time), so nothing was sent to the VideoGen API. Check the http.proxy setting, and that the proxy is running.`);
		assert.ok(Date.now() - started < 4_000, `gave up after ${Date.now() - started} ms; the API's timeout is 1.5 s`);
		assert.equal(task.phase, 'submitFailed');
		held.forEach(socket => socket.destroy());
	});

	it('says nothing was sent when the proxy cannot reach the API host itself (its HTTP 500)', async () => {
		const tinyproxy = await proxy();
		const nowhere = `https://127.0.0.2:${await deadPort()}`;
		const { task, error } = await generate(stack(settings({ proxy: tinyproxy.url }), { origin: nowhere }));
		assert.equal(error?.kind, 'proxy');
		assert.equal(error!.notSent, true);
		assert.equal(error!.message, `The proxy ${tinyproxy.url} would not open a connection to the VideoGen API (HTTP 500), so nothing was sent. Check the http.proxy setting, or ask whoever runs the proxy whether it lets VideoGen through.`);
		assert.equal(task.phase, 'submitFailed');
	});

	it('says the API\'s certificate was not accepted when its private authority is not trusted, and sends nothing', async () => {
		const tinyproxy = await proxy();
		const { task, error } = await generate(stack(settings({ proxy: tinyproxy.url }), { trust: false }));
		assert.equal(error?.kind, 'certificate');
		assert.equal(error!.notSent, true);
		assert.match(error!.message, /^Could not connect securely to the VideoGen API: its certificate was not accepted \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\), so nothing was sent\. .* the certificate authority it uses must be trusted, in the operating system's store or in the file NODE_EXTRA_CA_CERTS names\.$/);
		assert.equal(task.phase, 'submitFailed');
		assert.equal(sim.requests.length, 0, 'a request got past the TLS handshake');
		assert.ok(tinyproxy.requests().includes(`CONNECT 127.0.0.2:${port(sim.apiUrl)}`), 'the handshake did not go through the proxy');
	});

	for (const trusted of [true, false]) {
		it(trusted
			? 'trusts a private authority named by NODE_EXTRA_CA_CERTS, for the API and the download, through the proxy'
			: 'without NODE_EXTRA_CA_CERTS, the same process refuses that authority\'s certificate', async () => {
			const tinyproxy = await proxy();
			const env = { ...process.env, NODE_EXTRA_CA_CERTS: trusted ? ca.certFile : path.join(dirs.make(), 'none.pem') };
			const child = path.join(__dirname, '..', 'common', 'proxiedEngineChild.js');
			const output = await new Promise<string>((resolve, reject) => execFile(process.execPath, [child, sim.apiUrl, SECRET_KEY, tinyproxy.url, dirs.make()], { env, timeout: 25_000 }, (error, stdout, stderr) => error ? reject(new Error(`${String(error)}\n${stderr}`)) : resolve(stdout)));
			const result = JSON.parse(output) as { phase: string; download?: string; error?: string; kind?: string };
			if (trusted) {
				assert.equal(result.download, 'done', result.error);
				assert.ok(sim.requests.length >= 3 && sim.requests.every(r => r.peer === tinyproxy.outgoingAddress));
			} else {
				assert.equal(result.kind, 'certificate', result.error);
				assert.equal(result.phase, 'submitFailed');
			}
		});
	}

	it('never lets the proxy see the API key: the proxy receives the tunnel request and TLS, nothing readable', async () => {
		const tinyproxy = await proxy();
		// A relay in front of tinyproxy records every byte VideoGen sends to "the proxy".
		const received: Buffer[] = [];
		const relay = net.createServer(client => {
			const upstream = net.connect(tinyproxy.port, '127.0.0.1');
			client.on('data', chunk => received.push(chunk));
			client.pipe(upstream).pipe(client);
			client.on('error', () => upstream.destroy());
			upstream.on('error', () => client.destroy());
		});
		servers.push(relay);
		await new Promise<void>(resolve => relay.listen(0, '127.0.0.1', resolve));
		const { task } = await generate(stack(settings({ proxy: `http://127.0.0.1:${(relay.address() as net.AddressInfo).port}` })));
		assert.equal(task.download?.phase, 'done', task.download?.error);
		const seen = Buffer.concat(received);
		assert.ok(seen.includes(`CONNECT 127.0.0.2:${port(sim.apiUrl)} HTTP/1.1`));
		assert.ok(!seen.includes(SECRET_KEY), 'the key crossed the proxy readable');
		assert.ok(!seen.toString('latin1').toLowerCase().includes('authorization'), 'an authorization header crossed the proxy readable');
	});

	it('never sends a plain http: API\'s requests, key and all, through a proxy', async () => {
		const tinyproxy = await proxy();
		const plain = await startSimulator({ apiKey: SECRET_KEY, host: '127.0.0.2', pendingMs: 50, runningMs: 50 });
		try {
			const { task } = await generate(stack(settings({ proxy: tinyproxy.url }), { origin: plain.apiUrl }));
			assert.equal(task.download?.phase, 'done', task.download?.error);
			const api = plain.requests.filter(r => r.server === 'api');
			assert.ok(api.length >= 2 && api.every(r => r.peer === '127.0.0.1'), 'an API request went through the proxy');
			assert.ok(!tinyproxy.requests().some(line => line.includes(`:${port(plain.apiUrl)}`)), tinyproxy.requests().join(', '));
		} finally {
			await plain.close();
		}
	});

	it('says a socks proxy cannot be used, and sends nothing', async () => {
		const { task, error } = await generate(stack(settings({ proxy: 'socks5://127.0.0.1:1080' })));
		assert.equal(error?.kind, 'proxy');
		assert.equal(error!.message, 'VideoGen connects through http: and https: proxies only, and the proxy in the http.proxy setting is a socks5 proxy, so nothing was sent. Set an http: or https: proxy in the http.proxy setting.');
		assert.equal(task.phase, 'submitFailed');
		assert.equal(sim.requests.length, 0, 'the service received something');
	});

	describe('an https: proxy and http.proxyStrictSSL', () => {
		/** tinyproxy behind TLS, with a certificate from an authority nobody here trusts. */
		async function tlsProxy(): Promise<string> {
			const tinyproxy = await proxy();
			const other = privateCa(dirs.make('videogen-other-ca-'), 'An authority nobody trusts');
			const front = tls.createServer(other.issue(['127.0.0.1']), client => {
				const upstream = net.connect(tinyproxy.port, '127.0.0.1');
				client.pipe(upstream).pipe(client);
				client.on('error', () => upstream.destroy());
				upstream.on('error', () => client.destroy());
			});
			servers.push(front);
			await new Promise<void>(resolve => front.listen(0, '127.0.0.1', resolve));
			return `https://127.0.0.1:${(front.address() as net.AddressInfo).port}`;
		}

		it('refuses a proxy whose certificate is not trusted, saying so and naming the setting that allows it', async () => {
			const url = await tlsProxy();
			const { error } = await generate(stack(settings({ proxy: url })));
			assert.equal(error?.kind, 'proxy');
			assert.match(error!.message, new RegExp(`^Could not connect securely to the proxy ${url.replace(/\./g, '\\.')}: its certificate was not accepted \\(UNABLE_TO_VERIFY_LEAF_SIGNATURE\\), so nothing was sent to the VideoGen API\\. .*turn off the http\\.proxyStrictSSL setting for this proxy\\.$`));
			assert.equal(sim.requests.length, 0, 'the service received something');
		});

		it('accepts it with http.proxyStrictSSL off, and still checks the API\'s own certificate', async () => {
			const url = await tlsProxy();
			const { task } = await generate(stack(settings({ proxy: url, proxyStrictSSL: false })));
			assert.equal(task.download?.phase, 'done', task.download?.error);

			const { error } = await generate(stack(settings({ proxy: url, proxyStrictSSL: false }), { trust: false }));
			assert.equal(error?.kind, 'certificate', 'http.proxyStrictSSL relaxed the check of the API host');
		});
	});

	describe('a download', () => {
		/** A finished task's id, submitted by a bare API client: an engine would download the video itself. */
		const finishedTask = async () => {
			const dispatcher = new Agent({ connect: { ca: ca.cert } });
			try {
				return (await new ApiClient({ origin: sim.apiUrl, apiKey: SECRET_KEY, dispatcher }).submit(MODEL, promptBody('x [instant]'))).taskId;
			} finally {
				await dispatcher.close();
			}
		};

		const downloadThrough = async (over: Partial<ProxySettings>) => {
			const taskId = await finishedTask();
			const folder = dirs.make();
			const network = new Network({ settings: settings(over), ca: ca.cert });
			try {
				const error = await downloadVideo({ url: `${sim.storageUrl}/videos/${taskId}.mp4`, file: path.join(folder, 'v.mp4'), apiOrigin: sim.apiUrl, route: network.forDownload() }).then(() => undefined, (e: unknown) => e);
				return { error, files: listFiles(folder) };
			} finally {
				await network.close();
			}
		};

		it('through a proxy that cannot be reached says so, names the setting, and leaves nothing behind', async () => {
			const dead = `http://127.0.0.1:${await deadPort()}`;
			const { error, files } = await downloadThrough({ proxy: dead });
			assert.ok(error instanceof DownloadError);
			assert.equal(error.kind, 'proxy');
			assert.equal(error.message, `Could not connect to the proxy ${dead} (ECONNREFUSED), so nothing was sent to the video storage host. Check the http.proxy setting, and that the proxy is running.`);
			assert.equal(error.retryable, true, 'a proxy that is down may come back');
			assert.deepEqual(files, []);
		});

		it('through the proxy keeps every check of a direct one: the size cap, the container signature, no compression, expired links, redirects hop by hop, no key', async () => {
			const tinyproxy = await proxy();
			const { task: done } = await generate(stack(settings({ proxy: tinyproxy.url })), 'A video for the checks [instant] [redirect]');
			assert.equal(done.download?.phase, 'done', done.download?.error);
			const hops = sim.requests.filter(r => r.path.startsWith('/files/') || r.path.startsWith('/videos/'));
			assert.deepEqual(hops.map(r => `${r.server} ${r.status} ${r.peer}`), [`api 302 ${tinyproxy.outgoingAddress}`, `storage 200 ${tinyproxy.outgoingAddress}`]);
			assert.ok(hops.every(r => r.headers.authorization === undefined && r.headers['accept-encoding'] === 'identity'));

			const expect = async (fault: Parameters<Simulator['faults']['push']>[0], kind: string, message: RegExp, maxBytes?: number) => {
				const taskId = await finishedTask();
				sim.faults.push(fault);
				const folder = dirs.make();
				const network = new Network({ settings: settings({ proxy: tinyproxy.url }), ca: ca.cert });
				try {
					const error = await downloadVideo({ url: `${sim.storageUrl}/videos/${taskId}.mp4`, file: path.join(folder, 'v.mp4'), apiOrigin: sim.apiUrl, route: network.forDownload(), maxBytes, idleTimeoutMs: 500 }).then(() => undefined, (e: unknown) => e);
					assert.ok(error instanceof DownloadError, `${fault.kind}: ${String(error)}; storage saw ${JSON.stringify(sim.requests.filter(r => r.server === 'storage').map(r => [r.path.slice(-12), r.fault, r.status]))}`);
					assert.equal(error.kind, kind, error.message);
					assert.match(error.message, message);
					assert.deepEqual(listFiles(folder), [], `${fault.kind} left a file behind`);
				} finally {
					await network.close();
				}
			};
			await expect({ target: 'download', kind: 'endless', framing: 'chunked' }, 'tooLarge', /sent more than 1\.0 MB/, 1024 * 1024);
			await expect({ target: 'download', kind: 'notVideo', body: 'html' }, 'notVideo', /not a video/);
			await expect({ target: 'download', kind: 'gzip' }, 'notVideo', /compressed \(Content-Encoding: gzip\)/);
			await expect({ target: 'download', kind: 'http', status: 404 }, 'linkExpired', /HTTP 404/);
			await expect({ target: 'download', kind: 'reset', afterBytes: 10_000 }, 'incomplete', /broke off after/);
			await expect({ target: 'download', kind: 'hang', afterBytes: 4_000 }, 'incomplete', /broke off after .*no data from 127\.0\.0\.2:\d+ for 500 ms/);
		});

		it('through a proxy that refuses the credentials says so, is not retried by itself, and shows no password', async () => {
			const tinyproxy = await proxy({ auth: { user: 'alice', password: PASSWORD } });
			const { error } = await downloadThrough({ proxy: tinyproxy.url.replace('http://', 'http://alice:wrong-password@') });
			assert.ok(error instanceof DownloadError);
			assert.equal(error.kind, 'proxy');
			assert.match(error.message, /refused VideoGen's proxy credentials \(HTTP 401\), so nothing was sent to the video storage host/);
			assert.equal(error.retryable, false);
			assert.ok(!error.message.includes('wrong-password'));
		});
	});
});
