/** Grid of patch means (RGB, 0..255) summarising a camera frame, so a page can compare what it sees to the source. */
export type FrameSignature = number[];
export const SIGNATURE_GRID = 4;

export function signatureOf(data: ArrayLike<number>, width: number, height: number, channels: number): FrameSignature {
  const out: number[] = [];
  for (let gy = 0; gy < SIGNATURE_GRID; gy++) {
    for (let gx = 0; gx < SIGNATURE_GRID; gx++) {
      const sum = [0, 0, 0];
      let n = 0;
      for (let y = Math.floor((gy * height) / SIGNATURE_GRID); y < Math.floor(((gy + 1) * height) / SIGNATURE_GRID); y++) {
        for (let x = Math.floor((gx * width) / SIGNATURE_GRID); x < Math.floor(((gx + 1) * width) / SIGNATURE_GRID); x++) {
          const i = (y * width + x) * channels;
          for (let c = 0; c < 3; c++) sum[c] = (sum[c] as number) + (data[i + c] as number);
          n++;
        }
      }
      for (const s of sum) out.push(s / n);
    }
  }
  return out;
}

export function meanAbsDiff(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs((a[i] as number) - (b[i] as number));
  return s / a.length;
}
