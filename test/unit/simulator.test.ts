import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { Simulator, SimulatorOptions, SimulatorStats, startSimulator } from '../simulator/simulator';
import { MODEL } from '../common/helpers';

const SAMPLE = path.join(__dirname, '../../../test/simulator/sample.mp4');

interface Reply {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
	/** Whether the whole body announced arrived. */
	complete: boolean;
	/** The body parsed as JSON, typed as the caller says it is (`unknown` unless told). */
	json<T = unknown>(): T;
}

/** An error answer: `{ error: { message, type, param, code } }`. */
interface ErrorAnswer {
	error: { message: string; type: string; param: string; code: string };
}

/** The answer to a submit that created a task. */
interface SubmitAnswer {
	output: { task_id: string };
	request_id: string;
}

/** The `output` of a status answer. */
interface StatusOutput {
	task_id: string;
	task_status: string;
	urls: string[];
	submit_time: number;
	finish_time: number;
	error_message: string;
}

/** A status answer. */
interface StatusAnswer {
	output: StatusOutput;
	usage: { duration: number };
	request_id: string;
}

/** What `GET /_sim/stats` answers, as far as the tests read it. */
interface StatsAnswer extends SimulatorStats {
	tasks: Array<{ taskId: string; model: string; prompt: string; status: string; submittedAt: number }>;
}

interface RequestOptions {
	method?: string;
	headers?: Record<string, string>;
	body?: string;
	/** Give up after this many ms without an answer. */
	timeoutMs?: number;
	agent?: http.Agent;
}

/** One HTTP exchange over loopback; resolves even when the body is cut short, rejects when no response came. */
function request(url: string, options: RequestOptions = {}): Promise<Reply> {
	return new Promise((resolve, reject) => {
		let cutShort: (() => void) | undefined;
		const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: options.agent ?? false }, (res) => {
			const chunks: Buffer[] = [];
			let settled = false;
			cutShort = () => finish(false);
			const finish = (complete: boolean): void => {
				if (settled) {
					return;
				}
				settled = true;
				const body = Buffer.concat(chunks);
				resolve({ status: res.statusCode ?? 0, headers: res.headers, body, complete, json: () => JSON.parse(body.toString('utf8')) });
			};
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => finish(res.complete));
			res.on('error', () => finish(false));
			res.on('close', () => finish(res.complete));
		});
		req.on('error', (error) => (cutShort ? cutShort() : reject(error)));
		if (options.timeoutMs !== undefined) {
			req.setTimeout(options.timeoutMs, () => req.destroy(new Error('client timeout')));
		}
		req.end(options.body);
	});
}

function submitBody(prompt: string, parameters: Record<string, unknown> = { size: '720x1280', duration: 4 }, model = MODEL): string {
	return JSON.stringify({ model, input: { prompt }, parameters });
}

/** Submits `body`; `key` null sends no Authorization header. */
function submit(sim: Simulator, body: string, key: string | null = sim.apiKey, extra: Partial<RequestOptions> = {}): Promise<Reply> {
	const headers: Record<string, string> = { 'Content-Type': 'application/json' };
	if (key !== null) {
		headers.Authorization = key;
	}
	return request(`${sim.apiUrl}/v1/tasks/submit`, { method: 'POST', headers, body, ...extra });
}

async function submitPrompt(sim: Simulator, prompt: string): Promise<string> {
	const reply = await submit(sim, submitBody(prompt));
	assert.equal(reply.status, 200, reply.body.toString());
	return reply.json<SubmitAnswer>().output.task_id;
}

function status(sim: Simulator, taskId: string, extra: Partial<RequestOptions> = {}): Promise<Reply> {
	return request(`${sim.apiUrl}/v1/tasks/status?task_id=${encodeURIComponent(taskId)}`, { headers: { Authorization: sim.apiKey }, ...extra });
}

async function statusOutput(sim: Simulator, taskId: string): Promise<StatusOutput> {
	const reply = await status(sim, taskId);
	assert.equal(reply.status, 200, reply.body.toString());
	return reply.json<StatusAnswer>().output;
}

