// `--data <dir>` reads a gallery's PNGs through the shared codec (tools/lib/png.ts) and flattens them to RGB.
import { decodePng as decodeRaster } from '../../lib/png.ts';

export interface RgbImage {
  width: number;
  height: number;
  /** width*height*3 bytes */
  data: Uint8Array;
}

/** Decodes a PNG to RGB, compositing any transparency onto white, as a gallery print would show it. */
export function decodePng(buf: Uint8Array, name = 'image'): RgbImage {
  const image = decodeRaster(buf, name);
  if (image.channels === 3) return { width: image.width, height: image.height, data: image.data };
  const n = image.width * image.height;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const alpha = image.data[i * 4 + 3] as number;
    const white = 255 * (255 - alpha);
    for (let k = 0; k < 3; k++) out[i * 3 + k] = Math.round(((image.data[i * 4 + k] as number) * alpha + white) / 255);
  }
  return { width: image.width, height: image.height, data: out };
}
