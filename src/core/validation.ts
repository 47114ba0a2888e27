/**
 * Checks on everything that comes from the user or from the service before it is used.
 * Each check returns a message that says what is wrong and what to do, or `undefined` when fine.
 */

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
	return loopbackHosts.has(hostname.toLowerCase()) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

export interface BaseUrlCheck {
	/** The origin requests go to, e.g. `https://api.umodelverse.ai`. */
	readonly origin?: string;
	readonly error?: string;
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
		return { error: `The VideoGen base URL "${trimmed}" is not a valid URL. Set videogen.baseUrl to one of the regional hosts, such as https://api.umodelverse.ai.` };
	}
	if (url.username || url.password) {
		return { error: 'The VideoGen base URL must not contain a user name or password. Store the API key with "VideoGen: Set API Key" instead.' };
	}
	if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
		return { error: `The VideoGen base URL ${url.origin} uses plain http:, which would send your API key unencrypted. Use https:, or http: only to a loopback host such as 127.0.0.1.` };
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return { error: `The VideoGen base URL must start with https:, not ${url.protocol}` };
	}
	return { origin: url.origin };
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
		return 'The service returned a video link that is not a valid URL.';
	}
	if (url.protocol === 'https:') {
		return undefined;
	}
	if (url.protocol === 'http:' && isLoopbackHost(url.hostname) && isLoopbackHost(new URL(apiOrigin).hostname)) {
		return undefined;
	}
	return `The service returned a video link that is not https: (${url.protocol}//${url.host}); VideoGen will not download it.`;
}

/** Trims the prompt; a prompt with nothing in it is refused. */
export function checkPrompt(value: string): string | undefined {
	return value.trim() ? undefined : 'Describe the video you want: the prompt cannot be empty.';
}
