/**
 * One user session for the UI tests and the demo: the API simulator in this process, code-server with
 * VideoGen loaded as under development and pointed at the simulator, and headless Chromium showing the
 * workbench. `stop()` ends all three and is safe to call more than once, after a failed start too.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BrowserContext, Host, Page, isHostNoise, launchBrowser, openWorkbench, startCodeServer } from '../harness/codeServer';
import { Simulator, SimulatorOptions, startSimulator } from '../simulator/simulator';
import { waitForWorkbench } from './workbench';

/** The repo root: this file is compiled to out/test/ui/. */
export const ROOT = path.resolve(__dirname, '..', '..', '..');

export interface SessionOptions {
	/** Passed to the simulator; default Pending 1 s, Running 2 s. */
	simulator?: SimulatorOptions;
	/** Merged over the VideoGen settings pointed at the simulator. */
	userSettings?: Record<string, unknown>;
	/** Browser viewport; default 1280x800. */
	viewport?: { width: number; height: number };
	/** Name prefix of the temporary download folder. */
	tempPrefix?: string;
	/** Install this packed extension, as a user does, instead of loading the working tree as under development. */
	vsix?: string;
	/** Loopback port for code-server; a free one when absent. */
	port?: number;
	/** Receives the workbench's and extension host's forwarded log lines (offline noise left out). */
	onLog?: (line: string) => void;
	/** Set in code-server's environment, which its extension host inherits (NODE_EXTRA_CA_CERTS, for one). */
	env?: Record<string, string>;
	/** The folder the workbench opens (its Explorer shows it); an empty window when absent. */
	folder?: string;
	/**
	 * A task list VideoGen finds at start, as if an earlier session had written it: the text of its
	 * `tasks.json`, given the session's download folder.
	 */
	tasksJson?: (downloadFolder: string) => string;
	/** Workspace trust on, as VS Code ships it (see `HostOptions.workspaceTrust`); off when absent. */
	workspaceTrust?: boolean;
	/** VS Code's display language, e.g. `zh-cn` (see HostOptions.displayLanguage); English when absent. */
	displayLanguage?: string;
}

export interface Session {
	readonly sim: Simulator;
	readonly host: Host;
	readonly browser: BrowserContext;
	readonly page: Page;
	/** Where VideoGen saves the videos (`videogen.downloadFolder`). */
	readonly downloadFolder: string;
	/** The last forwarded log lines, for failure reports. */
	recentLog(lines?: number): string;
	/** Stops the browser, code-server and the simulator and removes the download folder. Never throws. */
	stop(): Promise<void>;
}

/** Ends what was started, in reverse order; every step runs even when an earlier one fails. */
async function stopAll(steps: (() => Promise<unknown> | unknown)[]): Promise<void> {
	for (const step of steps.reverse()) {
		try {
			await step();
		} catch (error) {
			console.error(`[ui] cleanup: ${String(error).split('\n')[0]}`);
		}
	}
}

/**
 * Starts the simulator, code-server (with `videogen.baseUrl` on the simulator, polling every second,
 * the player opening on success and a throwaway download folder) and Chromium on the workbench.
 * The VideoGen API key is not set: the session starts as a new user's would.
 */
export async function startSession(options: SessionOptions = {}): Promise<Session> {
	const cleanup: (() => Promise<unknown> | unknown)[] = [];
	const logLines: string[] = [];
	let stopped: Promise<void> | undefined;
	const stop = () => (stopped ??= stopAll(cleanup));
	try {
		const sim = await startSimulator({ pendingMs: 1000, runningMs: 2000, ...options.simulator });
		cleanup.push(() => sim.close());
		const downloadFolder = fs.mkdtempSync(path.join(os.tmpdir(), options.tempPrefix ?? 'videogen-ui-videos-'));
		cleanup.push(() => fs.rmSync(downloadFolder, { recursive: true, force: true }));
		const settings: Record<string, unknown> = {
			'videogen.baseUrl': sim.apiUrl,
			'videogen.pollIntervalSeconds': 1,
			'videogen.openOnSuccess': 'open',
			'videogen.downloadFolder': downloadFolder,
			...options.userSettings,
		};
		const host = await startCodeServer({
			...(options.vsix ? { vsix: options.vsix } : { extensionDevelopmentPath: ROOT }),
			userSettings: settings,
			port: options.port,
			folder: options.folder,
			workspaceTrust: options.workspaceTrust,
			env: options.env,
			displayLanguage: options.displayLanguage,
		});
		cleanup.push(() => host.stop());
		// The extension host runs on the server, a remote machine to the workbench: machine-scoped
		// settings such as videogen.downloadFolder are read from the remote's settings, not the user's.
		const machineSettings = path.join(host.stateDir, 'ud', 'Machine', 'settings.json');
		fs.mkdirSync(path.dirname(machineSettings), { recursive: true });
		fs.writeFileSync(machineSettings, JSON.stringify(settings, null, '\t'));
		if (options.tasksJson) {
			// The extension host starts with the first window: the list is in place before VideoGen reads it.
			const storage = path.join(host.stateDir, 'ud', 'User', 'globalStorage', 'videogen.videogen');
			fs.mkdirSync(storage, { recursive: true });
			fs.writeFileSync(path.join(storage, 'tasks.json'), options.tasksJson(downloadFolder));
		}
		const browser = await launchBrowser();
		cleanup.push(() => browser.close());
		const onLog = (line: string) => {
			if (isHostNoise(line)) {
				return;
			}
			logLines.push(line);
			if (logLines.length > 200) {
				logLines.splice(0, logLines.length - 200);
			}
			options.onLog?.(line);
		};
		const page = await openWorkbench(browser, host, undefined, { onLog });
		const viewport = options.viewport ?? { width: 1280, height: 800 };
		await page.setViewportSize(viewport);
		await waitForWorkbench(page);
		return {
			sim, host, browser, page, downloadFolder,
			recentLog: (lines = 30) => logLines.slice(-lines).join('\n'),
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
