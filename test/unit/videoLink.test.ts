/**
 * What Insert into Document writes, and the place a task made from a selection remembers. Windows
 * paths are built with Node's `path.win32`, as on Windows; these tests run on Linux.
 */

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { insertPlaceOf, relativeVideoPath, videoLink } from '../../src/core/videoLink';

describe('Insert into Document', () => {
	it('names the video relative to the document, with / between folders', () => {
		assert.equal(relativeVideoPath('/home/ana/notes/plan.md', '/home/ana/notes/videos/boat.mp4', path.posix), 'videos/boat.mp4');
		assert.equal(relativeVideoPath('/home/ana/notes/plan.md', '/home/ana/.videogen/boat.mp4', path.posix), '../.videogen/boat.mp4');
		assert.equal(relativeVideoPath('C:\\Users\\ana\\notes\\plan.md', 'C:\\Users\\ana\\Videos\\boat.mp4', path.win32), '../Videos/boat.mp4');
	});

	it('has no relative path for an untitled document or a video on another Windows drive', () => {
		assert.equal(relativeVideoPath(undefined, '/videos/boat.mp4', path.posix), undefined);
		assert.equal(relativeVideoPath('C:\\notes\\plan.md', 'D:\\videos\\boat.mp4', path.win32), undefined);
	});

	it('writes a <video> tag in Markdown, the path encoded as a URL', () => {
		assert.deepEqual(videoLink('/notes/plan.md', '/notes/videos/paper boat #1.mp4', true, path.posix), { text: '<video src="videos/paper%20boat%20%231.mp4" controls></video>', relative: true });
		assert.equal(videoLink('/notes/plan.md', '/notes/a"b<c>.mp4', true, path.posix).text, '<video src="a%22b%3Cc%3E.mp4" controls></video>', 'nothing that ends the attribute');
	});

	it('writes the file: URI in Markdown when there is no relative path', () => {
		assert.deepEqual(videoLink(undefined, '/videos/paper boat.mp4', true), { text: '<video src="file:///videos/paper%20boat.mp4" controls></video>', relative: false });
	});

	it('writes the plain relative path in any other document, and the absolute path without one', () => {
		assert.deepEqual(videoLink('/notes/plan.txt', '/notes/videos/paper boat.mp4', false, path.posix), { text: 'videos/paper boat.mp4', relative: true });
		assert.deepEqual(videoLink(undefined, '/videos/boat.mp4', false, path.posix), { text: '/videos/boat.mp4', relative: false });
	});
});

describe('the place a task made from a selection remembers', () => {
	it('is a file: URI and a line', () => {
		assert.deepEqual(insertPlaceOf({ uri: 'file:///home/ana/notes/plan.md', line: 12, extra: 'dropped' }), { uri: 'file:///home/ana/notes/plan.md', line: 12 });
	});

	it('is nothing when read back from a task list that holds anything else', () => {
		for (const value of [
			undefined, null, 'file:///a.md', { uri: 'file:///a.md' }, { line: 3 },
			{ uri: 'https://example.com/a.md', line: 1 },
			{ uri: 'untitled:Untitled-1', line: 1 },
			{ uri: 'vscode-remote://ssh/a.md', line: 1 },
			{ uri: 'file:///a.md', line: -1 },
			{ uri: 'file:///a.md', line: 1.5 },
			{ uri: 'file:///a.md', line: 1e12 },
			{ uri: `file:///${'a'.repeat(5000)}.md`, line: 1 },
		]) {
			assert.equal(insertPlaceOf(value), undefined, JSON.stringify(value)?.slice(0, 80));
		}
	});
});
