/**
 * Localization: every runtime string is in the committed bundle and in its Simplified Chinese
 * translation, every manifest string in package.nls.json and package.nls.zh-cn.json, and core's
 * translator hook behaves as the host installs it.
 */

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiError } from '../../src/core/errors';
import { formatBytes } from '../../src/core/format';
import { installTranslator, l10n, sentences, Translator } from '../../src/core/l10n';

/** The repo root: this file is compiled to out/test/unit/. */
const ROOT = path.resolve(__dirname, '..', '..', '..');

function readJson(file: string): Record<string, unknown> {
	return JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, unknown>;
}

/** `{0}`, `{1}`… in a message, sorted, with repeats. */
function placeholders(message: string): string[] {
	return (message.match(/\{\d+\}/g) ?? []).sort();
}

/** `command:…` links in a welcome view's text. */
function commandLinks(text: string): string[] {
	return (text.match(/\(command:[\w.]+\)/g) ?? []).sort();
}

/** Keys of `actual` missing from `expected`'s and extra ones, for a readable failure. */
function keyDifference(expected: object, actual: object): { missing: string[]; extra: string[] } {
	return {
		missing: Object.keys(expected).filter(key => !(key in actual)),
		extra: Object.keys(actual).filter(key => !(key in expected)),
	};
}

