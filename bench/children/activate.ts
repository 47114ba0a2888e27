/**
 * Child process of the benchmark: loads the production bundle `dist/extension.js` of a packaged
 * copy of the extension the way the extension host does (`require`, then `activate(context)`),
 * with the `vscode` module replaced by a small stand-in (see ../lib/vscodeStub.ts) that is loaded
 * before any timer starts. Prints one JSON line with what it measured.
 *
 *   node activate.js <extension folder> <global storage folder> [--tree <repeats> | --parse-only]
 *
 * With `--tree`, after `ready` it also times the view's first screen as VS Code asks for it: the tree
 * provider's `getChildren()` and `getTreeItem()` for each element, then the same for the children of
 * each element that opens expanded (the groups of tasks), down to every task's row.
 *
 * With `--parse-only`, it requires the bundle but does not activate it: where the restore would
 * start, it times a bare `readFileSync` + `JSON.parse` of the task list instead, the floor under any
 * restore, in a process in the same state as the one that restores.
 */

import * as fs from 'fs';
import * as path from 'path';
import { installVscodeStub } from '../lib/stubLoader';

function ms(start: bigint): number {
	return Number(process.hrtime.bigint() - start) / 1e6;
}

interface TreeProvider {
	getChildren(element?: string): string[];
	getTreeItem(element: string): { collapsibleState?: number; contextValue?: string };
}

interface Api {
	ready: Promise<void>;
	tasks(): readonly unknown[];
	treeItems(): unknown[];
}

async function main(): Promise<void> {
	const [extensionDir, storageDir, flag, repeatsText] = process.argv.slice(2);
	const stub = installVscodeStub();
	const context = stub.extensionContext(extensionDir, storageDir);
	const extensionFile = path.join(extensionDir, 'dist', 'extension.js');
	const netFile = path.join(extensionDir, 'dist', 'httpStack.js');
	const before = new Set(Object.keys(require.cache));

	if (flag === '--parse-only') {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		require(extensionFile);
		const parseStarted = process.hrtime.bigint();
		JSON.parse(fs.readFileSync(path.join(storageDir, 'tasks.json'), 'utf8'));
		// Read the clock before touching `process.stdout`: its first use sets the stream up (milliseconds).
		const parseMs = ms(parseStarted);
		process.stdout.write(`${JSON.stringify({ parseMs })}\n`);
		process.exit(0);
	}

	const cpuStarted = process.cpuUsage();
	const started = process.hrtime.bigint();
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const extension = require(extensionFile) as { activate(context: unknown): Api };
	const requireMs = ms(started);
	const activateStarted = process.hrtime.bigint();
	const api = extension.activate(context);
	const activateMs = ms(activateStarted);
	const cpu = process.cpuUsage(cpuStarted);
	const cpuMs = (cpu.user + cpu.system) / 1000;
	await api.ready;
	const readyMs = ms(activateStarted);

	const loaded = Object.keys(require.cache).filter(file => !before.has(file));
	const loadedFiles = loaded.map(file => ({ file: path.relative(extensionDir, file), bytes: fs.statSync(file).size }));
	const netLoaded = loaded.includes(netFile);

	let tree: { firstMs: number; warmMs: number[]; items: number; allTooltipsMs: number; parseMs: number } | undefined;
	if (flag === '--tree') {
		// What VS Code's tree view does when it shows the top level: getChildren(), then
		// getTreeItem() for every element it returned, and the same for the children of the groups,
		// which open expanded (tooltips are resolved later, on hover). Counts the tasks' rows.
		const provider = stub.treeDataProviders.get('videogen.tasks') as TreeProvider;
		const expanded = 2; // TreeItemCollapsibleState.Expanded
		const topLevel = () => {
			const rows: unknown[] = [];
			for (const element of provider.getChildren()) {
				const item = provider.getTreeItem(element);
				if (item.contextValue === 'group' && item.collapsibleState === expanded) {
					rows.push(...provider.getChildren(element).map(child => provider.getTreeItem(child)));
				} else {
					rows.push(item);
				}
			}
			return rows;
		};
		const first = process.hrtime.bigint();
		const items = topLevel().length;
		const firstMs = ms(first);
		const warmMs: number[] = [];
		for (let i = 0; i < Number(repeatsText ?? 10); i++) {
			const again = process.hrtime.bigint();
			topLevel();
			warmMs.push(ms(again));
		}
		// For comparison: every tooltip built as well, as if each of the tasks had been hovered.
		const all = process.hrtime.bigint();
		api.treeItems();
		const allTooltipsMs = ms(all);
		// Reading and parsing the same file again, here: cheaper than in a fresh process, because
		// the work above has already grown the heap (the restore's own parse pays for growing it).
		const parseStarted = process.hrtime.bigint();
		JSON.parse(fs.readFileSync(path.join(storageDir, 'tasks.json'), 'utf8'));
		tree = { firstMs, warmMs, items, allTooltipsMs, parseMs: ms(parseStarted) };
	}

	// The comparison: what activation would cost if the HTTP stack were in the same bundle.
	const netStarted = process.hrtime.bigint();
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require(netFile);
	const netRequireMs = ms(netStarted);

	const result = {
		requireMs, activateMs, cpuMs, readyMs, netRequireMs,
		tasks: api.tasks().length,
		loadedFiles, loadedBytes: loadedFiles.reduce((sum, entry) => sum + entry.bytes, 0), netLoaded,
		netBytes: fs.statSync(netFile).size,
		tree,
	};
	process.stdout.write(`${JSON.stringify(result)}\n`);
	for (const disposable of context.subscriptions) {
		disposable.dispose();
	}
	process.exit(0);
}

main().catch(error => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
