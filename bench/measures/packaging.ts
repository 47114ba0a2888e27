/**
 * Packs the extension exactly as it is published (`npm run package`: the production bundles, then
 * vsce) in a copy of the project in a temporary folder, so the working tree's development build is
 * left alone. The copy is also what the activation measurements load.
 */

import * as fs from 'fs';
import * as path from 'path';
import { run } from '../lib/child';
import { Row } from '../lib/report';
import { kib } from '../lib/stats';

/** What `npm run package` reads: the manifest, the build script, the sources and the media. */
const copied = ['package.json', 'package-lock.json', 'esbuild.js', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE', 'tsconfig.json', 'src', 'media'];

export interface Packaged {
	/** The packed copy: `dist/extension.js`, `dist/net.js` are the production bundles. */
	readonly folder: string;
	readonly rows: Row[];
}

export async function packageExtension(root: string, work: string): Promise<Packaged> {
	const folder = path.join(work, 'package');
	fs.mkdirSync(folder, { recursive: true });
	for (const name of copied) {
		const from = path.join(root, name);
		if (fs.existsSync(from)) {
			fs.cpSync(from, path.join(folder, name), { recursive: true, filter: source => !source.startsWith(path.join(root, 'media', 'dist')) });
		}
	}
	fs.symlinkSync(path.join(root, 'node_modules'), path.join(folder, 'node_modules'), 'dir');
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const packed = await run(npm, ['run', '--silent', 'package'], { cwd: folder, timeoutMs: 300_000 });
	const vsix = path.join(folder, 'videogen.vsix');
	if (packed.code !== 0 || !fs.existsSync(vsix)) {
		throw new Error(`npm run package failed:\n${packed.stderr || packed.stdout}`);
	}
	const size = (file: string) => fs.statSync(path.join(folder, file)).size;
	const vsixBytes = size('videogen.vsix');
	const bundles = ['dist/extension.js', 'dist/net.js', 'media/dist/player.js'];
	const limit = 400 * 1024;
	return {
		folder,
		rows: [{
			what: '`.vsix` size and bundle size',
			measured: `.vsix **${kib(vsixBytes)}** (n=1, deterministic)`,
			target: '.vsix ≤ 400 KB; bundles reported',
			comparison: bundles.map(file => `${file} ${kib(size(file))}`).join(', '),
			met: vsixBytes <= limit,
			note: vsixBytes <= limit ? undefined : 'the package is over 400 KB; see the bundle sizes for what grew.',
		}],
	};
}
