/**
 * The download queue wired as the extension wires it: a real TaskStore file, the real downloader
 * through its own HTTP client (src/core/net/httpGet.ts), and the simulator's storage host.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { downloadVideo } from '../../src/core/net/downloader';
import { DownloadQueue, DownloadQueueOptions } from '../../src/core/downloadQueue';
import { DownloadError, DownloadErrorKind } from '../../src/core/errors';
import { TaskRecord } from '../../src/core/task';
import { TaskStore } from '../../src/core/taskStore';
import * as fileNames from '../../src/core/videoFiles';
import { dateStamp, videoBaseName, videoFiles } from '../../src/core/videoFiles';
import { delay, listFiles, Loopback, makeTask, nextEvent, SAMPLE_VIDEO, submitTask, TempDirs } from '../common/helpers';
import { waitFor } from '../common/waitFor';
import type { Fault } from '../simulator/simulator';

/** Small enough for the simulator's faults to reach quickly; the sample video (41 KB, at loopback speed) is far inside them. */
const limits = { maxBytes: 1024 * 1024, minBytesPerSecond: 20_000, slowWindowMs: 300 };

describe('DownloadQueue', () => {
	const loop = new Loopback();
	const dirs = new TempDirs();
	let root: string;
	let folder: string;
	let store: TaskStore;
	let queue: DownloadQueue | undefined;
	let sample: Buffer;

	before(() => {
		sample = fs.readFileSync(SAMPLE_VIDEO);
	});

	beforeEach(async () => {
		await loop.start();
		root = dirs.make();
		folder = path.join(root, 'videos');
		store = new TaskStore({ file: path.join(root, 'state', 'tasks.json'), writeDelayMs: 20 });
		await store.load();
	});

	afterEach(async () => {
		queue?.dispose();
		queue = undefined;
		await store.flush().catch(() => undefined);
		store.dispose();
		await loop.stop();
		dirs.cleanup();
	});

	function startQueue(download: DownloadQueueOptions['download'] = options => downloadVideo({ ...options, ...limits })): DownloadQueue {
		queue = new DownloadQueue({
			store,
			folder: () => folder,
			download,
			fileNames: () => fileNames,
			// The automatic retries wait milliseconds here instead of seconds.
			retryBackoff: { baseMs: 20, maxMs: 50 },
		});
		return queue;
	}

	/** A task that succeeded on the simulator, with the links the service gave for it. */
	async function succeededTask(prompt: string, over: Partial<TaskRecord> = {}): Promise<TaskRecord> {
		const task = await submitTask(loop, `${prompt} [instant]`);
		const status = await loop.client().status(task.taskId!);
		assert.equal(status.status, 'Success');
		return { ...task, phase: 'succeeded', serviceStatus: 'Success', urls: status.urls, ...over };
	}

	it('downloads a succeeded task\'s video into the folder as soon as the store shows it', async () => {
		const q = startQueue();
		const task = await succeededTask('a harbour at dawn');
		const saved = nextEvent(q.onDidSave);
		await store.add(task);
		const record = await saved;
		const expected = path.join(folder, `${videoBaseName(task)}.mp4`);
		assert.deepEqual(record.download, { phase: 'done', files: [expected] });
		assert.ok(fs.readFileSync(expected).equals(sample), 'the bytes equal the simulator\'s sample');
		assert.deepEqual(listFiles(folder), [`${videoBaseName(task)}.mp4`]);
		const onDisk = new TaskStore({ file: store.file });
		await onDisk.load();
		assert.equal(onDisk.get(task.id)?.download?.phase, 'done', 'the finished download is on disk when onDidSave fires');
	});

	it('saves one file per result link of a task with several videos', async () => {
		const q = startQueue();
		const task = await succeededTask('two takes [multi]');
		assert.equal(task.urls?.length, 2);
		const saved = nextEvent(q.onDidSave);
		await store.add(task);
		const record = await saved;
		const names = [`${videoBaseName(task)}.mp4`, `${videoBaseName(task)}-2.mp4`];
		assert.deepEqual(record.download?.files, names.map(name => path.join(folder, name)));
		assert.deepEqual(listFiles(folder), names.sort());
		for (const name of names) {
			assert.ok(fs.readFileSync(path.join(folder, name)).equals(sample));
		}
	});

	it('never writes outside the folder, whatever the task ids contain', async () => {
		const q = startQueue();
		const real = await succeededTask('a fox');
		const task = { ...real, id: '../../escape/../x', taskId: '../../../outside' };
		const saved = nextEvent(q.onDidSave);
		await store.add(task);
		const record = await saved;
		const name = `${videoBaseName(task)}.mp4`;
		assert.match(name, / a fox instant\.mp4$/);
		assert.deepEqual(listFiles(root).filter(name => !name.startsWith('state')), [`videos/${name}`]);
		assert.deepEqual(record.download?.files, [path.join(folder, name)]);
		assert.ok(fs.readFileSync(path.join(folder, name)).equals(sample));
		for (const escaped of ['../../../outside.mp4', '../outside.mp4', '../../escape/x.mp4']) {
			assert.equal(fs.existsSync(path.resolve(folder, escaped)), false, escaped);
		}
	});

	it('names a task without a prompt from the service id only when it is safe, and inside the folder in every case', () => {
		const cases: Array<[Partial<TaskRecord>, string]> = [
			[{ id: 'local-1', taskId: 'task_abc123' }, 'task_abc123.mp4'],
			[{ id: 'local-2', taskId: '../etc/passwd' }, 'videogen-local-2.mp4'],
			[{ id: 'local-3', taskId: '/absolute/path' }, 'videogen-local-3.mp4'],
			[{ id: 'local-4', taskId: '..' }, 'videogen-local-4.mp4'],
			[{ id: 'local-5', taskId: 'a\\..\\..\\b' }, 'videogen-local-5.mp4'],
			[{ id: '../../local-6', taskId: undefined }, 'videogen-local-6.mp4'],
		];
		for (const [over, name] of cases) {
			const task = makeTask({ ...over, prompt: '', urls: ['https://x/1.mp4'] });
			const files = videoFiles(task, folder, () => false);
			assert.deepEqual(files, [path.join(folder, `${dateStamp(task.submittedAt ?? task.createdAt)} ${name}`)], JSON.stringify(over));
		}
	});

	it('marks a download whose link expired as failed, saying a fresh link is needed', async () => {
		const q = startQueue();
		const task = await succeededTask('a pier');
		loop.sim.faults.push({ target: 'download', kind: 'http', status: 403 });
		const failed = nextEvent(q.onDidFail);
		await store.add(task);
		const { task: record, error } = await failed;
		assert.equal(error.kind, 'linkExpired');
		assert.equal(record.download?.phase, 'failed');
		assert.equal(record.download?.linkExpired, true);
		assert.match(record.download?.error ?? '', /Download Again asks the service for a fresh one/);
		assert.deepEqual(listFiles(folder), []);
	});

	it('tries a download that broke off again by itself, and the user is told nothing', async () => {
		const q = startQueue();
		const task = await succeededTask('a gust');
		loop.sim.faults.push({ target: 'download', kind: 'reset', afterBytes: 1_000, count: 2 });
		let told = 0;
		q.onDidFail(() => told++);
		const saved = nextEvent(q.onDidSave);
		await store.add(task);
		assert.equal((await saved).download?.phase, 'done');
		assert.equal(told, 0);
		assert.equal(loop.sim.stats.downloads, 3, 'two broken tries and one whole one');
		assert.ok(fs.readFileSync(path.join(folder, `${videoBaseName(task)}.mp4`)).equals(sample));
	});

	it('gives up after three broken tries, and downloads again when retry() is called', async () => {
		const q = startQueue();
		const task = await succeededTask('a storm');
		loop.sim.faults.push({ target: 'download', kind: 'reset', afterBytes: 1_000, count: 3 });
		const failed = nextEvent(q.onDidFail);
		await store.add(task);
		assert.equal((await failed).error.kind, 'incomplete');
		assert.equal(loop.sim.stats.downloads, 3);
		const saved = nextEvent(q.onDidSave);
		q.retry(task.id);
		assert.equal((await saved).download?.phase, 'done');
		assert.ok(fs.readFileSync(path.join(folder, `${videoBaseName(task)}.mp4`)).equals(sample));
	});

	it('restarts on recover() a download that was left "downloading" when the window closed', async () => {
		const task = await succeededTask('a lighthouse', { download: { phase: 'downloading', receivedBytes: 1234 } });
		await store.add(task);
		const q = startQueue();
		await new Promise(resolve => setTimeout(resolve, 50));
		assert.equal(store.get(task.id)?.download?.phase, 'downloading', 'not touched before recover()');
		assert.equal(loop.sim.stats.downloads, 0);
		const saved = nextEvent(q.onDidSave);
		q.recover();
		assert.equal((await saved).download?.phase, 'done');
		assert.ok(fs.readFileSync(path.join(folder, `${videoBaseName(task)}.mp4`)).equals(sample));
	});

	it('waits while another window does the downloads', async () => {
		let mine = false;
		queue = new DownloadQueue({
			store,
			folder: () => folder,
			download: options => downloadVideo(options),
			fileNames: () => fileNames,
			canDownload: () => mine,
		});
		const task = await succeededTask('a quay');
		await store.add(task);
		await new Promise(resolve => setTimeout(resolve, 50));
		assert.equal(loop.sim.stats.downloads, 0);
		assert.equal(store.get(task.id)?.download, undefined);
		mine = true;
		const saved = nextEvent(queue.onDidSave);
		queue.kick();
		await saved;
		await waitFor('the file', () => fs.existsSync(path.join(folder, `${videoBaseName(task)}.mp4`)));
	});

	it('does not download a task that succeeded without a link', async () => {
		startQueue();
		await store.add(makeTask({ phase: 'succeeded', taskId: 'task_nolinks', urls: [] }));
		await new Promise(resolve => setTimeout(resolve, 50));
		assert.equal(loop.sim.stats.downloads, 0);
		assert.equal(fs.existsSync(folder), false);
	});

	describe('a body that is too large, too slow or not a video', () => {
		const cases: Array<[string, Fault, DownloadErrorKind]> = [
			['a body that never ends', { target: 'download', kind: 'endless' }, 'tooLarge'],
			['a trickle', { target: 'download', kind: 'trickle', bytesPerSecond: 2_000 }, 'tooSlow'],
			['a gzip-compressed body', { target: 'download', kind: 'gzip' }, 'notVideo'],
			['a web page typed as video/mp4', { target: 'download', kind: 'notVideo' }, 'notVideo'],
		];
		for (const [name, fault, kind] of cases) {
			it(`reports ${name} once without trying again by itself, keeps nothing, and saves the video on retry()`, async () => {
				const q = startQueue();
				const task = await succeededTask(name);
				loop.sim.faults.push(fault);
				const failures: DownloadError[] = [];
				q.onDidFail(({ error }) => failures.push(error));
				const failed = nextEvent(q.onDidFail);
				await store.add(task);
				const { task: record } = await failed;
				await delay(100);
				assert.deepEqual(failures.map(error => error.kind), [kind]);
				assert.equal(loop.sim.stats.downloads, 1, 'not tried again by itself');
				assert.equal(record.download?.phase, 'failed');
				assert.equal(record.download?.error, failures[0].message);
				assert.deepEqual(listFiles(folder), []);
				const saved = nextEvent(q.onDidSave);
				q.retry(task.id);
				assert.equal((await saved).download?.phase, 'done');
				assert.ok(fs.readFileSync(path.join(folder, `${videoBaseName(task)}.mp4`)).equals(sample));
			});
		}
	});

	describe('a redirect that cannot be followed', () => {
		it('is the storage host\'s fault: tried again by itself without a word to the user', async () => {
			const q = startQueue();
			const task = await succeededTask('a bad hop');
			loop.sim.faults.push({ target: 'download', kind: 'badRedirect', count: 2 });
			let told = 0;
			q.onDidFail(() => told++);
			const saved = nextEvent(q.onDidSave);
			await store.add(task);
			assert.equal((await saved).download?.phase, 'done');
			assert.equal(told, 0);
			assert.equal(loop.sim.stats.downloads, 3);
		});

		it('is reported after three tries as a bad redirect, not as a disk problem', async () => {
			const q = startQueue();
			const task = await succeededTask('three bad hops');
			loop.sim.faults.push({ target: 'download', kind: 'badRedirect', count: 3 });
			const failed = nextEvent(q.onDidFail);
			await store.add(task);
			const { error } = await failed;
			assert.equal(error.kind, 'badRedirect');
			assert.equal(error.message, 'The video storage host sent a redirect to an address that is not a valid URL (HTTP 302).');
			assert.equal(loop.sim.stats.downloads, 3);
		});
	});

	it('reports a failure that says nothing of its cause as unexpected, not as a disk problem', async () => {
		// The one way to get an error no part of the downloader classified: a downloader that throws one.
		const q = startQueue(() => Promise.reject(new TypeError('something no one expected')));
		const failed = nextEvent(q.onDidFail);
		await store.add(await succeededTask('a mystery'));
		const { error } = await failed;
		assert.equal(error.kind, 'unexpected');
		assert.equal(error.message, 'Saving the video failed unexpectedly (TypeError: something no one expected). Download Again tries again; the VideoGen log has the details.');
		assert.doesNotMatch(error.message, /Could not save the video in/);
	});

	describe('file names', () => {
		it('never replaces a file already in the folder under the video\'s name, whatever its case', async () => {
			const q = startQueue();
			const task = await succeededTask('a name taken');
			fs.mkdirSync(folder, { recursive: true });
			fs.writeFileSync(path.join(folder, `${videoBaseName(task)}.mp4`), 'mine');
			fs.writeFileSync(path.join(folder, `${videoBaseName(task).toUpperCase()} (2).mp4`), 'mine too');
			const saved = nextEvent(q.onDidSave);
			await store.add(task);
			assert.deepEqual((await saved).download?.files, [path.join(folder, `${videoBaseName(task)} (3).mp4`)]);
			assert.equal(fs.readFileSync(path.join(folder, `${videoBaseName(task)}.mp4`), 'utf8'), 'mine');
			assert.equal(fs.readFileSync(path.join(folder, `${videoBaseName(task).toUpperCase()} (2).mp4`), 'utf8'), 'mine too');
			assert.ok(fs.readFileSync(path.join(folder, `${videoBaseName(task)} (3).mp4`)).equals(sample));
		});

		it('gives two tasks with the same service id, downloading at once, a file each', async () => {
			const q = startQueue();
			const first = await succeededTask('tracked twice');
			const second = { ...first, id: `${first.id}-again` };
			const done = new Map<string, TaskRecord>();
			const both = new Promise<void>(resolve => q.onDidSave(task => done.set(task.id, task).size === 2 && resolve()));
			await store.add(first);
			await store.add(second);
			await both;
			const files = [...done.values()].flatMap(task => task.download!.files!);
			assert.deepEqual(files.map(file => path.basename(file)).sort(), [`${videoBaseName(first)} (2).mp4`, `${videoBaseName(first)}.mp4`]);
			assert.deepEqual(listFiles(folder), [`${videoBaseName(first)} (2).mp4`, `${videoBaseName(first)}.mp4`]);
			for (const file of files) {
				assert.ok(fs.readFileSync(file).equals(sample));
			}
		});

		it('does not give a task the name another task\'s saved video has, even after that file was deleted', async () => {
			const q = startQueue();
			const first = await succeededTask('from one host');
			const saved = nextEvent(q.onDidSave);
			await store.add(first);
			const [firstFile] = (await saved).download!.files!;
			fs.rmSync(firstFile);
			const again = nextEvent(q.onDidSave);
			await store.add({ ...first, id: `${first.id}-other-host`, apiOrigin: 'http://127.0.0.2:1' });
			assert.deepEqual((await again).download?.files, [path.join(folder, `${videoBaseName(first)} (2).mp4`)]);
		});

		it('gives tasks whose ids differ only in case different files', async () => {
			const q = startQueue();
			const real = await succeededTask('two cases');
			const lower = { ...real, id: 'lower', taskId: 'task_case', prompt: '' };
			const upper = { ...real, id: 'upper', taskId: 'TASK_CASE', prompt: '' };
			const done = new Set<string>();
			const both = new Promise<void>(resolve => q.onDidSave(task => done.add(task.id).size === 2 && resolve()));
			await store.add(lower);
			await store.add(upper);
			await both;
			const names = [store.get('lower'), store.get('upper')].map(task => path.basename(task!.download!.files![0])).sort();
			assert.equal(new Set(names.map(name => name.toLowerCase())).size, 2, names.join(', '));
			assert.deepEqual(listFiles(folder).map(name => name.toLowerCase()).sort(), [`${dateStamp(real.submittedAt!)} task_case (2).mp4`, `${dateStamp(real.submittedAt!)} task_case.mp4`]);
		});

		it('saves the video of a task whose id is a name Windows reserves under a name it accepts', async () => {
			const q = startQueue();
			const real = await succeededTask('a device name');
			const saved = nextEvent(q.onDidSave);
			await store.add({ ...real, taskId: 'CON', prompt: 'CON' });
			const name = `${dateStamp(real.submittedAt!)} CON.mp4`;
			assert.deepEqual((await saved).download?.files, [path.join(folder, name)], 'the date before it makes the name no device name');
			assert.ok(fs.readFileSync(path.join(folder, name)).equals(sample));
		});

		it('does not replace a file that appears under the video\'s name during the download, and Download Again saves under another name', async () => {
			const q = startQueue();
			const task = await succeededTask('a name taken meanwhile');
			loop.sim.faults.push({ target: 'download', kind: 'trickle', bytesPerSecond: 60_000 });
			const failed = nextEvent(q.onDidFail);
			await store.add(task);
			const name = path.join(folder, `${videoBaseName(task)}.mp4`);
			await waitFor('the download to be under way', () => fs.existsSync(`${name}.part`));
			fs.writeFileSync(name, 'copied in by the user');
			const { error } = await failed;
			assert.equal(error.kind, 'disk');
			assert.equal(error.message, `Could not save the video in ${folder}: a file named ${videoBaseName(task)}.mp4 appeared there during the download, and VideoGen does not replace it. Download Again saves the video under another name.`);
			assert.equal(fs.readFileSync(name, 'utf8'), 'copied in by the user');
			assert.deepEqual(listFiles(folder), [`${videoBaseName(task)}.mp4`]);
			const saved = nextEvent(q.onDidSave);
			q.retry(task.id);
			assert.deepEqual((await saved).download?.files, [path.join(folder, `${videoBaseName(task)} (2).mp4`)]);
			assert.equal(fs.readFileSync(name, 'utf8'), 'copied in by the user');
		});

		it('saves a task\'s videos all together or not at all, and under the same names when tried again', async () => {
			const q = startQueue();
			const task = await succeededTask('two takes, one gone [multi]');
			const urls = task.urls!;
			const failed = nextEvent(q.onDidFail);
			await store.add({ ...task, urls: [urls[0], `${loop.sim.storageUrl}/videos/task_gone.mp4`] });
			assert.equal((await failed).error.kind, 'linkExpired');
			assert.deepEqual(listFiles(folder), [], 'the first video, saved before the second failed, is not left alone');
			store.update(task.id, { urls });
			const saved = nextEvent(q.onDidSave);
			q.retry(task.id);
			assert.deepEqual((await saved).download?.files, [`${videoBaseName(task)}.mp4`, `${videoBaseName(task)}-2.mp4`].map(name => path.join(folder, name)));
		});
	});
});
