/** How a task reads in the tree, its tooltip and the player: pure functions, whatever the model. */

import * as assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { TaskRecord } from '../../src/core/task';
import { detailLines, imageSourceText } from '../../src/views/taskDetails';
import { groupOf, parametersText, rowStatus, shortPrompt, shortReason } from '../../src/views/taskPresentation';
import { makeTask, oldTaskListText } from '../common/helpers';

describe('Task presentation', () => {
	const old = (JSON.parse(oldTaskListText()) as { tasks: TaskRecord[] }).tasks;

	describe('parametersText, the tree\'s one line', () => {
		it('reads a task 0.1.0 wrote as it did: size and duration', () => {
			assert.equal(parametersText(old.find(task => task.prompt.startsWith('A paper boat'))!), '1280x720 · 8s');
		});

		it('reads any model\'s task by its resolution or size, aspect ratio and duration', () => {
			assert.equal(parametersText(makeTask({ model: 'veo-3.1-generate-001', parameters: { resolution: '1080p', duration: 8, aspect_ratio: '16:9', generate_audio: true } })), '1080p · 16:9 · 8s');
			assert.equal(parametersText(makeTask({ model: 'doubao-seedance-1-5-pro-251215', parameters: { resolution: '720p', ratio: 'adaptive', duration: 5 } })), '720p · adaptive · 5s');
		});

		it('reads nothing, without failing, for a task with no parameters, tracked by id or damaged', () => {
			assert.equal(parametersText(makeTask({ parameters: {} })), '');
			assert.equal(parametersText({ ...makeTask(), parameters: undefined } as unknown as TaskRecord), '');
		});
	});

	it('shows where an image came from as a person reads it: the file\'s path, or the link', () => {
		const file = '/home/user/Pictures/harbour at dawn.png';
		assert.equal(imageSourceText(pathToFileURL(file).href), file);
		assert.equal(imageSourceText('https://images.example.com/a.png?x=1'), 'https://images.example.com/a.png?x=1');
	});

	it('details a task by the model\'s name, each setting by its label, the negative prompt and the images', () => {
		const task = makeTask({
			model: 'kling-v3', taskId: 'task_1',
			parameters: { mode: 'pro', duration: 7, sound: 'on' },
			negativePrompt: 'blur',
			firstFrame: pathToFileURL('/pictures/first.png').href,
			lastFrame: 'https://images.example.com/last.png',
		});
		const lines = new Map(detailLines(task));
		assert.equal(lines.get('Model'), 'Kling 3 (kling-v3)');
		assert.equal(lines.get('Mode'), 'pro (1080p)');
		assert.equal(lines.get('Duration (s)'), '7');
		assert.equal(lines.get('Sound'), 'on');
		assert.equal(lines.get('Negative prompt'), 'blur');
		assert.equal(lines.get('First frame'), '/pictures/first.png');
		assert.equal(lines.get('Last frame'), 'https://images.example.com/last.png');
	});

	it('details a model it does not know by its id and its parameters by their names', () => {
		const lines = new Map(detailLines(makeTask({ model: 'acme/video-9', parameters: { size: '720x1280' } })));
		assert.equal(lines.get('Model'), 'acme/video-9');
		assert.equal(lines.get('size'), '720x1280');
	});

	it('labels the service\'s usage.duration with what it counts for the model, once it means something', () => {
		const usage = (task: TaskRecord) => detailLines(task).slice(-1)[0];
		assert.deepEqual(usage(makeTask({ model: 'veo-3.1-generate-001', phase: 'succeeded', usageSeconds: 95 })), ['Service run time', '95s (usage.duration: how long the service worked on it)']);
		assert.deepEqual(usage(makeTask({ model: 'viduq2-pro', phase: 'succeeded', usageSeconds: 5 })), ['Video length', '5s (usage.duration: the video\'s length)']);
		assert.deepEqual(usage(makeTask({ model: 'acme/video-9', phase: 'failed', usageSeconds: 0 })), ['Usage', '0s (usage.duration; what it counts is not published for this model)']);
		const running = new Map(detailLines(makeTask({ model: 'veo-3.1-generate-001', phase: 'running', usageSeconds: 0 })));
		assert.ok(![...running.keys()].includes('Service run time'), 'a running task\'s 0 is not a run time');
		assert.ok(!new Map(detailLines(makeTask({ phase: 'succeeded' }))).has('Service run time'), 'nothing shown when the service sent none');
	});

	it('names a task by its prompt\'s first line, cut to the length asked for', () => {
		assert.equal(shortPrompt(makeTask({ prompt: 'A red kite\nover the dunes' })), 'A red kite');
		const long = shortPrompt(makeTask({ prompt: 'x'.repeat(500) }), 40);
		assert.equal(long.length, 40);
		assert.ok(long.endsWith('…'));
	});

	it('shows a prompt with link or icon markup as plain text, so no message can make a command link of it', () => {
		const label = shortPrompt(makeTask({ prompt: 'Run [this](command:workbench.action.terminal.new) $(alert) now' }));
		assert.doesNotMatch(label, /\]\(/);
		assert.doesNotMatch(label, /\$\(/);
		assert.match(label, /\[this\]/);
	});

	it('names a task without a prompt by its service id, or as untitled', () => {
		assert.equal(shortPrompt(makeTask({ prompt: '', taskId: 'task_1' })), 'Task task_1');
		assert.equal(shortPrompt(makeTask({ prompt: '  ' })), 'Untitled task');
	});

	describe('rowStatus, what a tree row starts with', () => {
		const now = 1_000_000;
		const started = { createdAt: now - 40_000, submittedAt: now - 34_000 };

		it('says how long a running task has been running, and that a queued one waits', () => {
			assert.equal(rowStatus(makeTask({ phase: 'running', ...started }), undefined, now), '34s');
			assert.equal(rowStatus(makeTask({ phase: 'pending', ...started }), undefined, now), 'Queued 34s');
		});

		it('gives a failure the service\'s reason in a word or two', () => {
			assert.equal(rowStatus(makeTask({ phase: 'failed', error: 'Input content was flagged by moderation, please revise' })), 'moderation');
			assert.equal(rowStatus(makeTask({ phase: 'failed', error: 'Simulated failure: the model could not render this prompt' })), 'Simulated failure');
			assert.equal(rowStatus(makeTask({ phase: 'failed', error: 'Generation timed out after 600 s' })), 'timeout');
			assert.equal(rowStatus(makeTask({ phase: 'failed' })), 'Failed');
		});

		it('shows a ready video by its length and size', () => {
			const ready = { phase: 'succeeded' as const, download: { phase: 'done' as const, files: ['/v/a.mp4'] } };
			assert.equal(rowStatus(makeTask({ ...ready, parameters: { size: '1280x720', duration: 8 } })), '8s 1280×720');
			assert.equal(rowStatus(makeTask({ ...ready, parameters: { resolution: '1080p', aspect_ratio: '16:9', duration: 5 } })), '5s 1080p 16:9');
			assert.equal(rowStatus(makeTask({ ...ready, parameters: {} })), 'Ready');
		});

		it('keeps the submit states short', () => {
			assert.equal(rowStatus(makeTask({ phase: 'submitFailed' })), 'Not submitted');
			assert.equal(rowStatus(makeTask({ phase: 'submitUnknown' })), 'Outcome unknown');
			assert.equal(rowStatus(makeTask({ phase: 'submitting' })), 'Submitting');
		});

		it('cuts a long reason short and shows any markup in it as plain text', () => {
			const reason = shortReason('An extraordinarily long reason without any punctuation at all in it')!;
			assert.ok(reason.length <= 24 && reason.endsWith('…'), reason);
			assert.doesNotMatch(shortReason('[Fix it](command:workbench.action.terminal.new) now')!, /\]\(/);
			assert.equal(shortReason('  '), undefined);
		});
	});

	it('groups tasks: in progress, failed (or waiting for the user), ready', () => {
		assert.equal(groupOf(makeTask({ phase: 'running' })), 'inProgress');
		assert.equal(groupOf(makeTask({ phase: 'submitting' })), 'inProgress');
		assert.equal(groupOf(makeTask({ phase: 'succeeded', urls: ['https://x/v.mp4'], download: { phase: 'downloading' } })), 'inProgress');
		assert.equal(groupOf(makeTask({ phase: 'failed' })), 'failed');
		assert.equal(groupOf(makeTask({ phase: 'submitFailed' })), 'failed');
		assert.equal(groupOf(makeTask({ phase: 'submitUnknown' })), 'failed');
		assert.equal(groupOf(makeTask({ phase: 'expired' })), 'failed');
		assert.equal(groupOf(makeTask({ phase: 'succeeded', urls: ['https://x/v.mp4'], download: { phase: 'failed', error: 'gone' } })), 'failed');
		assert.equal(groupOf(makeTask({ phase: 'succeeded', urls: ['https://x/v.mp4'], download: { phase: 'done', files: ['/v/a.mp4'] } })), 'ready');
	});
});
