/** The gallery page's HTML and the entries the host sends it: bounded, plain text, under a strict policy. */

import * as assert from 'node:assert/strict';
import type { TaskRecord } from '../../src/core/task';
import { controlCharacter } from '../common/helpers';
import { galleryEntry, renderGalleryPage } from '../../src/views/galleryPage';
import { GallerySettings, modelLimit, promptLimit, titleLimit } from '../../src/webview/galleryProtocol';

const settings: GallerySettings = {
	language: 'en',
	strings: {
		allModels: 'All models', model: 'Model', filter: 'Filter by "prompt" <here>', empty: 'Nothing yet.', noMatch: 'No match.',
		shownOf: 'Showing {0} of {1} videos', count: 'Videos: {0}', unplayable: 'Cannot play.',
	},
};

function task(prompt: string, model = 'openai/sora-2/text-to-video'): TaskRecord {
	return {
		id: 'a1', taskId: 'task_a1', model, prompt, parameters: {}, apiOrigin: 'https://api.umodelverse.ai', phase: 'succeeded',
		createdAt: 1_700_000_000_000, updatedAt: 1_700_000_100_000, download: { phase: 'done', files: ['/videos/task_a1.mp4'] },
	};
}

describe('gallery page', () => {
	it('makes an entry of a task: the first line as the caption, the prompt on one line, the model and its name', () => {
		const entry = galleryEntry(task('A heron at dawn\nSecond line\r\nThird'), 'https://resource.example/task_a1.mp4', 'Sora 2');
		assert.deepEqual(entry, {
			id: 'a1', title: 'A heron at dawn', prompt: 'A heron at dawn Second line Third', model: 'openai/sora-2/text-to-video',
			modelLabel: 'Sora 2', created: 1_700_000_000_000, src: 'https://resource.example/task_a1.mp4',
		});
	});

	it('keeps every text of an entry short, however long the prompt or model', () => {
		const entry = galleryEntry(task('word '.repeat(600) + '\n' + 'x'.repeat(3000), 'm'.repeat(400)), 'src', 'n'.repeat(400));
		assert.ok(entry.title.length <= titleLimit, `title ${entry.title.length}`);
		assert.ok(entry.prompt.length <= promptLimit, `prompt ${entry.prompt.length}`);
		assert.ok(entry.model.length <= modelLimit && entry.modelLabel.length <= modelLimit);
		assert.ok(entry.prompt.endsWith('…'));
		// A thousand such entries stay well under a megabyte in the one message.
		assert.ok(JSON.stringify(entry).length * 1000 < 1024 * 1024);
	});

	it('names a task without a prompt, and keeps control characters out of the text', () => {
		assert.equal(galleryEntry(task('   '), 's', 'Sora 2').title, 'Task task_a1');
		const entry = galleryEntry(task('Bell\u0007 and \u202eoverride'), 's', 'Sora 2');
		assert.doesNotMatch(entry.title + entry.prompt, controlCharacter);
	});

	it('writes a page with one nonce\'d script, a strict policy, the words escaped and no entry in it', () => {
		const html = renderGalleryPage({ cspSource: 'https://resource.example', nonce: 'abc123', styleUri: 'https://resource.example/gallery.css', scriptUri: 'https://resource.example/gallery.js', settings });
		const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1].replace(/&#39;/g, '\'');
		assert.equal(csp, 'default-src \'none\'; img-src https://resource.example; media-src https://resource.example; script-src \'nonce-abc123\'; style-src https://resource.example');
		assert.deepEqual([...html.matchAll(/<script\b[^>]*>/g)].map(match => match[0]), ['<script nonce="abc123" src="https://resource.example/gallery.js">']);
		assert.ok(html.includes('placeholder="Filter by &quot;prompt&quot; &lt;here&gt;"'));
		assert.doesNotMatch(html, /\son[a-z]+=/i);
		const data = /data-settings="([^"]*)"/.exec(html)![1].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, '\'').replace(/&amp;/g, '&');
		assert.deepEqual(JSON.parse(data), settings);
		assert.match(html, /<div class="grid" id="grid"><\/div>/);
	});
});
