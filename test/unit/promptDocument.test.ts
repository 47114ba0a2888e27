/** Prompt documents: front matter read, checked against the real catalogue, and written for New Prompt. */

import * as assert from 'node:assert/strict';
import * as models from '../../src/core/models';
import { isPromptDocument, parsePromptDocument, promptDocumentRequest, promptDocumentText } from '../../src/core/promptDocument';
import { generateLensTitle, promptLengthText } from '../../src/core/promptLength';

const SORA = 'openai/sora-2/text-to-video';
const doc = (front: string, body = 'A paper boat drifting down a rainy street') => `---\n${front}\n---\n\n${body}\n`;
const request = (text: string) => promptDocumentRequest(parsePromptDocument(text)!, models, SORA);

describe('prompt documents', () => {
	it('are Markdown whose front matter names a model, and nothing else', () => {
		assert.equal(isPromptDocument(doc(`model: ${SORA}`)), true);
		assert.equal(isPromptDocument(doc('title: My post\nlayout: page')), false, 'a front matter without a model');
		assert.equal(isPromptDocument('# Notes\n\nmodel: kling-v3\n'), false, 'no front matter');
		assert.equal(isPromptDocument(`---\nmodel: ${SORA}\nno closing line`), false, 'a front matter never closed');
		assert.equal(isPromptDocument(`\r\n---\r\nmodel: ${SORA}\r\n---\r\n`), false, 'the front matter must open the document');
		assert.equal(isPromptDocument(`---\r\nmodel: ${SORA}\r\n---\r\nbody`), true, 'Windows line ends');
	});

	it('read the front matter\'s lines with their line numbers, and the body without comments as the prompt', () => {
		const parsed = parsePromptDocument(`---\nmodel: "${SORA}"\nsize: 1280x720   # landscape\nduration: 8\n---\n\n<!-- a note for the writer -->\nA paper boat\ndrifting at dusk\n`)!;
		assert.deepEqual(parsed.entries, [
			{ key: 'model', value: SORA, line: 1 },
			{ key: 'size', value: '1280x720', line: 2 },
			{ key: 'duration', value: '8', line: 3 },
		]);
		assert.equal(parsed.prompt, 'A paper boat\ndrifting at dusk');
		assert.equal(parsed.endLine, 4);
	});

	it('turn the values into the types the model takes: a number for a duration, a switch for a flag', () => {
		assert.deepEqual(request(doc(`model: ${SORA}\nsize: 1280x720\nduration: 8`)).request, { model: SORA, parameters: { size: '1280x720', duration: 8 }, prompt: 'A paper boat drifting down a rainy street' });
		assert.deepEqual(request(doc('model: Wan-AI/Wan2.6-T2V\nprompt_extend: false\nseed: 42')).request?.parameters, { prompt_extend: false, seed: 42 });
		assert.deepEqual(request(doc('model: kling-v3\nduration: 7')).request?.parameters, { duration: 7 });
	});

	it('take the configured model when the front matter names none', () => {
		assert.equal(request(doc('model:\nsize: 1280x720')).request?.model, SORA);
	});

	it('name the line of a model the catalogue does not know', () => {
		const { problem } = request(doc('size: 1280x720\nmodel: sora-3'));
		assert.equal(problem?.line, 2);
		assert.match(problem!.message, /^Line 3: VideoGen does not know the model "sora-3"/);
	});

	it('name the line of a parameter the model does not have, and what it takes', () => {
		const { problem } = request(doc(`model: ${SORA}\nfps: 30`));
		assert.equal(problem?.line, 2);
		assert.equal(problem?.message, 'Line 3: Sora 2 has no parameter "fps". It takes: size, duration.');
	});

	it('name the line of a value the model does not take, and the values it does', () => {
		assert.equal(request(doc(`model: ${SORA}\nsize: 1280x720\nduration: 7`)).problem?.message, 'Line 4: Duration (s) (duration) must be one of 4, 8, 12, not "7".');
		assert.equal(request(doc('model: kling-v3\nduration: 16')).problem?.message, 'Line 3: Duration (s) (duration) must be a whole number from 3 to 15, not "16".');
		assert.match(request(doc('model: Wan-AI/Wan2.6-T2V\nprompt_extend: yes')).problem!.message, /^Line 3: .* must be true or false, not "yes"\.$/);
	});

	it('are written by New Prompt with the model, its parameters, a note, and the cursor on the line for the prompt', () => {
		const { text, cursorLine } = promptDocumentText(SORA, { size: '720x1280', duration: 4 }, 'Describe the video -- here.');
		assert.equal(text, `---\nmodel: ${SORA}\nsize: 720x1280\nduration: 4\n---\n\n<!-- Describe the video - - here. -->\n\n`);
		assert.equal(text.split('\n')[cursorLine], '');
		const parsed = parsePromptDocument(text)!;
		assert.equal(parsed.prompt, '', 'the note is not part of the prompt');
		assert.deepEqual(promptDocumentRequest(parsed, models, 'kling-v3').request, { model: SORA, parameters: { size: '720x1280', duration: 4 }, prompt: '' });
	});
});

describe('a prompt\'s length against its model\'s limit', () => {
	it('reads "812 / 1,000 characters" where the model publishes a limit, counting characters as code points', () => {
		assert.equal(promptLengthText('x'.repeat(812), 1000), '812 / 1,000 characters');
		assert.equal(promptLengthText('🎬'.repeat(3), 2000), '3 / 2,000 characters', 'an emoji is one character');
		assert.equal(promptLengthText('x'.repeat(1200), undefined), '1,200 characters');
	});

	it('is in the CodeLens title as "Generate · 812/1,000", and the title is "Generate" where there is no limit', () => {
		assert.equal(generateLensTitle('x'.repeat(812), 2500), 'Generate · 812/2,500');
		assert.equal(generateLensTitle('x'.repeat(812), undefined), 'Generate');
	});
});
