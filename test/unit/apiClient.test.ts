/**
 * The API client against the simulator over loopback, through the real undici Agent.
 * Each fault-matrix test says what the user is told (kind, whether the task may have been
 * submitted, the buttons offered, and a message that says what to do).
 */

import * as assert from 'node:assert/strict';
import { ApiClient } from '../../src/core/net/apiClient';
import { ApiError, ApiErrorKind, ErrorAction } from '../../src/core/errors';
import { buildSubmitBody, serializeSubmitBody } from '../../src/core/models/submitBody';
import { deadPort, Loopback, MODEL, promptBody, SECRET_KEY } from '../common/helpers';
import { png } from '../common/images';

interface Expected {
	kind: ApiErrorKind;
	maybeSubmitted: boolean;
	actions: readonly ErrorAction[];
	/** How the message begins. */
	starts: string;
	/** The part of the message that tells the user what to do next. */
	says: RegExp;
	status?: number;
	retryAfterMs?: number;
}

/** Awaits a call that must fail and checks the ApiError it fails with; returns it for more checks. */
async function expectApiError(call: Promise<unknown>, expected: Expected): Promise<ApiError> {
	let caught: unknown;
	try {
		await call;
	} catch (error) {
		caught = error;
	}
	assert.ok(caught instanceof ApiError, `expected an ApiError, got ${String(caught)}`);
	const error = caught;
	assert.equal(error.kind, expected.kind, error.message);
	assert.equal(error.maybeSubmitted, expected.maybeSubmitted, error.message);
	assert.deepEqual(error.actions, expected.actions);
	assert.ok(error.message.startsWith(expected.starts), `"${error.message}" should start with "${expected.starts}"`);
	assert.match(error.message, expected.says);
	assert.ok(!error.message.includes(SECRET_KEY), 'the API key must not appear in the message');
	if ('status' in expected) {
		assert.equal(error.status, expected.status);
	}
	if ('retryAfterMs' in expected) {
		assert.equal(error.retryAfterMs, expected.retryAfterMs);
	}
	return error;
}

/** The phrase every "may have been submitted" message ends with: never resend, track by id. */
const trackIt = /may have been submitted anyway.*will not be sent again.*track it by its id/;

