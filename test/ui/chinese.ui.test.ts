/**
 * UI test in Simplified Chinese: VS Code started with zh-cn as its display language (see
 * HostOptions.displayLanguage: offline the workbench's own words stay English, but VS Code runs in
 * zh-cn and hands it to the extension). VideoGen's command titles and welcome view come from
 * package.nls.zh-cn.json, its runtime messages from l10n/bundle.l10n.zh-cn.json, including those
 * built in src/core, which reach VS Code's translator through the global hook.
 *
 *   npm run compile && npx tsc -p test && npx mocha --config test/.mocharc.ui.json --grep 中文
 */
import * as assert from 'assert';
import { Session, startSession } from './session';
import {
	openVideoGenView, quickInputBox, quickInputTitle, runCommand, submitQuickInput, typeInQuickInput, waitForQuickInput,
	waitForQuickInputMessage, welcomeButton, welcomeContent,
} from './workbench';

describe('VideoGen in Simplified Chinese (中文)', function () {
	let session: Session | undefined;

	const page = () => {
		assert.ok(session, 'the workbench did not start (see the before all hook)');
		return session.page;
	};

	before(async function () {
		session = await startSession({ displayLanguage: 'zh-cn', tempPrefix: 'videogen-ui-zh-' });
	});

	after(async function () {
		await session?.stop();
	});

	it('shows the welcome view and its buttons in Chinese, from package.nls.zh-cn.json', async function () {
		await openVideoGenView(page());
		await welcomeContent(page()).waitFor({ state: 'visible', timeout: 30_000 });
		await welcomeButton(page(), '设置 API 密钥').waitFor({ state: 'visible', timeout: 30_000 });
		await welcomeButton(page(), '生成视频').waitFor({ state: 'visible', timeout: 30_000 });
		assert.match((await welcomeContent(page()).textContent()) ?? '', /请先保存你的 UModelverse API 密钥/);
	});

	it('lists "VideoGen: 生成视频" in the command palette and asks for the key in Chinese when it runs', async function () {
		await runCommand(page(), 'VideoGen: 生成视频');
		// The password box's title and prompt are runtime strings (vscode.l10n.t in src/host/apiKeyStore.ts).
		await waitForQuickInput(page(), '设置 API 密钥');
		assert.match(await quickInputTitle(page()), /^VideoGen: 为 127\.0\.0\.1:\d+ 设置 API 密钥/);
		assert.strictEqual(await quickInputBox(page()).getAttribute('placeholder'), '粘贴你的 API 密钥');
		await typeInQuickInput(page(), session!.sim.apiKey);
		await submitQuickInput(page());
		await waitForQuickInput(page(), '生成视频：模型');
	});

	it('refuses an empty prompt with the model catalogue\'s message in Chinese, built in src/core', async function () {
		await submitQuickInput(page());
		await waitForQuickInput(page(), '生成视频：提示词');
		await submitQuickInput(page());
		// src/core/models/submitBody.ts, in the models bundle: l10n.t through the global hook.
		const message = await waitForQuickInputMessage(page(), 'Sora 2 需要提示词');
		assert.strictEqual(message, 'Sora 2 需要提示词：请描述你想要的视频。');
		assert.strictEqual(session!.sim.stats.submitsReceived, 0);
	});
});
