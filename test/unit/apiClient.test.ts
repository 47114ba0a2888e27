/**
 * The API client against the simulator over loopback, through the real undici Agent.
 * Each fault-matrix test says what the user is told (kind, whether the task may have been
 * submitted, the buttons offered, and a message that says what to do).
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as net from 'node:net';
import * as path from 'node:path';
import { Agent } from 'undici';
import { ApiClient } from '../../src/core/net/apiClient';
import { ApiError, ApiErrorKind, ErrorAction } from '../../src/core/errors';
import { buildSubmitBody, serializeSubmitBody } from '../../src/core/models/submitBody';
import { controlCharacter, deadPort, Loopback, MODEL, promptBody, SECRET_KEY } from '../common/helpers';
import { png } from '../common/images';
import { HOSTILE_TEXT } from '../simulator/simulator';

const fixtures = path.join(__dirname, '../../../test/unit/fixtures');
/** A certificate for localhost and 127.0.0.1 that no client trusts unless given it (see fixtures/README.md). */
const cert = fs.readFileSync(path.join(fixtures, 'localhost.crt'));
const key = fs.readFileSync(path.join(fixtures, 'localhost.key'));
/** What VS Code makes a link of in a notification (src/vs/base/common/linkedText.ts). */
const vscodeLink = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;

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