describe('ApiClient', () => {
	const loop = new Loopback();
	let client: ApiClient;

	beforeEach(async () => {
		await loop.start();
		client = loop.client();
	});

	afterEach(async () => {
		await loop.stop();
	});

	const submit = (c: ApiClient = client, prompt = 'a lighthouse in a storm') =>
		c.submit(MODEL, promptBody(prompt));

	describe('requests', () => {
		it('submits the documented body with the bare key and returns the task id', async () => {
			const result = await submit();
			assert.ok(loop.sim.tasks.has(result.taskId));
			assert.equal(typeof result.requestId, 'string');
			const [sent] = loop.sim.requests;
			assert.equal(sent.method, 'POST');
			assert.equal(sent.path, '/v1/tasks/submit');
			assert.equal(sent.headers.authorization, SECRET_KEY);
			assert.match(sent.headers['content-type'], /^application\/json/);
			assert.deepEqual(JSON.parse(sent.body), {
				model: MODEL,
				input: { prompt: 'a lighthouse in a storm' },
				parameters: { size: '720x1280', duration: 4 },
			});
		});

		it('streams a body with an image with its exact Content-Length, and the service reads it whole', async () => {
			const image = png(320, 320, 2 * 1024 * 1024);
			const body = serializeSubmitBody(buildSubmitBody('openai/sora-2/image-to-video', { prompt: 'x', parameters: { duration: 4 }, image: { bytes: image, mimeType: 'image/png' } }));
			const { taskId } = await client.submit('openai/sora-2/image-to-video', body);
			const [sent] = loop.sim.requests;
			assert.equal(sent.headers['content-length'], String(body.byteLength));
			assert.equal(sent.headers['transfer-encoding'], undefined);
			assert.equal(Buffer.byteLength(sent.body), body.byteLength);
			assert.equal(loop.sim.tasks.get(taskId)?.images.first, 'dataUri');
		});

		it('leaves out parameters the caller did not choose', async () => {
			await client.submit(MODEL, promptBody('x', {}));
			assert.deepEqual(JSON.parse(loop.sim.requests[0].body).parameters, {});
		});

		it('reads a status answer into a result with its times, urls and usage', async () => {
			const { taskId } = await submit(client, 'x [instant]');
			const status = await client.status(taskId);
			assert.equal(status.taskId, taskId);
			assert.equal(status.status, 'Success');
			assert.deepEqual(status.urls, [`${loop.sim.storageUrl}/videos/${taskId}.mp4`]);
			assert.equal(typeof status.submitTime, 'number');
			assert.equal(typeof status.finishTime, 'number');
			assert.equal(status.errorMessage, undefined);
			assert.equal(status.usageDuration, 4);
		});

		it('escapes the task id in the status query string', async () => {
			await client.status('a&b=c d').catch(() => undefined);
			const sent = loop.sim.requests.find(r => r.path.startsWith('/v1/tasks/status'));
			assert.equal(sent?.path, '/v1/tasks/status?task_id=a%26b%3Dc%20d');
		});
	});

	describe('submit fault matrix', () => {
		it('400 param_error: an invalid request, not submitted, naming the parameter and saying to check the settings', async () => {
			const error = await expectApiError(client.submit(MODEL, promptBody('x', { size: '1024x1792' })), {
				kind: 'invalidRequest', maybeSubmitted: false, actions: ['showLog'], status: 400,
				starts: 'The service refused the request as invalid (HTTP 400, parameters.size).',
				says: /Check the prompt, the image and the model's settings/,
			});
			assert.equal(error.param, 'parameters.size');
			assert.match(error.message, /parameters\.size must be one of/);
			assert.equal(loop.sim.submitCount, 0);
		});

		it('413: a body too large for the service, not submitted, naming the model and saying to use a smaller image or a link', async () => {
			await loop.stop();
			await loop.start({ maxBodyBytes: 64 * 1024 });
			const big = loop.client();
			const body = serializeSubmitBody(buildSubmitBody('openai/sora-2/image-to-video', { prompt: 'x', image: { bytes: png(320, 320, 256 * 1024), mimeType: 'image/png' } }));
			await expectApiError(big.submit('openai/sora-2/image-to-video', body), {
				kind: 'invalidRequest', maybeSubmitted: false, actions: ['showLog'], status: 413,
				starts: 'The request was too large for the service (HTTP 413).',
				says: /over what openai\/sora-2\/image-to-video takes: use a smaller image, or give it as an https: link/,
			});
			assert.equal(loop.sim.submitCount, 0);
		});

		it('400 sensitive_check_error: moderation, not submitted, saying to rephrase the prompt', async () => {
			await expectApiError(submit(client, 'something [moderate]'), {
				kind: 'moderation', maybeSubmitted: false, actions: ['showLog'], status: 400,
				starts: 'The prompt was rejected by the service\'s content check.',
				says: /Rephrase the prompt and try again/,
			});
			assert.equal(loop.sim.submitCount, 0);
		});

		it('400 model_error: the model is unavailable, named, and another one is suggested', async () => {
			const error = await expectApiError(client.submit('acme/retired-model', promptBody('x', {}, 'acme/retired-model')), {
				kind: 'modelUnavailable', maybeSubmitted: false, actions: ['selectModel'], status: 400,
				starts: 'The model acme/retired-model is not available.',
				says: /Try another model, such as Veo 3.1 \(veo-3\.1-generate-001\), with "VideoGen: Select Model"/,
			});
			assert.equal(error.model, 'acme/retired-model');
		});

		it('401: the key was rejected, not submitted, and the user is asked to set the key', async () => {
			await expectApiError(submit(loop.client({ apiKey: 'wrong-key' })), {
				kind: 'unauthorized', maybeSubmitted: false, actions: ['setApiKey'], status: 401,
				starts: 'The API key was rejected (HTTP 401).',
				says: /Set a valid key with "VideoGen: Set API Key"/,
			});
			assert.equal(loop.sim.submitCount, 0);
		});

		it('403: forbidden, not submitted, offering another model or another key', async () => {
			loop.sim.faults.push({ target: 'submit', kind: 'http', status: 403 });
			await expectApiError(submit(), {
				kind: 'forbidden', maybeSubmitted: false, actions: ['selectModel', 'setApiKey'], status: 403,
				starts: 'The service refused the request (HTTP 403).',
				says: /not be allowed to use openai\/sora-2\/text-to-video.*Check the key and its limits in the UModelverse console, or pick another model/,
			});
		});

		it('429 with Retry-After: rate limited, safe to resend, carrying the wait the server asked for', async () => {
			loop.sim.faults.push({ target: 'submit', kind: 'http', status: 429, retryAfter: '2' });
			await expectApiError(submit(), {
				kind: 'rateLimited', maybeSubmitted: false, actions: ['tryAgain', 'showLog'], status: 429, retryAfterMs: 2000,
				starts: 'The service is rate limiting requests (HTTP 429). It asked to wait 2 s.',
				says: /Try again in a moment/,
			});
		});

		it('429 without Retry-After: rate limited, safe to resend, with no wait given', async () => {
			loop.sim.faults.push({ target: 'submit', kind: 'http', status: 429 });
			await expectApiError(submit(), {
				kind: 'rateLimited', maybeSubmitted: false, actions: ['tryAgain', 'showLog'], status: 429, retryAfterMs: undefined,
				starts: 'The service is rate limiting requests (HTTP 429).',
				says: /Try again in a moment/,
			});
		});

		it('500: a server error after which the task may exist, so it is kept for tracking and never resent', async () => {
			// The simulator here fails *after* accepting, as a real server may: that is why a 500 counts as "maybe submitted".
			loop.sim.faults.push({ target: 'submit', kind: 'http', status: 500, createTask: true });
			await expectApiError(submit(), {
				kind: 'server', maybeSubmitted: true, actions: ['trackTask', 'showLog'], status: 500,
				starts: 'The service had a problem (HTTP 500).',
				says: trackIt,
			});
			assert.equal(loop.sim.submitCount, 1, 'the simulator created the task');
			assert.equal(loop.sim.stats.submitsReceived, 1, 'the submit was not resent');
		});

		it('503: the service is unavailable, nothing was created, and trying again is offered', async () => {
			loop.sim.faults.push({ target: 'submit', kind: 'http', status: 503 });
			await expectApiError(submit(), {
				kind: 'server', maybeSubmitted: false, actions: ['tryAgain', 'showLog'], status: 503,
				starts: 'The service had a problem (HTTP 503).',
				says: /Try again in a moment/,
			});
			assert.equal(loop.sim.stats.submitsReceived, 1);
		});

		it('502 with a proxy\'s HTML page: a server error quoting the page text, maybe submitted', async () => {
			loop.sim.faults.push({ target: 'submit', kind: 'nonJson', status: 502 });
			const error = await expectApiError(submit(), {
				kind: 'server', maybeSubmitted: true, actions: ['trackTask', 'showLog'], status: 502,
				starts: 'The service had a problem (HTTP 502). The service said: "502 Bad Gateway".',
				says: trackIt,
			});
			assert.equal(error.serviceMessage, '502 Bad Gateway');
		});

		it('connection refused: nothing was sent, and the user is pointed at the network and the base URL', async () => {
			const port = await deadPort();
			await expectApiError(submit(loop.client({ origin: `http://127.0.0.1:${port}` })), {
				kind: 'connectionRefused', maybeSubmitted: false, actions: ['openSettings', 'tryAgain'],
				starts: 'Could not connect to the VideoGen API (ECONNREFUSED).',
				says: /Check your network and the videogen\.baseUrl setting/,
			});
		});

		it('a reset after the request was sent: a broken connection, maybe submitted, and the simulator did create the task', async () => {
			loop.sim.faults.push({ target: 'submit', kind: 'reset' });
			await expectApiError(submit(), {
				kind: 'network', maybeSubmitted: true, actions: ['trackTask', 'showLog'],
				starts: 'The connection to the service broke',
				says: trackIt,
			});
			assert.equal(loop.sim.submitCount, 1, 'the task exists on the service');
			assert.equal(loop.sim.stats.submitsReceived, 1, 'the submit was not resent');
		});

		it('no answer within the timeout: a timeout, maybe submitted, and the simulator did create the task', async () => {
			loop.sim.faults.push({ target: 'submit', kind: 'hang' });
			await expectApiError(submit(loop.client({ timeoutMs: 300 })), {
				kind: 'timeout', maybeSubmitted: true, actions: ['trackTask', 'showLog'],
				starts: 'The service did not answer in time (',
				says: trackIt,
			});
			assert.equal(loop.sim.submitCount, 1);
			assert.equal(loop.sim.stats.submitsReceived, 1);
		});

		it('200 with a body that is not JSON: a bad response, maybe submitted', async () => {
			loop.sim.faults.push({ target: 'submit', kind: 'nonJson' });
			await expectApiError(submit(), {
				kind: 'badResponse', maybeSubmitted: true, actions: ['trackTask', 'showLog'], status: 200,
				starts: 'The service sent an answer VideoGen could not read (the answer is not JSON).',
				says: trackIt,
			});
			assert.equal(loop.sim.submitCount, 1);
		});

		it('200 cut off in the middle of the JSON: a bad response, maybe submitted', async () => {
			loop.sim.faults.push({ target: 'submit', kind: 'truncated' });
			await expectApiError(submit(), {
				kind: 'badResponse', maybeSubmitted: true, actions: ['trackTask', 'showLog'], status: 200,
				starts: 'The service sent an answer VideoGen could not read (the answer was cut short',
				says: trackIt,
			});
			assert.equal(loop.sim.submitCount, 1);
		});

		it('200 without a task id: a bad response, maybe submitted (an accepted answer without an id proves nothing)', async () => {
			loop.sim.faults.push({ target: 'submit', kind: 'noTaskId' });
			await expectApiError(submit(), {
				kind: 'badResponse', maybeSubmitted: true, actions: ['trackTask', 'showLog'], status: 200,
				starts: 'The service sent an answer VideoGen could not read (the answer has no task id).',
				says: trackIt,
			});
		});
	});

	describe('status fault matrix', () => {
		let taskId: string;

		beforeEach(async () => {
			taskId = (await submit()).taskId;
		});

		/** Every failed status query is safe to ask again and never "maybe submitted". */
		const retry: readonly ErrorAction[] = ['tryAgain', 'showLog'];
		const asksAgain = /VideoGen will ask again/;

		it('401: the key was rejected and the user is asked to set it', async () => {
			await expectApiError(loop.client({ apiKey: 'wrong-key' }).status(taskId), {
				kind: 'unauthorized', maybeSubmitted: false, actions: ['setApiKey'], status: 401,
				starts: 'The API key was rejected (HTTP 401).', says: /Set API Key/,
			});
		});

		it('403: forbidden, offering another key', async () => {
			loop.sim.faults.push({ target: 'status', kind: 'http', status: 403 });
			const error = await expectApiError(client.status(taskId), {
				kind: 'forbidden', maybeSubmitted: false, actions: ['setApiKey'], status: 403,
				starts: 'The service refused the request (HTTP 403).', says: /Check the key and its limits/,
			});
			assert.equal(error.retryable, false);
		});

		it('404: the service does not know the task, which may mean it expired', async () => {
			const error = await expectApiError(client.status('task_000000000000000000000000'), {
				kind: 'notFound', maybeSubmitted: false, actions: ['showLog'], status: 404,
				starts: 'The service no longer knows this task (HTTP 404).', says: /VideoGen will ask again; if this keeps happening, the task has expired/,
			});
			assert.equal(error.retryable, false);
		});

		it('429 with Retry-After: rate limited, retryable, carrying the wait', async () => {
			loop.sim.faults.push({ target: 'status', kind: 'http', status: 429, retryAfter: '3' });
			const error = await expectApiError(client.status(taskId), {
				kind: 'rateLimited', maybeSubmitted: false, actions: retry, status: 429, retryAfterMs: 3000,
				starts: 'The service is rate limiting requests (HTTP 429). It asked to wait 3 s.', says: asksAgain,
			});
			assert.equal(error.retryable, true);
		});

		for (const status of [408, 500, 502, 503, 504]) {
			it(`${status}: a server problem that is retried`, async () => {
				loop.sim.faults.push({ target: 'status', kind: 'http', status });
				const error = await expectApiError(client.status(taskId), {
					kind: 'server', maybeSubmitted: false, actions: retry, status,
					starts: `The service had a problem (HTTP ${status}).`, says: asksAgain,
				});
				assert.equal(error.retryable, true);
			});
		}

		it('connection refused: retryable, pointing at the network and the base URL', async () => {
			const port = await deadPort();
			const error = await expectApiError(loop.client({ origin: `http://127.0.0.1:${port}` }).status(taskId), {
				kind: 'connectionRefused', maybeSubmitted: false, actions: ['openSettings', 'tryAgain'],
				starts: 'Could not connect to the VideoGen API (ECONNREFUSED).', says: /Check your network/,
			});
			assert.equal(error.retryable, true);
		});

		it('a connection reset: a broken connection that is retried', async () => {
			loop.sim.faults.push({ target: 'status', kind: 'reset' });
			const error = await expectApiError(client.status(taskId), {
				kind: 'network', maybeSubmitted: false, actions: retry,
				starts: 'The connection to the service broke', says: asksAgain,
			});
			assert.equal(error.retryable, true);
		});

		it('no answer within the timeout: a timeout that is retried', async () => {
			loop.sim.faults.push({ target: 'status', kind: 'hang' });
			const error = await expectApiError(loop.client({ timeoutMs: 300 }).status(taskId), {
				kind: 'timeout', maybeSubmitted: false, actions: retry,
				starts: 'The service did not answer in time (', says: asksAgain,
			});
			assert.equal(error.retryable, true);
		});

		it('200 with an HTML page: a bad response that is retried', async () => {
			loop.sim.faults.push({ target: 'status', kind: 'nonJson' });
			await expectApiError(client.status(taskId), {
				kind: 'badResponse', maybeSubmitted: false, actions: retry, status: 200,
				starts: 'The service sent an answer VideoGen could not read (the answer is not JSON).', says: asksAgain,
			});
		});

		it('200 cut short: a bad response that is retried', async () => {
			loop.sim.faults.push({ target: 'status', kind: 'truncated' });
			await expectApiError(client.status(taskId), {
				kind: 'badResponse', maybeSubmitted: false, actions: retry, status: 200,
				starts: 'The service sent an answer VideoGen could not read (the answer was cut short', says: asksAgain,
			});
		});

		it('200 JSON without a task status: a bad response', async () => {
			loop.sim.faults.push({ target: 'status', kind: 'http', status: 200, body: '{"output":{"task_id":"x"}}' });
			await expectApiError(client.status(taskId), {
				kind: 'badResponse', maybeSubmitted: false, actions: retry, status: 200,
				starts: 'The service sent an answer VideoGen could not read (the answer has no task status).', says: asksAgain,
			});
		});

		it('an unknown status comes back verbatim, not as an error', async () => {
			const queued = await submit(client, 'x [status:Queued]');
			assert.equal((await client.status(queued.taskId)).status, 'Queued');
		});
	});

	describe('the API key', () => {
		/** Error answers in which a proxy echoes the key back, in every field a message may quote. */
		const echoes: Array<[string, { status: number; body: string }]> = [
			['the error message', { status: 400, body: JSON.stringify({ error: { message: `bad key ${SECRET_KEY}`, type: 'param_error', param: '', code: '' } }) }],
			['the parameter name', { status: 400, body: JSON.stringify({ error: { message: 'bad', type: 'param_error', param: `header ${SECRET_KEY}`, code: '' } }) }],
			['an HTML error page', { status: 502, body: `<html><body>Upstream rejected Authorization: ${SECRET_KEY}</body></html>` }],
			['a 401 message', { status: 401, body: JSON.stringify({ error: { message: `key ${SECRET_KEY} is invalid`, type: 'auth_error' } }) }],
		];
		it('never appears in the log, whatever went wrong', async () => {
			const lines: string[] = [];
			const record = (message: string | Error) => void lines.push(String(message));
			const logged = new ApiClient({
				origin: loop.sim.apiUrl, apiKey: SECRET_KEY, dispatcher: loop.dispatcher, timeoutMs: 300,
				log: { trace: record, debug: record, info: record, warn: record, error: record },
			});
			for (const [, reply] of echoes) {
				loop.sim.faults.push({ target: 'submit', kind: 'http', ...reply });
			}
			loop.sim.faults.push({ target: 'submit', kind: 'reset' }, { target: 'submit', kind: 'hang' }, { target: 'submit', kind: 'truncated' });
			for (let i = 0; i < echoes.length + 3; i++) {
				await assert.rejects(logged.submit(MODEL, promptBody('x')));
			}
			await logged.submit(MODEL, promptBody('x'));
			assert.ok(lines.length >= echoes.length + 4, `${lines.length} log lines`);
			for (const line of lines) {
				assert.ok(!line.includes(SECRET_KEY), line);
			}
		});

		for (const [where, reply] of echoes) {
			it(`never appears in an error message, even when the service echoes it in ${where}`, async () => {
				loop.sim.faults.push({ target: 'submit', kind: 'http', ...reply }, { target: 'status', kind: 'http', ...reply });
				for (const call of [submit(), client.status('task_x')]) {
					const error = await call.then(() => undefined, (e: unknown) => e);
					assert.ok(error instanceof ApiError);
					assert.ok(!error.message.includes(SECRET_KEY), error.message);
					assert.ok(!String(error.serviceMessage ?? '').includes(SECRET_KEY));
					assert.ok(!String(error.param ?? '').includes(SECRET_KEY));
					assert.ok(error.message.includes('***'), `the echo is shown redacted: ${error.message}`);
				}
			});
		}
	});
});
