/**
 * The connections VideoGen's requests take, rebuilt whenever the proxy settings change: the settings
 * are read when each request is made, so a change applies to the next request without a reload.
 *
 * - The API: undici. Without a proxy, one keep-alive pool per origin (four sockets at most). With a
 *   proxy, undici's `EnvHttpProxyAgent`, given the proxy and the exceptions explicitly (it never
 *   reads the environment itself here): it decides per host whether to go through the proxy, opens
 *   the CONNECT tunnel and sends the proxy's credentials. The key only ever travels inside TLS to
 *   the API host through that tunnel: a plain `http:` API origin (loopback only) is never sent
 *   through a proxy.
 * - Downloads: without a proxy, the downloader's own HTTP client (httpGet.ts), which is measured to
 *   be faster and leaner than Node's `https.get` and than an undici `Agent` (about twice curl's
 *   speed and a few MB, against about half curl's and some 70 MB: bench/results.md); through a
 *   proxy, another `EnvHttpProxyAgent`, without the API's limit on the size of an answer.
 *
 * Both trust the certificate authorities of trust.ts.
 */

import { Agent, Dispatcher, EnvHttpProxyAgent, Pool } from 'undici';
import { Logger, silentLogger } from '../log';
import { maxAnswerBytes } from './apiClient';
import { describeSource, ProxyRoute, proxyRoute, ProxySettings } from './proxy';
import { markProxyConnectionError } from './transportErrors';
import { TrustedContext, trustedContext } from './trust';

export interface NetworkOptions {
	/** Read when each request is made. */
	readonly settings: () => ProxySettings;
	/** One more certificate authority to trust (the tests' private one). */
	readonly ca?: string | Buffer;
	/** How long a proxy may take to answer a tunnel request (default 30 s, the API client's own timeout). */
	readonly proxyTimeoutMs?: number;
	readonly log?: Logger;
}

/** How an API request goes out. */
export interface ApiRoute {
	readonly dispatcher: Dispatcher;
	/** The proxy configured for VideoGen's requests, when one is (the origin may still be an exception). */
	readonly proxy?: ProxyRoute;
}

/** How a download goes out. */
export interface DownloadRoute {
	/** Through a proxy: the dispatcher to use instead of the downloader's own client. */
	readonly dispatcher?: Dispatcher;
	readonly proxy?: ProxyRoute;
	readonly trust?: TrustedContext;
}

/**
 * Settings for undici's connections to the API: one keep-alive pool per origin, at most four sockets
 * each, so that fifty polled tasks share a handful of connections instead of opening one each; and
 * no answer read past `maxAnswerBytes` (undici drops the connection), so that a huge or endless
 * answer cannot fill the memory.
 */
export function apiPoolOptions(trust: TrustedContext | undefined): Agent.Options {
	return { connections: 4, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, maxResponseSize: maxAnswerBytes, connect: trust && { ...trust } };
}

interface Routes {
	readonly key: string;
	readonly proxy?: ProxyRoute;
	readonly trust?: TrustedContext;
	/** The pool for API origins reached directly (always those on plain http:). */
	direct?: Agent;
	/** The API through the proxy. */
	proxied?: EnvHttpProxyAgent;
	/** Downloads through the proxy. */
	downloads?: EnvHttpProxyAgent;
}

export class Network {
	private routes: Routes | undefined;
	private readonly log: Logger;
	private readonly closing = new Set<Promise<void>>();

	private readonly proxyTimeoutMs: number;

	constructor(private readonly options: NetworkOptions) {
		this.log = options.log ?? silentLogger;
		this.proxyTimeoutMs = options.proxyTimeoutMs ?? 30_000;
	}

	/** The dispatcher for a request to an API origin, and the proxy in use. */
	forApi(origin: string): ApiRoute {
		const routes = this.current();
		const proxy = origin.startsWith('http:') ? undefined : routes.proxy;
		if (!proxy || proxy.unusable) {
			// An unusable proxy comes along so that the client refuses to send: going around it
			// could reach the API by a way the user's network does not mean it to take.
			routes.direct ??= new Agent(apiPoolOptions(routes.trust));
			return { dispatcher: routes.direct, proxy };
		}
		routes.proxied ??= proxyAgent(proxy, routes.trust, apiPoolOptions(routes.trust), this.proxyTimeoutMs);
		return { dispatcher: routes.proxied, proxy };
	}

