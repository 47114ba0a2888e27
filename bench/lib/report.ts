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
	/** Why a target was missed and what would fix it, or (for an `alternative`) why it is not taken; printed under the table. */
	readonly note?: string;
	/**
	 * The row measures a way VideoGen does not take, against the targets it would have to meet to be
	 * taken (the measured reason for a choice): "met?" then says whether it would do, and its note
	 * goes under its own heading rather than with the targets missed.
	 */
	readonly alternative?: boolean;
}

export function table(rows: readonly Row[]): string {
	const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
	const lines = [
		'| what | measured (median, spread) | target | comparison (same run) | met? |',
		'|---|---|---|---|---|',
		...rows.map(row => `| ${cell(row.what)} | ${cell(row.measured)} | ${cell(row.target)} | ${cell(row.comparison)} | ${verdict(row)} |`),
	];
	return lines.join('\n');
}

function verdict(row: Row): string {
	if (row.met === undefined) {
		return 'reported';
	}
	if (row.alternative) {
		return row.met ? 'would do' : 'no: not taken';
	}
	return row.met ? 'yes' : '**missed**';
}

/** The notes of the rows that have one: of the targets (`alternative` false) or of the alternatives measured. */
export function notes(rows: readonly Row[], alternative = false): string {
	return rows.filter(row => row.note && !!row.alternative === alternative).map(row => `- **${row.what}**: ${row.note}`).join('\n');
}
