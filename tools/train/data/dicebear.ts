// Renders the licence-clean training set: dicebear CC0 portraits rasterised by
// resvg at 2× and box-downsampled (cleaner edges than rendering small), with
// seeded variation of seed, background colour/type, flip and scale. The result
// is cached in tools/train/.work so later runs and resumes skip rendering.
import { createAvatar } from '@dicebear/core';
import { Resvg } from '@resvg/resvg-js';
import fs from 'node:fs';
import path from 'node:path';
import { Rng } from '../rng.ts';
import { type ImageSet, squareResize } from './dataset.ts';
import { DEFAULT_STYLES, licenceCheck, loadStyle, type StyleInfo } from './styles.ts';

export const WORK_DIR = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '.work');
const CACHE_VERSION = 1;

/**
 * The data seed of the training renders: the bundled models were trained on the set rendered from it, the packer's
 * default (its files carry no -seed<n> in their name) and eval's nearest-neighbour check re-renders it.
 */
export const TRAINING_DATA_SEED = 1;

export interface DicebearOptions {
  size: number;
  count: number;
  seed: number;
  styles?: readonly string[];
  /** Render cache folder (default WORK_DIR). */
  cacheDir?: string;
  onProgress?: (done: number, total: number) => void;
}

function hex(rng: Rng): string {
  // Pastel-ish backgrounds, as the styles are designed for, plus some darker tones.
  const dark = rng.uniform() < 0.2;
  const c = (): string => {
    const v = dark ? 40 + rng.int(100) : 130 + rng.int(126);
    return v.toString(16).padStart(2, '0');
  };
  return c() + c() + c();
}

export function renderDicebear(info: StyleInfo, rng: Rng, size: number): Uint8Array {
  const renderSize = size * 2;
  const gradient = rng.uniform() < 0.3;
  const options: Record<string, unknown> = {
    seed: `sitter-${rng.nextU32().toString(36)}`,
    size: renderSize,
    backgroundColor: gradient ? [hex(rng), hex(rng)] : [hex(rng)],
    backgroundType: [gradient ? 'gradientLinear' : 'solid'],
    backgroundRotation: [rng.int(360)],
    flip: rng.uniform() < 0.5,
    scale: 85 + rng.int(25),
  };
  const svg = createAvatar(info.style, options).toString();
  const img = new Resvg(svg, { fitTo: { mode: 'width', value: renderSize }, background: '#ffffff' }).render();
  const rgba = img.pixels;
  const rgb = new Uint8Array(img.width * img.height * 3);
  for (let i = 0; i < img.width * img.height; i++) {
    const a = rgba[i * 4 + 3]! / 255;
    for (let k = 0; k < 3; k++) rgb[i * 3 + k] = Math.round(rgba[i * 4 + k]! * a + 255 * (1 - a));
  }
  return squareResize(rgb, img.width, img.height, size);
}

export function dicebearStyles(names: readonly string[] = DEFAULT_STYLES): StyleInfo[] {
  const styles = names.map(loadStyle);
  licenceCheck(styles);
  return styles;
}

export function describeDicebear(count: number, names: readonly string[] = DEFAULT_STYLES): string {
  return (
    `${count} portraits rendered at training time from @dicebear/collection CC0 1.0 styles ` +
    `(${names.join(', ')}) with random seeds, background colours/gradients, flips and scales, ` +
    `rasterised by @resvg/resvg-js at 2x and box-downsampled`
  );
}

export function loadDicebearSet(opts: DicebearOptions): ImageSet {
  const names = opts.styles ?? DEFAULT_STYLES;
  const styles = dicebearStyles(names);
  const cacheDir = opts.cacheDir ?? WORK_DIR;
  const file = path.join(
    cacheDir,
    `dicebear-v${CACHE_VERSION}-${names.join('+')}-s${opts.size}-n${opts.count}-seed${opts.seed}.bin`,
  );
  const bytes = opts.count * opts.size * opts.size * 3;
  const description = describeDicebear(opts.count, names);
  if (fs.existsSync(file) && fs.statSync(file).size === bytes) {
    return { size: opts.size, count: opts.count, pixels: new Uint8Array(fs.readFileSync(file)), description };
  }
  const rng = new Rng(opts.seed);
  const pixels = new Uint8Array(bytes);
  const per = opts.size * opts.size * 3;
  for (let i = 0; i < opts.count; i++) {
    pixels.set(renderDicebear(styles[i % styles.length]!, rng, opts.size), i * per);
    if (opts.onProgress && (i + 1) % 500 === 0) opts.onProgress(i + 1, opts.count);
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, pixels);
  fs.renameSync(tmp, file);
  return { size: opts.size, count: opts.count, pixels, description };
}
