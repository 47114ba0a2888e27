/**
 * Packs the extension exactly as it is published (`npm run package`: the production bundles, then
 * vsce) in a copy of the project in a temporary folder, so the working tree's development build is
 * left alone. Used by the benchmark and by the test that installs the `.vsix` as a user would.
 */

import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * What `npm run package` reads: the manifest and its translations (package.nls*.json), the build
 * script, the sources, the runtime strings' bundles (l10n/) and the media.
 */
const copied = ['package.json', 'package-lock.json', 'esbuild.js', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE', 'tsconfig.json', 'src', 'l10n', 'media'];

export interface PackedCopy {
	/** The copy: `dist/extension.js` and `dist/httpStack.js` in it are the production bundles. */
	readonly folder: string;
	/** `<folder>/videogen.vsix`. */
	readonly vsix: string;
}

export async function packInCopy(root: string, work: string): Promise<PackedCopy> {
	const folder = path.join(work, 'package');
	fs.mkdirSync(folder, { recursive: true });
	const manifestTranslations = fs.readdirSync(root).filter(name => /^package\.nls(\.[\w-]+)?\.json$/.test(name));
	for (const name of [...copied, ...manifestTranslations]) {
		const from = path.join(root, name);
		if (fs.existsSync(from)) {
			fs.cpSync(from, path.join(folder, name), { recursive: true, filter: source => !source.startsWith(path.join(root, 'media', 'dist')) });
		}
	}
	fs.symlinkSync(path.join(root, 'node_modules'), path.join(folder, 'node_modules'), 'dir');
	const { code, output } = await npm(['run', '--silent', 'package'], folder, 300_000);
	const vsix = path.join(folder, 'videogen.vsix');
	if (code !== 0 || !fs.existsSync(vsix)) {
		throw new Error(`npm run package failed:\n${output}`);
	}
	return { folder, vsix };
}

function npm(args: string[], cwd: string, timeoutMs: number): Promise<{ code: number | null; output: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', chunk => (output += chunk));
		child.stderr.on('data', chunk => (output += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', reject);
		child.on('close', code => {
			clearTimeout(timer);
			resolve({ code, output });
		});
	});
}
