/**
 * The gallery with 1,000 finished videos: how soon its tiles are on screen, how soon the posters in
 * view show their first frames, and what it costs in memory.
 *
 * The page is the gallery's own (src/views/galleryPage.ts, media/gallery.css, media/dist/gallery.js as
 * built) in Chromium (Debian's, through playwright-core, as the UI tests use it), served on loopback
 * together with 1,000 real video files (hard links of the simulator's sample video). The host's one
 * message of entries, made by the same function from 1,000 task records, is posted as soon as the page
 * says it is ready, as the extension does. What VS Code adds around a webview (its iframe, the
 * message's trip from the extension host) is not measured.
 *
 * The comparison is the same page with every tile given its video at once, as a gallery without lazy
 * loading would do (IntersectionObserver replaced by one that finds every tile near), and, for memory,
 * the same page with no entry at all.
 */

import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { chromiumPath } from '../../test/harness/codeServer';
import { galleryEntry, renderGalleryPage } from '../../src/views/galleryPage';
import { isPlayable } from '../../src/core/task';
import type { GalleryEntry, GallerySettings } from '../../src/webview/galleryProtocol';
import { finishedTasks } from '../lib/fixtures';
import { Row } from '../lib/report';
import { describe, mib, summarize } from '../lib/stats';

const root = path.resolve(__dirname, '..', '..', '..');
const sample = path.join(root, 'test', 'simulator', 'sample.mp4');
const ENTRIES = 1000;
const viewport = { width: 1280, height: 800 };
const targets = { tilesPaintedMs: 300, heapBytes: 50 * 1024 * 1024 };

/** What one page load measured; times in ms from the start of navigation. */
interface PageResult {
	/** The page's script ran and asked for the entries. */
	readyMs: number;
	/** The tiles are in the document (the page's own mark). */
	tilesBuiltMs: number;
	tilesPaintedMs: number;
	firstContentfulPaintMs: number;
	firstPosterPaintedMs: number;
	viewPostersMs: number;
	postersInView: number;
	heapBytes: number;
	pssBytes: number;
	videosWithSource: number;
	domNodes: number;
}

type Variant = 'lazy' | 'eager' | 'empty';

const settings: GallerySettings = {
	language: 'en',
	strings: {
		allModels: 'All models', model: 'Model', filter: 'Filter by prompt', empty: 'No finished videos yet.',
		noMatch: 'No video matches the filter.', shownOf: 'Showing {0} of {1} videos', count: 'Videos: {0}', unplayable: 'This video cannot be played.',
	},
};

/**
 * Runs in the page before its own script: stands in for VS Code's `acquireVsCodeApi` (posting the
 * entries when the page says it is ready), marks the frames after the page's own marks, and in the
 * eager variant hands every observed tile its video at once.
 */
const initScript = `(() => {
	const setup = window.__bench;
	window.acquireVsCodeApi = () => ({
		postMessage(message) {
			if (message && message.type === 'ready') {
				performance.mark('bench:ready');
				window.postMessage(setup.message, '*');
			}
		},
		setState() {},
		getState() { return undefined; },
	});
	if (setup.eager) {
		window.IntersectionObserver = class {
			constructor(callback) { this.callback = callback; }
			observe(target) { queueMicrotask(() => this.callback([{ target, isIntersecting: true }], this)); }
			unobserve() {}
			disconnect() {}
			takeRecords() { return []; }
		};
	}
	const mark = performance.mark.bind(performance);
	const afterPaint = (name) => requestAnimationFrame(() => requestAnimationFrame(time => mark(name, { startTime: time })));
	performance.mark = (name, options) => {
		const entry = mark(name, options);
		if (name === 'gallery:tiles') {
			afterPaint('bench:tiles-painted');
			const inView = Array.from(document.querySelectorAll('.tile')).filter(tile => {
				const box = tile.getBoundingClientRect();
				return !tile.hidden && box.bottom > 0 && box.top < innerHeight;
			});
			window.__postersInView = inView.length;
			const check = () => {
				if (inView.every(tile => tile.classList.contains('loaded') || tile.classList.contains('unplayable'))) {
					afterPaint('bench:view-posters');
				} else {
					requestAnimationFrame(check);
				}
			};
			requestAnimationFrame(check);
		} else if (name === 'gallery:first-poster') {
			afterPaint('bench:first-poster-painted');
		}
		return entry;
	};
})();`;

