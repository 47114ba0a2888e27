/**
 * The logging surface the core uses. VS Code's `LogOutputChannel` satisfies it, so the extension
 * passes its channel straight in, and plain-Node tests pass a recorder.
 */
export interface Logger {
	trace(message: string, ...args: unknown[]): void;
	debug(message: string, ...args: unknown[]): void;
	info(message: string, ...args: unknown[]): void;
	warn(message: string, ...args: unknown[]): void;
	error(message: string | Error, ...args: unknown[]): void;
}

/** Prefixes every line with `[component]`, the way the log reads best when several parts write to it. */
export function scoped(log: Logger, component: string): Logger {
	const prefix = `[${component}] `;
	return {
		trace: (m, ...a) => log.trace(prefix + m, ...a),
		debug: (m, ...a) => log.debug(prefix + m, ...a),
		info: (m, ...a) => log.info(prefix + m, ...a),
		warn: (m, ...a) => log.warn(prefix + m, ...a),
		error: (m, ...a) => log.error(typeof m === 'string' ? prefix + m : prefix + m.message, ...a),
	};
}

/** A logger that drops everything. */
export const silentLogger: Logger = { trace() { }, debug() { }, info() { }, warn() { }, error() { } };
