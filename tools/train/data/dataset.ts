// A training set is N images of size×size RGB, stored as uint8 HWC.
export interface ImageSet {
  size: number;
  count: number;
  /** count*size*size*3 bytes */
  pixels: Uint8Array;
  /** Human-readable description for the model card. */
  description: string;
}

/** Box-filter resize of an RGB image to size×size after a centre square crop. */
export function squareResize(src: Uint8Array, w: number, h: number, size: number): Uint8Array {
  const side = Math.min(w, h);
  const x0 = Math.floor((w - side) / 2);
  const y0 = Math.floor((h - side) / 2);
  const out = new Uint8Array(size * size * 3);
  const scale = side / size;
  for (let y = 0; y < size; y++) {
    const sy0 = y0 + Math.floor(y * scale);
    const sy1 = Math.max(sy0 + 1, y0 + Math.floor((y + 1) * scale));
    for (let x = 0; x < size; x++) {
      const sx0 = x0 + Math.floor(x * scale);
      const sx1 = Math.max(sx0 + 1, x0 + Math.floor((x + 1) * scale));
      let r = 0;
      let g = 0;
      let b = 0;
      let n = 0;
      for (let yy = sy0; yy < sy1; yy++) {
        for (let xx = sx0; xx < sx1; xx++) {
          const i = (yy * w + xx) * 3;
          r += src[i]!;
          g += src[i + 1]!;
          b += src[i + 2]!;
          n++;
        }
      }
      const o = (y * size + x) * 3;
      out[o] = Math.round(r / n);
      out[o + 1] = Math.round(g / n);
      out[o + 2] = Math.round(b / n);
    }
  }
  return out;
}
