/** The benchmark's one table, and the file it is kept in. */

export interface Row {
	readonly what: string;
	/** Median and spread, already formatted. */
	readonly measured: string;
	readonly target: string;
	/** Something measured in the same run to compare with. */
	readonly comparison: string;
	/** `undefined` for a figure that is only reported. */
	readonly met: boolean | undefined;
	/** Why a target was missed, and what would fix it; printed under the table. */
	readonly note?: string;
}

export function table(rows: readonly Row[]): string {
	const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
	const lines = [
		'| what | measured (median, spread) | target | comparison (same run) | met? |',
		'|---|---|---|---|---|',
		...rows.map(row => `| ${cell(row.what)} | ${cell(row.measured)} | ${cell(row.target)} | ${cell(row.comparison)} | ${row.met === undefined ? 'reported' : row.met ? 'yes' : '**missed**'} |`),
	];
	return lines.join('\n');
}

export function notes(rows: readonly Row[]): string {
	return rows.filter(row => row.note).map(row => `- **${row.what}**: ${row.note}`).join('\n');
}