/** The 404 page of a proxy in front of the API (nginx's own), which is not the API's JSON error. */
const NGINX_404 = '<html>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

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

		it('logs a submit at info and a status query at debug, so polling does not fill the log', async () => {
			const lines: string[] = [];
			const at = (level: string) => (message: string | Error) => void lines.push(`${level} ${String(message)}`);
			const logged = new ApiClient({
				origin: loop.sim.apiUrl, apiKey: SECRET_KEY, dispatcher: loop.dispatcher,
				log: { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
			});
			const { taskId } = await logged.submit(MODEL, promptBody('x'));
			await logged.status(taskId);
			assert.deepEqual(lines.map(line => line.replace(/ \d+ ms$/, '')), ['info POST /v1/tasks/submit 200', `debug GET /v1/tasks/status?task_id=${taskId} 200`]);
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

		it('404 with a web page, not the API\'s JSON error: still a missing submit endpoint (a wrong base URL), nothing created', async () => {
			loop.sim.faults.push({ target: 'submit', kind: 'http', status: 404, body: NGINX_404 });
			await expectApiError(submit(), {
				kind: 'notFound', maybeSubmitted: false, actions: ['showLog'], status: 404,
				starts: 'The service did not find the submit endpoint (HTTP 404). Check the videogen.baseUrl setting.',
				says: /The service said: "404 Not Found nginx"/,
			});
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

		it('404 with a proxy\'s or CDN\'s page, not the API\'s JSON error: a server problem that is retried, quoting the page', async () => {
			for (const body of [NGINX_404, '', '{"message":"no Route matched with those values"}']) {
				loop.sim.faults.push({ target: 'status', kind: 'http', status: 404, body });
				const error = await expectApiError(client.status(taskId), {
					kind: 'server', maybeSubmitted: false, actions: retry, status: 404,
					starts: 'The service had a problem (HTTP 404).', says: asksAgain,
				});
				assert.equal(error.retryable, true);
				if (body === NGINX_404) {
					assert.equal(error.serviceMessage, '404 Not Found nginx');
				}
			}
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

		it('keeps usage.duration only as a whole number of seconds it could be: not negative, fractional, text or past 30 days', async () => {
			const answer = (duration: unknown) => ({ target: 'status' as const, kind: 'http' as const, status: 200, body: JSON.stringify({ output: { task_id: 'x', task_status: 'Success' }, usage: { duration } }) });
			for (const duration of [-4, 2.5, '8', 1e12, null]) {
				loop.sim.faults.push(answer(duration));
				assert.equal((await client.status('x')).usageDuration, undefined, `usage.duration ${JSON.stringify(duration)}`);
			}
			loop.sim.faults.push(answer(0));
			assert.equal((await client.status('x')).usageDuration, 0);
		});

		it('an unknown status comes back verbatim, not as an error', async () => {
			const queued = await submit(client, 'x [status:Queued]');
			assert.equal((await client.status(queued.taskId)).status, 'Queued');
		});
	});

	describe('text from the service', () => {
		it('makes an error\'s message, type and parameter plain text, with no link, icon or control character left', async () => {
			loop.sim.faults.push({ target: 'submit', kind: 'hostile' });
			const error = await expectApiError(submit(), {
				kind: 'invalidRequest', maybeSubmitted: false, actions: ['showLog'], status: 400,
				starts: 'The service refused the request as invalid (HTTP 400, Render failed. [Fix it] (command:workbench.action.terminal.new) or [see] (https://example.com/x) $…).',
				says: /The service said: "Render failed\. \[Fix it\] \(command:workbench\.action\.terminal\.new\) or \[see\] \(https:\/\/example\.com\/x\) \$ \(alert\) \[poller\] task task_forged is Success \\u001b\[31mred\\u001b\[0m \\u202eevil\\u202c"\. Check the prompt/,
			});
			for (const text of [error.message, error.serviceMessage, error.serviceType, error.param]) {
				assert.doesNotMatch(text ?? '', vscodeLink);
				assert.doesNotMatch(text ?? '', controlCharacter);
			}
			assert.equal(error.param?.length, 99, 'a parameter name is cut to 100 characters');
		});

		it('makes the ids an answer echoes back plain text of at most 100 characters', async () => {
			const echo = `${HOSTILE_TEXT} ${'y'.repeat(10_000)}`;
			loop.sim.faults.push(
				{ target: 'submit', kind: 'http', status: 200, body: JSON.stringify({ output: { task_id: 'task_ok' }, request_id: echo }) },
				{ target: 'status', kind: 'http', status: 200, body: JSON.stringify({ output: { task_id: echo, task_status: 'Running' } }) },
			);
			const { requestId } = await submit();
			const { taskId } = await client.status('task_ok');
			for (const text of [requestId!, taskId]) {
				assert.equal(text, 'Render failed. [Fix it] (command:workbench.action.terminal.new) or [see] (https://example.com/x) $…');
			}
		});

		it('quotes at most 300 characters of a long error message, so what to do next stays in the message', async () => {
			loop.sim.faults.push({ target: 'submit', kind: 'hostile', status: 503, text: `Overloaded. ${'z'.repeat(200_000)}` });
			const error = await expectApiError(submit(), {
				kind: 'server', maybeSubmitted: false, actions: ['tryAgain', 'showLog'], status: 503,
				starts: 'The service had a problem (HTTP 503). The service said: "Overloaded. zzz', says: /z…"\. Try again in a moment\.$/,
			});
			assert.equal(error.serviceMessage?.length, 300);
			assert.ok(error.message.length < 400, `${error.message.length} characters`);
		});

		it('reads a status and a failure message as plain text, the message cut to 300 characters', async () => {
			const { taskId } = await submit(client, 'x [fail-hostile] [instant]');
			const status = await client.status(taskId);
			assert.equal(status.status, 'Failure');
			assert.equal(status.errorMessage?.length, 300);
			assert.ok(status.errorMessage?.startsWith('Render failed. [Fix it] (command:workbench.action.terminal.new) or [see] (https://example.com/x) $ (alert) [poller] task task_forged is Success \\u001b[31mred'), status.errorMessage);
			assert.doesNotMatch(status.errorMessage!, controlCharacter);

			loop.sim.forceStatus(taskId, { status: HOSTILE_TEXT });
			const odd = await client.status(taskId);
			assert.equal(odd.status, 'Render failed. [Fix it] (command:workbench.action.terminal.new) or [see] (https://example.com/x) $…');
		});
	});

	describe('answers without bounds', () => {
		let taskId: string;

		beforeEach(async () => {
			taskId = (await submit()).taskId;
		});

		const tooLarge = /^The service sent an answer VideoGen could not read \(the answer is larger than 1 MB, so VideoGen stopped reading it\)\./;

		it('stops reading a status answer of 256 MB at 1 MB and says so; asking again is safe', async () => {
			loop.sim.faults.push({ target: 'status', kind: 'huge' });
			const error = await expectApiError(client.status(taskId), {
				kind: 'badResponse', maybeSubmitted: false, actions: ['tryAgain', 'showLog'], status: 200,
				starts: 'The service sent an answer VideoGen could not read (the answer is larger than 1 MB', says: /VideoGen will ask again\.$/,
			});
			assert.match(error.message, tooLarge);
			assert.equal((await client.status(taskId)).taskId, taskId, 'the next answer is read as usual');
		});

		it('stops reading an answer that never ends at 1 MB', async () => {
			loop.sim.faults.push({ target: 'status', kind: 'endless' });
			const error = await expectApiError(client.status(taskId), {
				kind: 'badResponse', maybeSubmitted: false, actions: ['tryAgain', 'showLog'], status: 200,
				starts: 'The service sent an answer VideoGen could not read', says: /VideoGen will ask again\.$/,
			});
			assert.match(error.message, tooLarge);
		});

		it('gives up on an endless answer that trickles when the time allowed is over', async () => {
			loop.sim.faults.push({ target: 'status', kind: 'endless', chunkDelayMs: 200 });
			await expectApiError(loop.client({ timeoutMs: 300 }).status(taskId), {
				kind: 'timeout', maybeSubmitted: false, actions: ['tryAgain', 'showLog'],
				starts: 'The service did not answer in time', says: /VideoGen will ask again\.$/,
			});
		});

		for (const kind of ['huge', 'endless'] as const) {
			it(`keeps a submit whose ${kind === 'huge' ? '256 MB' : 'endless'} answer was cut off at 1 MB as "may have been submitted", and does not send it again`, async () => {
				const before = { received: loop.sim.stats.submitsReceived, accepted: loop.sim.stats.submitsAccepted };
				loop.sim.faults.push({ target: 'submit', kind });
				const error = await expectApiError(submit(), {
					kind: 'badResponse', maybeSubmitted: true, actions: ['trackTask', 'showLog'], status: 200,
					starts: 'The service sent an answer VideoGen could not read (the answer is larger than 1 MB', says: trackIt,
				});
				assert.match(error.message, tooLarge);
				assert.equal(loop.sim.stats.submitsReceived, before.received + 1, 'the submit was sent again');
				assert.equal(loop.sim.stats.submitsAccepted, before.accepted + 1, 'the service did create the task');
			});
		}

		it('keeps the first 10 of 10,000 links and says how many came', async () => {
			const many = await submit(client, 'x [many-urls] [instant]');
			const status = await client.status(many.taskId);
			assert.deepEqual(status.urls, Array.from({ length: 10 }, (_, i) => `${loop.sim.storageUrl}/videos/${many.taskId}${i ? `-${i + 1}` : ''}.mp4`));
			assert.equal(status.urlsNote, 'The service sent 10,000 video links; VideoGen keeps the first 10.');
		});

		it('does not keep a link longer than 8 KB, and says so', async () => {
			const long = await submit(client, 'x [long-url] [instant]');
			const status = await client.status(long.taskId);
			assert.deepEqual(status.urls, []);
			assert.equal(status.urlsNote, 'The service sent 1 video link; VideoGen does not use 1 that is longer than 8,192 characters or not a link.');
		});

		it('leaves out links with spaces or control characters, and keeps the good ones', async () => {
			const good = `${loop.sim.storageUrl}/videos/${taskId}.mp4`;
			loop.sim.forceStatus(taskId, { status: 'Success', urls: [`${good}\n[poller] forged`, good, 'not a link'] });
			const status = await client.status(taskId);
			assert.deepEqual(status.urls, [good]);
			assert.equal(status.urlsNote, 'The service sent 3 video links; VideoGen does not use 2 that are longer than 8,192 characters or not a link.');
		});
	});

	describe('what a failed request proves', () => {
		const servers: net.Server[] = [];

		afterEach(async () => {
			await Promise.all(servers.splice(0).map(server => new Promise(resolve => {
				server.close(resolve);
				(server as https.Server).closeAllConnections?.();
			})));
		});

		/** Starts `server` on loopback; resolves with its origin. */
		async function listen(server: net.Server, scheme = 'https'): Promise<string> {
			servers.push(server);
			await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
			return `${scheme}://127.0.0.1:${(server as net.Server).address() && (server.address() as net.AddressInfo).port}`;
		}

		it('a TLS server whose certificate the client does not trust: nothing was sent, and trying again is offered', async () => {
			let requests = 0;
			const origin = await listen(https.createServer({ cert, key }, (_req, res) => {
				requests++;
				res.end('{}');
			}));
			await expectApiError(submit(loop.client({ origin })), {
				kind: 'certificate', maybeSubmitted: false, actions: ['openSettings', 'tryAgain'],
				starts: 'Could not connect securely to the VideoGen API: its certificate was not accepted (DEPTH_ZERO_SELF_SIGNED_CERT), so nothing was sent.',
				says: /Check the videogen\.baseUrl setting/,
			});
			const error = await loop.client({ origin }).status('task_x').then(() => undefined, (e: unknown) => e);
			assert.ok(error instanceof ApiError && error.kind === 'certificate' && error.notSent && error.retryable);
			assert.equal(requests, 0, 'the server received a request');
		});

		it('a certificate made out to another host: nothing was sent', async () => {
			let requests = 0;
			const origin = await listen(https.createServer({ cert, key }, (_req, res) => {
				requests++;
				res.end('{}');
			}));
			// Trusts the test certificate, but expects it to name another host.
			const trusting = new Agent({ connect: { ca: cert, servername: 'api.umodelverse.ai' } });
			try {
				const client = new ApiClient({ origin, apiKey: SECRET_KEY, dispatcher: trusting, timeoutMs: 5_000 });
				await expectApiError(submit(client), {
					kind: 'certificate', maybeSubmitted: false, actions: ['openSettings', 'tryAgain'],
					starts: 'Could not connect securely to the VideoGen API: its certificate was not accepted (ERR_TLS_CERT_ALTNAME_INVALID), so nothing was sent.',
					says: /Check the videogen\.baseUrl setting/,
				});
			} finally {
				await trusting.destroy();
			}
			assert.equal(requests, 0);
		});

		it('a connection dropped during the TLS handshake: nothing was sent, so it is not "may have been submitted"', async () => {
			const origin = await listen(net.createServer(socket => socket.resetAndDestroy()));
			await expectApiError(submit(loop.client({ origin })), {
				kind: 'connectionRefused', maybeSubmitted: false, actions: ['openSettings', 'tryAgain'],
				starts: 'Could not connect to the VideoGen API (ECONNRESET).', says: /Check your network and the videogen\.baseUrl setting/,
			});
		});

		it('a connection reset once the submit was written: may have been submitted, even though this service created nothing', async () => {
			const origin = await listen(net.createServer(socket => socket.once('data', () => socket.resetAndDestroy())), 'http');
			await expectApiError(submit(loop.client({ origin })), {
				kind: 'network', maybeSubmitted: true, actions: ['trackTask', 'showLog'],
				starts: 'The connection to the service broke (ECONNRESET).', says: trackIt,
			});
		});

		it('a reset after the service received the submit and created the task stays "may have been submitted"', async () => {
			loop.sim.faults.push({ target: 'submit', kind: 'reset' });
			const error = await expectApiError(submit(), {
				kind: 'network', maybeSubmitted: true, actions: ['trackTask', 'showLog'],
				starts: 'The connection to the service broke', says: trackIt,
			});
			assert.equal(error.notSent, false);
			assert.equal(loop.sim.submitCount, 1);
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

		it('never appears in a failure message, even when the service echoes it there', async () => {
			const { taskId } = await submit();
			loop.sim.forceStatus(taskId, { status: 'Failure', errorMessage: `no quota for ${SECRET_KEY}` });
			assert.equal((await client.status(taskId)).errorMessage, 'no quota for ***');
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
