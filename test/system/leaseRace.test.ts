/**
 * The polling lease under a real race: several processes (see ./leaseRaceChild), each a window
 * with the real Lease on one shared file, ask for it at the same moment, hundreds of times over. At
 * no moment may two of them believe they hold it, or two windows would poll (and download) the same
 * tasks at once. Each round starts with the lease run out, which is when the race is tightest:
 * every window, the last holder included, tries to take it.
 */

import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { RaceConfig } from './leaseRaceChild';

const PROCESSES = 3;
const ROUNDS = 400;
const PERIOD_MS = 60;
const DURATION_MS = 40;

interface ChildResult {
	readonly owner: string;
	/** `[round, call started, call returned, held (1) or not (0)]` for every call. */
	readonly checks: [number, number, number, number][];
}

/** A "yes" from one window: it polls from the moment the call returned, for as long as the lease surely lasts. */
interface Holding {
	readonly owner: string;
	readonly round: number;
	readonly from: number;
	readonly until: number;
}

function runChild(config: RaceConfig): Promise<ChildResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(__dirname, 'leaseRaceChild.js'), JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => stdout += chunk.toString('utf8'));
		child.stderr.on('data', (chunk: Buffer) => stderr += chunk.toString('utf8'));
		child.once('error', reject);
		child.once('exit', code => code === 0 ? resolve(JSON.parse(stdout) as ChildResult) : reject(new Error(`${config.owner} exited with ${code}: ${stderr}`)));
	});
}

describe('the polling lease raced by several processes', function () {
	this.timeout(120_000);
	let dir: string;

	before(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'videogen-lease-race-'));
	});

	after(() => {
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it(`is held by at most one of ${PROCESSES} processes at every moment of ${ROUNDS} rounds, and by one in almost every round`, async () => {
		const startAt = Date.now() + 1_500; // every child has started by then
		const results = await Promise.all(Array.from({ length: PROCESSES }, (_, i) => runChild({
			file: path.join(dir, 'poller.lease'),
			owner: `window-${i}`,
			startAt,
			periodMs: PERIOD_MS,
			rounds: ROUNDS,
			durationMs: DURATION_MS,
		})));
		// A "yes" whose call started at `start` holds the lease until at least `start` plus half its
		// duration: a holder answers "yes" without looking at the folder only while more than half of
		// its lease is left, and a new lease lasts the whole duration from a moment after `start`.
		const holdings: Holding[] = results.flatMap(({ owner, checks }) => checks.filter(([, , , held]) => held)
			.map(([round, start, end]) => ({ owner, round, from: end, until: Math.max(end, start + DURATION_MS / 2) })));
		holdings.sort((a, b) => a.from - b.from);
		const overlaps: string[] = [];
		for (let i = 0; i < holdings.length; i++) {
			for (let j = i + 1; j < holdings.length && holdings[j].from <= holdings[i].until; j++) {
				if (holdings[j].owner !== holdings[i].owner) {
					overlaps.push(`${holdings[i].owner} (round ${holdings[i].round}) and ${holdings[j].owner} (round ${holdings[j].round}) at ${holdings[j].from}`);
				}
			}
		}
		const overlapRounds = new Set(overlaps.map(line => /round (\d+)/.exec(line)![1])).size;
		const heldRounds = new Set(holdings.map(holding => holding.round)).size;
		console.log(`      [lease race] ${PROCESSES} processes, ${ROUNDS} rounds: two holders at once in ${overlapRounds} rounds (${(100 * overlapRounds / ROUNDS).toFixed(1)}%), a holder in ${heldRounds} rounds`);
		assert.deepStrictEqual(overlaps.slice(0, 10), [], `${overlaps.length} times in ${overlapRounds} of ${ROUNDS} rounds two processes held the lease at once`);
		// A lease nobody gets would pass the check above: the race must still have a winner.
		assert.ok(heldRounds >= ROUNDS * 0.95, `only ${heldRounds} of ${ROUNDS} rounds had a holder`);
	});
});
