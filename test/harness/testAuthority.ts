/**
 * The private certificate authorities the extension host trusts in the host tests, as a company's
 * machine trusts its own: one named by NODE_EXTRA_CA_CERTS, and one in what Node reads as the
 * operating system's store (on Linux the file SSL_CERT_FILE names). Node reads both when a process
 * starts, so the runner makes them before it starts VS Code. The tests find their folders (and
 * keys, to issue server certificates) in VIDEOGEN_TEST_AUTHORITY and VIDEOGEN_TEST_SYSTEM_AUTHORITY.
 */

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { privateCa } from '../common/privateCa';

export function hostTestAuthority(): { readonly env: Record<string, string>; remove(): void } {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'videogen-host-authority-'));
	const extra = privateCa(path.join(dir, 'extra'), 'VideoGen host test authority (NODE_EXTRA_CA_CERTS)');
	const system = privateCa(path.join(dir, 'system'), 'VideoGen host test authority (system store)');
	return {
		env: {
			NODE_EXTRA_CA_CERTS: extra.certFile,
			SSL_CERT_FILE: system.certFile,
			VIDEOGEN_TEST_AUTHORITY: path.join(dir, 'extra'),
			VIDEOGEN_TEST_SYSTEM_AUTHORITY: path.join(dir, 'system'),
		},
		remove: () => fs.rmSync(dir, { recursive: true, force: true }),
	};
}
