import { escapeControls } from './serviceText';

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

/**
 * Prefixes every line with `[component]`, the way the log reads best when several parts write to it,
 * and writes out the control characters in it (`\n`, `\u001b`): a line may quote the service, and
 * the service's text must not start a line of its own in the log or colour what follows.
 */
export function scoped(log: Logger, component: string): Logger {
	const prefix = `[${component}] `;
	const line = (message: string | Error) => prefix + escapeControls(typeof message === 'string' ? message : message.message);
	return {
		trace: (m, ...a) => log.trace(line(m), ...a),
		debug: (m, ...a) => log.debug(line(m), ...a),
		info: (m, ...a) => log.info(line(m), ...a),
		warn: (m, ...a) => log.warn(line(m), ...a),
		error: (m, ...a) => log.error(line(m), ...a),
	};
}

/** A logger that drops everything. */
export const silentLogger: Logger = { trace() { }, debug() { }, info() { }, warn() { }, error() { } };
