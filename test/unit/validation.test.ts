/** Checks on user settings and on what the service sends: pure functions. */

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkBaseUrl, checkDownloadFolder, checkPrompt, checkResultUrl, isLoopbackHost } from '../../src/core/validation';

describe('checkBaseUrl', () => {
	for (const url of ['https://api.umodelverse.ai', 'https://api-us-ca.umodelverse.ai/', ' https://api.modelverse.cn ']) {
		it(`accepts the regional https host ${url.trim()} and keeps only its origin`, () => {
			const check = checkBaseUrl(url);
			assert.equal(check.error, undefined);
			assert.equal(check.origin, url.trim().replace(/\/$/, ''));
		});
	}

	for (const url of ['http://127.0.0.1:8080', 'http://localhost:3000', 'http://[::1]:9000', 'http://127.5.6.7']) {
		it(`accepts plain http to the loopback host ${url}`, () => {
			assert.equal(checkBaseUrl(url).error, undefined);
			assert.equal(checkBaseUrl(url).origin, url);
		});
	}

	for (const url of ['http://api.umodelverse.ai', 'http://127.0.0.1.evil.example', 'http://localhost.evil.example', 'http://10.0.0.1']) {
		it(`refuses plain http to the remote host ${url}, because the key would travel unencrypted`, () => {
			const check = checkBaseUrl(url);
			assert.equal(check.origin, undefined);
			assert.match(check.error ?? '', /plain http:.*Use https:/);
		});
	}

	it('refuses a URL that carries a user name or password and says where the key belongs', () => {
		assert.match(checkBaseUrl('https://user:secret@api.umodelverse.ai').error ?? '', /Set API Key/);
	});

	it('refuses a scheme other than http and https', () => {
		assert.match(checkBaseUrl('ftp://api.umodelverse.ai').error ?? '', /must start with https:/);
	});

	it('refuses text that is not a URL and names a host to use instead', () => {
		assert.match(checkBaseUrl('api.umodelverse.ai').error ?? '', /not a valid URL.*https:\/\/api\.umodelverse\.ai/);
	});
});

describe('checkResultUrl', () => {
	const remoteApi = 'https://api.umodelverse.ai';
	const loopbackApi = 'http://127.0.0.1:4000';

	it('accepts any https link', () => {
		assert.equal(checkResultUrl('https://cdn.example.com/v/1.mp4', remoteApi), undefined);
		assert.equal(checkResultUrl('https://cdn.example.com/v/1.mp4', loopbackApi), undefined);
	});

	it('accepts a loopback http link only when the API itself is on loopback', () => {
		assert.equal(checkResultUrl('http://127.0.0.1:4001/videos/a.mp4', loopbackApi), undefined);
		assert.match(checkResultUrl('http://127.0.0.1:4001/videos/a.mp4', remoteApi) ?? '', /not https:/);
	});

	it('refuses a remote http link even when the API is on loopback, naming the host', () => {
		assert.match(checkResultUrl('http://cdn.example.com/a.mp4', loopbackApi) ?? '', /not https: \(http:\/\/cdn\.example\.com\); VideoGen will not download it/);
	});

	it('refuses other schemes and text that is not a URL', () => {
		assert.match(checkResultUrl('file:///etc/passwd', loopbackApi) ?? '', /not https:/);
		assert.match(checkResultUrl('not a url', loopbackApi) ?? '', /not a valid URL/);
	});
});

describe('isLoopbackHost', () => {
	it('knows the loopback names and the whole 127/8 block, and nothing else', () => {
		for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.255.0.9', '[::1]', '::1']) {
			assert.equal(isLoopbackHost(host), true, host);
		}
		for (const host of ['128.0.0.1', '0.0.0.0', 'example.com', '127.0.0.1.nip.io', '[::2]']) {
			assert.equal(isLoopbackHost(host), false, host);
		}
	});
});

describe('checkPrompt', () => {
	it('refuses an empty or blank prompt and says what to write', () => {
		assert.match(checkPrompt('') ?? '', /Describe the video you want/);
		assert.match(checkPrompt(' \n\t ') ?? '', /cannot be empty/);
	});

	it('accepts any prompt with text in it', () => {
		assert.equal(checkPrompt('  a cat  '), undefined);
	});
});

describe('checkDownloadFolder', () => {
	const posixHome = '/home/ada';
	const windowsHome = 'C:\\Users\\Ada';

	it('leaves an empty setting to the default', () => {
		assert.deepEqual(checkDownloadFolder('  ', posixHome, path.posix), {});
	});

	it('takes an absolute path as it is, without a trailing separator', () => {
		assert.deepEqual(checkDownloadFolder('/srv/videos/', posixHome, path.posix), { folder: '/srv/videos' });
		assert.deepEqual(checkDownloadFolder('D:\\Videos\\', windowsHome, path.win32), { folder: 'D:\\Videos' });
	});

	it('expands ~ alone and ~ before a separator to the home folder, a backslash too on Windows', () => {
		assert.deepEqual(checkDownloadFolder('~', posixHome, path.posix), { folder: posixHome });
		assert.deepEqual(checkDownloadFolder('~/Videos/VideoGen', posixHome, path.posix), { folder: '/home/ada/Videos/VideoGen' });
		assert.deepEqual(checkDownloadFolder('~\\Videos\\VideoGen', windowsHome, path.win32), { folder: 'C:\\Users\\Ada\\Videos\\VideoGen' });
		assert.deepEqual(checkDownloadFolder('~/Videos', windowsHome, path.win32), { folder: 'C:\\Users\\Ada\\Videos' });
	});

	it('takes a relative path from the home folder, not from the working folder of the process', () => {
		assert.deepEqual(checkDownloadFolder('Videos/VideoGen', posixHome, path.posix), { folder: '/home/ada/Videos/VideoGen' });
		assert.deepEqual(checkDownloadFolder('Videos\\VideoGen', windowsHome, path.win32), { folder: 'C:\\Users\\Ada\\Videos\\VideoGen' });
		assert.deepEqual(checkDownloadFolder('../shared', posixHome, path.posix), { folder: '/home/shared' });
	});

	it('refuses a variable such as ${workspaceFolder}, saying why and what to set instead', () => {
		const { folder, error } = checkDownloadFolder('${workspaceFolder}/videos', posixHome, path.posix);
		assert.equal(folder, undefined);
		assert.equal(error, 'The videogen.downloadFolder setting "${workspaceFolder}/videos" contains a variable, which VideoGen does not expand: videos are saved by whichever window is polling, whatever folder it has open. Set a full path such as ~/Videos/VideoGen, then download again.');
	});

	it('refuses ~name, which would otherwise become a folder named ~name in the home folder', () => {
		assert.match(checkDownloadFolder('~bob/Videos', posixHome, path.posix).error ?? '', /starts with ~ followed by a name; only ~ alone stands for your home folder/);
		assert.match(checkDownloadFolder('~\\Videos', posixHome, path.posix).error ?? '', /only ~ alone/, 'a backslash is a separator on Windows only');
	});
});
