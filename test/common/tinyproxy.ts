/**
 * A real HTTP proxy for the tests: Debian's `tinyproxy`, started in the foreground on loopback with
 * a configuration of the test's own, and stopped by the test. Its log says which requests went
 * through it; it connects onwards from its own loopback address (127.0.0.3 by default), so the
 * servers behind it can tell a request that came through it from one that did not.
 */

import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TinyproxyOptions {
	/** Basic authentication the proxy requires. */
	readonly auth?: { readonly user: string; readonly password: string };
	/** The address it connects onwards from. Default `127.0.0.3`. */
	readonly outgoingAddress?: string;
	/** Only these ports may be tunnelled to (CONNECT); any other gets 403. Default: every port. */
	readonly connectPorts?: readonly number[];
}

export interface Tinyproxy {
	/** `http://127.0.0.1:PORT`, without credentials. */
	readonly url: string;
	readonly port: number;
	readonly outgoingAddress: string;
	/** The requests it received so far, as `CONNECT host:port` or `GET http://…`. */
	requests(): string[];
	/** Its whole log. */
	log(): string;
	stop(): Promise<void>;
}

/** Where Debian puts it; also looked for on the PATH. */
function binary(): string {
	for (const candidate of ['/usr/bin/tinyproxy', '/usr/sbin/tinyproxy', ...(process.env.PATH ?? '').split(':').map(dir => path.join(dir, 'tinyproxy'))]) {
		if (candidate && fs.existsSync(candidate)) {
			return candidate;
		}
	}
	throw new Error('tinyproxy is not installed: run `bash test/harness/setup.sh --system-packages` (it installs tinyproxy and openssl)');
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

function accepts(port: number): Promise<boolean> {
	return new Promise(resolve => {
		const socket = net.connect({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

export async function startTinyproxy(options: TinyproxyOptions = {}): Promise<Tinyproxy> {
	const program = binary();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'videogen-tinyproxy-'));
	const outgoingAddress = options.outgoingAddress ?? '127.0.0.3';
	const logFile = path.join(dir, 'tinyproxy.log');
	// A port taken between freePort() and tinyproxy's bind makes it exit: then another port is tried.
	for (let attempt = 0; attempt < 5; attempt++) {
		const port = await freePort();
		const config = [
			`Port ${port}`,
			'Listen 127.0.0.1',
			`Bind ${outgoingAddress}`,
			'Timeout 120',
			`LogFile "${logFile}"`,
			'LogLevel Connect',
			'MaxClients 200',
			'Allow 127.0.0.1',
			'DisableViaHeader Yes',
			...options.auth ? [`BasicAuth ${options.auth.user} ${options.auth.password}`] : [],
			...(options.connectPorts ?? []).map(allowed => `ConnectPort ${allowed}`),
		].join('\n');
		fs.writeFileSync(path.join(dir, 'tinyproxy.conf'), `${config}\n`);
		const child: ChildProcess = spawn(program, ['-d', '-c', path.join(dir, 'tinyproxy.conf')], { stdio: 'ignore' });
		let exited = false;
		child.once('exit', () => {
			exited = true;
		});
		const deadline = Date.now() + 10_000;
		while (!exited && Date.now() < deadline && !await accepts(port)) {
			await new Promise(resolve => setTimeout(resolve, 50));
		}
		if (exited || Date.now() >= deadline) {
			child.kill('SIGKILL');
			continue;
		}
		const log = () => fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
		return {
			url: `http://127.0.0.1:${port}`,
			port,
			outgoingAddress,
			log,
			requests: () => [...log().matchAll(/Request \(file descriptor \d+\): (\S+ \S+) HTTP\/1\.[01]/g)].map(match => match[1]),
			stop: () => new Promise<void>(resolve => {
				const done = () => {
					fs.rmSync(dir, { recursive: true, force: true });
					resolve();
				};
				if (exited) {
					done();
					return;
				}
				child.once('exit', done);
				child.kill('SIGTERM');
			}),
		};
	}
	fs.rmSync(dir, { recursive: true, force: true });
	throw new Error(`tinyproxy did not start (configuration in ${dir}); is another one holding its ports?`);
}
