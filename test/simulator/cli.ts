/**
 * Runs the API simulator as its own process.
 *
 *   node out/test/simulator/cli.js [--host H] [--port N] [--storage-port N] [--key K]
 *       [--pending-ms N] [--running-ms N] [--video FILE] [--synthetic-bytes N]
 *
 * Prints one line of JSON `{"apiUrl":...,"storageUrl":...,"apiKey":...}` on stdout once listening,
 * then one short line per request on stderr. Stops on SIGINT or SIGTERM.
 */
import { RecordedRequest, SimulatorOptions, startSimulator } from './simulator';

const USAGE = 'usage: cli.js [--host H] [--port N] [--storage-port N] [--key K] [--pending-ms N] [--running-ms N] [--video FILE] [--synthetic-bytes N]';

type OptionSetter = (options: SimulatorOptions, value: string) => void;

const SETTERS: Record<string, OptionSetter> = {
	'--host': (options, value) => { options.host = value; },
	'--port': (options, value) => { options.apiPort = toNumber('--port', value); },
	'--storage-port': (options, value) => { options.storagePort = toNumber('--storage-port', value); },
	'--key': (options, value) => { options.apiKey = value; },
	'--pending-ms': (options, value) => { options.pendingMs = toNumber('--pending-ms', value); },
	'--running-ms': (options, value) => { options.runningMs = toNumber('--running-ms', value); },
	'--video': (options, value) => { options.videoFile = value; },
	'--synthetic-bytes': (options, value) => { options.syntheticVideoBytes = toNumber('--synthetic-bytes', value); },
};

function toNumber(flag: string, value: string): number {
	const number = Number(value);
	if (!Number.isFinite(number) || number < 0) {
		throw new Error(`${flag} needs a non-negative number, got "${value}"`);
	}
	return number;
}

/** Turns the command line into simulator options; throws on anything unknown. */
export function parseArgs(args: string[]): SimulatorOptions {
	const options: SimulatorOptions = {};
	for (let i = 0; i < args.length; i += 2) {
		const setter = SETTERS[args[i]];
		if (!setter || args[i + 1] === undefined) {
			throw new Error(`unknown or incomplete option "${args[i]}"`);
		}
		setter(options, args[i + 1]);
	}
	return options;
}

/** One log line: time, server, method, path, status and the fault injected, if any. */
export function formatRequest(request: RecordedRequest): string {
	const time = new Date(request.time).toISOString().slice(11, 23);
	const status = request.status ?? '---';
	const fault = request.fault ? ` fault=${request.fault}` : '';
	return `${time} ${request.server.padEnd(7)} ${request.method} ${request.path} ${status}${fault}`;
}

async function main(): Promise<void> {
	let options: SimulatorOptions;
	try {
		options = parseArgs(process.argv.slice(2));
	} catch (error) {
		process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
		process.exit(2);
	}
	options.onRequest = (request) => process.stderr.write(`${formatRequest(request)}\n`);
	const simulator = await startSimulator(options);
	const { apiUrl, storageUrl, apiKey } = simulator;
	process.stdout.write(`${JSON.stringify({ apiUrl, storageUrl, apiKey })}\n`);
	const stop = (): void => {
		void simulator.close().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

if (require.main === module) {
	main().catch((error: unknown) => {
		process.stderr.write(`simulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	});
}
