/**
 * UI test: a user behind a company proxy. VS Code's `http.proxy` names Debian's tinyproxy, started
 * here on loopback; the API and the storage host speak HTTPS with a certificate from a private
 * authority that the extension host trusts because NODE_EXTRA_CA_CERTS names it, as a company's
 * machine would. The video is generated from the command palette and played, and both the proxy's
 * log and the service say every request went through the proxy.
 *
 * The simulator listens on 127.0.0.2: loopback, but not a host VideoGen reaches around a proxy
 * (it goes direct only to hosts http.noProxy or NO_PROXY name, and to a plain http: API on
 * loopback, whose key must never go to a proxy in clear). tinyproxy connects onwards from
 * 127.0.0.3, so the simulator can tell what came through it.
 *
 *   npm run compile && npx tsc -p test && npx mocha --config test/.mocharc.ui.json --grep proxy
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { privateCa } from '../common/privateCa';
import { startTinyproxy, Tinyproxy } from '../common/tinyproxy';
import { waitFor } from '../common/waitFor';
import { reportFailure } from './failures';
import { Session, startSession } from './session';
import {
	answerGenerateVideo, editorTab, openVideoGenView, runCommand, submitQuickInput, treeRow, typeInQuickInput,
	waitForQuickInput, waitForVideoFrame, PROBE_MS,
} from './workbench';

const PROMPT = 'A lighthouse seen through a company proxy, dusk';

describe('VideoGen behind a proxy set in VS Code\'s http.proxy', function () {
	let work: string | undefined;
	let proxy: Tinyproxy | undefined;
	let session: Session | undefined;

	before(async function () {
		work = fs.mkdtempSync(path.join(os.tmpdir(), 'videogen-ui-proxy-'));
		const authority = privateCa(path.join(work, 'authority'), 'VideoGen UI test authority (NODE_EXTRA_CA_CERTS)');
		proxy = await startTinyproxy();
		session = await startSession({
			simulator: { host: '127.0.0.2', tls: authority.issue(['127.0.0.2']) },
			userSettings: { 'http.proxy': proxy.url },
			env: { NODE_EXTRA_CA_CERTS: authority.certFile },
			tempPrefix: 'videogen-ui-proxy-videos-',
		});
		assert.match(session.sim.apiUrl, /^https:\/\/127\.0\.0\.2:/);
	});

	afterEach(async function () {
		if (this.currentTest?.state === 'failed' && session) {
			await reportFailure(this.currentTest.title, [session.page], session);
			console.log(`      [ui] proxy log: ${JSON.stringify(proxy?.requests())}`);
		}
	});

	after(async function () {
		await session?.stop();
		await proxy?.stop();
		if (work) {
			fs.rmSync(work, { recursive: true, force: true });
		}
	});

	it('generates from the command palette, saves the video and plays it, with the submit, the polls and the download all through the proxy', async function () {
		const page = session!.page;
		const sim = session!.sim;
		await openVideoGenView(page);
		await runCommand(page, 'VideoGen: Generate Video');
		await waitForQuickInput(page, 'Set API Key');
		await typeInQuickInput(page, sim.apiKey);
		await submitQuickInput(page);
		await answerGenerateVideo(page, { prompt: PROMPT });
		const row = treeRow(page, PROMPT.slice(0, 30));
		await waitFor(() => 'the task never got Ready', async () => (/, Ready\b/.test((await row.first().getAttribute('aria-label').catch(() => '')) ?? '') ? true : undefined), 90_000, PROBE_MS);
		const files = fs.readdirSync(session!.downloadFolder).filter(name => name.endsWith('.mp4'));
		assert.strictEqual(files.length, 1, `one video in the download folder, found ${files.join(', ') || 'none'}`);
		await editorTab(page, PROMPT.slice(0, 20)).first().waitFor({ state: 'visible', timeout: 30_000 });
		const video = await waitForVideoFrame(page, { minReadyState: 2, timeoutMs: 60_000 });
		assert.strictEqual(video.error, null, `media error ${video.error}`);
		assert.strictEqual(decodeURIComponent(new URL(video.src).pathname), path.join(session!.downloadFolder, files[0]));

		// The proxy's own log: a tunnel to the API host (the submit and the polls inside it, over
		// TLS, which the proxy cannot read) and one to the storage host (the download).
		const port = (origin: string) => new URL(origin).port;
		const tunnels = proxy!.requests();
		assert.ok(tunnels.includes(`CONNECT 127.0.0.2:${port(sim.apiUrl)}`), `no tunnel to the API host in the proxy's log: ${tunnels.join(', ')}`);
		assert.ok(tunnels.includes(`CONNECT 127.0.0.2:${port(sim.storageUrl)}`), `no tunnel to the storage host in the proxy's log: ${tunnels.join(', ')}`);
		// The service's side: the submit, the polls and the download each came from the proxy's address, and nothing else came.
		const seen = sim.requests.map(r => `${r.server} ${r.method} ${r.path.split('?')[0]} from ${r.peer}`);
		const from = proxy!.outgoingAddress;
		assert.strictEqual(seen.filter(line => line === `api POST /v1/tasks/submit from ${from}`).length, 1, seen.join('\n'));
		assert.ok(seen.filter(line => line === `api GET /v1/tasks/status from ${from}`).length >= 1, seen.join('\n'));
		assert.ok(seen.some(line => new RegExp(`^storage GET /videos/[^ ]+\\.mp4 from ${from.replace(/\./g, '\\.')}$`).test(line)), seen.join('\n'));
		assert.ok(sim.requests.length > 0 && sim.requests.every(r => r.peer === from), `a request reached the service around the proxy:\n${seen.join('\n')}`);
	});
});
