/**
 * Which proxy VideoGen's requests go through, decided the way VS Code decides it for extensions,
 * from settings the host reads when each request is made (src/host/proxySettings.ts) and hands
 * over through the engine's options. Nothing here matches host names or opens tunnels: undici's
 * `EnvHttpProxyAgent` does both (network.ts); this file only says which proxy, which exceptions,
 * and how to name the proxy to the user without its password.
 *
 * The order is VS Code's own (its proxy resolver, `@vscode/proxy-agent`):
 *   1. loopback (`localhost`, `127.0.0.1`, `::1`) is always reached directly;
 *   2. hosts in `http.noProxy` are reached directly; when that setting lists none, the hosts in
 *      `no_proxy`, else `NO_PROXY`;
 *   3. the proxy in `http.proxy`;
 *   4. else the first of `https_proxy`, `HTTPS_PROXY`, `http_proxy`, `HTTP_PROXY` that is set, for
 *      http: and https: links alike.
 * A value without a scheme is not a proxy (VS Code ignores it too). A proxy that VS Code finds only
 * through a PAC script or the operating system's settings is not known here.
 */

import { l10n } from '../l10n';

/** What the host reads, at use time, from VS Code's `http.*` settings and the environment. */
export interface ProxySettings {
	/** `http.proxy`, as written (it may hold `user:password@`); empty when unset. */
	readonly proxy: string;
	/** `http.noProxy`. */
	readonly noProxy: readonly string[];
	/** `http.proxyStrictSSL`: whether an `https:` proxy's own certificate must be trusted. */
	readonly proxyStrictSSL: boolean;
	/** `http.proxyAuthorization`: sent as `Proxy-Authorization` to the proxy, instead of the URL's user and password. */
	readonly proxyAuthorization?: string;
	/** `http.systemCertificates`: whether the operating system's certificate authorities are trusted too. */
	readonly systemCertificates: boolean;
	/** The environment (`HTTPS_PROXY`, `NO_PROXY`, …). */
	readonly env: Readonly<Record<string, string | undefined>>;
}

/** Where the proxy was configured, as the user would look for it. */
export type ProxySource = 'http.proxy' | 'https_proxy' | 'HTTPS_PROXY' | 'http_proxy' | 'HTTP_PROXY';

/** The proxy requests go through, when one is configured. */
export interface ProxyRoute {
	/** The proxy's URL as configured, credentials included: for undici only, never to be shown. */
	readonly url: string;
	/** The same URL for messages and the log: `http://***@proxy.example:3128` when it holds credentials. */
	readonly display: string;
	readonly source: ProxySource;
	/** Hosts reached directly, comma-separated for `EnvHttpProxyAgent`; loopback is always among them. */
	readonly noProxy: string;
	/** The `Proxy-Authorization` value from `http.proxyAuthorization`, if set. */
	readonly authorization?: string;
	/** Whether the proxy is given credentials (in its URL or by `http.proxyAuthorization`). */
	readonly hasCredentials: boolean;
	readonly strictSSL: boolean;
	/** Why it cannot be used (a scheme VideoGen does not speak), if it cannot. */
	readonly unusable?: string;
	/** Every form of the credentials that must never appear in a message or the log. */
	readonly secrets: readonly string[];
}

/** Hosts VS Code never sends through a proxy, in `EnvHttpProxyAgent`'s spelling (IPv6 in brackets). */
const loopback = ['localhost', '127.0.0.1', '[::1]'];

/** The proxy VS Code would use for VideoGen's requests, or undefined when it would connect directly. */
export function proxyRoute(settings: ProxySettings): ProxyRoute | undefined {
	const configured = configuredProxy(settings);
	if (!configured) {
		return undefined;
	}
	let url: URL;
	try {
		url = new URL(configured.value);
	} catch {
		return undefined; // as VS Code: an address it cannot read is no proxy
	}
	const secrets = credentialsOf(url, settings.proxyAuthorization);
	const route = {
		url: configured.value,
		display: redactProxyUrl(configured.value),
		source: configured.source,
		noProxy: directHosts(settings),
		authorization: settings.proxyAuthorization || undefined,
		hasCredentials: !!(url.username || url.password || settings.proxyAuthorization),
		strictSSL: settings.proxyStrictSSL,
		secrets,
	};
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return { ...route, unusable: `VideoGen connects through http: and https: proxies only, and the proxy in ${describeSource(route.source)} is a ${url.protocol.replace(/:$/, '')} proxy` };
	}
	return route;
}

/** `http.proxy` first, then the environment in VS Code's order; a value with no scheme does not count. */
function configuredProxy(settings: ProxySettings): { value: string; source: ProxySource } | undefined {
	const candidates: Array<[ProxySource, string | undefined]> = [
		['http.proxy', settings.proxy],
		['https_proxy', settings.env.https_proxy],
		['HTTPS_PROXY', settings.env.HTTPS_PROXY],
		['http_proxy', settings.env.http_proxy],
		['HTTP_PROXY', settings.env.HTTP_PROXY],
	];
	for (const [source, value] of candidates) {
		if (source === 'http.proxy') {
			if (value?.trim().includes('://')) {
				return { value: value.trim(), source };
			}
			continue;
		}
		// The first variable that is set is the one VS Code takes, usable or not.
		if (value) {
			return value.trim().includes('://') ? { value: value.trim(), source } : undefined;
		}
	}
	return undefined;
}