/** Serves the page, its style and script, and the videos, with byte ranges as a media element asks for them; nothing cached. */
function serve(videos: string, html: () => string): Promise<http.Server> {
	const types: Record<string, string> = { '.css': 'text/css', '.js': 'text/javascript', '.mp4': 'video/mp4' };
	const server = http.createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://localhost');
		const headers = { 'Cache-Control': 'no-store' };
		if (url.pathname === '/start.html') {
			response.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><title>start</title>');
			return;
		}
		if (url.pathname === '/gallery.html') {
			response.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' }).end(html());
			return;
		}
		const file = url.pathname.startsWith('/media/') ? path.join(root, url.pathname)
			: url.pathname.startsWith('/videos/') ? path.join(videos, path.basename(url.pathname)) : undefined;
		if (!file || !fs.existsSync(file)) {
			response.writeHead(404, headers).end();
			return;
		}
		const size = fs.statSync(file).size;
		const type = types[path.extname(file)] ?? 'application/octet-stream';
		const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.range ?? '');
		if (range) {
			const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
			const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
			response.writeHead(206, { ...headers, 'Content-Type': type, 'Accept-Ranges': 'bytes', 'Content-Range': `bytes ${start}-${end}/${size}`, 'Content-Length': end - start + 1 });
			fs.createReadStream(file, { start, end }).pipe(response);
		} else {
			response.writeHead(200, { ...headers, 'Content-Type': type, 'Accept-Ranges': 'bytes', 'Content-Length': size });
			fs.createReadStream(file).pipe(response);
		}
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve(server));
	});
}

/** Proportional set size of this process's descendants (the browser and its helpers), from /proc. */
function descendantsPss(): number {
	const parents = new Map<number, number>();
	for (const name of fs.readdirSync('/proc')) {
		if (/^\d+$/.test(name)) {
			try {
				const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
				parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
			} catch {
				// gone meanwhile
			}
		}
	}
	const isDescendant = (pid: number): boolean => {
		for (let parent = parents.get(pid); parent !== undefined && parent > 1; parent = parents.get(parent)) {
			if (parent === process.pid) {
				return true;
			}
		}
		return false;
	};
	let total = 0;
	for (const pid of parents.keys()) {
		if (isDescendant(pid)) {
			try {
				const match = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
				total += match ? Number(match[1]) * 1024 : 0;
			} catch {
				// gone meanwhile, or not readable
			}
		}
	}
	return total;
}

