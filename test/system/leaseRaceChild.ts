/**
 * One "window" racing others for the polling lease, for test/system/leaseRace.test.ts: the real
 * Lease (src/core/lease.ts) on a file the parent names, in a process of its own.
 *
 *   node leaseRaceChild.js '<json config>'
 *
 * Every round starts at the same moment in every child (`startAt + round * periodMs`, waited for
 * by the clock, so no child waits on another). At that moment the child asks for the lease, as the
 * poller does before a round; a quarter of a period later it asks again, as the poller does while
 * it keeps polling. At the end it prints one JSON line: `{"owner", "checks": [[round, start, end,
 * held], …]}`, with the times each call started and returned (`Date.now()`, shared by every process
 * on the machine) and whether it answered that this window holds the lease.
 */

import { Lease } from '../../src/core/lease';

export interface RaceConfig {
	readonly file: string;
	readonly owner: string;
	readonly startAt: number;
	readonly periodMs: number;
	readonly rounds: number;
	/** How long the lease lasts: less than a period, so it has run out when the next round starts. */
	readonly durationMs: number;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, Math.max(0, ms)));

/** Sleeps until shortly before `at`, then spins, so that every child wakes within the same millisecond. */
async function until(at: number): Promise<void> {
	await sleep(at - Date.now() - 3);
	while (Date.now() < at) {
		// spin
	}
}

async function main(): Promise<void> {
	const config = JSON.parse(process.argv[2]) as RaceConfig;
	const lease = new Lease(config.file, config.owner);
	const checks: [number, number, number, number][] = [];
	const check = (round: number) => {
		const start = Date.now();
		const held = lease.tryAcquire(config.durationMs);
		checks.push([round, start, Date.now(), held ? 1 : 0]);
	};
	for (let round = 0; round < config.rounds; round++) {
		const at = config.startAt + round * config.periodMs;
		await until(at);
		check(round);
		await until(at + config.periodMs / 4);
		check(round);
	}
	process.stdout.write(`${JSON.stringify({ owner: config.owner, checks })}\n`);
}

main().catch(error => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
