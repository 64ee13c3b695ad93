import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodePng, type RasterImage } from '../../tools/lib/png.ts';
import { encodeY4m } from '../../tools/lib/y4m.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const TMP_DIR = join(root, 'tests/.tmp');

/** Side of the square camera frames the fake device plays. */
export const CAMERA_SIZE = 448;
export const CAMERA_FRAMES = 24;

function crop(src: RasterImage, x0: number, y0: number, size: number): RasterImage {
  const out = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = ((y0 + y) * src.width + x0 + x) * src.channels;
      const o = (y * size + x) * 3;
      out[o] = src.data[i] as number;
      out[o + 1] = src.data[i + 1] as number;
      out[o + 2] = src.data[i + 2] as number;
    }
  }
  return { width: size, height: size, channels: 3, data: out };
}

/**
 * A real video of a real person for Chromium's fake camera: NASA's public-domain astronaut portrait
 * (tests/fixtures, from Debian's python3-skimage), panned slowly so consecutive frames differ like a camera's.
 * Frame i is the crop at x = i·2 px of the source; tests use personFrame() to know what the camera must show.
 */
export function personFrame(i: number): RasterImage {
  const src = decodePng(readFileSync(join(root, 'tests/fixtures/astronaut.png')), 'astronaut.png');
  return crop(src, (i % CAMERA_FRAMES) * 2, 32, CAMERA_SIZE);
}

export function personVideoPath(): string {
  const path = join(TMP_DIR, 'person.y4m');
  if (!existsSync(path)) {
    mkdirSync(TMP_DIR, { recursive: true });
    const src = decodePng(readFileSync(join(root, 'tests/fixtures/astronaut.png')), 'astronaut.png');
    const frames = Array.from({ length: CAMERA_FRAMES }, (_, i) => crop(src, i * 2, 32, CAMERA_SIZE));
    writeFileSync(path, encodeY4m(frames, 15));
  }
  return path;
}

/** A covered lens: uniform dark grey frames, nobody there. */
export function blankVideoPath(): string {
  const path = join(TMP_DIR, 'blank.y4m');
  if (!existsSync(path)) {
    mkdirSync(TMP_DIR, { recursive: true });
    const data = new Uint8Array(CAMERA_SIZE * CAMERA_SIZE * 3).fill(24);
    writeFileSync(path, encodeY4m([{ width: CAMERA_SIZE, height: CAMERA_SIZE, channels: 3, data }], 15));
  }
  return path;
}
