/**
 * The gallery page: one tile per finished video, newest first, with the video's first frame as its
 * poster. Only the tiles near the viewport hold a `<video>` (an IntersectionObserver gives it its
 * source as the tile comes near and takes it away as it goes), so a thousand videos cost a
 * thousand small buttons and a few decoders. A tile plays muted while the pointer is on it and
 * opens the player when chosen (click, Enter, Space). Every text is set as text, never as markup.
 */

import { applyUpdate, filterWords, matchesFilter, modelChoices, sortEntries } from './galleryModel';
import { FromGallery, GalleryEntry, GalleryMessageType, GallerySettings, GalleryState, ToGallery, ToGalleryType } from './galleryProtocol';

interface VsCodeApi {
	postMessage(message: FromGallery): void;
	setState(state: GalleryState): void;
	getState(): GalleryState | undefined;
}

declare function acquireVsCodeApi(): VsCodeApi;

interface Tile {
	entry: GalleryEntry;
	readonly element: HTMLButtonElement;
	readonly poster: HTMLElement;
	readonly caption: HTMLElement;
	readonly meta: HTMLElement;
	/** Only while the tile is near the viewport. */
	video?: HTMLVideoElement;
}

const vscode = acquireVsCodeApi();
const settings = JSON.parse(document.getElementById('gallery-settings')?.getAttribute('data-settings') ?? '{}') as GallerySettings;
const strings = settings.strings;
const grid = element<HTMLElement>('grid');
const modelSelect = element<HTMLSelectElement>('model');
const textInput = element<HTMLInputElement>('text');
const status = element<HTMLElement>('status');
const empty = element<HTMLElement>('empty');

/** Every entry, newest first. */
let entries: GalleryEntry[] = [];
const tiles = new Map<string, Tile>();
const tileOf = new WeakMap<Element, Tile>();
let firstPoster = true;
const dates = dateFormats(settings.language);

/** Tiles come near whose video is still to be made, in the order they came (top first). */
const nearing = new Set<Tile>();
let attaching: ReturnType<typeof setTimeout> | undefined;

/**
 * Gives a tile its video as it comes within half a screen of the viewport, and takes it away as it
 * leaves: the browser then keeps no decoder or buffered data for the tiles far away. Hidden
 * (filtered out) tiles never intersect.
 */
const observer = new IntersectionObserver(records => {
	for (const record of records) {
		const tile = tileOf.get(record.target);
		if (tile) {
			if (record.isIntersecting) {
				nearing.add(tile);
			} else {
				nearing.delete(tile);
				detachVideo(tile);
			}
		}
	}
	attachSome();
	// The document as the root: the page is a cross-origin frame, where the implicit root (the top
	// window's viewport) would ignore the margin.
}, { root: document, rootMargin: '50% 0px' });

/**
 * Makes the videos of the tiles that came near a few milliseconds' worth at a time, so that a
 * screenful of new videos never holds up a frame (the tiles themselves are painted first).
 */
function attachSome(): void {
	if (attaching !== undefined) {
		return;
	}
	attaching = setTimeout(() => {
		attaching = undefined;
		const start = performance.now();
		for (const tile of nearing) {
			nearing.delete(tile);
			if (tiles.get(tile.entry.id) === tile) {
				attachVideo(tile);
			}
			if (performance.now() - start > 8) {
				break;
			}
		}
		if (nearing.size) {
			attachSome();
		}
	}, 0);
}

const saved = vscode.getState();
modelSelect.value = '';
textInput.value = saved?.text ?? '';
let wantedModel = saved?.model ?? '';

modelSelect.addEventListener('change', () => {
	wantedModel = modelSelect.value;
	filterChanged();
});
let typing: ReturnType<typeof setTimeout> | undefined;
textInput.addEventListener('input', () => {
	clearTimeout(typing);
	typing = setTimeout(filterChanged, 80);
});

// One listener of each kind for every tile, on the grid.
grid.addEventListener('click', event => {
	const tile = tileAt(event.target);
	if (tile) {
		vscode.postMessage({ type: GalleryMessageType.Open, id: tile.entry.id });
	}
});
grid.addEventListener('mouseover', event => {
	const tile = tileAt(event.target);
	if (tile && tile !== tileAt(event.relatedTarget)) {
		play(tile);
	}
});
grid.addEventListener('mouseout', event => {
	const tile = tileAt(event.target);
	if (tile && tile !== tileAt(event.relatedTarget)) {
		stop(tile);
	}
});
grid.addEventListener('focusin', event => {
	const tile = tileAt(event.target);
	if (tile?.element.matches(':focus-visible')) {
		play(tile);
	}
});
grid.addEventListener('focusout', event => {
	const tile = tileAt(event.target);
	if (tile && !tile.element.matches(':hover')) {
		stop(tile);
	}
});

