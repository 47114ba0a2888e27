// Builds the extension host bundles and the player's webview script.
//   node esbuild.js               development build with sourcemaps
//   node esbuild.js --production  minified, as packed into the .vsix
//   node esbuild.js --watch       rebuild on change, with problem-matcher friendly output
const esbuild = require('esbuild');
const fs = require('fs');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints build results in the shape of the `$esbuild-watch` problem matcher. */
const problemMatcherPlugin = {
	name: 'esbuild-problem-matcher',
	setup(build) {
		if (!watch) {
			return;
		}
		build.onStart(() => console.log('[watch] build started'));
		build.onEnd(result => {
			for (const { text, location } of result.errors) {
				console.error(`✘ [ERROR] ${text}`);
				if (location) {
					console.error(`    ${location.file}:${location.line}:${location.column}:`);
				}
			}
			console.log('[watch] build finished');
		});
	},
};

/**
 * Parts loaded on first use, each a bundle of its own beside `extension.js`: a loader's `require()`
 * of one (src/host/httpStackLoader.ts, src/core/modelsLoader.ts, src/commands/flowLoader.ts,
 * src/core/errors.ts for the errors' words, src/views/players.ts for the player, src/views/gallery.ts for the gallery,
 * src/views/taskTree.ts for the tooltips, src/core/taskStore.ts for a damaged task list's repair,
 * src/core/taskEngine.ts for the polling lease,
 * src/commands/handlersLoader.ts, src/views/noticesLoader.ts) stays a `require()` of the sibling
 * file at run time instead of pulling the part into the bundle that requires it. `import` and
 * `import type` are untouched.
 */
const lazyParts = [
	{ source: /\/core\/net\/httpStack$/, bundle: './httpStack' },
	{ source: /^\.\/models$/, bundle: './models' },
	{ source: /^\.\.\/flow$/, bundle: './flow' },
	{ source: /^\.\/errorText$/, bundle: './errorText' },
	{ source: /^\.\/playerPanel$/, bundle: './playerPanel' },
	{ source: /^\.\/galleryView$/, bundle: './galleryView' },
	{ source: /^\.\/taskTooltip$/, bundle: './taskTooltip' },
	{ source: /^\.\/taskListRepair$/, bundle: './taskListRepair' },
	{ source: /^\.\/lease$/, bundle: './lease' },
	{ source: /^\.\/handlers$/, bundle: './commands' },
	{ source: /^\.\.\/notices$/, bundle: './notices' },
];
const lazyPartsPlugin = {
	name: 'lazy-parts',
	setup(build) {
		for (const { source, bundle } of lazyParts) {
			build.onResolve({ filter: source }, args =>
				args.kind === 'require-call' ? { path: bundle, external: true } : undefined);
		}
	},
};

const shared = {
	bundle: true,
	minify: production,
	sourcemap: !production,
	sourcesContent: false,
	logLevel: 'silent',
	plugins: [problemMatcherPlugin],
};

const builds = [
	// The extension host side. `extension.js` is what activate() loads and must stay small;
	// `httpStack.js` (undici, the API client, the downloader) is required the first time a request is
	// made, `models.js` (the model catalogue) the first time a model is looked up, `flow.js` (Generate
	// Video's questions, Select Model) the first time one of those commands runs, `errorText.js` (the
	// words of the API's errors) when the first error is made, `playerPanel.js` when the first player
	// opens, `galleryView.js` when the Gallery view is first shown, `taskTooltip.js` when a task is first hovered, `taskListRepair.js` when a saved task list holds a record that fails its check, `lease.js` when a task first needs polling or a video saving, `commands.js` (what each command does; they are registered at activation) the first time
	// a command runs, `notices.js` (what the user is told when a video is ready or something failed)
	// the first time there is something to tell.
	{
		...shared,
		entryPoints: {
			extension: 'src/extension.ts',
			httpStack: 'src/core/net/httpStack.ts',
			models: 'src/core/models/index.ts',
			flow: 'src/flow/index.ts',
			errorText: 'src/core/errorText.ts',
			playerPanel: 'src/views/playerPanel.ts',
			galleryView: 'src/views/galleryView.ts',
			taskTooltip: 'src/views/taskTooltip.ts',
			taskListRepair: 'src/core/taskListRepair.ts',
			lease: 'src/core/lease.ts',
			commands: 'src/commands/handlers.ts',
			notices: 'src/notices/index.ts',
		},
		outdir: 'dist',
		platform: 'node',
		format: 'cjs',
		target: 'node18',
		external: ['vscode'],
		plugins: [...shared.plugins, lazyPartsPlugin],
	},
	// The player's and the gallery's pages, run inside their webviews.
	{
		...shared,
		entryPoints: { player: 'src/webview/player.ts', gallery: 'src/webview/gallery.ts' },
		outdir: 'media/dist',
		platform: 'browser',
		format: 'iife',
		target: 'es2022',
	},
];

async function main() {
	if (production) {
		// No stale development sourcemaps in the package.
		fs.rmSync('dist', { recursive: true, force: true });
		fs.rmSync('media/dist', { recursive: true, force: true });
	}
	const contexts = await Promise.all(builds.map(options => esbuild.context(options)));
	if (watch) {
		await Promise.all(contexts.map(ctx => ctx.watch()));
		return;
	}
	try {
		await Promise.all(contexts.map(ctx => ctx.rebuild()));
	} finally {
		await Promise.all(contexts.map(ctx => ctx.dispose()));
	}
}

main().catch(error => {
	console.error(error);
	process.exit(1);
});
