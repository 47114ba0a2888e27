/** The gallery page's decisions without the DOM: order, filters, the model choices and updates. */

import * as assert from 'node:assert/strict';
import {
	applyUpdate, compareEntries, filterEntries, filterWords, insertionIndex, matchesFilter, modelChoices, sortEntries,
} from '../../src/webview/galleryModel';
import type { GalleryEntry } from '../../src/webview/galleryProtocol';

function entry(id: string, created: number, prompt: string, model = 'openai/sora-2/text-to-video', modelLabel = 'Sora 2'): GalleryEntry {
	return { id, title: prompt.split('\n')[0], prompt: prompt.replace(/\s+/g, ' '), model, modelLabel, created, src: `https://file+.vscode-resource.example/videos/${id}.mp4` };
}

const boat = entry('boat', 3_000, 'A paper boat drifting down a rainy street at dusk');
const lighthouse = entry('lighthouse', 1_000, 'A lighthouse beam sweeping over a stormy sea', 'wan2.6-t2v', 'Wan 2.6');
const harbour = entry('harbour', 2_000, 'The harbour wakes at dawn:\nfishing BOATS drift out', 'veo-3.1-fast-generate-001', 'Veo 3.1 Fast');
const all = [lighthouse, boat, harbour];

describe('gallery model', () => {
	it('orders newest first, and entries made at the same moment by id, whatever order they came in', () => {
		assert.deepEqual(sortEntries(all).map(e => e.id), ['boat', 'harbour', 'lighthouse']);
		const twins = [entry('b', 5, 'x'), entry('a', 5, 'y'), entry('c', 6, 'z')];
		assert.deepEqual(sortEntries(twins).map(e => e.id), ['c', 'a', 'b']);
		assert.deepEqual(sortEntries([...twins].reverse()).map(e => e.id), ['c', 'a', 'b']);
		assert.equal(compareEntries(boat, boat), 0);
	});

	it('does not reorder the list it was given', () => {
		const given = [...all];
		sortEntries(given);
		assert.deepEqual(given, all);
	});

	it('finds every word of the text anywhere in the prompt, in any case and order', () => {
		assert.deepEqual(filterWords('  Boat   DUSK '), ['boat', 'dusk']);
		assert.deepEqual(filterEntries(sortEntries(all), { model: '', text: 'boat' }).map(e => e.id), ['boat', 'harbour']);
		assert.deepEqual(filterEntries(all, { model: '', text: 'dusk paper' }).map(e => e.id), ['boat']);
		assert.deepEqual(filterEntries(all, { model: '', text: 'boat sea' }).map(e => e.id), []);
		// The second line of a prompt is searched too (the caption is only the first).
		assert.deepEqual(filterEntries(all, { model: '', text: 'fishing' }).map(e => e.id), ['harbour']);
	});

	it('keeps everything with no filter, and only the chosen model\'s videos with one', () => {
		assert.deepEqual(filterEntries(all, { model: '', text: '' }), all);
		assert.deepEqual(filterEntries(all, { model: '', text: '   ' }), all);
		assert.deepEqual(filterEntries(all, { model: 'wan2.6-t2v', text: '' }).map(e => e.id), ['lighthouse']);
		assert.deepEqual(filterEntries(all, { model: 'wan2.6-t2v', text: 'boat' }), []);
		assert.equal(matchesFilter(boat, 'no-such-model', []), false);
	});

	it('reads the text as text: no pattern, markup or other language is special', () => {
		const odd = entry('odd', 4, 'A <b>bold</b> move (.*) costs $5 — 下雨的街道');
		assert.ok(matchesFilter(odd, '', filterWords('<b>bold</b>')));
		assert.ok(matchesFilter(odd, '', filterWords('(.*)')));
		assert.ok(matchesFilter(odd, '', filterWords('$5 下雨')));
		assert.ok(!matchesFilter(boat, '', filterWords('.*')));
	});

	it('offers each model once, by its name, with how many videos it made', () => {
		const another = entry('another', 4_000, 'Another boat', 'openai/sora-2/text-to-video', 'Sora 2');
		assert.deepEqual(modelChoices([...all, another]), [
			{ model: 'openai/sora-2/text-to-video', label: 'Sora 2', count: 2 },
			{ model: 'veo-3.1-fast-generate-001', label: 'Veo 3.1 Fast', count: 1 },
			{ model: 'wan2.6-t2v', label: 'Wan 2.6', count: 1 },
		]);
		assert.deepEqual(modelChoices([entry('x', 1, 'x', 'custom-model', '')]), [{ model: 'custom-model', label: 'custom-model', count: 1 }]);
		assert.deepEqual(modelChoices([]), []);
	});

	it('finds where a new entry goes without walking the list', () => {
		const sorted = sortEntries(all);
		assert.equal(insertionIndex(sorted, entry('newest', 9_000, 'n')), 0);
		assert.equal(insertionIndex(sorted, entry('middle', 2_500, 'm')), 1);
		assert.equal(insertionIndex(sorted, entry('oldest', 1, 'o')), 3);
		assert.equal(insertionIndex([], boat), 0);
	});

	it('takes in an update: new entries in their place, changed ones replaced, removed ones gone', () => {
		const sorted = sortEntries(all);
		const renamed = { ...harbour, title: 'The harbour at noon' };
		const newest = entry('newest', 9_000, 'A new video');
		const next = applyUpdate(sorted, [newest, renamed], ['lighthouse']);
		assert.deepEqual(next.map(e => e.id), ['newest', 'boat', 'harbour']);
		assert.equal(next[2].title, 'The harbour at noon');
		assert.equal(next[1], boat, 'an entry not named keeps its object');
		assert.deepEqual(sorted.map(e => e.id), ['boat', 'harbour', 'lighthouse'], 'the list given is left as it was');
		assert.deepEqual(applyUpdate(sorted, [], ['no-such-id']).map(e => e.id), ['boat', 'harbour', 'lighthouse']);
	});

	it('keeps a thousand entries in order through updates, as a full sort would', () => {
		let list: GalleryEntry[] = [];
		let seed = 7;
		const random = () => (seed = (seed * 48271) % 0x7fffffff) / 0x7fffffff;
		for (let round = 0; round < 100; round++) {
			const changed = Array.from({ length: 10 }, (_, i) => entry(`t${round}-${i}`, Math.floor(random() * 1000), 'p'));
			const removed = list.filter(() => random() < 0.005).map(e => e.id);
			list = applyUpdate(list, changed, removed);
		}
		assert.ok(list.length > 700, `${list.length} entries left`);
		assert.deepEqual(list.map(e => e.id), sortEntries(list).map(e => e.id));
	});
});
