/**
 * Bodies for download tests served by the tests' own servers. The downloader keeps only what
 * starts like a video file, so these start with an MP4 `ftyp` box and go on with random bytes in an
 * `mdat` box (after an empty `moov`): any byte written twice, dropped or out of order still changes the file.
 */

import * as crypto from 'node:crypto';

/** The `ftyp` box the simulator's generated videos also start with (24 bytes). */
export const FTYP_BOX = Buffer.from('00000018667479706973736f6d000002006973736f6d6d703431', 'hex');

/**
 * `size` bytes that start like an MP4 file (at least its first 8 bytes, `....ftyp`), then an empty
 * `moov` box and an `mdat` box of random bytes that runs to the end: a whole file to a check of its boxes.
 */
export function videoBytes(size: number): Buffer {
	const bytes = crypto.randomBytes(size);
	FTYP_BOX.copy(bytes, 0, 0, Math.min(FTYP_BOX.length, size));
	// Where the `ftyp` box says it ends (24 bytes), a little before the end of FTYP_BOX's bytes: an
	// empty `moov` box, then the `mdat` box.
	const end = FTYP_BOX.readUInt32BE(0);
	if (size >= end + 16) {
		bytes.writeUInt32BE(8, end);
		bytes.write('moov', end + 4, 'latin1');
		bytes.writeUInt32BE(size - end - 8, end + 8);
		bytes.write('mdat', end + 12, 'latin1');
	}
	return bytes;
}