window.addEventListener('message', (event: MessageEvent<ToGallery>) => {
	const message = event.data;
	if (message?.type === ToGalleryType.Entries) {
		showAll(message.entries);
	} else if (message?.type === ToGalleryType.Update) {
		update(message.changed, message.removed);
	}
});

vscode.postMessage({ type: GalleryMessageType.Ready });

/** The tile an event happened in, if any. */
function tileAt(target: EventTarget | null): Tile | undefined {
	const button = target instanceof Element ? target.closest('.tile') : null;
	return button ? tileOf.get(button) : undefined;
}

function element<T extends HTMLElement>(id: string): T {
	const found = document.getElementById(id);
	if (!found) {
		throw new Error(`the gallery page has no #${id}`);
	}
	return found as T;
}

/** Short dates for a narrow tile: the year only when it is not this year's. */
function dateFormats(language: string): { thisYear: Intl.DateTimeFormat; otherYear: Intl.DateTimeFormat } {
	const short: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };
	const make = (options: Intl.DateTimeFormatOptions) => {
		try {
			return new Intl.DateTimeFormat(language, options);
		} catch {
			return new Intl.DateTimeFormat(undefined, options);
		}
	};
	return { thisYear: make(short), otherYear: make({ ...short, year: 'numeric' }) };
}

/** Replaces every tile: the page has just loaded, or was shown again. */
function showAll(list: readonly GalleryEntry[]): void {
	for (const tile of tiles.values()) {
		dropTile(tile);
	}
	entries = sortEntries(list);
	const fragment = document.createDocumentFragment();
	for (const entry of entries) {
		fragment.append(createTile(entry).element);
	}
	grid.replaceChildren(fragment);
	refreshModels();
	applyFilter(entries);
	for (const tile of tiles.values()) {
		observer.observe(tile.element);
	}
	performance.mark('gallery:tiles');
}

/** Takes in what changed: only the tiles named are touched. */
function update(changed: readonly GalleryEntry[], removed: readonly string[]): void {
	for (const id of removed) {
		const tile = tiles.get(id);
		if (tile) {
			dropTile(tile);
		}
	}
	entries = applyUpdate(entries, changed, removed);
	for (const entry of changed) {
		const existing = tiles.get(entry.id);
		if (existing) {
			updateTile(existing, entry);
		}
		const tile = existing ?? createTile(entry);
		// Before the tile of the entry that now follows it (the order may have changed).
		let next: Tile | undefined;
		for (let index = entries.indexOf(entry) + 1; index < entries.length && !next; index++) {
			const after = tiles.get(entries[index].id);
			next = after?.element.isConnected ? after : undefined;
		}
		if (tile.element.nextElementSibling !== (next?.element ?? null) || !tile.element.isConnected) {
			grid.insertBefore(tile.element, next?.element ?? null);
		}
		if (!existing) {
			observer.observe(tile.element);
		}
	}
	refreshModels();
	applyFilter(changed);
}

function createTile(entry: GalleryEntry): Tile {
	const button = document.createElement('button');
	button.type = 'button';
	button.className = 'tile';
	button.dataset.id = entry.id;
	const poster = document.createElement('span');
	poster.className = 'poster';
	const caption = document.createElement('span');
	caption.className = 'caption';
	const meta = document.createElement('span');
	meta.className = 'meta';
	button.append(poster, caption, meta);
	const tile: Tile = { entry, element: button, poster, caption, meta };
	fillText(tile);
	tiles.set(entry.id, tile);
	tileOf.set(button, tile);
	return tile;
}

function updateTile(tile: Tile, entry: GalleryEntry): void {
	const srcChanged = tile.entry.src !== entry.src;
	tile.entry = entry;
	fillText(tile);
	if (srcChanged && tile.video) {
		detachVideo(tile);
		attachVideo(tile);
	}
}

