/** How a task reads in labels and messages (src/views/taskPresentation.ts: pure functions, no VS Code). */

import * as assert from 'node:assert/strict';
import { shortPrompt } from '../../src/views/taskPresentation';
import { makeTask } from '../common/helpers';

describe('task presentation', () => {
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
});