/** One fresh browser, one page load of the gallery with `entries`. */
async function loadOnce(origin: string, entries: readonly GalleryEntry[], variant: Variant): Promise<PageResult> {
	const browser = await chromium.launch({
		executablePath: chromiumPath(),
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	try {
		const context = await browser.newContext({ viewport });
		const page = await context.newPage();
		const setup = { eager: variant === 'eager', message: { type: 'entries', entries: variant === 'empty' ? [] : entries } };
		// A page of the same origin first: the browser has started and has a renderer for the site, as
		// VS Code has when a webview opens, and the time measured is the gallery's.
		await page.goto(`${origin}/start.html`);
		await page.addInitScript(`window.__bench = ${JSON.stringify(setup)};\n${initScript}`);
		await page.goto(`${origin}/gallery.html`);
		const marks = variant === 'empty' ? ['gallery:tiles'] : ['bench:tiles-painted', 'bench:first-poster-painted', 'bench:view-posters'];
		// Asked from outside: the page's policy lets no script of the page evaluate a string.
		const deadline = Date.now() + 120_000;
		while (!(await page.evaluate(`${JSON.stringify(marks)}.every(name => performance.getEntriesByName(name).length > 0)`))) {
			if (Date.now() > deadline) {
				throw new Error(`the gallery never reached ${marks.join(', ')}`);
			}
			await page.waitForTimeout(100);
		}
		// Let the loads under way settle before memory is read.
		await page.waitForTimeout(1_000);
		const cdp = await context.newCDPSession(page);
		await cdp.send('HeapProfiler.collectGarbage');
		const heap = await cdp.send('Runtime.getHeapUsage');
		const counters = await cdp.send('Memory.getDOMCounters');
		const figures = await page.evaluate(`(() => {
			const at = name => (performance.getEntriesByName(name)[0] || { startTime: NaN }).startTime;
			const fcp = performance.getEntriesByType('paint').find(entry => entry.name === 'first-contentful-paint');
			return {
				tilesPaintedMs: at('bench:tiles-painted'),
				readyMs: at('bench:ready'),
				tilesBuiltMs: at('gallery:tiles'),
				firstContentfulPaintMs: fcp ? fcp.startTime : NaN,
				firstPosterPaintedMs: at('bench:first-poster-painted'),
				viewPostersMs: at('bench:view-posters'),
				postersInView: window.__postersInView || 0,
				videosWithSource: document.querySelectorAll('video[src]').length,
			};
		})()`) as Omit<PageResult, 'heapBytes' | 'pssBytes' | 'domNodes'>;
		return { ...figures, heapBytes: heap.usedSize, domNodes: counters.nodes, pssBytes: descendantsPss() };
	} finally {
		await browser.close();
	}
}

/** The gallery with 1,000 entries, `runs` fresh browsers for each way, order rotated. */
export async function measureGallery(work: string, runs: number): Promise<Row> {
	const storage = path.join(work, 'gallery');
	const videos = path.join(storage, 'videos');
	fs.mkdirSync(videos, { recursive: true });
	const tasks = finishedTasks(Math.ceil(ENTRIES * 1.1), storage).filter(isPlayable).slice(0, ENTRIES);
	for (const task of tasks) {
		const file = task.download!.files![0];
		try {
			fs.linkSync(sample, file);
		} catch {
			fs.copyFileSync(sample, file);
		}
	}
	let origin = '';
	const server = await serve(videos, () => renderGalleryPage({
		cspSource: origin, nonce: 'benchmark-nonce', styleUri: `${origin}/media/gallery.css`, scriptUri: `${origin}/media/dist/gallery.js`, settings,
	}));
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const labels: Record<string, string> = { 'openai/sora-2/text-to-video': 'Sora 2', 'openai/sora-2/text-to-video-pro': 'Sora 2 Pro' };
	const entries = tasks.map(task => galleryEntry(task, `${origin}/videos/${path.basename(task.download!.files![0])}`, labels[task.model] ?? task.model));
	const results: Record<Variant, PageResult[]> = { lazy: [], eager: [], empty: [] };
	const order: Variant[] = ['lazy', 'eager', 'empty'];
	try {
		for (let run = 0; run < runs; run++) {
			for (let i = 0; i < order.length; i++) {
				const variant = order[(run + i) % order.length];
				results[variant].push(await loadOnce(origin, entries, variant));
			}
		}
	} finally {
		server.close();
		fs.rmSync(storage, { recursive: true, force: true });
	}
	const of = (variant: Variant, pick: (result: PageResult) => number) => summarize(results[variant].map(pick));
	const lazyPainted = of('lazy', r => r.tilesPaintedMs);
	const lazyHeap = of('lazy', r => r.heapBytes);
	const emptyPss = of('empty', r => r.pssBytes).median;
	const growth = (variant: Variant) => describe(summarize(results[variant].map(r => (r.pssBytes - emptyPss) / 1024 / 1024)), ' MB');
	const mb = (variant: Variant, pick: (result: PageResult) => number) => describe(summarize(results[variant].map(r => pick(r) / 1024 / 1024)), ' MB');
	const ms = (variant: Variant, pick: (result: PageResult) => number) => describe(of(variant, pick), ' ms', 0);
	const count = (variant: Variant, pick: (result: PageResult) => number) => of(variant, pick).median.toFixed(0);
	const met = lazyPainted.median <= targets.tilesPaintedMs && lazyHeap.median <= targets.heapBytes;
	return {
		what: `gallery with ${ENTRIES.toLocaleString('en')} entries: time to first paint and memory (the gallery page as built, in Debian's Chromium, headless, ${viewport.width}×${viewport.height}; the entries in one message, as the extension sends them; ${ENTRIES.toLocaleString('en')} real video files served on loopback; a fresh browser per load; times from the start of navigation)`,
		measured: `tiles painted ${ms('lazy', r => r.tilesPaintedMs)} (the page's script asked for the entries at ${ms('lazy', r => r.readyMs)}, the tiles were in the document at ${ms('lazy', r => r.tilesBuiltMs)}) (first contentful paint ${ms('lazy', r => r.firstContentfulPaintMs)}); first poster frame painted ${ms('lazy', r => r.firstPosterPaintedMs)}; every poster in view (${count('lazy', r => r.postersInView)} tiles) ${ms('lazy', r => r.viewPostersMs)}; JS heap after GC ${mb('lazy', r => r.heapBytes)}; browser memory (PSS of every Chromium process) above an empty gallery ${growth('lazy')}; videos given a source: ${count('lazy', r => r.videosWithSource)} of ${ENTRIES}; DOM nodes ${count('lazy', r => r.domNodes)}`,
		target: `tiles painted ≤ ${targets.tilesPaintedMs} ms; JS heap ≤ ${mib(targets.heapBytes)}`,
		comparison: `every tile given its video at once (no lazy loading): tiles painted ${ms('eager', r => r.tilesPaintedMs)}; every poster in view ${ms('eager', r => r.viewPostersMs)}; JS heap ${mb('eager', r => r.heapBytes)}; browser memory above an empty gallery ${growth('eager')}; videos given a source: ${count('eager', r => r.videosWithSource)}. An empty gallery: PSS ${mib(emptyPss)}, JS heap ${mb('empty', r => r.heapBytes)}`,
		met,
		note: met ? undefined : `tiles painted at ${lazyPainted.median.toFixed(0)} ms and a JS heap of ${mib(lazyHeap.median)} (medians).`,
	};
}