/** The caption, the model and date line, and the tooltip: as text. */
function fillText(tile: Tile): void {
	const { entry } = tile;
	tile.caption.textContent = entry.title;
	tile.meta.textContent = `${entry.modelLabel} · ${formatDate(entry.created)}`;
	tile.element.title = entry.prompt;
}

const currentYear = new Date().getFullYear();

function formatDate(time: number): string {
	try {
		return (new Date(time).getFullYear() === currentYear ? dates.thisYear : dates.otherYear).format(time);
	} catch {
		return new Date(time).toISOString();
	}
}

function dropTile(tile: Tile): void {
	observer.unobserve(tile.element);
	nearing.delete(tile);
	detachVideo(tile);
	tile.element.remove();
	tiles.delete(tile.entry.id);
}

function attachVideo(tile: Tile): void {
	if (tile.video) {
		return;
	}
	const video = document.createElement('video');
	video.muted = true;
	video.loop = true;
	video.playsInline = true;
	// The metadata and the first frame, which the browser shows as the poster; the rest on hover.
	video.preload = 'metadata';
	video.tabIndex = -1;
	video.setAttribute('aria-hidden', 'true');
	video.addEventListener('loadeddata', () => {
		tile.element.classList.add('loaded');
		if (firstPoster) {
			firstPoster = false;
			performance.mark('gallery:first-poster');
		}
		if (tile.element.matches(':hover')) {
			play(tile);
		}
	}, { once: true });
	video.addEventListener('error', () => {
		tile.element.classList.add('unplayable');
		tile.poster.dataset.note = strings.unplayable;
	}, { once: true });
	video.src = tile.entry.src;
	tile.video = video;
	tile.poster.append(video);
}

function detachVideo(tile: Tile): void {
	const video = tile.video;
	if (!video) {
		return;
	}
	tile.video = undefined;
	video.pause();
	// Without a source the element lets go of its decoder and buffers at once.
	video.removeAttribute('src');
	video.load();
	video.remove();
	tile.element.classList.remove('loaded', 'playing');
}

function play(tile: Tile): void {
	const video = tile.video;
	if (video && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) {
		tile.element.classList.add('playing');
		video.play().catch(() => tile.element.classList.remove('playing'));
	}
}

function stop(tile: Tile): void {
	const video = tile.video;
	tile.element.classList.remove('playing');
	if (video && !video.paused) {
		video.pause();
	}
	if (video && video.currentTime !== 0) {
		// Back to the first frame: the poster again.
		video.currentTime = 0;
	}
}

/** The model filter's choices, from the entries there are; the chosen one is kept while it has entries. */
function refreshModels(): void {
	const choices = modelChoices(entries);
	const wanted = choices.some(choice => choice.model === wantedModel) ? wantedModel : '';
	const options = [new Option(strings.allModels, ''), ...choices.map(choice => new Option(`${choice.label} (${choice.count})`, choice.model))];
	const same = modelSelect.options.length === options.length && options.every((option, index) =>
		modelSelect.options[index].value === option.value && modelSelect.options[index].text === option.text);
	if (!same) {
		modelSelect.replaceChildren(...options);
	}
	modelSelect.value = wanted;
}

function filterChanged(): void {
	vscode.setState({ model: wantedModel, text: textInput.value });
	applyFilter(entries);
}

/** Shows or hides the given entries' tiles by the filters, then says how many show. */
function applyFilter(touched: readonly GalleryEntry[]): void {
	const model = modelSelect.value;
	const words = filterWords(textInput.value);
	for (const entry of touched) {
		const tile = tiles.get(entry.id);
		if (tile) {
			tile.element.hidden = !matchesFilter(entry, model, words);
		}
	}
	let shown = 0;
	for (const tile of tiles.values()) {
		if (!tile.element.hidden) {
			shown++;
		}
	}
	const filtered = !!model || words.length > 0;
	status.textContent = filtered ? format(strings.shownOf, shown, entries.length) : format(strings.count, entries.length);
	status.hidden = entries.length === 0;
	empty.textContent = entries.length === 0 ? strings.empty : strings.noMatch;
	empty.hidden = shown > 0;
	grid.hidden = shown === 0;
}

function format(template: string, ...values: number[]): string {
	return template.replace(/\{(\d)\}/g, (whole, index: string) => {
		const value = values[Number(index)];
		return value === undefined ? whole : value.toLocaleString(settings.language);
	});
}
