// Minimal PNG decoder via node:zlib for `--data <dir>`: 8-bit (and 16-bit)
// greyscale/RGB/RGBA/palette, non-interlaced. Anything else gets a clear error.
import { inflateSync } from 'node:zlib';

export interface RgbImage {
  width: number;
  height: number;
  /** width*height*3 bytes */
  data: Uint8Array;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export function decodePng(buf: Buffer, name = 'image'): RgbImage {
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  if (buf.length < 8 || sig.some((v, i) => buf[i] !== v)) throw new Error(`${name}: not a PNG file`);
  let off = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let colour = 0;
  let interlace = 0;
  let palette: Buffer | null = null;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('ascii', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      depth = data[8]!;
      colour = data[9]!;
      interlace = data[12]!;
    } else if (type === 'PLTE') palette = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  if (interlace !== 0) throw new Error(`${name}: interlaced PNG is not supported; re-save it non-interlaced`);
  const channelsByType: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
  const channels = channelsByType[colour];
  if (channels === undefined) throw new Error(`${name}: unknown PNG colour type ${colour}`);
  if (!(depth === 8 || depth === 16)) throw new Error(`${name}: PNG bit depth ${depth} is not supported (use 8 or 16)`);
  if (colour === 3 && depth !== 8) throw new Error(`${name}: palette PNG must be 8-bit`);
  const bpp = (channels * depth) / 8;
  const stride = width * bpp;
  const raw = inflateSync(Buffer.concat(idat));
  const px = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? px[y * stride + x - bpp]! : 0;
      const b = y > 0 ? px[(y - 1) * stride + x]! : 0;
      const c = x >= bpp && y > 0 ? px[(y - 1) * stride + x - bpp]! : 0;
      const v = raw[src + x]!;
      const pred = f === 0 ? 0 : f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1 : paeth(a, b, c);
      px[y * stride + x] = (v + pred) & 0xff;
    }
  }
  const out = new Uint8Array(width * height * 3);
  const step = depth / 8;
  for (let i = 0; i < width * height; i++) {
    const base = i * bpp;
    const s = (k: number): number => px[base + k * step]!;
    let r: number;
    let g: number;
    let bl: number;
    let alpha = 255;
    if (colour === 3) {
      if (!palette) throw new Error(`${name}: palette PNG without PLTE`);
      r = palette[s(0) * 3]!;
      g = palette[s(0) * 3 + 1]!;
      bl = palette[s(0) * 3 + 2]!;
    } else if (channels <= 2) {
      r = g = bl = s(0);
      if (channels === 2) alpha = s(1);
    } else {
      r = s(0);
      g = s(1);
      bl = s(2);
      if (channels === 4) alpha = s(3);
    }
    // Composite transparency onto white, as a gallery print would show it.
    const w = 255 - alpha;
    out[i * 3] = Math.round((r * alpha + 255 * w) / 255);
    out[i * 3 + 1] = Math.round((g * alpha + 255 * w) / 255);
    out[i * 3 + 2] = Math.round((bl * alpha + 255 * w) / 255);
  }
  return { width, height, data: out };
}