/**
 * The hosts reached directly: loopback, and those of `http.noProxy` when it lists any, else of
 * `no_proxy`, else of `NO_PROXY`. A `*` among them means every host, as for VS Code.
 */
function directHosts(settings: ProxySettings): string {
	const fromSettings = settings.noProxy.map(entry => entry.trim()).filter(Boolean);
	const entries = fromSettings.length ? fromSettings : (settings.env.no_proxy || settings.env.NO_PROXY || '').split(/[,\s]+/).filter(Boolean);
	return entries.includes('*') ? '*' : [...loopback, ...entries].join(',');
}

/** Says where the proxy was set, in words for a message: "the http.proxy setting", "the HTTPS_PROXY environment variable". */
export function describeSource(source: ProxySource): string {
	return source === 'http.proxy' ? 'the http.proxy setting' : `the ${source} environment variable`;
}

/** The proxy's URL with any user name and password replaced by `***`, and nothing after the port. */
export function redactProxyUrl(value: string): string {
	try {
		const url = new URL(value);
		return `${url.protocol}//${url.username || url.password ? '***@' : ''}${url.host}`;
	} catch {
		return 'the configured proxy';
	}
}

/** The proxy's part in a failed request, as transportErrors.ts tells it. */
export interface ProxyFailureFacts {
	/** Its answer to the tunnel request, when it refused it. */
	readonly status?: number;
	/** What went wrong, without the proxy's credentials. */
	readonly detail?: string;
	/** True when the proxy's own certificate was not accepted. */
	readonly certificate?: boolean;
}

/** What a request through the proxy was for: the VideoGen API, or the host that stores the videos. */
export type ProxyTarget = 'api' | 'storage';

/**
 * Why a request stopped at the proxy and what to check, in words for the user: nothing reached the
 * `target`. The proxy is named without its credentials. Whole sentences for each target and for each
 * place the proxy can be set (the http.proxy setting, an environment variable), so that every
 * language can word them as it needs.
 */
