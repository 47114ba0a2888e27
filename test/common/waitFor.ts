/** Waiting for a condition, shared by the plain-Node and the extension-host tests (no `vscode` here). */

/** Waits until `check` returns a value that is not `undefined`/`false`, and returns it. */
export async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 20_000, intervalMs = 25): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (; ;) {
		const value = check();
		if (value !== undefined && value !== false) {
			return value;
		}
		if (Date.now() > deadline) {
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		}
		await new Promise(resolve => setTimeout(resolve, intervalMs));
	}
}
