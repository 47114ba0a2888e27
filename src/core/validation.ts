/**
 * Checks on everything that comes from the user or from the service before it is used.
 * Each check returns a message that says what is wrong and what to do, or `undefined` when fine.
 */

import * as path from 'path';
import { l10n } from './l10n';

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
	return loopbackHosts.has(hostname.toLowerCase()) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

export interface BaseUrlCheck {
	/** The origin requests go to, e.g. `https://api.umodelverse.ai`. */
	readonly origin?: string;
	readonly error?: string;
}

/** The host of an API origin as the user knows it (`api-us-ca.umodelverse.ai`, `127.0.0.1:8080`). */
export function hostOf(origin: string): string {
	try {
		return new URL(origin).host || origin;
	} catch {
		return origin;
	}
}

/**
 * The API key travels to this URL, so it must be `https:`; plain `http:` is allowed only to this
 * machine (a local simulator or proxy), where nothing crosses a network.
 */
export function checkBaseUrl(value: string): BaseUrlCheck {
	const trimmed = value.trim();
	let url: URL;
	try {
		url = new URL(trimmed);
	} catch {
		return { error: l10n.t('The VideoGen base URL "{0}" is not a valid URL. Set videogen.baseUrl to one of the regional hosts, such as https://api.umodelverse.ai.', trimmed) };
	}
	if (url.username || url.password) {
		return { error: l10n.t('The VideoGen base URL must not contain a user name or password. Store the API key with "VideoGen: Set API Key" instead.') };
	}
	if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
		return { error: l10n.t('The VideoGen base URL {0} uses plain http:, which would send your API key unencrypted. Use https:, or http: only to a loopback host such as 127.0.0.1.', url.origin) };
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return { error: l10n.t('The VideoGen base URL must start with https:, not {0}', url.protocol) };
	}
	return { origin: url.origin };
}

export interface FolderCheck {
	/** The absolute folder; absent when the setting is empty (the caller's default applies). */
	readonly folder?: string;
	readonly error?: string;
}

/**
 * Where the videogen.downloadFolder setting points. `~` alone or followed by a separator (`/`, and
 * on Windows also `\`) is the home folder, and a relative path is taken from the home folder too:
 * the extension host's working folder, which Node would resolve it against, is no folder the user
 * ever chose. Variables such as `${workspaceFolder}` are refused rather than expanded: the window
 * that holds the polling lease saves the videos of every window, so "the workspace's folder" would
 * be that of whichever window happened to be polling, and a window with no folder open has none.
 */
export function checkDownloadFolder(value: string, home: string, paths: path.PlatformPath = path): FolderCheck {
	const trimmed = value.trim();
	if (!trimmed) {
		return {};
	}
	if (/\$\{[^}]*\}/.test(trimmed)) {
		return { error: l10n.t('The videogen.downloadFolder setting "{0}" contains a variable, which VideoGen does not expand: videos are saved by whichever window is polling, whatever folder it has open. Set a full path such as ~/Videos/VideoGen, then download again.', trimmed) };
	}
	const separators = paths.sep === '\\' ? ['/', '\\'] : ['/'];
	if (trimmed.startsWith('~')) {
		if (trimmed !== '~' && !separators.includes(trimmed[1])) {
			return { error: l10n.t('The videogen.downloadFolder setting "{0}" starts with ~ followed by a name; only ~ alone stands for your home folder. Set a full path such as ~/Videos/VideoGen, then download again.', trimmed) };
		}
		return { folder: paths.resolve(home, trimmed.slice(2)) };
	}
	return { folder: paths.resolve(home, trimmed) };
}

/**
 * Result URLs come from the service and are fetched without credentials. They must be `https:`;
 * plain `http:` is accepted only to a loopback host and only when the API itself is on loopback.
 */
export function checkResultUrl(value: string, apiOrigin: string): string | undefined {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return l10n.t('The service returned a video link that is not a valid URL.');
	}
	if (url.protocol === 'https:') {
		return undefined;
	}
	if (url.protocol === 'http:' && isLoopbackHost(url.hostname) && isLoopbackHost(new URL(apiOrigin).hostname)) {
		return undefined;
	}
	return l10n.t('The service returned a video link that is not https: ({0}); VideoGen will not download it.', `${url.protocol}//${url.host}`);
}

/** Trims the prompt; a prompt with nothing in it is refused. */
export function checkPrompt(value: string): string | undefined {
	return value.trim() ? undefined : l10n.t('Describe the video you want: the prompt cannot be empty.');
}