describe('runtime strings bundle', function () {
	this.timeout(60_000);
	const bundle = readJson('l10n/bundle.l10n.json') as Record<string, string>;
	const chinese = readJson('l10n/bundle.l10n.zh-cn.json') as Record<string, unknown>;

	it('is what the export finds in the source today (run `npm run l10n` after changing a message)', () => {
		const out = fs.mkdtempSync(path.join(os.tmpdir(), 'videogen-l10n-'));
		try {
			const run = spawnSync(process.execPath, [path.join(ROOT, 'l10n-export.js'), out], { cwd: ROOT, encoding: 'utf8' });
			assert.equal(run.status, 0, run.stderr);
			const exported = JSON.parse(fs.readFileSync(path.join(out, 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
			assert.deepEqual(keyDifference(exported, bundle), { missing: [], extra: [] });
			assert.deepEqual(bundle, exported);
		} finally {
			fs.rmSync(out, { recursive: true, force: true });
		}
	});

	it('finds the messages of src/core, which call core\'s own l10n rather than VS Code\'s', () => {
		assert.ok('The service said: "{0}".' in bundle, 'src/core/errorText.ts');
		assert.ok('Describe the video you want: the prompt cannot be empty.' in bundle, 'src/core/validation.ts');
		assert.ok('Aspect ratio' in bundle, 'src/core/models/catalogue.ts');
		assert.ok('Generate Video' in bundle, 'src/flow (vscode.l10n)');
	});

	it('has a non-empty Simplified Chinese entry for every key, and no stale ones', () => {
		assert.deepEqual(keyDifference(bundle, chinese), { missing: [], extra: [] });
		const empty = Object.entries(chinese).filter(([, value]) => typeof value !== 'string' || !value.trim()).map(([key]) => key);
		assert.deepEqual(empty, []);
	});

	it('keeps the same {0} placeholders in Chinese as in English', () => {
		const mismatched = Object.keys(bundle).filter(key => typeof chinese[key] === 'string'
			&& placeholders(key).join() !== placeholders(chinese[key] as string).join());
		assert.deepEqual(mismatched, []);
	});

	it('is translated, not copied: most Chinese entries differ from the English', () => {
		const untranslated = Object.keys(bundle).filter(key => chinese[key] === key && /[a-z]{3}/.test(key.replace(/\{\d+\}|VideoGen|https?:\S*|MB|KB|GB/g, '')));
		assert.deepEqual(untranslated, []);
	});
});

describe('manifest strings', () => {
	const manifestText = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
	const manifest = JSON.parse(manifestText) as { l10n?: string; contributes: { viewsWelcome: { contents: string }[] } };
	const nls = readJson('package.nls.json') as Record<string, string>;
	const chinese = readJson('package.nls.zh-cn.json') as Record<string, unknown>;

	it('names the runtime bundle folder in package.json', () => {
		assert.equal(manifest.l10n, './l10n');
	});

	it('has every %key% of package.json in package.nls.json, and no key nobody uses', () => {
		const used = new Set([...manifestText.matchAll(/"%([^%"]+)%"/g)].map(match => match[1]));
		assert.ok(used.size > 30, `only ${used.size} %keys% in package.json`);
		assert.deepEqual([...used].filter(key => !(key in nls)), []);
		assert.deepEqual(Object.keys(nls).filter(key => !used.has(key)), []);
	});

	it('leaves no command title, view name or setting description as plain English in package.json', () => {
		const contributes = JSON.parse(manifestText).contributes as Record<string, unknown>;
		const plain: string[] = [];
		const visit = (value: unknown, where: string) => {
			if (typeof value === 'string') {
				if (/^(title|name|contextualTitle|contents|description|markdownDescription|category)$|enumDescriptions/.test(where.split('.').pop()!.replace(/\[\d+\]$/, '')) && !/^%[^%]+%$/.test(value)) {
					plain.push(`${where}: ${value}`);
				}
			} else if (Array.isArray(value)) {
				value.forEach((item, index) => visit(item, `${where}[${index}]`));
			} else if (value && typeof value === 'object') {
				for (const [key, item] of Object.entries(value)) {
					visit(item, `${where}.${key}`);
				}
			}
		};
		visit(contributes, 'contributes');
		assert.deepEqual(plain, []);
	});

	it('has a non-empty Simplified Chinese entry for every key of package.nls.json, and no stale ones', () => {
		assert.deepEqual(keyDifference(nls, chinese), { missing: [], extra: [] });
		assert.deepEqual(Object.entries(chinese).filter(([, value]) => typeof value !== 'string' || !value.trim()).map(([key]) => key), []);
	});

	it('keeps the welcome views\' command links and the {0} placeholders in Chinese', () => {
		for (const key of Object.keys(nls)) {
			assert.equal(placeholders(chinese[key] as string).join(), placeholders(nls[key]).join(), key);
			assert.deepEqual(commandLinks(chinese[key] as string), commandLinks(nls[key]), key);
		}
		assert.equal(manifest.contributes.viewsWelcome.length, Object.keys(nls).filter(key => key.startsWith('viewsWelcome.')).length);
	});
});

/**
 * What `vscode.l10n.t` does with a template (its `format2`): `{0}`, `{1}` replaced by the values
 * given, and left as they are when there is no such value. A stand-in, since these tests run in Node.
 */
function likeVsCode(template: string, args: readonly unknown[]): string {
	return template.replace(/\{(\d+)\}/g, (match, i: string) => Number(i) < args.length ? String(args[Number(i)]) : match);
}

describe('core l10n', () => {
	const hook = Symbol.for('videogen.l10n');
	const global = globalThis as Record<symbol, Translator | undefined>;
	afterEach(() => {
		delete global[hook];
	});

	it('falls back to English with {0} substitution when no translator is installed', () => {
		assert.equal(l10n.t('Waiting for the API key of {0}', 'api.example.com'), 'Waiting for the API key of api.example.com');
		assert.equal(l10n.t('{1} before {0}, {2} left as it is', 'b', 'a'), 'a before b, {2} left as it is');
		assert.equal(l10n.language, 'en');
	});

	it('uses the translator and language the host installs on the global symbol, as every bundle sees it', () => {
		const calls: unknown[][] = [];
		installTranslator({ t: (message, ...args) => { calls.push([message, ...args]); return likeVsCode(`«${message}»`, args); }, language: 'zh-cn' });
		assert.equal(l10n.t('Checking the task failed: {0}', 'boom'), '«Checking the task failed: boom»');
		assert.equal(l10n.t('Checking the task failed: {0}', 'again'), '«Checking the task failed: again»');
		// The template is asked for once, without values, and filled in here as VS Code fills it in.
		assert.deepEqual(calls, [['Checking the task failed: {0}']]);
		assert.equal(l10n.language, 'zh-cn');
		// Another bundle's copy of src/core/l10n.ts reads the same registry symbol.
		assert.equal(global[hook]?.language, 'zh-cn');
	});

	it('builds an API error\'s message from whole translated sentences, joined as the language joins them', () => {
		const zh: Record<string, string> = {
			'The API key was rejected (HTTP 401).': 'API 密钥被拒绝（HTTP 401）。',
			'The service said: "{0}".': '服务返回的信息：“{0}”。',
			'Set a valid key with "VideoGen: Set API Key".': '请使用“VideoGen: 设置 API 密钥”设置有效的密钥。',
			'{0} {1}': '{0}{1}',
		};
		installTranslator({ t: (message, ...args) => likeVsCode(zh[message] ?? message, args), language: 'zh-cn' });
		const error = new ApiError({ kind: 'unauthorized', operation: 'submit', status: 401, serviceMessage: 'bad key' });
		assert.equal(error.message, 'API 密钥被拒绝（HTTP 401）。服务返回的信息：“bad key”。请使用“VideoGen: 设置 API 密钥”设置有效的密钥。');
	});

	it('joins whole sentences with a space in English and leaves out empty ones', () => {
		assert.equal(sentences('One.', undefined, 'Two.', ''), 'One. Two.');
		assert.equal(sentences(), '');
	});

	it('formats sizes for the display language', () => {
		assert.equal(formatBytes(1536 * 1024), '1.5 MB');
		installTranslator({ t: (message, ...args) => likeVsCode(message, args), language: 'de' });
		assert.equal(formatBytes(1536 * 1024), '1,5 MB');
		assert.equal(formatBytes(1000), '1.000 B');
	});
});
