/**
 * `npm run bench`: measures VideoGen against the targets of its performance budget, on loopback
 * against the project's API simulator (test/simulator), and prints one table, which it also
 * writes to bench/results.md with a description of the machine.
 *
 * Every figure is the median of repeated runs with its spread, next to a comparison measured in
 * the same run. `BENCH_QUICK=1` shortens the long measurements for a quick look; the table it
 * prints says so. `BENCH_ONLY=tree` runs only the 1,000-task rows (the tree, the restore) and prints
 * them without writing bench/results.md, like `BENCH_ONLY=download` for the download rows.
 *
 * Run it through bench/run.sh (`npm run bench`), which builds what it needs first.
 */

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hasCommand } from './lib/child';
import { describeMachine } from './lib/machine';
import { notes, Row, table } from './lib/report';
import { measureActivation, measureTaskList } from './measures/activation';
import { measureDownload, measureHttpsDownload } from './measures/download';
import { measureGallery } from './measures/gallery';
import { packageExtension } from './measures/packaging';
import { measurePolling, measureRequestsPerTask } from './measures/polling';
import { measureSubmitMemory } from './measures/submit';

const root = path.resolve(__dirname, '..', '..');
const quick = process.env.BENCH_QUICK === '1';

const plan = {
	activationRuns: quick ? 7 : 15,
	taskListRuns: quick ? 5 : 9,
	requestRuns: quick ? 1 : 3,
	tasksPerRequestRun: 20,
	pollWindowMs: (quick ? 15 : 60) * 1000,
	downloadRuns: quick ? 3 : 7,
	downloadBytes: 512 * 1024 * 1024,
	submitRuns: quick ? 5 : 9,
	galleryRuns: quick ? 3 : 5,
};

function step(message: string): void {
	process.stderr.write(`[bench] ${message}\n`);
}