export function describeProxyFailure(proxy: ProxyRoute, facts: ProxyFailureFacts, target: ProxyTarget): string {
	const api = target === 'api';
	const env = proxy.source === 'http.proxy' ? undefined : proxy.source;
	const display = proxy.display;
	const detail = facts.detail && scrub(facts.detail, proxy.secrets).replace(/[^\w .,:;=+/@-]/g, '').slice(0, 100);
	if (proxy.unusable) {
		const scheme = schemeOf(proxy.url);
		return env
			? l10n.t('VideoGen connects through http: and https: proxies only, and the proxy in the {0} environment variable is a {1} proxy, so nothing was sent. Set an http: or https: proxy in the http.proxy setting.', env, scheme)
			: l10n.t('VideoGen connects through http: and https: proxies only, and the proxy in the http.proxy setting is a {0} proxy, so nothing was sent. Set an http: or https: proxy in the http.proxy setting.', scheme);
	}
	const status = facts.status ?? 0;
	if ((status === 401 || status === 407) && proxy.hasCredentials) {
		if (env) {
			return api
				? l10n.t('The proxy {0} refused VideoGen\'s proxy credentials (HTTP {1}), so nothing was sent to the VideoGen API. The user name or password for the proxy is wrong: check the {2} environment variable.', display, status, env)
				: l10n.t('The proxy {0} refused VideoGen\'s proxy credentials (HTTP {1}), so nothing was sent to the video storage host. The user name or password for the proxy is wrong: check the {2} environment variable.', display, status, env);
		}
		return api
			? l10n.t('The proxy {0} refused VideoGen\'s proxy credentials (HTTP {1}), so nothing was sent to the VideoGen API. The user name or password for the proxy is wrong: check the http.proxy setting (and http.proxyAuthorization, if you set it).', display, status)
			: l10n.t('The proxy {0} refused VideoGen\'s proxy credentials (HTTP {1}), so nothing was sent to the video storage host. The user name or password for the proxy is wrong: check the http.proxy setting (and http.proxyAuthorization, if you set it).', display, status);
	}
	if (status === 401 || status === 407) {
		if (env) {
			return api
				? l10n.t('The proxy {0} asks for a user name and password (HTTP {1}), so nothing was sent to the VideoGen API. Give them in the {2} environment variable, as http://user:password@host:port.', display, status, env)
				: l10n.t('The proxy {0} asks for a user name and password (HTTP {1}), so nothing was sent to the video storage host. Give them in the {2} environment variable, as http://user:password@host:port.', display, status, env);
		}
		return api
			? l10n.t('The proxy {0} asks for a user name and password (HTTP {1}), so nothing was sent to the VideoGen API. Give them in the http.proxy setting, as http://user:password@host:port.', display, status)
			: l10n.t('The proxy {0} asks for a user name and password (HTTP {1}), so nothing was sent to the video storage host. Give them in the http.proxy setting, as http://user:password@host:port.', display, status);
	}
	if (facts.status !== undefined) {
		if (env) {
			return api
				? l10n.t('The proxy {0} would not open a connection to the VideoGen API (HTTP {1}), so nothing was sent. Check the {2} environment variable, or ask whoever runs the proxy whether it lets VideoGen through.', display, status, env)
				: l10n.t('The proxy {0} would not open a connection to the video storage host (HTTP {1}), so nothing was sent. Check the {2} environment variable, or ask whoever runs the proxy whether it lets VideoGen through.', display, status, env);
		}
		return api
			? l10n.t('The proxy {0} would not open a connection to the VideoGen API (HTTP {1}), so nothing was sent. Check the http.proxy setting, or ask whoever runs the proxy whether it lets VideoGen through.', display, status)
			: l10n.t('The proxy {0} would not open a connection to the video storage host (HTTP {1}), so nothing was sent. Check the http.proxy setting, or ask whoever runs the proxy whether it lets VideoGen through.', display, status);
	}
	if (facts.certificate) {
		if (api) {
			return detail
				? l10n.t('Could not connect securely to the proxy {0}: its certificate was not accepted ({1}), so nothing was sent to the VideoGen API. Trust the certificate authority that issued it (in the operating system\'s store or in the file NODE_EXTRA_CA_CERTS names), or turn off the http.proxyStrictSSL setting for this proxy.', display, detail)
				: l10n.t('Could not connect securely to the proxy {0}: its certificate was not accepted, so nothing was sent to the VideoGen API. Trust the certificate authority that issued it (in the operating system\'s store or in the file NODE_EXTRA_CA_CERTS names), or turn off the http.proxyStrictSSL setting for this proxy.', display);
		}
		return detail
			? l10n.t('Could not connect securely to the proxy {0}: its certificate was not accepted ({1}), so nothing was sent to the video storage host. Trust the certificate authority that issued it (in the operating system\'s store or in the file NODE_EXTRA_CA_CERTS names), or turn off the http.proxyStrictSSL setting for this proxy.', display, detail)
			: l10n.t('Could not connect securely to the proxy {0}: its certificate was not accepted, so nothing was sent to the video storage host. Trust the certificate authority that issued it (in the operating system\'s store or in the file NODE_EXTRA_CA_CERTS names), or turn off the http.proxyStrictSSL setting for this proxy.', display);
	}
	if (detail) {
		if (env) {
			return api
				? l10n.t('Could not connect to the proxy {0} ({1}), so nothing was sent to the VideoGen API. Check the {2} environment variable, and that the proxy is running.', display, detail, env)
				: l10n.t('Could not connect to the proxy {0} ({1}), so nothing was sent to the video storage host. Check the {2} environment variable, and that the proxy is running.', display, detail, env);
		}
		return api
			? l10n.t('Could not connect to the proxy {0} ({1}), so nothing was sent to the VideoGen API. Check the http.proxy setting, and that the proxy is running.', display, detail)
			: l10n.t('Could not connect to the proxy {0} ({1}), so nothing was sent to the video storage host. Check the http.proxy setting, and that the proxy is running.', display, detail);
	}
	if (env) {
		return api
			? l10n.t('Could not connect to the proxy {0}, so nothing was sent to the VideoGen API. Check the {1} environment variable, and that the proxy is running.', display, env)
			: l10n.t('Could not connect to the proxy {0}, so nothing was sent to the video storage host. Check the {1} environment variable, and that the proxy is running.', display, env);
	}
	return api
		? l10n.t('Could not connect to the proxy {0}, so nothing was sent to the VideoGen API. Check the http.proxy setting, and that the proxy is running.', display)
		: l10n.t('Could not connect to the proxy {0}, so nothing was sent to the video storage host. Check the http.proxy setting, and that the proxy is running.', display);
}

/** `socks5` for `socks5://host:1080`. */
function schemeOf(value: string): string {
	try {
		return new URL(value).protocol.replace(/:$/, '');
	} catch {
		return value;
	}
}

/** Replaces every secret in `text` with `***`. */
export function scrub(text: string, secrets: readonly string[]): string {
	return secrets.reduce((result, secret) => result.split(secret).join('***'), text);
}

/** The forms the proxy's credentials can take in a text: as written, decoded, and Base64-encoded for Basic authentication. */
function credentialsOf(url: URL, authorization: string | undefined): string[] {
	const found = new Set<string>();
	const add = (value: string | undefined) => {
		// Very short values would blot out ordinary words; a password that short protects little anyway.
		if (value && value.length >= 3) {
			found.add(value);
		}
	};
	const user = safeDecode(url.username);
	const password = safeDecode(url.password);
	if (password) {
		add(`${url.username}:${url.password}`);
		add(`${user}:${password}`);
		add(Buffer.from(`${user}:${password}`).toString('base64'));
		add(url.password);
		add(password);
	}
	if (authorization) {
		add(authorization);
		add(authorization.replace(/^\S+\s+/, ''));
	}
	return [...found].sort((a, b) => b.length - a.length);
}

function safeDecode(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
}
