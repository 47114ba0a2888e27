/**
 * Waiting for a condition: the one helper every test folder uses (plain Node, the extension host,
 * and the UI tests, whose checks ask the page and so are async). No `vscode` here.
 */

/**
 * Waits until `check` returns (or resolves to) a value that is not `undefined`/`false`, and returns
 * it. A check that throws counts as "not yet"; its last error is named if time runs out.
 */
export async function waitFor<T>(
	what: string | (() => string),
	check: () => T | undefined | false | Promise<T | undefined | false>,
	timeoutMs = 20_000,
	intervalMs = 25,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (; ;) {
		try {
			const value = await check();
			if (value !== undefined && value !== false) {
				return value;
			}
		} catch (error) {
			lastError = error;
		}
		if (Date.now() > deadline) {
			const cause = lastError ? ` (last error: ${String(lastError).split('\n')[0]})` : '';
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}${cause}`);
		}
		await new Promise(resolve => setTimeout(resolve, intervalMs));
	}
}
