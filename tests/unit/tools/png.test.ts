import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chunk, decodePng, encodePng } from '../../../tools/lib/png.ts';
import { decodePng as decodeRgbOnWhite } from '../../../tools/train/png/decode.ts';

// PNGs written byte by byte (chunks through the codec's own framing), so the decoder meets headers, filters and
// colour types our encoder never writes.
/** rows: the filtered scanlines, each starting with its filter byte. */
function png(width: number, height: number, depth: number, colourType: number, rows: number[][], extra: Buffer[] = [], interlace = 0): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = colourType;
  ihdr[12] = interlace;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    ...extra,
    chunk('IDAT', deflateSync(Buffer.from(rows.flat()))),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

describe('tools/lib/png decoder', () => {
  it('round-trips RGB and RGBA through the encoder', () => {
    for (const channels of [3, 4] as const) {
      const data = Uint8Array.from({ length: 5 * 3 * channels }, (_, i) => (i * 37) & 0xff);
      expect(decodePng(encodePng({ width: 5, height: 3, channels, data }))).toEqual({ width: 5, height: 3, channels, data });
    }
  });

  it('encodes with per-row filters: smooth and noisy images round-trip exactly, and a smooth one shrinks', () => {
    const w = 64;
    const h = 48;
    const smooth = Uint8Array.from({ length: w * h * 3 }, (_, i) => {
      const x = Math.floor(i / 3) % w;
      const y = Math.floor(i / 3 / w);
      return (x * 3 + y * 2 + (i % 3) * 40 + ((x * y) >> 6)) & 0xff;
    });
    let seed = 7;
    const noisy = Uint8Array.from({ length: w * h * 4 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    for (const [data, channels] of [[smooth, 3], [noisy, 4]] as const) {
      const file = encodePng({ width: w, height: h, channels, data });
      expect(decodePng(file)).toEqual({ width: w, height: h, channels, data });
    }
    // Against filter 0 on every row (what the encoder wrote before): the gradient deflates far better predicted.
    const unfiltered = Buffer.concat(Array.from({ length: h }, (_, y) => Buffer.concat([Buffer.from([0]), Buffer.from(smooth.subarray(y * w * 3, (y + 1) * w * 3))])));
    expect(encodePng({ width: w, height: h, channels: 3, data: smooth }).length).toBeLessThan(deflateSync(unfiltered).length / 2);
  });

  it('undoes every row filter (sub, up, average, Paeth)', () => {
    // 2×4 grey: row 0 raw [10, 20]; row 1 sub; row 2 up; row 3 average; then a Paeth row decoded by hand.
    const img = decodePng(png(2, 5, 8, 0, [[0, 10, 20], [1, 30, 5], [2, 1, 1], [3, 10, 10], [4, 0, 0]]));
    // row1: 30, 35. row2: 31, 36. row3: 31/2+10=25, (25+36)/2+10=40. row4 Paeth: a=0,b=25,c=0 → b → 25; a=25,b=40,c=25 → 40.
    expect(Array.from(img.data.filter((_, i) => i % 3 === 0))).toEqual([10, 20, 30, 35, 31, 36, 25, 40, 25, 40]);
  });

  it('keeps the high byte of 16-bit samples', () => {
    const img = decodePng(png(1, 1, 16, 2, [[0, 0x12, 0xff, 0x34, 0x00, 0x56, 0x80]]));
    expect(img).toEqual({ width: 1, height: 1, channels: 3, data: Uint8Array.from([0x12, 0x34, 0x56]) });
  });

  it('expands a palette, with tRNS alpha when present', () => {
    const plte = chunk('PLTE', Uint8Array.from([255, 0, 0, 0, 255, 0]));
    expect(decodePng(png(2, 1, 8, 3, [[0, 1, 0]], [plte])).data).toEqual(Uint8Array.from([0, 255, 0, 255, 0, 0]));
    const withAlpha = decodePng(png(2, 1, 8, 3, [[0, 1, 0]], [plte, chunk('tRNS', Uint8Array.from([128]))]));
    // Entry 1 lies past tRNS's end, so it is opaque.
    expect(withAlpha).toEqual({ width: 2, height: 1, channels: 4, data: Uint8Array.from([0, 255, 0, 255, 255, 0, 0, 128]) });
  });

  it('turns grey+alpha into RGBA', () => {
    expect(decodePng(png(1, 1, 8, 4, [[0, 90, 7]])).data).toEqual(Uint8Array.from([90, 90, 90, 7]));
  });

  it('refuses what it cannot read, naming the file', () => {
    expect(() => decodePng(Buffer.from('GIF89a....'), 'a.gif')).toThrow('a.gif: not a PNG file');
    expect(() => decodePng(png(1, 1, 8, 2, [[0, 1, 2, 3]], [], 1), 'i.png')).toThrow(/i\.png: interlaced/);
    expect(() => decodePng(png(8, 1, 1, 0, [[0, 0]]), 'bw.png')).toThrow(/bw\.png: PNG bit depth 1/);
    expect(() => decodePng(png(1, 1, 8, 3, [[0, 0]]), 'p.png')).toThrow(/p\.png: palette PNG without a PLTE/);
    expect(() => decodePng(png(2, 2, 8, 2, [[0, 1, 2, 3, 4, 5, 6]]), 's.png')).toThrow(/s\.png: corrupt PNG/);
  });
});

describe('training PNG reader', () => {
  it('composites transparency onto white', () => {
    const rgba = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 255, 200, 100, 0, 128]);
    const img = decodeRgbOnWhite(encodePng({ width: 3, height: 1, channels: 4, data: rgba }));
    expect(Array.from(img.data)).toEqual([255, 255, 255, 0, 0, 0, 227, 177, 127]);
  });
});
