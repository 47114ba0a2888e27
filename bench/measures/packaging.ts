/**
 * Packs the extension exactly as it is published (`npm run package`: the production bundles, then
 * vsce) in a copy of the project in a temporary folder, so the working tree's development build is
 * left alone. The copy is also what the activation measurements load.
 */

import * as fs from 'fs';
import * as path from 'path';
import { packInCopy } from '../../test/harness/pack';
import { Row } from '../lib/report';
import { kib } from '../lib/stats';

export interface Packaged {
	/** The packed copy: `dist/extension.js`, `dist/httpStack.js` are the production bundles. */
	readonly folder: string;
	readonly rows: Row[];
}

export async function packageExtension(root: string, work: string): Promise<Packaged> {
	const { folder } = await packInCopy(root, work);
	const size = (file: string) => fs.statSync(path.join(folder, file)).size;
	const vsixBytes = size('videogen.vsix');
	const bundles = ['dist/extension.js', 'dist/httpStack.js', 'media/dist/player.js'];
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
