/**
 * The player page: wires the buttons to the extension, shows a fallback when the video cannot play,
 * and in a browser client hands a video to the browser's download when the extension asks.
 */

import { FromPlayer, PlayerAction, PlayerMessageType, PlayerSettings, PlayerState, ToPlayer, ToPlayerType } from './protocol';

interface VsCodeApi {
	postMessage(message: FromPlayer): void;
	setState(state: PlayerState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const settingsElement = document.getElementById('player-settings');
const settings = JSON.parse(settingsElement?.getAttribute('data-settings') ?? '{}') as PlayerSettings;
const videos = Array.from(document.querySelectorAll<HTMLVideoElement>('video'));

// Kept so that VS Code can bring the panel back after a reload.
vscode.setState({ id: settings.id });

for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('button[data-action]'))) {
	button.addEventListener('click', () => {
		vscode.postMessage({ type: button.dataset.action as PlayerAction });
	});
}

// The prompt is cut to a few lines (player.css) with Show more, when it is longer than that.
const prompt = document.getElementById('prompt');
const toggle = document.getElementById('prompt-toggle') as HTMLButtonElement | null;
if (prompt && toggle) {
	const fitsClamped = () => prompt.scrollHeight <= prompt.clientHeight + 1;
	const update = () => {
		const expanded = !prompt.classList.contains('clamped');
		toggle.textContent = expanded ? settings.showLess : settings.showMore;
		toggle.setAttribute('aria-expanded', String(expanded));
		toggle.hidden = !expanded && fitsClamped();
	};
	toggle.addEventListener('click', () => {
		prompt.classList.toggle('clamped');
		update();
	});
	new ResizeObserver(update).observe(prompt);
	update();
}

// The keyboard goes to the video, so that Space plays it. The page's document has the focus only
// once the panel is focused, so the video takes it again then, unless the user put it elsewhere.
const first = videos[0];
if (first) {
	first.focus();
	window.addEventListener('focus', () => {
		if (document.activeElement === document.body || document.activeElement === null) {
			first.focus();
		}
	});
}

/** Shows the page's note and asks the host to offer the way out that works in this window. */
function reportPlaybackError(video: HTMLVideoElement): void {
	document.getElementById('error')?.removeAttribute('hidden');
	vscode.postMessage({ type: PlayerMessageType.PlaybackError, code: video.error?.code ?? 0 });
}

for (const video of videos) {
	video.addEventListener('error', () => reportPlaybackError(video));
	// The videos are in the page before this script, which loads after them: a file the browser
	// refused that quickly (a small broken one) has already fired its error and is only seen here.
	if (video.error) {
		reportPlaybackError(video);
	}
}

window.addEventListener('message', (event: MessageEvent<ToPlayer>) => {
	if (event.data?.type === ToPlayerType.Download) {
		const { index, name } = event.data;
		download(index, name).catch((error: unknown) => {
			const status = error instanceof UnreadableVideo ? error.status : undefined;
			vscode.postMessage({ type: PlayerMessageType.DownloadFailed, name, reason: error instanceof Error ? error.message : String(error), status });
		});
	}
});

/** The video's own address did not answer with it; the host says so in the user's language. */
class UnreadableVideo extends Error {
	constructor(readonly status: number) {
		super(`the video could not be read (HTTP ${status})`);
	}
}

/**
 * A browser downloads what a link with a `download` name points at only from the page's own origin,
 * so the video is fetched from the webview's resource origin into a blob first. (The webview host
 * turns a user's click on a link into a request to open it; a click made by a script is left to the
 * browser.)
 */
async function download(index: number, name: string): Promise<void> {
	const video = videos[index];
	if (!video) {
		throw new Error(`the player has no video ${index + 1}`);
	}
	const response = await fetch(video.currentSrc || video.src);
	if (!response.ok) {
		throw new UnreadableVideo(response.status);
	}
	const url = URL.createObjectURL(await response.blob());
	const link = document.createElement('a');
	link.href = url;
	link.download = name;
	link.hidden = true;
	document.body.append(link);
	link.click();
	link.remove();
	// The browser has taken the blob's address once the click returns; the blob itself may go later.
	setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

vscode.postMessage({ type: PlayerMessageType.Ready });
