/** Real image files for tests: valid PNGs of any size, made in memory. */

import * as zlib from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) {
		c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	}
	return c >>> 0;
});

function crc32(bytes: Buffer): number {
	let crc = 0xffffffff;
	for (const byte of bytes) {
		crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
	}
	return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'latin1');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
	return Buffer.concat([head, data, crc]);
}

/** A black greyscale PNG of the given size, `padding` zero bytes appended after its end. */
export function png(width: number, height: number, padding = 0): Buffer {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8;
	const pixels = zlib.deflateSync(Buffer.alloc((width + 1) * height));
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', header),
		pngChunk('IDAT', pixels),
		pngChunk('IEND', Buffer.alloc(0)),
		Buffer.alloc(padding),
	]);
}

/**
 * A colour PNG of a harbour at dawn, drawn in code: a sky from orange to blue, a sun, the sea below.
 * For the demo's screenshots and the tests that show an image, where a black square says little.
 */
export function dawnPng(width: number, height: number): Buffer {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8;
	header[9] = 2; // truecolour
	const rows = Buffer.alloc((width * 3 + 1) * height);
	const horizon = Math.round(height * 0.62);
	const sun = { x: width * 0.68, y: horizon - height * 0.08, r: Math.min(width, height) * 0.09 };
	const mix = (a: number, b: number, t: number) => Math.round(a + (b - a) * t);
	for (let y = 0; y < height; y++) {
		const row = y * (width * 3 + 1);
		for (let x = 0; x < width; x++) {
			let rgb: [number, number, number];
			if (y < horizon) {
				const t = y / horizon;
				rgb = [mix(54, 255, t), mix(74, 170, t), mix(140, 110, t)];
				if (Math.hypot(x - sun.x, y - sun.y) < sun.r) {
					rgb = [255, 226, 150];
				}
			} else {
				const t = (y - horizon) / (height - horizon);
				const glint = Math.abs(x - sun.x) < sun.r * (1 - t) && (y % 6) < 3 ? 60 : 0;
				rgb = [mix(70, 12, t) + glint, mix(90, 30, t) + glint, mix(140, 70, t) + glint];
			}
			rows.set(rgb.map(v => Math.min(255, v)), row + 1 + x * 3);
		}
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', header),
		pngChunk('IDAT', zlib.deflateSync(rows)),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}
