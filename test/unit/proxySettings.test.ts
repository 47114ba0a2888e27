/**
 * Which proxy VideoGen's requests go through, from VS Code's settings and the environment, in the
 * order VS Code's own proxy resolver uses; and how the proxy is named to the user without its
 * credentials. What undici then does with the route is tested against a real proxy in
 * proxyTraffic.test.ts.
 */

import * as assert from 'node:assert/strict';
import { proxyRoute, ProxySettings, redactProxyUrl, scrub } from '../../src/core/net/proxy';

const none: ProxySettings = { proxy: '', noProxy: [], proxyStrictSSL: true, systemCertificates: true, env: {} };
const route = (over: Partial<ProxySettings>) => proxyRoute({ ...none, ...over });

describe('the proxy VideoGen uses', () => {
	it('is none when neither http.proxy nor the environment names one', () => {
		assert.equal(route({}), undefined);
		assert.equal(route({ env: { NO_PROXY: 'example.com' } }), undefined);
	});

	it('is http.proxy when it is set, before any environment variable', () => {
		const chosen = route({ proxy: 'http://proxy.corp:3128', env: { HTTPS_PROXY: 'http://env.corp:8080' } });
		assert.equal(chosen?.url, 'http://proxy.corp:3128');
		assert.equal(chosen?.source, 'http.proxy');
	});

	it('takes the environment in VS Code\'s order: https_proxy, HTTPS_PROXY, http_proxy, HTTP_PROXY', () => {
		const all = { https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2', http_proxy: 'http://c:3', HTTP_PROXY: 'http://d:4' };
		assert.equal(route({ env: all })?.source, 'https_proxy');
		assert.equal(route({ env: { ...all, https_proxy: undefined } })?.source, 'HTTPS_PROXY');
		assert.equal(route({ env: { http_proxy: 'http://c:3', HTTP_PROXY: 'http://d:4' } })?.source, 'http_proxy');
		assert.equal(route({ env: { HTTP_PROXY: 'http://d:4' } })?.url, 'http://d:4');
	});

	it('ignores a value without a scheme, as VS Code does: an http.proxy falls back to the environment, a variable means no proxy', () => {
		assert.equal(route({ proxy: 'proxy.corp:3128', env: { HTTPS_PROXY: 'http://env.corp:8080' } })?.source, 'HTTPS_PROXY');
		assert.equal(route({ env: { HTTPS_PROXY: 'proxy.corp:3128', HTTP_PROXY: 'http://env.corp:8080' } }), undefined);
	});

	it('always reaches loopback directly, and adds http.noProxy, which replaces NO_PROXY when it lists any host', () => {
		assert.equal(route({ proxy: 'http://p:1' })?.noProxy, 'localhost,127.0.0.1,[::1]');
		assert.equal(route({ proxy: 'http://p:1', env: { NO_PROXY: 'a.example, b.example' } })?.noProxy, 'localhost,127.0.0.1,[::1],a.example,b.example');
		assert.equal(route({ proxy: 'http://p:1', env: { no_proxy: 'lower.example', NO_PROXY: 'upper.example' } })?.noProxy, 'localhost,127.0.0.1,[::1],lower.example');
		assert.equal(route({ proxy: 'http://p:1', noProxy: ['.corp.example', ' '], env: { NO_PROXY: 'env.example' } })?.noProxy, 'localhost,127.0.0.1,[::1],.corp.example');
		assert.equal(route({ proxy: 'http://p:1', noProxy: ['a.example', '*'] })?.noProxy, '*');
	});

	it('carries http.proxyAuthorization and http.proxyStrictSSL to the proxy', () => {
		const chosen = route({ proxy: 'https://p:1', proxyAuthorization: 'Basic dTpw', proxyStrictSSL: false });
		assert.equal(chosen?.authorization, 'Basic dTpw');
		assert.equal(chosen?.hasCredentials, true);
		assert.equal(chosen?.strictSSL, false);
		assert.equal(route({ proxy: 'http://p:1' })?.hasCredentials, false);
	});

	it('says a proxy of another kind than http: or https: cannot be used, naming where it is set', () => {
		assert.equal(route({ proxy: 'http://p:1' })?.unusable, undefined);
		assert.equal(route({ proxy: 'https://p:1' })?.unusable, undefined);
		assert.equal(route({ env: { HTTPS_PROXY: 'socks5://p:1080' } })?.unusable,
			'VideoGen connects through http: and https: proxies only, and the proxy in the HTTPS_PROXY environment variable is a socks5 proxy');
	});
});

describe('a proxy shown to the user', () => {
	it('never shows its user name or password, in any form', () => {
		const chosen = route({ proxy: 'http://alice:s%40cret-pw@proxy.corp:3128/' })!;
		assert.equal(chosen.display, 'http://***@proxy.corp:3128');
		assert.equal(redactProxyUrl('http://proxy.corp:3128'), 'http://proxy.corp:3128');
		const basic = Buffer.from('alice:s@cret-pw').toString('base64');
		const text = `refused alice:s%40cret-pw, alice:s@cret-pw, s@cret-pw, s%40cret-pw and Basic ${basic}`;
		const clean = scrub(text, chosen.secrets);
		for (const secret of ['s@cret-pw', 's%40cret-pw', basic]) {
			assert.ok(!clean.includes(secret), clean);
		}
	});

	it('keeps a Proxy-Authorization value out of text, with or without its scheme', () => {
		const chosen = route({ proxy: 'http://proxy.corp:3128', proxyAuthorization: 'Basic YWxpY2U6cHc=' })!;
		assert.equal(scrub('sent Basic YWxpY2U6cHc= and YWxpY2U6cHc=', chosen.secrets), 'sent *** and ***');
	});
});
