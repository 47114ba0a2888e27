/**
 * A private certificate authority made with `openssl`, as a company makes one for its own servers
 * or for a proxy that inspects HTTPS, and the server certificates it issues. Keys are throwaway
 * P-256 keys valid for two days, written to a folder the caller removes.
 */

import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export interface PrivateCa {
	/** The authority's certificate, PEM, and the file that holds it (for NODE_EXTRA_CA_CERTS). */
	readonly cert: string;
	readonly certFile: string;
	/** Issues a server certificate for these IP addresses and names. */
	issue(hosts: readonly string[]): { readonly cert: string; readonly key: string };
}

function openssl(args: string[], cwd: string): void {
	try {
		execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
	} catch (error) {
		const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
		throw new Error(missing
			? 'openssl is not installed: run `bash test/harness/setup.sh --system-packages` (it installs openssl and tinyproxy)'
			: `openssl ${args[0]} failed: ${String((error as { stderr?: unknown }).stderr ?? error)}`, { cause: error });
	}
}

/** Makes an authority in `dir` (created if needed), or loads the one already there. */
export function privateCa(dir: string, name = 'VideoGen test authority'): PrivateCa {
	fs.mkdirSync(dir, { recursive: true });
	const certFile = path.join(dir, 'ca.crt');
	if (!fs.existsSync(certFile)) {
		openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt',
			'-days', '2', '-subj', `/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
	}
	return {
		cert: fs.readFileSync(certFile, 'utf8'),
		certFile,
		issue(hosts) {
			const id = crypto.randomBytes(6).toString('hex');
			const names = hosts.map(host => net.isIP(host) ? `IP:${host}` : `DNS:${host}`).join(',');
			fs.writeFileSync(path.join(dir, `${id}.ext`), `subjectAltName=${names}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n`);
			openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${id}.key`, '-out', `${id}.csr`, '-subj', `/CN=${hosts[0]}`], dir);
			openssl(['x509', '-req', '-in', `${id}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', `0x${id}`, '-days', '2', '-extfile', `${id}.ext`, '-out', `${id}.crt`], dir);
			return { cert: fs.readFileSync(path.join(dir, `${id}.crt`), 'utf8'), key: fs.readFileSync(path.join(dir, `${id}.key`), 'utf8') };
		},
	};
}
