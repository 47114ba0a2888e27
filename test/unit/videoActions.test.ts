/** What a saved video can be done with, decided from the window: every combination, written out. */

import * as assert from 'node:assert/strict';
import { SaveRoute, videoActions, WindowKind } from '../../src/core/videoActions';

/** `env.remoteName` values VS Code's remote extensions and code-server report. */
const REMOTES = ['ssh-remote', 'wsl', 'dev-container', 'attached-container', 'codespaces', 'tunnel', '127.0.0.1:8080'];

interface Expected {
	readonly videosAreLocal: boolean;
	readonly saveCopy: SaveRoute;
	readonly playsSilently: boolean;
	readonly why: string;
}

function expected(window: WindowKind): Expected {
	if (!window.desktop) {
		return { videosAreLocal: false, saveCopy: 'browserDownload', playsSilently: false, why: 'a browser plays AAC and reaches the user\'s disk only by a download' };
	}
	if (!window.remoteName) {
		return { videosAreLocal: true, saveCopy: 'saveDialog', playsSilently: true, why: 'the desktop app in a local window: the video is on this computer' };
	}
	if (window.runsOnUiSide) {
		return { videosAreLocal: true, saveCopy: 'saveDialog', playsSilently: true, why: 'VideoGen runs on the user\'s side of the remote window, so its videos are too' };
	}
	return { videosAreLocal: false, saveCopy: 'saveDialogLocal', playsSilently: true, why: 'the video is on the remote; the dialog must show the user\'s own disk' };
}

describe('videoActions', () => {
	const windows: WindowKind[] = [];
	for (const desktop of [true, false]) {
		for (const remoteName of [undefined, ...REMOTES]) {
			for (const runsOnUiSide of [false, true]) {
				windows.push({ desktop, remoteName, runsOnUiSide });
			}
		}
	}

	for (const window of windows) {
		const { why, ...wanted } = expected(window);
		const name = `${window.desktop ? 'the desktop app' : 'a browser'}, ${window.remoteName ? `remote "${window.remoteName}"` : 'no remote'}, VideoGen on the ${window.runsOnUiSide ? 'user\'s' : 'remote\'s'} side`;
		it(`${name}: ${why}`, () => {
			assert.deepEqual(videoActions(window), wanted);
		});
	}

	it('never offers the system player where the video is not on the user\'s computer', () => {
		for (const window of windows) {
			const actions = videoActions(window);
			assert.equal(actions.videosAreLocal, actions.saveCopy === 'saveDialog', JSON.stringify(window));
		}
	});

	it('says the player is silent exactly in the desktop app, local or remote', () => {
		assert.deepEqual(windows.filter(window => videoActions(window).playsSilently), windows.filter(window => window.desktop));
	});
});
