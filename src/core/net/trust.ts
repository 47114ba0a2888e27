/**
 * The certificate authorities VideoGen's connections trust: those VS Code trusts for extensions.
 * That is Node's own list, which already holds the ones `NODE_EXTRA_CA_CERTS` names, and, when the
 * `http.systemCertificates` setting is on (its default), the operating system's store, where Node
 * can read it (`tls.getCACertificates('system')`, Node 22.15 and later, which VS Code uses for the
 * same purpose). A company whose proxy inspects HTTPS installs its authority in one of these.
 *
 * The list is made into one TLS context, once per process, and shared by every connection: building
 * a context from some hundred certificates takes tens of milliseconds.
 */

import * as tls from 'tls';

export interface TrustOptions {
	/** `http.systemCertificates`. */
	readonly systemCertificates: boolean;
	/** One more authority to trust (the tests' private one). */
	readonly extra?: string | Buffer;
}

/** What a connection passes to `tls.connect`: nothing when Node's own list is the whole answer. */
export interface TrustedContext {
	readonly secureContext: tls.SecureContext;
	/**
	 * The same authorities as a list. Unused by Node when a context is given; it tells VS Code's
	 * certificate patch of `tls.connect`, which skips connections that name their authorities,
	 * not to add to a context shared by every connection.
	 */
	readonly ca: string[];
}

type CertificateType = 'default' | 'system' | 'bundled' | 'extra';
const getCACertificates = (tls as unknown as { getCACertificates?: (type: CertificateType) => string[] }).getCACertificates;

const contexts = new Map<string, TrustedContext | undefined>();

/** The context for these options, made on first use; undefined when Node's default list applies unchanged. */
export function trustedContext(options: TrustOptions): TrustedContext | undefined {
	const extra = options.extra?.toString();
	const system = options.systemCertificates && !!getCACertificates;
	const key = `${system}\n${extra ?? ''}`;
	if (!contexts.has(key)) {
		contexts.set(key, system || extra ? makeContext(system, extra) : undefined);
	}
	return contexts.get(key);
}

function makeContext(system: boolean, extra: string | undefined): TrustedContext {
	// `default` is the bundled list plus NODE_EXTRA_CA_CERTS; without getCACertificates (Node before
	// 22.15) only the bundled list can be named, and an extra authority is for the tests alone.
	const base = getCACertificates ? getCACertificates('default') : [...tls.rootCertificates];
	const ca = [...new Set([...base, ...(system ? readSystem() : []), ...(extra ? [extra] : [])])];
	return { secureContext: tls.createSecureContext({ ca }), ca };
}

function readSystem(): string[] {
	try {
		return getCACertificates?.('system') ?? [];
	} catch {
		return []; // a store Node cannot read leaves Node's own list
	}
}
