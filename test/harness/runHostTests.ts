/**
 * Runs an extension's mocha suite inside the Node extension host of a real VS Code (code-server),
 * whose workbench is driven by headless Chromium. Needs the rig from test/harness/setup.sh.
 *
 *   node out/test/harness/runHostTests.js --ext <extension dir> --tests <compiled test index.js>
 *        [--folder <workspace>] [--timeout <seconds, default 300>]
 *
 * Exit code: 0 all tests passed, 1 a test failed, 2 the harness failed or timed out.
 * The last line printed is the suite's `N passed, N failed` line, for CI.
 * Env: SCREENSHOT=file.png saves the workbench as it was when the tests ended; VERBOSE=1 keeps
 * the offline noise; KEEP_STATE=1 keeps code-server's state folder (its path is printed).
 */
import * as fs from 'fs';
import * as path from 'path';
import { BrowserContext, Host, TestRunResult, isHostNoise, launchBrowser, runExtensionTests, startCodeServer } from './codeServer';
import { hostTestAuthority } from './testAuthority';

interface Args {
	ext: string;
	tests: string;
	folder?: string;
	timeoutSeconds: number;
}

function usage(message: string): never {
	console.error(`[harness] ${message}`);
	console.error('usage: runHostTests --ext <extension dir> --tests <compiled test index.js> [--folder <workspace>] [--timeout <seconds>]');
	process.exit(2);
}

function parseArgs(argv: string[]): Args {
	const values = new Map<string, string>();
	for (let i = 0; i < argv.length; i += 2) {
		if (!argv[i].startsWith('--') || argv[i + 1] === undefined) {
			usage(`bad argument ${argv[i]}`);
		}
		values.set(argv[i].slice(2), argv[i + 1]);
	}
	const ext = values.get('ext');
	const tests = values.get('tests');
	if (!ext || !tests) {
		usage('--ext and --tests are required');
	}
	const timeoutSeconds = Number(values.get('timeout') ?? 300);
	if (!(timeoutSeconds > 0)) {
		usage('--timeout must be a positive number of seconds');
	}
	for (const p of [ext, tests, values.get('folder')]) {
		if (p !== undefined && !fs.existsSync(p)) {
			usage(`no such file or folder: ${p}`);
		}
	}
	const folder = values.get('folder');
	return { ext: path.resolve(ext), tests: path.resolve(tests), folder: folder && path.resolve(folder), timeoutSeconds };
}

/** Prints a forwarded line unless it is offline noise (VERBOSE keeps everything). */
function printLine(line: string): void {
	if (process.env.VERBOSE || !isHostNoise(line)) {
		console.log(line);
	}
}

async function saveScreenshot(result: TestRunResult): Promise<void> {
	const file = process.env.SCREENSHOT;
	if (file && result.page) {
		await result.page.screenshot({ path: file }).then(
			() => console.log(`[harness] screenshot ${file}`),
			(error: unknown) => console.log(`[harness] screenshot failed: ${String(error).split('\n')[0]}`),
		);
	}
}

/** 0 and 1 come from the extension host; anything else is the harness's failure. */
function exitCodeOf(result: TestRunResult): number {
	if (typeof result.code !== 'number') {
		console.log(`[harness] ${result.code.toUpperCase()} after ${result.seconds.toFixed(1)}s: the workbench never reported a result`);
		return 2;
	}
	console.log(`[harness] extension host tests exited with code ${result.code} after ${result.seconds.toFixed(1)}s`);
	return result.code === 0 ? 0 : 1;
}

async function main(): Promise<number> {
	const args = parseArgs(process.argv.slice(2));
	const t0 = Date.now();
	let host: Host | undefined;
	let browser: BrowserContext | undefined;
	const authority = hostTestAuthority();
	try {
		host = await startCodeServer({ extensionDevelopmentPath: args.ext, folder: args.folder, env: authority.env });
		console.log(`[harness] code-server ready at ${host.origin} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
		browser = await launchBrowser();
		const result = await runExtensionTests(browser, host, args.tests, args.timeoutSeconds * 1000, printLine);
		await saveScreenshot(result);
		const code = exitCodeOf(result);
		if (code !== 0) {
			console.log(`--- code-server log (tail) ---\n${host.logTail(20)}`);
		}
		if (result.summary) {
			console.log(result.summary);
		}
		return code;
	} finally {
		await browser?.close().catch(() => undefined);
		await host?.stop();
		authority.remove();
	}
}

main().then(
	code => process.exit(code),
	error => {
		console.error(`[harness] error: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(2);
	},
);
