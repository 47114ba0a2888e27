/**
 * What the gallery page decides without the DOM: the order of the tiles, which ones a filter keeps,
 * and the models the model filter offers. Tested in plain Node (test/unit/galleryModel.test.ts).
 */

import type { GalleryEntry } from './galleryProtocol';

export interface GalleryFilter {
	/** A model's id; '' for every model. */
	readonly model: string;
	/** Words the prompt must hold, in any order and case; '' for any prompt. */
	readonly text: string;
}

/** Newest first; the same time, by id, so that the order never depends on how the list arrived. */
export function compareEntries(a: GalleryEntry, b: GalleryEntry): number {
	return b.created - a.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A sorted copy, newest first. */
export function sortEntries(entries: readonly GalleryEntry[]): GalleryEntry[] {
	return [...entries].sort(compareEntries);
}

/** The filter's text as the words it looks for: lower case, split at white space, empty ones left out. */
export function filterWords(text: string): string[] {
	return text.toLocaleLowerCase().split(/\s+/).filter(Boolean);
}

/**
 * Whether a tile stays with the filter on: its model is the one chosen (or none is), and its prompt
 * or caption holds every word of the text, anywhere and in any case.
 */
export function matchesFilter(entry: GalleryEntry, model: string, words: readonly string[]): boolean {
	if (model && entry.model !== model) {
		return false;
	}
	if (!words.length) {
		return true;
	}
	const haystack = `${entry.title}\n${entry.prompt}`.toLocaleLowerCase();
	return words.every(word => haystack.includes(word));
}

/** The entries a filter keeps, in the order given. */
export function filterEntries(entries: readonly GalleryEntry[], filter: GalleryFilter): GalleryEntry[] {
	const words = filterWords(filter.text);
	return entries.filter(entry => matchesFilter(entry, filter.model, words));
}

export interface ModelChoice {
	readonly model: string;
	readonly label: string;
	/** How many entries were made with it. */
	readonly count: number;
}

/** The models the entries were made with, each once, by name. */
export function modelChoices(entries: readonly GalleryEntry[]): ModelChoice[] {
	const byModel = new Map<string, { label: string; count: number }>();
	for (const entry of entries) {
		const known = byModel.get(entry.model);
		if (known) {
			known.count++;
		} else {
			byModel.set(entry.model, { label: entry.modelLabel || entry.model, count: 1 });
		}
	}
	return [...byModel].map(([model, { label, count }]) => ({ model, label, count }))
		.sort((a, b) => a.label.localeCompare(b.label) || (a.model < b.model ? -1 : 1));
}

/**
 * Where `entry` goes among `sorted` (newest first): the index of the first entry that comes after
 * it, `sorted.length` when none does. A binary search: an update never walks the whole list.
 */
export function insertionIndex(sorted: readonly GalleryEntry[], entry: GalleryEntry): number {
	let low = 0;
	let high = sorted.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (compareEntries(sorted[middle], entry) < 0) {
			low = middle + 1;
		} else {
			high = middle;
		}
	}
	return low;
}

/**
 * The list after an update: `changed` entries replace those of the same id or join the list,
 * `removed` ids leave it. Sorted, newest first. The entries not named keep their objects.
 */
export function applyUpdate(sorted: readonly GalleryEntry[], changed: readonly GalleryEntry[], removed: readonly string[]): GalleryEntry[] {
	const gone = new Set([...removed, ...changed.map(entry => entry.id)]);
	const next = sorted.filter(entry => !gone.has(entry.id));
	for (const entry of changed) {
		next.splice(insertionIndex(next, entry), 0, entry);
	}
	return next;
}
