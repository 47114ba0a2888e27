/** A description of the machine a result was measured on. */

import * as fs from 'fs';
import * as os from 'os';

export function describeMachine(): string {
	const cpus = os.cpus();
	const model = cpus[0]?.model.trim() || 'unknown CPU';
	return [
		`CPU ${model}`,
		`${cpus.length} cores`,
		`${(os.totalmem() / 1024 ** 3).toFixed(1)} GB memory`,
		`Node ${process.version}`,
		`${osName()} (${os.type()} ${os.release()}, ${os.arch()})`,
	].join(', ');
}

function osName(): string {
	try {
		const match = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(fs.readFileSync('/etc/os-release', 'utf8'));
		if (match) {
			return match[1];
		}
	} catch {
		// not Linux, or no os-release
	}
	return os.platform();
}