async function main(): Promise<void> {
	const started = Date.now();
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'videogen-bench-'));
	const rows: Row[] = [];
	if (process.env.BENCH_ONLY === 'gallery') {
		// The gallery row alone, printed and not written to bench/results.md (which holds whole runs).
		try {
			step(`gallery with 1,000 entries: ${plan.galleryRuns} fresh browsers for each way`);
			rows.push(await measureGallery(work, plan.galleryRuns));
		} finally {
			fs.rmSync(work, { recursive: true, force: true });
		}
		process.stdout.write(`${table(rows)}\n\n${notes(rows)}\n\nAlternatives measured and not taken:\n${notes(rows, true)}\n`);
		return;
	}
	if (process.env.BENCH_ONLY === 'download') {
		// The download rows alone, printed and not written to bench/results.md (which holds whole runs).
		try {
			const curl = await hasCommand('curl');
			step(`download of ${plan.downloadBytes / 1024 / 1024} MB: ${plan.downloadRuns} runs each`);
			rows.push(...await measureDownload(work, plan.downloadRuns, plan.downloadBytes, curl));
			rows.push(...await measureHttpsDownload(work, plan.downloadRuns, plan.downloadBytes, curl));
		} finally {
			fs.rmSync(work, { recursive: true, force: true });
		}
		process.stdout.write(`${table(rows)}\n\n${notes(rows)}\n\nAlternatives measured and not taken:\n${notes(rows, true)}\n`);
		return;
	}
	if (process.env.BENCH_ONLY === 'tree') {
		// The 1,000-task rows alone (the tree's first screen, the restore), printed and not written to bench/results.md.
		try {
			step('packing the extension (npm run package) in a temporary copy');
			const packaged = await packageExtension(root, work);
			step(`1,000 finished tasks: ${plan.taskListRuns} fresh processes, each next to one that only reads and parses the list`);
			rows.push(...await measureTaskList(packaged.folder, work, plan.taskListRuns));
		} finally {
			fs.rmSync(work, { recursive: true, force: true });
		}
		process.stdout.write(`${table(rows)}\n\n${notes(rows)}\n\nAlternatives measured and not taken:\n${notes(rows, true)}\n`);
		return;
	}
	try {
		step('packing the extension (npm run package) in a temporary copy');
		const packaged = await packageExtension(root, work);
		step(`activate(): ${plan.activationRuns} fresh processes`);
		rows.push(await measureActivation(packaged.folder, work, plan.activationRuns));
		rows.push(...packaged.rows);
		step(`status requests per task: ${plan.requestRuns} run(s) of ${plan.tasksPerRequestRun} tasks`);
		rows.push(await measureRequestsPerTask(work, plan.requestRuns, plan.tasksPerRequestRun));
		step(`50 tasks polled for ${plan.pollWindowMs / 1000} s, three ways side by side: TaskService at 1 s and 5 s, fresh connections at 1 s`);
		const [sockets, socketsDefault, latency, writes] = await measurePolling(plan.pollWindowMs);
		rows.push(sockets, socketsDefault, latency);
		const curl = await hasCommand('curl');
		if (!curl) {
			step('WARNING: curl is not installed; the download comparison with curl is SKIPPED');
		}
		step(`download of ${plan.downloadBytes / 1024 / 1024} MB: ${plan.downloadRuns} runs each, ours and curl, and ours at 128 MB and 1 GB`);
		rows.push(...await measureDownload(work, plan.downloadRuns, plan.downloadBytes, curl));
		step(`download of ${plan.downloadBytes / 1024 / 1024} MB over HTTPS: ${plan.downloadRuns} runs each, ours and Node's https.get, ours and curl through tinyproxy, and Node's TLS alone through it`);
		rows.push(...await measureHttpsDownload(work, plan.downloadRuns, plan.downloadBytes, curl));
		step(`submit with a 10 MB image: ${plan.submitRuns} runs each, streamed and as one string`);
		rows.push(await measureSubmitMemory(work, plan.submitRuns));
		step(`1,000 finished tasks: ${plan.taskListRuns} fresh processes, each next to one that only reads and parses the list`);
		const [tree, restore] = await measureTaskList(packaged.folder, work, plan.taskListRuns);
		rows.push(tree, restore, writes);
		step(`gallery with 1,000 entries: ${plan.galleryRuns} fresh browsers for each way (lazy loading, every video at once, no entry)`);
		rows.push(await measureGallery(work, plan.galleryRuns));
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
	const minutes = ((Date.now() - started) / 60_000).toFixed(1);
	const output = [
		'# VideoGen benchmark results',
		'',
		`- Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
		`- Machine: ${describeMachine()}`,
		`- Run: \`npm run bench\`${quick ? ' with `BENCH_QUICK=1` (shortened: fewer repeats, 15 s polling window)' : ''}; the measurements took ${minutes} min.`,
		'  `BENCH_QUICK=1 npm run bench` is a shorter run (fewer repeats, 15 s instead of 60 s of polling).',
		'- All traffic is on loopback, against the project\'s API simulator (test/simulator): an API host and a separate storage host.',
		'  In the polling rows the API host keeps an idle connection open 60 s, as load balancers in front of web APIs',
		'  commonly do (the real service\'s figure is not documented). Against Node\'s default of 5 s, shown alongside, no',
		'  client keeps a socket across a 5 s poll interval: the server closes it, and undici retires it 2 s before that',
		'  (`keepAliveTimeoutThreshold`), so every round reconnects.',
		'- Stubbed: the `vscode` module, with a small stand-in (bench/lib/vscodeStub.ts), because what is measured is the',
		'  extension\'s own code. The `activate()` and 1,000-task rows run the production bundle (`dist/extension.js` from',
		'  `npm run package`) in fresh Node processes; the stand-in is loaded before any timer starts and never counted in',
		'  the code loaded. The sockets, latency and state-write rows run the extension\'s own TaskService (compiled',
		'  sources) in child processes, with the stand-in giving it its settings and secret storage. VS Code\'s own tree',
		'  rendering is not measured: the latency row stops at the store\'s change event, on which the tree provider fires',
		'  its change event synchronously.',
		'- The other rows use the compiled core modules (`out/src`): task store, poller, the API client with the undici',
		'  dispatcher configured as the extension configures it, and the downloader routed as the extension routes it',
		'  (src/core/net/network.ts): with no proxy set, through its own HTTP client (src/core/net/httpGet.ts); with a proxy',
		'  set, through undici\'s EnvHttpProxyAgent (src/core/net/proxiedGet.ts). The proxy is tinyproxy (Debian) on',
		'  loopback; the HTTPS rows use a certificate from a private authority made with openssl for the run.',
		'  Two rows run the same downloader with its GET carried by an undici `Agent` and no proxy: they are the measured',
		'  reason downloads without a proxy keep their own HTTP client, and "met?" there says whether undici would do',
		'  ("would do", or "no: not taken"); they are not targets of the extension. One row ("reported") downloads through the',
		'  proxy with nothing but Node\'s TLS over the tunnel and the downloader\'s file writer: the bound on any route built on it.',
		'- Spread: min–max and interquartile range over n samples (processes, tasks or runs, as stated). "met?" judges the',
		'  median, except where a target says "for every task": there it judges the worst task. Machines differ in speed,',
		'  so the `activate()` and restore targets are ratios: each sample is divided by its own comparison, measured in the',
		'  same process (the whole bundle) or in a fresh process run next to it (the bare read + parse), and "met?" judges',
		'  the median of those ratios; the absolute figures stand beside them.',
		'',
		table(rows),
		'',
	];
	const explained = notes(rows);
	if (explained) {
		output.push('## Targets missed', '', explained, '');
	}
	const alternatives = notes(rows, true);
	if (alternatives) {
		output.push('## Alternatives measured and not taken', '', alternatives, '');
	}
	const text = output.join('\n');
	process.stdout.write(`${text}\n`);
	fs.writeFileSync(path.join(root, 'bench', 'results.md'), text);
	step(`written to bench/results.md (${minutes} min)`);
}

main().catch(error => {
	process.stderr.write(`[bench] failed: ${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
