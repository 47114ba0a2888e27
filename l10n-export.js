// Writes the runtime strings' bundle, l10n/bundle.l10n.json, from the source (`npm run l10n`).
//   node l10n-export.js [outDir]   outDir defaults to ./l10n
//
// The extraction is @vscode/l10n-dev's own (`getL10nJson`, what `l10n-dev export` runs). It finds
// `l10n.t('…')` only where `l10n` is imported from 'vscode' or '@vscode/l10n', and reads a file at
// all only when the word "vscode" is in it. src/core knows nothing of VS Code: its messages call the
// `l10n` of src/core/l10n.ts, whose `t()` has the same shape. So, for the extraction only, an import
// of that module is read as an import from 'vscode'; the files themselves are not changed.
const fs = require('fs');
const path = require('path');
const { getL10nJson } = require('@vscode/l10n-dev');

/** `import { l10n } from './l10n'` (or '../l10n', '../core/l10n', with other names beside it). */
const coreImport = /(import\s*\{[^}]*\bl10n\b[^}]*\}\s*from\s*)'(?:\.{1,2}\/)+(?:core\/)?l10n'/g;

function sourceFiles(folder) {
	return fs.readdirSync(folder, { withFileTypes: true }).flatMap(entry => {
		const file = path.join(folder, entry.name);
		return entry.isDirectory() ? sourceFiles(file) : /\.tsx?$/.test(entry.name) ? [file] : [];
	});
}

async function main() {
	const outDir = path.resolve(process.argv[2] ?? 'l10n');
	const files = sourceFiles(path.join(__dirname, 'src')).sort().map(file => ({
		extension: path.extname(file),
		contents: fs.readFileSync(file, 'utf8').replace(coreImport, "$1'vscode'"),
	}));
	const bundle = await getL10nJson(files);
	fs.mkdirSync(outDir, { recursive: true });
	fs.writeFileSync(path.join(outDir, 'bundle.l10n.json'), JSON.stringify(bundle, undefined, 2) + '\n');
	console.log(`${Object.keys(bundle).length} strings written to ${path.relative(process.cwd(), path.join(outDir, 'bundle.l10n.json'))}`);
}

main().catch(error => {
	console.error(error);
	process.exit(1);
});