	/** How the next download goes out. */
	forDownload(): DownloadRoute {
		const routes = this.current();
		if (!routes.proxy || routes.proxy.unusable) {
			return { proxy: routes.proxy, trust: routes.trust };
		}
		routes.downloads ??= proxyAgent(routes.proxy, routes.trust, { connect: routes.trust && { ...routes.trust } }, this.proxyTimeoutMs);
		return { dispatcher: routes.downloads, proxy: routes.proxy, trust: routes.trust };
	}

	/** Closes every connection; requests under way finish first. */
	async close(): Promise<void> {
		this.retire(this.routes);
		this.routes = undefined;
		await Promise.all(this.closing);
	}

	/** The routes for the settings as they are now; when they changed, new ones (the old close once idle). */
	private current(): Routes {
		const settings = this.options.settings();
		const proxy = proxyRoute(settings);
		const trust = trustedContext({ systemCertificates: settings.systemCertificates, extra: this.options.ca });
		const key = JSON.stringify([proxy?.url, proxy?.noProxy, proxy?.authorization, proxy?.strictSSL, settings.systemCertificates]);
		if (this.routes?.key !== key) {
			this.retire(this.routes);
			this.routes = { key, proxy, trust };
			this.log.info(proxy
				? proxy.unusable
					? `${proxy.unusable}; requests that would go through it are not sent`
					: `requests go through the proxy ${proxy.display} (${describeSource(proxy.source)}), except to ${proxy.noProxy === '*' ? 'every host (no proxy: *)' : proxy.noProxy.split(',').join(', ')}`
				: 'requests connect directly (no proxy is set in http.proxy or the environment)');
		}
		return this.routes;
	}

	private retire(routes: Routes | undefined): void {
		for (const dispatcher of [routes?.direct, routes?.proxied, routes?.downloads]) {
			if (dispatcher) {
				const closed = dispatcher.close().catch(() => undefined).finally(() => this.closing.delete(closed));
				this.closing.add(closed);
			}
		}
	}
}

/**
 * undici's agent for a proxy: it goes through the proxy for every host but the exceptions, and
 * trusts the same authorities for the tunnelled connection as for a direct one. `http.proxyStrictSSL`
 * applies to the proxy's own certificate (an `https:` proxy) and never to the host behind it.
 */
function proxyAgent(proxy: ProxyRoute, trust: TrustedContext | undefined, options: Agent.Options, answerTimeoutMs: number): EnvHttpProxyAgent {
	return new EnvHttpProxyAgent({
		...options,
		httpProxy: proxy.url,
		httpsProxy: proxy.url,
		noProxy: proxy.noProxy,
		token: proxy.authorization,
		requestTls: trust && { ...trust },
		proxyTls: { ...trust, rejectUnauthorized: proxy.strictSSL },
		// A proxy that accepts the connection and never answers the tunnel request is given up on
		// as the service would be (undici's own default is five minutes).
		clientFactory: (origin, opts) => new ProxyConnection(origin, { ...opts, headersTimeout: answerTimeoutMs }),
	});
}

/** The pool of connections to the proxy, which marks the errors of connecting to it (transportErrors.ts reads the mark). */
class ProxyConnection extends Pool {
	// undici's overloads of `connect`; the agent uses the one that returns a promise.
	override connect(options: Dispatcher.ConnectOptions): Promise<Dispatcher.ConnectData>;
	override connect(options: Dispatcher.ConnectOptions, callback: (err: Error | null, data: Dispatcher.ConnectData) => void): void;
	override connect(options: Dispatcher.ConnectOptions, callback?: (err: Error | null, data: Dispatcher.ConnectData) => void): Promise<Dispatcher.ConnectData> | void {
		if (callback) {
			return super.connect(options, (error, data) => {
				markProxyConnectionError(error);
				callback(error, data);
			});
		}
		return super.connect(options).catch((error: unknown) => {
			markProxyConnectionError(error);
			throw error;
		});
	}
}
