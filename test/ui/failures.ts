/**
 * What a failed UI test leaves behind to look at: a screenshot of each window in
 * `.harness/ui-failures/`, and in the test's output the notifications, the VideoGen view's rows and
 * the tail of the workbench's log.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from '../harness/codeServer';
import { ROOT, Session } from './session';
import { notificationToasts, treeRowLabels } from './workbench';

export const FAILURES = path.join(ROOT, '.harness', 'ui-failures');

export async function reportFailure(title: string, pages: Page[], session: Session | undefined): Promise<void> {
	const slug = title.replace(/[^a-z0-9]+/gi, '-').slice(0, 80) || 'test';
	fs.mkdirSync(FAILURES, { recursive: true });
	for (const [index, page] of pages.entries()) {
		if (page.isClosed()) {
			continue;
		}
		const window = pages.length > 1 ? `window ${index + 1} ` : '';
		const file = path.join(FAILURES, `${slug}${pages.length > 1 ? `-window-${index + 1}` : ''}.png`);
		await page.screenshot({ path: file }).then(
			() => console.log(`      [ui] screenshot of the failure: ${path.relative(ROOT, file)}`),
			(error: unknown) => console.log(`      [ui] no screenshot: ${String(error).split('\n')[0]}`),
		);
		console.log(`      [ui] ${window}toasts: ${JSON.stringify(await notificationToasts(page).catch(() => []))}`);
		console.log(`      [ui] ${window}tree: ${JSON.stringify(await treeRowLabels(page).catch(() => []))}`);
	}
	if (session) {
		console.log(`      [ui] workbench log (tail):\n${session.recentLog(30)}`);
	}
}

/** Registers the hook of a suite that drives one window: a failed test is reported with it (see reportFailure). */
export function reportFailuresOf(session: () => Session | undefined): void {
	afterEach(async function () {
		const current = session();
		if (this.currentTest?.state === 'failed' && current) {
			await reportFailure(this.currentTest.title, [current.page], current);
		}
	});
}
