import type { RasterImage } from './png.ts';

/** One camera frame for Chromium's fake capture device: planar YUV 4:2:0. */
function toI420(image: RasterImage, out: Uint8Array): void {
  const { width: w, height: h, channels: ch, data } = image;
  const ySize = w * h;
  const cw = w >> 1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * ch;
      const r = data[i] as number;
      const g = data[i + 1] as number;
      const b = data[i + 2] as number;
      // BT.601 studio range, what Chromium's y4m reader expects.
      out[y * w + x] = Math.round(16 + 0.257 * r + 0.504 * g + 0.098 * b);
    }
  }
  for (let y = 0; y < h >> 1; y++) {
    for (let x = 0; x < cw; x++) {
      let r = 0, g = 0, b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
        const i = ((2 * y + dy) * w + 2 * x + dx) * ch;
        r += data[i] as number;
        g += data[i + 1] as number;
        b += data[i + 2] as number;
      }
      r /= 4; g /= 4; b /= 4;
      out[ySize + y * cw + x] = Math.round(128 - 0.148 * r - 0.291 * g + 0.439 * b);
      out[ySize + (h >> 1) * cw + y * cw + x] = Math.round(128 + 0.439 * r - 0.368 * g - 0.071 * b);
    }
  }
}

/** Writes frames (all the same even size) as a YUV4MPEG2 stream that Chromium loops as a fake camera. */
export function encodeY4m(frames: readonly RasterImage[], fps: number): Buffer {
  const first = frames[0];
  if (!first) throw new Error('encodeY4m: no frames');
  const { width, height } = first;
  if (width % 2 || height % 2) throw new Error(`encodeY4m: size must be even, got ${width}×${height}`);
  const frameBytes = width * height * 3 / 2;
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`, 'ascii');
  const marker = Buffer.from('FRAME\n', 'ascii');
  const out = Buffer.alloc(header.length + frames.length * (marker.length + frameBytes));
  header.copy(out, 0);
  let o = header.length;
  for (const f of frames) {
    if (f.width !== width || f.height !== height) throw new Error('encodeY4m: frames differ in size');
    marker.copy(out, o);
    o += marker.length;
    toI420(f, out.subarray(o, o + frameBytes));
    o += frameBytes;
  }
  return out;
}
