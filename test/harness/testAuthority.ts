/**
 * The private certificate authority the extension host trusts in the host tests, as a company's
 * machine trusts its own: named by NODE_EXTRA_CA_CERTS, which Node reads when a process starts, so
 * the runner makes it before it starts VS Code. The tests find its folder (and its key, to issue
 * server certificates) in VIDEOGEN_TEST_AUTHORITY.
 */

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { privateCa } from '../common/privateCa';

export function hostTestAuthority(): { readonly env: Record<string, string>; remove(): void } {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'videogen-host-authority-'));
	const authority = privateCa(dir, 'VideoGen host test authority');
	return {
		env: { NODE_EXTRA_CA_CERTS: authority.certFile, VIDEOGEN_TEST_AUTHORITY: dir },
		remove: () => fs.rmSync(dir, { recursive: true, force: true }),
	};
}
