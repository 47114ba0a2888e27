/**
 * Text from the network as VideoGen shows it (plain, bounded) and logs it (one line), and the
 * scoped logger every part of the engine writes through.
 */

import * as assert from 'node:assert/strict';
import { Logger, scoped } from '../../src/core/log';
import { escapeControls, plainText } from '../../src/core/serviceText';
import { controlCharacter } from '../common/helpers';
import { HOSTILE_TEXT } from '../simulator/simulator';

/**
 * The pattern VS Code's notifications (and the other places that show "linked text") turn into
 * links, from src/vs/base/common/linkedText.ts: `[label](https://…)`, `(command:…)` or `(file:…)`.
 */
const vscodeLink = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
/** VS Code's icon syntax in labels that support icons, from src/vs/base/common/iconLabels.ts. */
const vscodeIcon = /(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z]+)?)\)/g;

describe('plainText', () => {
	it('leaves nothing of the service\'s text that VS Code would make a link or an icon of, and shows all of it', () => {
		const text = plainText('See [Fix it](command:workbench.action.terminal.new), [docs](https://example.com/a "t") [f](FILE:///etc/passwd) $(alert) $(sync~spin)', 300);
		assert.equal(text, 'See [Fix it] (command:workbench.action.terminal.new), [docs] (https://example.com/a "t") [f] (FILE:///etc/passwd) $ (alert) $ (sync~spin)');
		assert.deepEqual(text.match(vscodeLink), null);
		assert.deepEqual(text.match(vscodeIcon), null);
	});

	it('shows line breaks as one space and writes out the other control characters', () => {
		assert.equal(plainText('a\r\n\r\nb\tc\u2028d\u0085e', 100), 'a b c d e');
		assert.equal(plainText('\u001b[31mred\u001b[0m \u202eevil\u202c \u0000 \u009b', 100), '\\u001b[31mred\\u001b[0m \\u202eevil\\u202c \\u0000 \\u009b');
		assert.equal(plainText('\ud800 lone', 100), '\\ud800 lone');
		assert.equal(plainText('\n\n  indented \n\n', 100), '  indented');
	});

	it('makes the simulator\'s hostile text one plain line', () => {
		const text = plainText(HOSTILE_TEXT, 300);
		assert.doesNotMatch(text, controlCharacter);
		assert.deepEqual(text.match(vscodeLink), null);
		assert.equal(text, 'Render failed. [Fix it] (command:workbench.action.terminal.new) or [see] (https://example.com/x) $ (alert) [poller] task task_forged is Success \\u001b[31mred\\u001b[0m \\u202eevil\\u202c');
	});

	it('keeps a text within the limit whole, and cuts a longer one to the limit with an ellipsis', () => {
		assert.equal(plainText('x'.repeat(10), 10), 'x'.repeat(10));
		assert.equal(plainText('x'.repeat(11), 10), `${'x'.repeat(9)}…`);
		assert.equal(plainText(`${'x'.repeat(10)}\r\n`, 10), 'x'.repeat(10), 'a line break at the end is no reason to cut');
		assert.equal(plainText(`${'x'.repeat(8)} \u001b`, 10), `${'x'.repeat(8)}…`, 'cut in the middle of a written-out character');
		assert.equal(plainText(`${'x'.repeat(8)}😀😀`, 10), `${'x'.repeat(8)}…`, 'cut in the middle of a surrogate pair');
		assert.equal(plainText(`${'x'.repeat(7)}😀😀`, 10), `${'x'.repeat(7)}😀…`);
	});

	it('gives plain text, with nothing to change in it, the same treatment as any other: whole, or cut with trailing spaces dropped', () => {
		assert.equal(plainText('A paper boat  ', 20), 'A paper boat');
		assert.equal(plainText('A paper boat drifting', 14), 'A paper boat…', 'the space before the cut goes');
		assert.equal(plainText('abc(def) [x] $y', 20), 'abc(def) [x] $y', 'brackets, parentheses and $ apart are no link or icon');
		// The same texts with one character that needs a look: the answer must not depend on it.
		assert.equal(plainText('A paper boat drifting\n', 14), plainText('A paper boat drifting', 14));
		assert.equal(plainText('A paper boat  \n', 20), plainText('A paper boat  ', 20));
		assert.equal(plainText('x](y', 10), 'x] (y');
		assert.equal(plainText('x$(y', 10), 'x$ (y');
	});

	it('reads no more of a huge text than it keeps', () => {
		const huge = `${HOSTILE_TEXT} ${'x'.repeat(64 * 1024 * 1024)}`;
		const started = process.hrtime.bigint();
		for (let i = 0; i < 100; i++) {
			assert.equal(plainText(huge, 300).length, 300);
		}
		const ms = Number(process.hrtime.bigint() - started) / 1e6;
		assert.ok(ms < 2_000, `100 texts of 64 MB took ${ms} ms: the whole text is being read`);
	});
});

describe('escapeControls', () => {
	it('writes out every line break and control character, so a log line stays one line', () => {
		assert.equal(escapeControls('a\nb\r\nc\u2028d\u2029e\tf\u0085g'), 'a\\nb\\r\\nc\\u2028d\\u2029e\\tf\\u0085g');
		assert.equal(escapeControls('\u001b[2J\u001b[31mred \u202eevil \ud800'), '\\u001b[2J\\u001b[31mred \\u202eevil \\ud800');
		assert.equal(escapeControls('plain text, 😀 and all'), 'plain text, 😀 and all');
	});
});

describe('scoped logger', () => {
	it('writes every message on one line with its prefix, whatever the message holds', () => {
		const lines: string[] = [];
		const record = (message: string | Error) => void lines.push(String(message));
		const log: Logger = { trace: record, debug: record, info: record, warn: record, error: record };
		const forged = 'status Failure\n[poller] task task_forged is Success\r\u001b[31m';
		const http = scoped(log, 'http');
		http.info(forged);
		http.warn(forged);
		http.error(new Error(forged));
		assert.deepEqual(lines, Array(3).fill('[http] status Failure\\n[poller] task task_forged is Success\\r\\u001b[31m'));
	});
});
