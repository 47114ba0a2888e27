/** What the pickers and messages say about models, read from the catalogue: pure functions. */

import * as assert from 'node:assert/strict';
import { alternativeModel, inputsOf, largestImageBytes, parameterLines, startingParameters, takesImage, valueText } from '../../src/core/models/choices';
import { catalogue, findModel } from '../../src/core/models/catalogue';
import { promptProblem } from '../../src/core/models/submitBody';

const model = (id: string) => {
	const entry = findModel(id);
	assert.ok(entry, `${id} is in the catalogue`);
	return entry;
};

describe('Model choices', () => {
	it('say what each model makes video from', () => {
		assert.equal(inputsOf(model('openai/sora-2/text-to-video')), 'text');
		assert.equal(inputsOf(model('veo-3.1-generate-001')), 'textOrImage');
		assert.equal(inputsOf(model('viduq3-pro')), 'image');
	});

	it('know which models take an image file and which take only a link, for the first and the last frame', () => {
		assert.equal(takesImage(model('veo-3.1-generate-001'), 'bytes'), true);
		assert.equal(takesImage(model('veo-3.1-generate-001'), 'url'), false, 'Veo takes the image itself only');
		assert.equal(takesImage(model('Wan-AI/Wan2.5-I2V'), 'bytes'), false, 'Wan 2.5 takes a link only');
		assert.equal(takesImage(model('Wan-AI/Wan2.5-I2V'), 'url'), true);
		assert.equal(takesImage(model('openai/sora-2/image-to-video'), 'bytes', 'last'), false, 'Sora takes no last frame');
		assert.equal(takesImage(model('kling-v3'), 'bytes', 'last'), true);
		assert.equal(takesImage(model('openai/sora-2/text-to-video'), 'bytes'), false);
		assert.equal(takesImage(undefined, 'url'), false, 'a model VideoGen does not know gets no image');
	});

	it('read no image larger than the largest any model takes', () => {
		assert.equal(largestImageBytes, 50 * 1024 * 1024);
	});

	describe('startingParameters', () => {
		it('start from the model\'s defaults', () => {
			assert.deepEqual(startingParameters('openai/sora-2/text-to-video'), { size: '720x1280', duration: 4 });
		});

		it('take a preferred value only where the model allows it', () => {
			assert.deepEqual(startingParameters('openai/sora-2/text-to-video', { size: '1280x720', duration: 12 }), { size: '1280x720', duration: 12 });
			assert.deepEqual(startingParameters('kling-v3', { size: '1280x720', duration: 12 }).duration, 12, 'Kling 3 takes 3 to 15 s');
			assert.equal(startingParameters('kling-v2-6', { duration: 12 }).duration, 5, 'Kling 2.6 takes 5 or 10 s only');
			assert.equal('size' in startingParameters('kling-v3', { size: '1280x720' }), false, 'Kling has no size');
		});

		it('carry over what was chosen for another model where the new one allows it', () => {
			const chosen = { size: '1280x720', duration: 8 };
			assert.deepEqual(startingParameters('openai/sora-2/text-to-video-pro', {}, chosen), chosen);
			assert.deepEqual(startingParameters('Wan-AI/Wan2.6-T2V', {}, chosen), { size: '1280x720', duration: 5, prompt_extend: true, shot_type: 'single' });
		});

		it('are empty for a model the catalogue does not know', () => {
			assert.deepEqual(startingParameters('acme/new-model', { size: '720x1280' }), {});
		});
	});

	it('read values as people say them', () => {
		const kling = model('kling-v3').parameters;
		assert.equal(valueText(kling.find(spec => spec.name === 'mode')!, 'pro'), 'pro (1080p)');
		assert.equal(valueText(kling.find(spec => spec.name === 'watermark_enabled')!, false), 'off');
		assert.equal(valueText(kling.find(spec => spec.name === 'watermark_enabled')!, undefined), 'the service\'s default');
		assert.equal(valueText(model('viduq2').parameters.find(spec => spec.type === 'seed')!, undefined), 'random');
	});

	it('list a task\'s parameters by their labels in the model\'s order, and unknown ones by name', () => {
		assert.deepEqual(parameterLines('openai/sora-2/text-to-video', { duration: 8, size: '1280x720' }), [['Size', '1280x720'], ['Duration (s)', '8']]);
		assert.deepEqual(parameterLines('veo-3.1-generate-001', { generate_audio: true, resolution: '1080p' }), [['Resolution', '1080p'], ['Sound', 'on']]);
		assert.deepEqual(parameterLines('acme/new-model', { size: '720x1280', duration: 4 }), [['size', '720x1280'], ['duration', '4']]);
	});

	describe('alternativeModel', () => {
		it('suggests a model of another family that makes video from text, for a refused text model', () => {
			const other = alternativeModel('openai/sora-2/text-to-video');
			assert.ok(other);
			assert.notEqual(other.family, 'Sora 2');
			assert.notEqual(inputsOf(other), 'image');
			assert.equal(other.note, undefined, 'not a model that carries a warning');
		});

		it('suggests a model that takes an image, for a refused image-to-video model', () => {
			const other = alternativeModel('openai/sora-2/image-to-video')!;
			assert.notEqual(other.family, 'Sora 2');
			assert.ok(other.images, `${other.id} takes no image`);
		});

		it('suggests a model that makes video from text, for an id the catalogue does not know', () => {
			const other = alternativeModel('acme/retired-model')!;
			assert.ok(catalogue.includes(other));
			assert.notEqual(inputsOf(other), 'image');
		});
	});

	describe('promptProblem', () => {
		it('refuses an empty prompt where the model needs one, and allows it where the prompt is optional', () => {
			assert.match(promptProblem('openai/sora-2/text-to-video', '  ') ?? '', /Sora 2 needs a prompt/);
			assert.equal(promptProblem('openai/sora-2/image-to-video', ''), undefined);
			assert.match(promptProblem('acme/new-model', '') ?? '', /acme\/new-model needs a prompt/);
		});

		it('counts characters as the service does and names the limit', () => {
			assert.equal(promptProblem('MiniMax-Hailuo-02', '😀'.repeat(2000)), undefined);
			assert.match(promptProblem('MiniMax-Hailuo-02', 'a'.repeat(2001)) ?? '', /at most 2,000 characters; this one has 2,001/);
		});
	});
});
