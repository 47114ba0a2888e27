/**
 * The model catalogue and the submit bodies built from it, against the simulator over loopback.
 * The simulator's model table is written apart from the catalogue, so every test that sends a body
 * compares the two; the expectations about where images go are written out here from the model
 * pages, not read from the catalogue.
 */

import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { ModelEntry, ParameterSpec, ParameterValue, catalogue, defaultParameters, findModel, isKnownModel, seedMax, unknownModelNote } from '../../src/core/models/catalogue';
import { ImageSource, RequestError, SubmitBody, VideoRequest, buildSubmitBody, serializeSubmitBody, validateRequest } from '../../src/core/models/submitBody';
import { Loopback } from '../common/helpers';
import { png } from '../common/images';
import { waitFor } from '../common/waitFor';
import { SIMULATED_MODELS, SimTask } from '../simulator/simulator';

// ---------------------------------------------------------------------------------------------
// Images
// ---------------------------------------------------------------------------------------------

/** Big enough for every model's pixel limits (Kling: at least 300 px a side). */
const FRAME = png(320, 320);
const FRAME_B64 = FRAME.toString('base64');
const FRAME_DATA_URI = `data:image/png;base64,${FRAME_B64}`;
const LAST = png(320, 480);
const LAST_B64 = LAST.toString('base64');
const FRAME_URL = 'https://images.example.com/first.png';
const LAST_URL = 'https://images.example.com/last.png';

const asBytes = (bytes: Buffer): ImageSource => ({ bytes, mimeType: 'image/png' });
const PROMPT = 'A lighthouse at dusk, waves rolling in';

// ---------------------------------------------------------------------------------------------
// Talking to the simulator
// ---------------------------------------------------------------------------------------------

/** The simulator took the task (200). */
interface TakenAnswer {
	output: { task_id: string };
	request_id: string;
}

/** The simulator refused the body, naming the field. */
interface RefusedAnswer {
	error: { message: string; type: string; param: string; code: string };
}

interface Answer {
	status: number;
	/** A {@link TakenAnswer} on 200, a {@link RefusedAnswer} otherwise. */
	json: TakenAnswer | RefusedAnswer;
}

/** Sends a body the way the API client is meant to: streamed, with its exact Content-Length. */
async function send(loop: Loopback, body: SubmitBody): Promise<Answer> {
	const serialized = serializeSubmitBody(body);
	return post(loop, Readable.from(serialized.chunks(), { objectMode: false }), serialized.byteLength);
}

/** Sends any JSON value, for bodies changed by hand after building. */
async function sendJson(loop: Loopback, value: unknown): Promise<Answer> {
	const text = Buffer.from(JSON.stringify(value));
	return post(loop, text, text.length);
}

async function post(loop: Loopback, body: Readable | Buffer, length: number): Promise<Answer> {
	const response = await request(`${loop.sim.apiUrl}/v1/tasks/submit`, {
		method: 'POST',
		dispatcher: loop.dispatcher,
		headers: { 'authorization': loop.sim.apiKey, 'content-type': 'application/json', 'content-length': String(length) },
		body,
	});
	return { status: response.statusCode, json: await response.body.json() as Answer['json'] };
}

/** A built body as plain JSON (images as text), to change by hand. */
function plain(body: SubmitBody): SubmitBody {
	return JSON.parse(JSON.stringify(body));
}

/** The body the simulator received last. */
function lastReceived(loop: Loopback): SubmitBody {
	const submits = loop.sim.requests.filter(r => r.server === 'api' && r.path === '/v1/tasks/submit');
	return JSON.parse(submits[submits.length - 1].body);
}

/** A JSON object inside a plain body; anything else there is a mistake in the test. */
function jsonObject(value: unknown): Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new TypeError(`expected a JSON object, not ${JSON.stringify(value)}`);
	}
	return value as Record<string, unknown>;
}

/** A JSON array inside a plain body; anything else there is a mistake in the test. */
function jsonArray(value: unknown): unknown[] {
	if (!Array.isArray(value)) {
		throw new TypeError(`expected a JSON array, not ${JSON.stringify(value)}`);
	}
	return value;
}

