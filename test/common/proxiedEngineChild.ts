/**
 * Child process of the proxy tests: the engine, as the extension runs it, submits one task through
 * a proxy and saves its video, trusting only the certificate authorities Node trusts by itself;
 * none is given in code, so whether `NODE_EXTRA_CA_CERTS` (set by the parent, read by Node when the
 * process starts) is honoured decides the outcome. Prints one JSON line: the task as it ended.
 *
 *   node proxiedEngineChild.js <api origin> <api key> <proxy url> <folder>
 */

import * as fs from 'fs';
import * as path from 'path';
import { isFinished } from '../../src/core/task';
import { ServiceStack } from './serviceStack';
import { waitFor } from './waitFor';

async function main(): Promise<void> {
	const [origin, apiKey, proxy, folder] = process.argv.slice(2);
	fs.mkdirSync(path.join(folder, 'state'), { recursive: true });
	const stack = new ServiceStack({
		storeFile: path.join(folder, 'state', 'tasks.json'),
		folder: path.join(folder, 'videos'),
		origin,
		apiKey,
		intervalMs: 100,
		proxySettings: () => ({ proxy, noProxy: [], proxyStrictSSL: true, systemCertificates: true, env: {} }),
	});
	await stack.restore();
	const { task, error } = await stack.submit({ prompt: 'A lighthouse behind a company proxy [instant]', parameters: { size: '720x1280', duration: 4 } });
	let ended = task;
	if (!error) {
		ended = await waitFor('the video to be saved', () => {
			const now = stack.store.get(task.id);
			return now && isFinished(now) && (now.download?.phase === 'done' || now.download?.phase === 'failed') ? now : undefined;
		});
	}
	stack.dispose();
	process.stdout.write(`${JSON.stringify({ phase: ended.phase, download: ended.download?.phase, error: error?.message ?? ended.download?.error, kind: error?.kind })}\n`);
	process.exit(0);
}

main().catch(error => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
