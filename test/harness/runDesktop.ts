/**
 * Runs the extension-host suite (out/test/integration) in desktop VS Code through @vscode/test-electron.
 *
 *   npm run test:desktop            (VSCODE_VERSION=1.90.0 to pick a version; default: latest stable)
 *
 * It downloads VS Code into .vscode-test/ on first use, so it needs internet access; on Linux without
 * a display run it under `xvfb-run -a`. Offline, use `npm run test:host` instead: the same suite inside
 * code-server's extension host, installed from the npm registry (test/harness/runHostTests.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { hostTestAuthority } from './testAuthority';

/** The repo root: this file is compiled to out/test/harness/. */
const ROOT = path.resolve(__dirname, '..', '..', '..');

async function main(): Promise<number> {
	const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'videogen-ws-'));
	const authority = hostTestAuthority();
	try {
		await runTests({
			version: process.env.VSCODE_VERSION || undefined,
			extensionDevelopmentPath: ROOT,
			extensionTestsPath: path.join(ROOT, 'out', 'test', 'integration', 'index.js'),
			extensionTestsEnv: authority.env,
			launchArgs: [
				workspace,
				'--disable-extensions',
				'--disable-workspace-trust',
				'--skip-welcome',
				'--skip-release-notes',
			],
		});
		return 0;
	} finally {
		fs.rmSync(workspace, { recursive: true, force: true });
		authority.remove();
	}
}

main().then(
	code => process.exit(code),
	error => {
		console.error(`[harness] desktop tests failed: ${error instanceof Error ? error.message : String(error)}`);
		console.error('[harness] (this runner downloads VS Code; offline, run: npm run test:host)');
		process.exit(1);
	},
);