function taskOf(loop: Loopback, answer: Answer): SimTask {
	assert.equal(answer.status, 200, JSON.stringify(answer.json));
	const task = loop.sim.tasks.get((answer.json as TakenAnswer).output.task_id);
	assert.ok(task, 'the simulator should have created the task');
	return task;
}

function assertRefused(answer: Answer, param: string): void {
	assert.equal(answer.status, 400, `expected a refusal naming ${param}, got ${answer.status} ${JSON.stringify(answer.json)}`);
	const { error } = answer.json as RefusedAnswer;
	assert.equal(error.type, 'param_error');
	assert.equal(error.param, param, error.message);
}

// ---------------------------------------------------------------------------------------------
// Requests from the catalogue
// ---------------------------------------------------------------------------------------------

/** The request a form would start from: the defaults, and a first frame when the model needs one. */
function defaultRequest(entry: ModelEntry, over: Partial<VideoRequest> = {}): VideoRequest {
	const image = entry.images?.firstRequired ? anyImage(entry) : undefined;
	return { prompt: PROMPT, parameters: defaultParameters(entry.id), image, ...over };
}

function acceptsBytes(entry: ModelEntry): boolean {
	const first = entry.images?.first;
	return !!first && (first.kind === 'inlineData' || first.forms.some(form => form !== 'url'));
}

function acceptsUrl(entry: ModelEntry): boolean {
	const first = entry.images?.first;
	return !!first && first.kind !== 'inlineData' && first.forms.includes('url');
}

function anyImage(entry: ModelEntry, bytes = FRAME, url = FRAME_URL): ImageSource {
	return acceptsBytes(entry) ? asBytes(bytes) : { url };
}

/** The variants of the default request worth sending for a model. */
function variants(entry: ModelEntry): Array<[string, VideoRequest]> {
	const found: Array<[string, VideoRequest]> = [];
	if (!entry.images?.firstRequired) {
		found.push(['from text alone', defaultRequest(entry)]);
	}
	if (acceptsUrl(entry)) {
		found.push(['with a first frame given as a link', defaultRequest(entry, { image: { url: FRAME_URL } })]);
	}
	if (acceptsBytes(entry)) {
		found.push(['with a first frame given as bytes', defaultRequest(entry, { image: asBytes(FRAME) })]);
	}
	if (entry.images?.last) {
		found.push(['with a first and a last frame', defaultRequest(entry, { image: anyImage(entry), lastImage: anyImage(entry, LAST, LAST_URL) })]);
	}
	return found;
}

/** Values each parameter must refuse. */
function badValues(spec: ParameterSpec): ParameterValue[] {
	switch (spec.type) {
		case 'enum': {
			const numbers = spec.values.filter((value): value is number => typeof value === 'number');
			return numbers.length
				? [Math.max(...numbers) + 1, String(numbers[0])]
				: ['not-a-value', 1];
		}
		case 'integer':
			return [spec.min - 1, spec.max + 1, spec.min + 0.5, String(spec.min)];
		case 'seed':
			return [-1, seedMax + 1];
		case 'boolean':
			return ['yes', 1];
	}
}

function promptField(entry: ModelEntry): string {
	return entry.prompt.target.kind === 'string' ? entry.prompt.target.field : 'input.content';
}

/** Removes the prompt from a plain body, wherever the model takes it. */
function withoutPrompt(entry: ModelEntry, body: SubmitBody): SubmitBody {
	if (entry.prompt.target.kind === 'contentItem') {
		body.input.content = jsonArray(body.input.content).filter(item => jsonObject(item).type !== 'text');
	} else {
		delete body.input[entry.prompt.target.field.split('.')[1]];
	}
	return body;
}

function removeField(body: SubmitBody, path: string): SubmitBody {
	const keys = path.split('.');
	let node = jsonObject(body);
	for (const key of keys.slice(0, -1)) {
		node = jsonObject(node[key]);
	}
	const last = node[keys[keys.length - 1]];
	if (Array.isArray(last)) {
		node[keys[keys.length - 1]] = last.filter((item: unknown) => jsonObject(item).type !== 'image_url');
	} else {
		delete node[keys[keys.length - 1]];
	}
	return body;
}

