/**
 * Makes `require('vscode')` return the benchmark's stand-in (./vscodeStub.ts) in this process.
 * For the benchmark's child processes only; call it before loading any extension code.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
import Module = require('module');

interface ModuleInternals {
	_resolveFilename(request: string, parent: unknown, ...rest: unknown[]): string;
}

export function installVscodeStub(): typeof import('./vscodeStub') {
	const stubFile = require.resolve('./vscodeStub');
	const internals = Module as unknown as ModuleInternals;
	const resolve = internals._resolveFilename;
	internals._resolveFilename = function (request: string, parent: unknown, ...rest: unknown[]): string {
		return request === 'vscode' ? stubFile : resolve.call(this, request, parent, ...rest);
	};
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(stubFile) as typeof import('./vscodeStub');
}