function admin(sim: Simulator, route: string, body?: unknown): Promise<Reply> {
	const method = body === undefined && route === 'stats' ? 'GET' : 'POST';
	return request(`${sim.apiUrl}/_sim/${route}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('API simulator', () => {
	let sim: Simulator;
	let clock: number;

	/** Starts a simulator on a manual clock unless `realTime` is set. */
	async function start(options: SimulatorOptions = {}, realTime = false): Promise<Simulator> {
		clock = 1_800_000_000_000;
		sim = await startSimulator({ pendingMs: 1000, runningMs: 2000, ...(realTime ? {} : { now: () => clock }), ...options });
		return sim;
	}

	afterEach(async () => {
		await sim?.close();
	});

	describe('sample video', () => {
		it('is a small MP4 with an ftyp box at offset 4', () => {
			const bytes = fs.readFileSync(SAMPLE);
			assert.ok(bytes.length < 60 * 1024, `sample is ${bytes.length} bytes`);
			assert.equal(bytes.subarray(4, 8).toString('latin1'), 'ftyp');
			assert.ok(bytes.indexOf('moov') < bytes.indexOf('mdat'), 'moov comes before mdat (faststart)');
		});
	});

	describe('authentication', () => {
		it('rejects a submit with a wrong key with the platform auth error body', async () => {
			await start();
			const reply = await submit(sim, submitBody('a cat'), 'wrong');
			assert.equal(reply.status, 401);
			assert.deepEqual(reply.json(), { error: { message: 'Invalid API key', type: 'auth_error', param: '', code: 'invalid_api_key' } });
			assert.equal(sim.submitCount, 0);
		});

		it('rejects a submit and a status query without any key', async () => {
			await start();
			assert.equal((await submit(sim, submitBody('a cat'), null)).status, 401);
			const reply = await request(`${sim.apiUrl}/v1/tasks/status?task_id=task_x`);
			assert.equal(reply.status, 401);
			assert.equal(reply.json<ErrorAnswer>().error.type, 'auth_error');
		});

		it('accepts the key bare or with a Bearer prefix', async () => {
			await start({ apiKey: 'k-123' });
			assert.equal((await submit(sim, submitBody('a'), 'k-123')).status, 200);
			assert.equal((await submit(sim, submitBody('b'), 'Bearer k-123')).status, 200);
			assert.equal(sim.submitCount, 2);
		});
	});

	describe('submit validation', () => {
		const cases: Array<[string, string, number, string, string]> = [
			['a missing model', JSON.stringify({ input: { prompt: 'x' } }), 400, 'param_error', 'model'],
			['an unknown model', submitBody('x', {}, 'acme/nothing'), 400, 'model_error', 'model'],
			['a missing prompt', JSON.stringify({ model: MODEL, input: {} }), 400, 'param_error', 'input.prompt'],
			['an empty prompt', submitBody(''), 400, 'param_error', 'input.prompt'],
			['a pro size on the plain model', submitBody('x', { size: '1024x1792' }), 400, 'param_error', 'parameters.size'],
			['a duration of 5', submitBody('x', { duration: 5 }), 400, 'param_error', 'parameters.duration'],
			['a duration given as a string', submitBody('x', { duration: '4' }), 400, 'param_error', 'parameters.duration'],
			['a body that is not JSON', '{"model":', 400, 'param_error', ''],
		];
		for (const [what, body, code, type, param] of cases) {
			it(`refuses ${what} with ${type} naming "${param}"`, async () => {
				await start();
				const reply = await submit(sim, body);
				assert.equal(reply.status, code);
				assert.equal(reply.json<ErrorAnswer>().error.type, type);
				assert.equal(reply.json<ErrorAnswer>().error.param, param);
				assert.equal(sim.submitCount, 0);
			});
		}

		it('accepts the pro sizes on the pro model and fills in defaults', async () => {
			await start();
			const pro = await submit(sim, submitBody('x', { size: '1792x1024', duration: 12 }, `${MODEL}-pro`));
			assert.equal(pro.status, 200);
			const plain = await submit(sim, JSON.stringify({ model: MODEL, input: { prompt: 'y' } }));
			assert.equal(plain.status, 200);
			const task = sim.tasks.get(plain.json<SubmitAnswer>().output.task_id);
			assert.deepEqual(task?.parameters, { size: '720x1280', duration: 4 });
		});

		it('answers a valid submit with a task id and a request id', async () => {
			await start();
			const reply = await submit(sim, submitBody('A beautiful girl is dancing'));
			assert.equal(reply.status, 200);
			const body = reply.json<SubmitAnswer>();
			assert.match(body.output.task_id, /^task_[0-9a-f]{24}$/);
			assert.match(body.request_id, /^[0-9a-f-]{36}$/);
			assert.ok(sim.tasks.has(body.output.task_id));
			assert.equal(sim.stats.submitsReceived, 1);
			assert.equal(sim.stats.submitsAccepted, 1);
		});
	});

	describe('task timeline', () => {
		it('moves a task from Pending through Running to Success on the clock', async () => {
			await start({ pendingMs: 1000, runningMs: 2000 });
			const id = await submitPrompt(sim, 'a river');
			assert.equal((await statusOutput(sim, id)).task_status, 'Pending');
			clock += 1000;
			assert.equal((await statusOutput(sim, id)).task_status, 'Running');
			clock += 1999;
			assert.equal((await statusOutput(sim, id)).task_status, 'Running');
			clock += 1;
			const done = await statusOutput(sim, id);
			assert.equal(done.task_status, 'Success');
			assert.deepEqual(done.urls, [`${sim.storageUrl}/videos/${id}.mp4`]);
			assert.equal(done.error_message, '');
			assert.equal(done.submit_time, 1_800_000_000);
			assert.equal(done.finish_time, 1_800_000_003);
		});

		it('moves a task to Success in real time with small timings', async () => {
			await start({ pendingMs: 50, runningMs: 50 }, true);
			const id = await submitPrompt(sim, 'a river');
			const first = await statusOutput(sim, id);
			assert.ok(['Pending', 'Running'].includes(first.task_status), first.task_status);
			assert.deepEqual(first.urls, []);
			assert.equal(first.finish_time, 0);
			await delay(150);
			const done = await statusOutput(sim, id);
			assert.equal(done.task_status, 'Success');
			assert.ok(done.finish_time >= done.submit_time);
		});

		it('reports usage.duration as the requested duration and a request id', async () => {
			await start();
			const reply = await submit(sim, submitBody('x', { size: '1280x720', duration: 8 }));
			const body = (await status(sim, reply.json<SubmitAnswer>().output.task_id)).json<StatusAnswer>();
			assert.deepEqual(body.usage, { duration: 8 });
			assert.equal(typeof body.request_id, 'string');
		});

		it('answers 404 for an unknown task and 400 when task_id is missing', async () => {
			await start();
			const unknown = await status(sim, 'task_000000000000000000000000');
			assert.equal(unknown.status, 404);
			assert.equal(unknown.json<ErrorAnswer>().error.message, 'task not found');
			const missing = await request(`${sim.apiUrl}/v1/tasks/status`, { headers: { Authorization: sim.apiKey } });
			assert.equal(missing.status, 400);
			assert.equal(missing.json<ErrorAnswer>().error.param, 'task_id');
		});

		it('lets forceStatus override the timeline', async () => {
			await start();
			const id = await submitPrompt(sim, 'x');
			sim.forceStatus(id, { status: 'Failure', errorMessage: 'quota' });
			const out = await statusOutput(sim, id);
			assert.equal(out.task_status, 'Failure');
			assert.equal(out.error_message, 'quota');
			assert.notEqual(out.finish_time, 0);
			sim.forceStatus(id, { status: 'Success', urls: ['http://elsewhere/v.mp4'] });
			assert.deepEqual((await statusOutput(sim, id)).urls, ['http://elsewhere/v.mp4']);
			assert.throws(() => sim.forceStatus('task_nope', { status: 'Success' }));
		});

		it('lets setTaskOutcome steer existing tasks and later ones', async () => {
			await start();
			const existing = await submitPrompt(sim, 'a storm at sea');
			assert.equal(sim.setTaskOutcome('storm', { status: 'Failure', errorMessage: 'no storms' }), 1);
			const later = await submitPrompt(sim, 'another storm');
			const calm = await submitPrompt(sim, 'a calm lake');
			clock += 3000;
			assert.equal((await statusOutput(sim, existing)).error_message, 'no storms');
			assert.equal((await statusOutput(sim, later)).task_status, 'Failure');
			assert.equal((await statusOutput(sim, calm)).task_status, 'Success');
			sim.setTaskOutcome(calm, { status: 'Expired' });
			assert.equal(sim.view(calm)?.status, 'Expired');
		});
	});

	describe('prompt markers', () => {
		async function finalOutput(prompt: string): Promise<StatusOutput> {
			const id = await submitPrompt(sim, prompt);
			clock += 60_000;
			return statusOutput(sim, id);
		}

		it('[fail] ends in Failure with an error message', async () => {
			await start();
			const out = await finalOutput('a dog [fail]');
			assert.equal(out.task_status, 'Failure');
			assert.equal(out.error_message, 'Simulated failure: the model could not render this prompt');
			assert.deepEqual(out.urls, []);
		});

		it('[fail-silent] ends in Failure with an empty error message', async () => {
			await start();
			const out = await finalOutput('[fail-silent] a dog');
			assert.equal(out.task_status, 'Failure');
			assert.equal(out.error_message, '');
		});

		it('[expire] ends in Expired', async () => {
			await start();
			assert.equal((await finalOutput('a dog [expire]')).task_status, 'Expired');
		});

		it('[status:Queued] reports that unknown status from the start and forever', async () => {
			await start();
			const id = await submitPrompt(sim, 'a dog [status:Queued]');
			assert.equal((await statusOutput(sim, id)).task_status, 'Queued');
			clock += 3_600_000;
			assert.equal((await statusOutput(sim, id)).task_status, 'Queued');
		});

		it('[multi] succeeds with two downloadable URLs', async () => {
			await start();
			const out = await finalOutput('a dog [multi]');
			assert.equal(out.urls.length, 2);
			for (const url of out.urls) {
				assert.equal((await request(url)).status, 200);
			}
		});

		it('[nourls] succeeds with an empty URL list', async () => {
			await start();
			const out = await finalOutput('a dog [nourls]');
			assert.equal(out.task_status, 'Success');
			assert.deepEqual(out.urls, []);
		});

		it('[moderate] is refused at submit with sensitive_check_error and creates no task', async () => {
			await start();
			const reply = await submit(sim, submitBody('something [moderate]'));
			assert.equal(reply.status, 400);
			assert.equal(reply.json<ErrorAnswer>().error.type, 'sensitive_check_error');
			assert.equal(sim.submitCount, 0);
		});

		it('[slow] runs five times longer and [instant] finishes at once', async () => {
			await start({ pendingMs: 100, runningMs: 100 });
			const slow = await submitPrompt(sim, 'x [slow]');
			const instant = await submitPrompt(sim, 'x [instant]');
			assert.equal((await statusOutput(sim, instant)).task_status, 'Success');
			clock += 200;
			assert.equal((await statusOutput(sim, slow)).task_status, 'Running');
			clock += 400;
			assert.equal((await statusOutput(sim, slow)).task_status, 'Success');
		});

		it('[redirect] points at the API host, which redirects to the storage host', async () => {
			await start();
			const out = await finalOutput('x [redirect]');
			const url: string = out.urls[0];
			assert.ok(url.startsWith(`${sim.apiUrl}/files/`), url);
			const hop = await request(url);
			assert.equal(hop.status, 302);
			assert.equal(hop.headers.location, url.replace(`${sim.apiUrl}/files/`, `${sim.storageUrl}/videos/`));
		});
	});

	describe('storage server', () => {
		async function finishedUrl(): Promise<string> {
			const id = await submitPrompt(sim, 'x [instant]');
			return (await statusOutput(sim, id)).urls[0];
		}

		it('serves the sample video without asking for a key and records no authorization header', async () => {
			await start();
			const reply = await request(await finishedUrl());
			const sample = fs.readFileSync(SAMPLE);
			assert.equal(reply.status, 200);
			assert.equal(reply.headers['content-type'], 'video/mp4');
			assert.equal(reply.headers['content-length'], String(sample.length));
			assert.equal(reply.headers['accept-ranges'], 'bytes');
			assert.ok(reply.body.equals(sample));
			assert.equal(reply.body.subarray(4, 8).toString('latin1'), 'ftyp');
			const storage = sim.requests.filter((r) => r.server === 'storage');
			assert.equal(storage.length, 1);
			assert.equal(storage[0].headers.authorization, undefined);
			assert.equal(sim.stats.downloads, 1);
		});

		it('answers a Range request with 206 and exactly the requested bytes', async () => {
			await start();
			const url = await finishedUrl();
			const sample = fs.readFileSync(SAMPLE);
			const middle = await request(url, { headers: { Range: 'bytes=100-1099' } });
			assert.equal(middle.status, 206);
			assert.equal(middle.headers['content-range'], `bytes 100-1099/${sample.length}`);
			assert.equal(middle.headers['content-length'], '1000');
			assert.ok(middle.body.equals(sample.subarray(100, 1100)));
			const tail = await request(url, { headers: { Range: 'bytes=-10' } });
			assert.ok(tail.body.equals(sample.subarray(sample.length - 10)));
			const open = await request(url, { headers: { Range: `bytes=${sample.length - 5}-` } });
			assert.equal(open.status, 206);
			assert.equal(open.body.length, 5);
		});

		it('answers 416 to a range beyond the end and 404 to an unknown video', async () => {
			await start();
			const url = await finishedUrl();
			const beyond = await request(url, { headers: { Range: 'bytes=99999999-' } });
			assert.equal(beyond.status, 416);
			assert.match(String(beyond.headers['content-range']), /^bytes \*\/\d+$/);
			assert.equal((await request(`${sim.storageUrl}/videos/task_unknown.mp4`)).status, 404);
		});

		it('answers HEAD with the headers only', async () => {
			await start();
			const reply = await request(await finishedUrl(), { method: 'HEAD' });
			assert.equal(reply.status, 200);
			assert.equal(reply.body.length, 0);
			assert.equal(reply.headers['content-length'], String(fs.statSync(SAMPLE).size));
		});

		it('redirects /redirect/<id>.mp4 to the video on the same server', async () => {
			await start();
			const url = await finishedUrl();
			const hop = await request(url.replace('/videos/', '/redirect/'));
			assert.equal(hop.status, 302);
			assert.equal(hop.headers.location, url);
		});

		it('streams generated bytes of the requested size when syntheticVideoBytes is set', async () => {
			await start({ syntheticVideoBytes: 300_000 });
			const url = await finishedUrl();
			const whole = await request(url);
			assert.equal(whole.body.length, 300_000);
			assert.equal(whole.body.subarray(4, 8).toString('latin1'), 'ftyp');
			const part = await request(url, { headers: { Range: 'bytes=65530-65545' } });
			assert.equal(part.status, 206);
			assert.ok(part.body.equals(whole.body.subarray(65530, 65546)));
		});
	});

	describe('fault injection', () => {
		it('an http fault answers with its status, the platform body and Retry-After, and creates no task', async () => {
			await start();
			sim.faults.push({ target: 'submit', kind: 'http', status: 429, retryAfter: '3' });
			const reply = await submit(sim, submitBody('x'));
			assert.equal(reply.status, 429);
			assert.equal(reply.headers['retry-after'], '3');
			assert.equal(reply.json<ErrorAnswer>().error.type, 'rate_limit');
			assert.equal(sim.submitCount, 0);
			assert.equal((await submit(sim, submitBody('x'))).status, 200, 'a fault hits one request by default');
			assert.equal(sim.stats.faultsInjected, 1);
		});

		it('an http fault with createTask creates the task behind the error', async () => {
			await start();
			sim.faults.push({ target: 'submit', kind: 'http', status: 500, createTask: true });
			const reply = await submit(sim, submitBody('x'));
			assert.equal(reply.status, 500);
			assert.equal(reply.json<ErrorAnswer>().error.type, 'server_error');
			assert.equal(sim.submitCount, 1);
		});

		it('a submit reset drops the connection after the task was created', async () => {
			await start();
			sim.faults.push({ target: 'submit', kind: 'reset' });
			await assert.rejects(submit(sim, submitBody('x')), /ECONNRESET|socket hang up/);
			assert.equal(sim.tasks.size, 1);
			assert.equal(sim.stats.submitsAccepted, 1);
			assert.equal(sim.stats.submitsReceived, 1);
		});

		it('resetBeforeAccept drops the connection without creating a task', async () => {
			await start();
			sim.faults.push({ target: 'submit', kind: 'resetBeforeAccept' });
			await assert.rejects(submit(sim, submitBody('x')), /ECONNRESET|socket hang up/);
			assert.equal(sim.tasks.size, 0);
			assert.equal(sim.stats.submitsAccepted, 0);
			assert.equal(sim.stats.submitsReceived, 1);
		});

		it('a submit hang never answers, yet the task exists', async () => {
			await start();
			sim.faults.push({ target: 'submit', kind: 'hang' });
			await assert.rejects(submit(sim, submitBody('x'), sim.apiKey, { timeoutMs: 200 }), /client timeout/);
			assert.equal(sim.submitCount, 1);
		});

		it('nonJson answers 200 with an HTML page, and a submit still creates the task', async () => {
			await start();
			sim.faults.push({ target: 'submit', kind: 'nonJson' });
			const reply = await submit(sim, submitBody('x'));
			assert.equal(reply.status, 200);
			assert.match(String(reply.headers['content-type']), /^text\/html/);
			assert.equal(reply.body.toString(), '<html><body>502 Bad Gateway</body></html>');
			assert.equal(sim.submitCount, 1);
		});

		it('truncated announces the full length, sends half and closes, and a submit still creates the task', async () => {
			await start();
			sim.faults.push({ target: 'submit', kind: 'truncated' });
			const reply = await submit(sim, submitBody('x'));
			assert.equal(reply.complete, false);
			assert.ok(reply.body.length < Number(reply.headers['content-length']));
			assert.ok(reply.body.toString().startsWith('{"output"'));
			assert.equal(sim.submitCount, 1);
		});

		it('noTaskId answers 200 without a task id and creates no task', async () => {
			await start();
			sim.faults.push({ target: 'submit', kind: 'noTaskId' });
			const reply = await submit(sim, submitBody('x'));
			assert.equal(reply.status, 200);
			assert.deepEqual(reply.json<{ output: object }>().output, {});
			assert.equal(sim.submitCount, 0);
		});

		it('status faults hit as many queries as their count and leave the task untouched', async () => {
			await start();
			const id = await submitPrompt(sim, 'x');
			sim.faults.push({ target: 'status', kind: 'http', status: 503, count: 2 });
			assert.equal((await status(sim, id)).status, 503);
			assert.equal((await status(sim, id)).status, 503);
			assert.equal((await status(sim, id)).status, 200);
			sim.faults.push({ target: 'status', kind: 'reset' }, { target: 'status', kind: 'truncated' }, { target: 'status', kind: 'nonJson' });
			await assert.rejects(status(sim, id), /ECONNRESET|socket hang up/);
			assert.equal((await status(sim, id)).complete, false);
			assert.match(String((await status(sim, id)).headers['content-type']), /^text\/html/);
			sim.faults.push({ target: 'status', kind: 'hang' });
			await assert.rejects(status(sim, id, { timeoutMs: 150 }), /client timeout/);
			assert.equal(sim.stats.statusQueries, 7);
		});

		it('a fault for one target leaves other requests alone, and target any hits the next request', async () => {
			await start();
			sim.faults.push({ target: 'download', kind: 'http', status: 500 });
			const id = await submitPrompt(sim, 'x');
			assert.equal((await status(sim, id)).status, 200);
			assert.equal(sim.faults.length, 1);
			sim.faults.clear();
			sim.faults.push({ target: 'any', kind: 'http', status: 502 });
			assert.equal((await status(sim, id)).status, 502);
			assert.equal(sim.faults.length, 0);
		});

		describe('on downloads', () => {
			async function videoUrl(): Promise<string> {
				const id = await submitPrompt(sim, 'x [instant]');
				return (await statusOutput(sim, id)).urls[0];
			}

			it('an http 403 answers with a storage XML error', async () => {
				await start();
				const url = await videoUrl();
				sim.faults.push({ target: 'download', kind: 'http', status: 403 });
				const reply = await request(url);
				assert.equal(reply.status, 403);
				assert.match(reply.body.toString(), /AccessDenied/);
			});

			it('a reset after n bytes sends headers and at most n bytes, then drops the connection', async () => {
				await start();
				const url = await videoUrl();
				sim.faults.push({ target: 'download', kind: 'reset', afterBytes: 1000 });
				const reply = await request(url);
				assert.equal(reply.status, 200);
				assert.equal(reply.complete, false);
				assert.ok(reply.body.length <= 1000, `${reply.body.length} bytes`);
			});

			it('short ends the connection cleanly with a body shorter than its Content-Length', async () => {
				await start();
				const url = await videoUrl();
				sim.faults.push({ target: 'download', kind: 'short', bytes: 5000 });
				const reply = await request(url);
				assert.equal(reply.headers['content-length'], String(fs.statSync(SAMPLE).size));
				assert.equal(reply.complete, false);
				assert.equal(reply.body.length, 5000);
				assert.ok(reply.body.equals(fs.readFileSync(SAMPLE).subarray(0, 5000)));
			});

			it('hang with afterBytes sends the headers and that many bytes, then stalls', async () => {
				await start();
				const url = await videoUrl();
				sim.faults.push({ target: 'download', kind: 'hang', afterBytes: 2000 });
				const reply = await request(url, { timeoutMs: 200 });
				assert.equal(reply.status, 200);
				assert.equal(reply.complete, false);
				assert.equal(reply.body.length, 2000);
			});

			it('hang never sends the response', async () => {
				await start();
				const url = await videoUrl();
				sim.faults.push({ target: 'download', kind: 'hang' });
				await assert.rejects(request(url, { timeoutMs: 150 }), /client timeout/);
				assert.equal((await request(url)).status, 200);
			});
		});

		it('random faults follow the seed deterministically and stop on clear', async () => {
			const outcomes: string[][] = [];
			for (let round = 0; round < 2; round++) {
				await start();
				const id = await submitPrompt(sim, 'x');
				sim.faults.random({ rate: 0.5, seed: 42, targets: ['status'], kinds: ['http', 'nonJson'] });
				const seen: string[] = [];
				for (let i = 0; i < 12; i++) {
					const reply = await status(sim, id);
					seen.push(`${reply.status}:${reply.headers['content-type']}`);
				}
				outcomes.push(seen);
				assert.ok(sim.stats.faultsInjected > 0 && sim.stats.faultsInjected < 12, `${sim.stats.faultsInjected} faults`);
				sim.faults.clear();
				const before = sim.stats.faultsInjected;
				for (let i = 0; i < 5; i++) {
					assert.equal((await status(sim, id)).status, 200);
				}
				assert.equal(sim.stats.faultsInjected, before);
				await sim.close();
			}
			assert.deepEqual(outcomes[0], outcomes[1]);
		});
	});

	describe('admin endpoints', () => {
		it('queue faults, clear them and report stats over HTTP without a key', async () => {
			await start();
			const queued = await admin(sim, 'faults', [{ target: 'submit', kind: 'http', status: 503 }, { target: 'status', kind: 'nonJson' }]);
			assert.equal(queued.status, 200);
			assert.equal(queued.json<{ queued: number }>().queued, 2);
			assert.equal((await submit(sim, submitBody('x'))).status, 503);
			assert.equal((await admin(sim, 'clear', {})).status, 200);
			const id = await submitPrompt(sim, 'a fox');
			assert.equal((await status(sim, id)).status, 200);
			const stats = (await admin(sim, 'stats')).json<StatsAnswer>();
			assert.equal(stats.submitsReceived, 2);
			assert.equal(stats.submitsAccepted, 1);
			assert.equal(stats.faultsInjected, 1);
			assert.deepEqual(stats.tasks.map((t: { taskId: string; prompt: string; status: string }) => [t.taskId, t.prompt, t.status]), [[id, 'a fox', 'Pending']]);
		});

		it('force a status and set an outcome over HTTP', async () => {
			await start();
			const id = await submitPrompt(sim, 'a fox');
			const forced = await admin(sim, 'force', { taskId: id, status: 'Expired' });
			assert.equal(forced.status, 200);
			assert.equal((await statusOutput(sim, id)).task_status, 'Expired');
			assert.equal((await admin(sim, 'force', { taskId: 'task_nope', status: 'Success' })).status, 404);
			const outcome = await admin(sim, 'outcome', { match: 'owl', outcome: { status: 'Failure', errorMessage: 'no owls' } });
			assert.equal(outcome.json<{ matched: number }>().matched, 0);
			const owl = await submitPrompt(sim, 'an owl');
			clock += 60_000;
			assert.equal((await statusOutput(sim, owl)).error_message, 'no owls');
		});

		it('refuse a malformed fault with 400', async () => {
			await start();
			assert.equal((await admin(sim, 'faults', { target: 'submit', kind: 'explode' })).status, 400);
			assert.equal((await admin(sim, 'faults', { target: 'submit', kind: 'http' })).status, 400);
			assert.equal(sim.faults.length, 0);
		});
	});

	describe('connections and shutdown', () => {
		it('keeps connections alive and counts the ones it accepts', async () => {
			await start();
			const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
			try {
				const id = (await submit(sim, submitBody('x'), sim.apiKey, { agent })).json<SubmitAnswer>().output.task_id;
				for (let i = 0; i < 3; i++) {
					assert.equal((await status(sim, id, { agent })).status, 200);
				}
				assert.equal(sim.connections, 1);
			} finally {
				agent.destroy();
			}
		});

		it('records every request with lower-cased headers and its body', async () => {
			await start();
			const body = submitBody('recorded');
			await submit(sim, body, sim.apiKey, { headers: { 'X-Custom-Thing': 'yes', Authorization: sim.apiKey } });
			const [recorded] = sim.requests;
			assert.equal(recorded.server, 'api');
			assert.equal(recorded.method, 'POST');
			assert.equal(recorded.path, '/v1/tasks/submit');
			assert.equal(recorded.headers['x-custom-thing'], 'yes');
			assert.equal(recorded.headers.authorization, sim.apiKey);
			assert.equal(recorded.body, body);
			assert.equal(recorded.status, 200);
		});

		it('close() ends hung connections and frees both ports', async () => {
			await start();
			sim.faults.push({ target: 'status', kind: 'hang' });
			const hung = status(sim, 'task_x');
			await delay(50);
			const started = Date.now();
			await sim.close();
			assert.ok(Date.now() - started < 1000);
			await assert.rejects(hung);
			await assert.rejects(request(`${sim.apiUrl}/_sim/stats`), /ECONNREFUSED/);
			await assert.rejects(request(`${sim.storageUrl}/videos/x.mp4`), /ECONNREFUSED/);
		});
	});

	describe('command line', () => {
		it('prints its origins as one JSON line, logs requests and stops on SIGTERM', async function () {
			this.timeout(10_000);
			const child = spawn(process.execPath, [path.join(__dirname, '../simulator/cli.js'), '--key', 'cli-key', '--pending-ms', '0', '--running-ms', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
			let stderr = '';
			child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
			const line = await new Promise<string>((resolve, reject) => {
				let stdout = '';
				child.stdout.on('data', (chunk: Buffer) => {
					stdout += chunk.toString();
					if (stdout.includes('\n')) {
						resolve(stdout.split('\n')[0]);
					}
				});
				child.once('exit', (code) => reject(new Error(`cli exited with ${code}: ${stderr}`)));
			});
			const info = JSON.parse(line);
			assert.equal(info.apiKey, 'cli-key');
			assert.notEqual(info.apiUrl, info.storageUrl);
			const reply = await request(`${info.apiUrl}/v1/tasks/submit`, { method: 'POST', headers: { Authorization: 'cli-key' }, body: submitBody('x') });
			assert.equal(reply.status, 200);
			await delay(50);
			assert.match(stderr, /api\s+POST \/v1\/tasks\/submit 200/);
			const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			assert.equal(await exit, 0);
		});
	});
});