function expectProblem(modelId: string, request: VideoRequest, field: string): string {
	const problem = validateRequest(modelId, request);
	assert.ok(problem, `validateRequest should refuse this request for ${modelId} naming ${field}`);
	assert.equal(problem.field, field, problem.message);
	assert.throws(() => buildSubmitBody(modelId, request), (error: unknown) => error instanceof RequestError && error.field === field);
	return problem.message;
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('Model catalogue', () => {
	it('knows exactly the model ids the simulator serves, each once', () => {
		const ids = catalogue.map(entry => entry.id);
		assert.equal(new Set(ids).size, ids.length);
		assert.deepEqual([...ids].sort(), [...SIMULATED_MODELS].sort());
	});

	it('has a default for every required parameter, and its defaults pass its own checks', () => {
		for (const entry of catalogue) {
			for (const spec of entry.parameters) {
				assert.ok(!spec.required || spec.default !== undefined, `${entry.id} ${spec.name} is required and has no default`);
			}
			const request = defaultRequest(entry);
			assert.equal(validateRequest(entry.id, request), undefined, `${entry.id}: ${validateRequest(entry.id, request)?.message}`);
		}
	});

	it('marks Seedance as the model that can end in Expired, and says what usage.duration counts', () => {
		assert.deepEqual(catalogue.filter(entry => entry.extraFinalStatuses?.includes('Expired')).map(entry => entry.id), ['doubao-seedance-1-5-pro-251215']);
		assert.equal(findModel('openai/sora-2/text-to-video')?.usageDuration, 'runTime');
		assert.equal(findModel('viduq2')?.usageDuration, 'videoLength');
	});
});

describe('Submit bodies against the simulator', () => {
	const loop = new Loopback();
	before(() => loop.start());
	after(() => loop.stop());

	describe('the defaults of every model are accepted', () => {
		for (const entry of catalogue) {
			for (const [how, request] of variants(entry)) {
				it(`${entry.id} ${how}`, async () => {
					const task = taskOf(loop, await send(loop, buildSubmitBody(entry.id, request)));
					assert.equal(task.model, entry.id);
					assert.equal(task.prompt, PROMPT);
					assert.equal(task.images.first !== undefined, request.image !== undefined);
					assert.equal(task.images.last !== undefined, request.lastImage !== undefined);
				});
			}
		}
	});

	describe('every allowed value is accepted', () => {
		for (const entry of catalogue) {
			it(`${entry.id}: each listed value and both ends of each range`, async () => {
				for (const spec of entry.parameters) {
					const values = spec.type === 'enum' ? spec.values
						: spec.type === 'integer' ? [spec.min, spec.max]
							: spec.type === 'seed' ? [0, seedMax] : [true, false];
					for (const value of values) {
						const request = defaultRequest(entry, { parameters: { ...defaultParameters(entry.id), [spec.name]: value } });
						if (validateRequest(entry.id, request)) {
							continue; // a rule between parameters forbids it with the other defaults (Hailuo's 1080P)
						}
						const answer = await send(loop, buildSubmitBody(entry.id, request));
						assert.equal(answer.status, 200, `${spec.name} = ${JSON.stringify(value)}: ${JSON.stringify(answer.json)}`);
					}
				}
			});
		}
	});

	describe('a required field left out is refused, naming it', () => {
		for (const entry of catalogue) {
			if (entry.prompt.required) {
				it(`${entry.id} without a prompt`, async () => {
					expectProblem(entry.id, defaultRequest(entry, { prompt: '  ' }), promptField(entry));
					assertRefused(await sendJson(loop, withoutPrompt(entry, plain(buildSubmitBody(entry.id, defaultRequest(entry))))), promptField(entry));
				});
			}
			for (const spec of entry.parameters.filter(candidate => candidate.required)) {
				it(`${entry.id} without ${spec.name}`, async () => {
					const parameters = defaultParameters(entry.id);
					delete parameters[spec.name];
					const message = expectProblem(entry.id, defaultRequest(entry, { parameters }), `parameters.${spec.name}`);
					assert.match(message, new RegExp(spec.name));
					const body = plain(buildSubmitBody(entry.id, defaultRequest(entry)));
					delete body.parameters[spec.name];
					assertRefused(await sendJson(loop, body), `parameters.${spec.name}`);
				});
			}
			const images = entry.images;
			if (images?.firstRequired) {
				it(`${entry.id} without a first frame`, async () => {
					const field = images.first.kind === 'contentItem' ? 'input.content' : images.first.field;
					expectProblem(entry.id, defaultRequest(entry, { image: undefined }), field);
					assertRefused(await sendJson(loop, removeField(plain(buildSubmitBody(entry.id, defaultRequest(entry))), field)), field);
				});
			}
			for (const name of new Set((entry.fixed ?? []).flatMap(fixed => Object.keys(fixed.values)))) {
				it(`${entry.id} without ${name}, which VideoGen always sets`, async () => {
					const body = plain(buildSubmitBody(entry.id, defaultRequest(entry)));
					assert.ok(body.parameters[name], `the built body should carry ${name}`);
					delete body.parameters[name];
					assertRefused(await sendJson(loop, body), `parameters.${name}`);
					expectProblem(entry.id, defaultRequest(entry, { parameters: { ...defaultParameters(entry.id), [name]: 'text2video' } }), `parameters.${name}`);
				});
			}
		}
	});

	describe('an out-of-range value is refused before sending and by the service, naming it', () => {
		for (const entry of catalogue) {
			it(`${entry.id}: every parameter, and a parameter it does not have`, async () => {
				const cases: Array<[string, ParameterValue]> = entry.parameters.flatMap(spec => badValues(spec).map(value => [spec.name, value] as [string, ParameterValue]));
				cases.push(['not_a_parameter', 1]);
				for (const [name, value] of cases) {
					const request = defaultRequest(entry, { parameters: { ...defaultParameters(entry.id), [name]: value } });
					expectProblem(entry.id, request, `parameters.${name}`);
					const body = plain(buildSubmitBody(entry.id, defaultRequest(entry)));
					body.parameters[name] = value;
					assertRefused(await sendJson(loop, body), `parameters.${name}`);
				}
			});
		}

		it('names the parameter and lists the allowed values in the message', () => {
			assert.equal(validateRequest('veo-3.1-generate-001', { prompt: PROMPT, parameters: { ...defaultParameters('veo-3.1-generate-001'), resolution: '4k' } })?.message,
				'Veo 3.1: Resolution (resolution) must be one of 720p, 1080p, not "4k".');
			assert.equal(validateRequest('kling-v3', { prompt: PROMPT, parameters: { ...defaultParameters('kling-v3'), duration: 20 } })?.message,
				'Kling 3: Duration (s) (duration) must be a whole number from 3 to 15, not 20.');
			assert.equal(validateRequest('openai/sora-2/text-to-video', { prompt: PROMPT, parameters: { duration: '4' } })?.message,
				'Sora 2: Duration (s) (duration) must be one of 4, 8, 12, not "4".');
			assert.equal(validateRequest('veo-3.1-fast-generate-001', { prompt: PROMPT, parameters: { duration: 8 } })?.message,
				'Veo 3.1 Fast needs Sound (generate_audio): true or false.');
		});

		it('Hailuo makes 1080P only at 6 seconds', async () => {
			for (const id of ['MiniMax-Hailuo-02', 'MiniMax-Hailuo-2.3']) {
				const parameters = { ...defaultParameters(id), resolution: '1080P', duration: 10 };
				assert.match(expectProblem(id, { prompt: PROMPT, parameters }, 'parameters.duration'), /with 1080P, Duration \(s\) \(duration\) must be 6, not 10/);
				const body = plain(buildSubmitBody(id, { prompt: PROMPT, parameters: { ...parameters, duration: 6 } }));
				assert.equal((await sendJson(loop, body)).status, 200);
				body.parameters.duration = 10;
				assertRefused(await sendJson(loop, body), 'parameters.duration');
			}
		});

		it('Vidu takes up to 8 seconds from a first and a last frame, the full range from a first frame alone', async () => {
			const id = 'viduq3-pro';
			const both = { image: asBytes(FRAME), lastImage: asBytes(LAST) };
			const long = { ...defaultParameters(id), duration: 16 };
			taskOf(loop, await send(loop, buildSubmitBody(id, { prompt: PROMPT, parameters: long, image: asBytes(FRAME) })));
			expectProblem(id, { prompt: PROMPT, parameters: { ...long, duration: 9 }, ...both }, 'parameters.duration');
			const body = plain(buildSubmitBody(id, { prompt: PROMPT, parameters: { ...long, duration: 8 }, ...both }));
			assert.equal(body.parameters.vidu_type, 'start-end2video');
			taskOf(loop, await sendJson(loop, body));
			body.parameters.duration = 9;
			assertRefused(await sendJson(loop, body), 'parameters.duration');
		});

		it('a prompt over the published length is refused by both, one at the limit is not', async () => {
			for (const entry of catalogue.filter(candidate => candidate.prompt.maxLength !== undefined)) {
				const limit = entry.prompt.maxLength!;
				const atLimit = 'é'.repeat(limit);
				taskOf(loop, await send(loop, buildSubmitBody(entry.id, defaultRequest(entry, { prompt: atLimit }))));
				assert.match(expectProblem(entry.id, defaultRequest(entry, { prompt: `${atLimit}x` }), 'input.prompt'), new RegExp(`at most ${limit.toLocaleString('en-US')} characters`));
				const body = plain(buildSubmitBody(entry.id, defaultRequest(entry)));
				body.input.prompt = `${atLimit}x`;
				assertRefused(await sendJson(loop, body), 'input.prompt');
			}
		});
	});

	describe('images land where the model pages say', () => {
		async function accepted(modelId: string, request: Partial<VideoRequest>): Promise<{ body: SubmitBody; task: SimTask }> {
			const task = taskOf(loop, await send(loop, buildSubmitBody(modelId, { prompt: PROMPT, parameters: defaultParameters(modelId), ...request })));
			return { body: lastReceived(loop), task };
		}

		it('Sora 2 image to video: input.first_frame_url, a link or a data: URI', async () => {
			const id = 'openai/sora-2/image-to-video';
			assert.equal((await accepted(id, { image: { url: FRAME_URL } })).body.input.first_frame_url, FRAME_URL);
			const { body, task } = await accepted(id, { image: asBytes(FRAME) });
			assert.equal(body.input.first_frame_url, FRAME_DATA_URI);
			assert.equal(task.images.first, 'dataUri');
			const noPrompt = await accepted(id, { prompt: '', image: asBytes(FRAME) });
			assert.equal('prompt' in noPrompt.body.input, false, 'an optional prompt left empty is not sent');
		});

		it('Veo: input.image and input.last_frame as { bytesBase64Encoded, mimeType }, never a link', async () => {
			const { body } = await accepted('veo-3.1-generate-001', { image: asBytes(FRAME), lastImage: asBytes(LAST) });
			assert.deepEqual(body.input.image, { bytesBase64Encoded: FRAME_B64, mimeType: 'image/png' });
			assert.deepEqual(body.input.last_frame, { bytesBase64Encoded: LAST_B64, mimeType: 'image/png' });
			expectProblem('veo-3.1-generate-001', { prompt: PROMPT, parameters: defaultParameters('veo-3.1-generate-001'), image: { url: FRAME_URL } }, 'input.image');
			const wrong = plain(buildSubmitBody('veo-3.1-generate-001', { prompt: PROMPT, parameters: defaultParameters('veo-3.1-generate-001') }));
			wrong.input.image = FRAME_DATA_URI;
			assertRefused(await sendJson(loop, wrong), 'input.image');
			wrong.input.image = { bytesBase64Encoded: FRAME_DATA_URI, mimeType: 'image/png' };
			assertRefused(await sendJson(loop, wrong), 'input.image');
		});

		it('Kling: parameters.image and parameters.image_tail as raw Base64 or a link, and no aspect_ratio with an image', async () => {
			for (const id of ['kling-v2-6', 'kling-v3']) {
				const parameters = { ...defaultParameters(id), aspect_ratio: '9:16' };
				const { body, task } = await accepted(id, { parameters, image: asBytes(FRAME), lastImage: { url: LAST_URL } });
				assert.equal(body.parameters.image, FRAME_B64);
				assert.equal(body.parameters.image_tail, LAST_URL);
				assert.equal(task.images.first, 'base64');
				assert.equal('aspect_ratio' in body.parameters, false);
				assert.equal('image' in body.input, false);
				const textOnly = await accepted(id, { parameters });
				assert.equal(textOnly.body.parameters.aspect_ratio, '9:16');
				const wrong = plain(buildSubmitBody(id, { prompt: PROMPT, parameters: defaultParameters(id) }));
				wrong.parameters.image = FRAME_DATA_URI;
				assertRefused(await sendJson(loop, wrong), 'parameters.image');
			}
		});

		it('Hailuo: input.first_frame_image and input.last_frame_image as a link or a data: URI; 2.3 Fast needs the first', async () => {
			const { body, task } = await accepted('MiniMax-Hailuo-2.3-Fast', { image: asBytes(FRAME), lastImage: asBytes(LAST) });
			assert.equal(body.input.first_frame_image, FRAME_DATA_URI);
			assert.equal(body.input.last_frame_image, `data:image/png;base64,${LAST_B64}`);
			assert.deepEqual(task.images, { first: 'dataUri', last: 'dataUri' });
			const wrong = plain(buildSubmitBody('MiniMax-Hailuo-02', { prompt: PROMPT, parameters: defaultParameters('MiniMax-Hailuo-02') }));
			wrong.input.first_frame_image = FRAME_B64;
			assertRefused(await sendJson(loop, wrong), 'input.first_frame_image');
		});

		it('Wan: first_frame_url (2.2 and 2.5, 2.2 also last_frame_url) and img_url (2.6); 2.5 and 2.6 take links only', async () => {
			const wan22 = await accepted('Wan-AI/Wan2.2-I2V', { image: asBytes(FRAME), lastImage: { url: LAST_URL } });
			assert.equal(wan22.body.input.first_frame_url, FRAME_DATA_URI);
			assert.equal(wan22.body.input.last_frame_url, LAST_URL);
			assert.equal((await accepted('Wan-AI/Wan2.5-I2V', { image: { url: FRAME_URL } })).body.input.first_frame_url, FRAME_URL);
			assert.equal((await accepted('Wan-AI/Wan2.6-I2V', { image: { url: FRAME_URL } })).body.input.img_url, FRAME_URL);
			for (const [id, field] of [['Wan-AI/Wan2.5-I2V', 'input.first_frame_url'], ['Wan-AI/Wan2.6-I2V', 'input.img_url']]) {
				expectProblem(id, { prompt: PROMPT, parameters: defaultParameters(id), image: asBytes(FRAME) }, field);
				const wrong = plain(buildSubmitBody(id, { prompt: PROMPT, parameters: defaultParameters(id), image: { url: FRAME_URL } }));
				wrong.input[field.split('.')[1]] = FRAME_DATA_URI;
				assertRefused(await sendJson(loop, wrong), field);
			}
		});

		it('Seedance: the prompt as the text item of input.content, then image_url items with their roles', async () => {
			const { body, task } = await accepted('doubao-seedance-1-5-pro-251215', { image: asBytes(FRAME), lastImage: { url: LAST_URL } });
			assert.deepEqual(body.input, {
				content: [
					{ type: 'text', text: PROMPT },
					{ type: 'image_url', image_url: { url: FRAME_DATA_URI }, role: 'first_frame' },
					{ type: 'image_url', image_url: { url: LAST_URL }, role: 'last_frame' },
				],
			});
			assert.equal(task.prompt, PROMPT);
			const wrong = plain(buildSubmitBody('doubao-seedance-1-5-pro-251215', { prompt: PROMPT, parameters: defaultParameters('doubao-seedance-1-5-pro-251215') }));
			jsonArray(wrong.input.content).push({ type: 'image_url', image_url: { url: FRAME_DATA_URI }, role: 'reference' });
			assertRefused(await sendJson(loop, wrong), 'input.content');
			assertRefused(await sendJson(loop, { ...wrong, input: { prompt: PROMPT } }), 'input.prompt');
		});

		it('Vidu: first_frame_url and last_frame_url, with vidu_type set from the images given', async () => {
			const first = await accepted('viduq2-pro', { image: asBytes(FRAME) });
			assert.equal(first.body.input.first_frame_url, FRAME_DATA_URI);
			assert.equal(first.body.parameters.vidu_type, 'img2video');
			const both = await accepted('viduq2-turbo', { image: { url: FRAME_URL }, lastImage: asBytes(LAST) });
			assert.equal(both.body.input.first_frame_url, FRAME_URL);
			assert.equal(both.body.input.last_frame_url, `data:image/png;base64,${LAST_B64}`);
			assert.equal(both.body.parameters.vidu_type, 'start-end2video');
			assert.equal((await accepted('viduq2', {})).body.parameters.vidu_type, 'text2video');
			const wrong = plain(buildSubmitBody('viduq2-pro', { prompt: PROMPT, parameters: defaultParameters('viduq2-pro'), image: asBytes(FRAME) }));
			wrong.parameters.vidu_type = 'start-end2video';
			assertRefused(await sendJson(loop, wrong), 'parameters.vidu_type');
		});

		it('a model that takes no image, or no last frame, refuses one before anything is sent', () => {
			expectProblem('openai/sora-2/text-to-video', { prompt: PROMPT, image: asBytes(FRAME) }, 'image');
			expectProblem('openai/sora-2/image-to-video', { prompt: PROMPT, image: asBytes(FRAME), lastImage: asBytes(LAST) }, 'lastImage');
			expectProblem('veo-3.1-generate-001', { prompt: PROMPT, parameters: defaultParameters('veo-3.1-generate-001'), lastImage: asBytes(LAST) }, 'input.last_frame');
		});
	});

	describe('image limits are checked before sending and by the service', () => {
		const kling = (image: ImageSource): VideoRequest => ({ prompt: PROMPT, parameters: defaultParameters('kling-v3'), image });

		async function refusedByBoth(image: ImageSource, says: RegExp, raw: string): Promise<void> {
			assert.match(expectProblem('kling-v3', kling(image), 'parameters.image'), says);
			const body = plain(buildSubmitBody('kling-v3', kling({ url: FRAME_URL })));
			body.parameters.image = raw;
			assertRefused(await sendJson(loop, body), 'parameters.image');
		}

		it('Kling refuses a frame under 300 pixels a side', async () => {
			const small = png(200, 320);
			await refusedByBoth(asBytes(small), /200×320 pixels; it must be at least 300 pixels/, small.toString('base64'));
		});

		it('Kling refuses a frame wider than 2.5:1', async () => {
			const wide = png(900, 300);
			await refusedByBoth(asBytes(wide), /between 1:2\.5 and 2\.5:1/, wide.toString('base64'));
		});

		it('Kling refuses a frame over 10 MB', async () => {
			const big = png(320, 320, 10 * 1024 * 1024);
			await refusedByBoth(asBytes(big), /the largest it takes is 10 MB/, big.toString('base64'));
		});

		it('Kling refuses a WebP, which it does not take, and bytes that are not what their type says', async () => {
			const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 '), Buffer.alloc(32)]);
			await refusedByBoth({ bytes: webp, mimeType: 'image/webp' }, /must be one of image\/jpeg, image\/png, not image\/webp/, webp.toString('base64'));
			assert.match(expectProblem('kling-v3', kling({ bytes: FRAME, mimeType: 'image/jpeg' }), 'parameters.image'), /given as image\/jpeg but its bytes are image\/png/);
			const veo = plain(buildSubmitBody('veo-3.1-generate-001', { prompt: PROMPT, parameters: defaultParameters('veo-3.1-generate-001'), image: asBytes(FRAME) }));
			jsonObject(veo.input.image).mimeType = 'image/jpeg';
			assertRefused(await sendJson(loop, veo), 'input.image');
		});

		it('a link must be https', () => {
			expectProblem('kling-v3', kling({ url: 'http://images.example.com/a.png' }), 'parameters.image');
		});
	});

	describe('a model the catalogue does not know', () => {
		const id = 'acme/video-9';

		it('gets the prompt only, and a note saying so', () => {
			assert.equal(isKnownModel(id), false);
			assert.deepEqual(defaultParameters(id), {});
			assert.deepEqual(plain(buildSubmitBody(id, { prompt: PROMPT, parameters: { size: '720x1280', duration: 4 } })), { model: id, input: { prompt: PROMPT }, parameters: {} });
			assert.match(unknownModelNote(id) ?? '', /only the prompt is sent, without parameters/);
			assert.equal(unknownModelNote('kling-v3'), undefined);
		});

		it('is refused an image and an empty prompt before anything is sent', () => {
			expectProblem(id, { prompt: PROMPT, image: { url: FRAME_URL } }, 'image');
			expectProblem(id, { prompt: ' ' }, 'input.prompt');
		});

		it('is answered model_error by the simulator, which does not know it either', async () => {
			const answer = await send(loop, buildSubmitBody(id, { prompt: PROMPT }));
			assert.equal(answer.status, 400);
			const { error } = answer.json as RefusedAnswer;
			assert.equal(error.type, 'model_error');
			assert.equal(error.param, 'model');
		});

		it('is accepted by a service that serves it with nothing but a prompt', async () => {
			const other = new Loopback();
			await other.start({ models: { [id]: { prompt: 'input.prompt', params: {} } } });
			try {
				taskOf(other, await send(other, buildSubmitBody(id, { prompt: PROMPT })));
			} finally {
				await other.stop();
			}
		});
	});

	describe('prompt markers in a Seedance content list', () => {
		it('[expire] in the text item ends the task in Expired', async () => {
			const id = 'doubao-seedance-1-5-pro-251215';
			const task = taskOf(loop, await send(loop, buildSubmitBody(id, { prompt: 'a cat [expire]', parameters: defaultParameters(id) })));
			assert.equal(task.prompt, 'a cat [expire]');
			await waitFor('the task to end in Expired', () => loop.sim.view(task.taskId)?.status === 'Expired');
		});
	});
});

describe('Serializing a submit body', () => {
	function bodyWith(image: Buffer): SubmitBody {
		return buildSubmitBody('doubao-seedance-1-5-pro-251215', {
			prompt: 'Ünïcode “quotes” and \\ backslashes\n',
			parameters: defaultParameters('doubao-seedance-1-5-pro-251215'),
			image: asBytes(image),
			lastImage: { url: LAST_URL },
		});
	}

	function concat(chunks: Iterable<Buffer>): Buffer {
		return Buffer.concat([...chunks]);
	}

	it('writes the same bytes as JSON.stringify, and says how many', () => {
		for (const body of [bodyWith(FRAME), buildSubmitBody('veo-3.1-generate-001', { prompt: PROMPT, parameters: defaultParameters('veo-3.1-generate-001'), image: asBytes(FRAME), lastImage: asBytes(LAST) })]) {
			const serialized = serializeSubmitBody(body);
			const expected = Buffer.from(JSON.stringify(body));
			assert.equal(serialized.byteLength, expected.length);
			assert.ok(concat(serialized.chunks()).equals(expected));
			assert.ok(concat(serialized.chunks()).equals(expected), 'chunks() can be read again for a resend');
		}
	});

	it('writes a 10 MB image in pieces of at most 64 KB, never as one Base64 string', () => {
		const image = png(320, 320, 10 * 1024 * 1024);
		const serialized = serializeSubmitBody(bodyWith(image));
		let total = 0;
		let largest = 0;
		for (const chunk of serialized.chunks()) {
			total += chunk.length;
			largest = Math.max(largest, chunk.length);
		}
		assert.equal(total, serialized.byteLength);
		assert.ok(largest <= 64 * 1024, `largest piece ${largest} bytes`);
		assert.ok(serialized.byteLength > image.length * 4 / 3);
	});

	it('keeps the caller\'s bytes in the body instead of a copy', () => {
		const bytes = new Uint8Array(FRAME);
		const body = buildSubmitBody('kling-v3', { prompt: PROMPT, parameters: defaultParameters('kling-v3'), image: { bytes, mimeType: 'image/png' } });
		assert.equal((body.parameters.image as { bytes: Uint8Array }).bytes, bytes);
	});

	it('sends a 10 MB first frame to the simulator, which accepts it', async () => {
		const loop = new Loopback();
		await loop.start();
		try {
			const task = taskOf(loop, await send(loop, bodyWith(png(320, 320, 10 * 1024 * 1024))));
			assert.equal(task.images.first, 'dataUri');
		} finally {
			await loop.stop();
		}
	});
});
