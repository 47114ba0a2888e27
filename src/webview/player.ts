/** The player page: wires the buttons to the extension and shows a fallback when the video cannot play. */

import { FromPlayer, PlayerMessageType, PlayerSettings, PlayerState } from './protocol';

interface VsCodeApi {
	postMessage(message: FromPlayer): void;
	setState(state: PlayerState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const settingsElement = document.getElementById('player-settings');
const settings = JSON.parse(settingsElement?.getAttribute('data-settings') ?? '{}') as PlayerSettings;

// Kept so that VS Code can bring the panel back after a reload.
vscode.setState({ id: settings.id });

for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('button[data-action]'))) {
	button.addEventListener('click', () => {
		const type = button.dataset.action as PlayerMessageType.OpenExternal | PlayerMessageType.RevealFile | PlayerMessageType.CopyUrl | PlayerMessageType.EditAndRegenerate;
		vscode.postMessage({ type });
	});
}

for (const video of Array.from(document.querySelectorAll<HTMLVideoElement>('video'))) {
	video.addEventListener('error', () => {
		document.getElementById('error')?.removeAttribute('hidden');
		vscode.postMessage({ type: PlayerMessageType.PlaybackError, code: video.error?.code ?? 0 });
	});
}
