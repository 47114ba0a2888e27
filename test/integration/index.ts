/**
 * The test entry the extension host loads (`extensionTestsPath`): runs every `*.test.js` beside this
 * file with mocha inside the host, where `require('vscode')` is the real API.
 * Prints one line per test and, last, exactly `N passed, N failed` (pending tests count as failed),
 * which CI reads. Used by both runners: test/harness/runHostTests.ts and test/harness/runDesktop.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

/** Every `*.test.js` under `dir`, sorted so the order is stable. */
function findTests(dir: string): string[] {
	const found: string[] = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) {
			found.push(...findTests(full));
		} else if (entry.isFile() && entry.name.endsWith('.test.js')) {
			found.push(full);
		}
	}
	return found.sort();
}

/** An error without a stack trace: the host prints it, and mocha's frames say nothing. */
function bare(message: string): Error {
	const error = new Error(message);
	error.stack = message;
	return error;
}

/** Runs the suite; rejects when a test failed or was left pending, or when there is no test. */
export function run(): Promise<void> {
	const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
	const files = findTests(__dirname);
	for (const file of files) {
		mocha.addFile(file);
	}
	return new Promise((resolve, reject) => {
		const runner = mocha.run();
		runner.on('end', () => {
			const stats = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
			const failed = stats.failures + stats.pending;
			console.log(`${stats.passes} passed, ${failed} failed`);
			if (failed > 0) {
				reject(bare(`${failed} extension host test(s) failed or pending`));
			} else if (stats.passes === 0) {
				reject(bare(`no test ran (looked for *.test.js under ${__dirname}, found ${files.length})`));
			} else {
				resolve();
			}
		});
	});
}
