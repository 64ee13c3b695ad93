// Packs the dicebear training renders into one flat file for the trainers, which run outside Node (the PyTorch
// generator trainer, the ×4 upscaler, a lent GPU machine with no Node): N×H×W×3 uint8 (NHWC, RGB) plus a JSON sidecar
// with the size, count, seed, styles and each style's licence. The pixels come from loadDicebearSet, the call eval
// re-renders the training set with, so eval's nearest-neighbour check sees exactly what was trained on.
// `--data <folder>` packs a gallery's own PNGs instead (gallery.ts).
import { dicebearStyles, loadDicebearSet, TRAINING_DATA_SEED, WORK_DIR } from '../data/dicebear.ts';
import { DEFAULT_STYLES } from '../data/styles.ts';
import { type PackHeader, packHeader, stemPaths, writePack } from './format.ts';
import type { GalleryPackOptions } from './gallery.ts';

export interface PackOptions {
  size: number;
  count: number;
  seed: number;
  styles: readonly string[];
  /** Folder for renders-<size>-<count>.u8/.json; default tools/train/.work. */
  outDir: string;
  /** Folder of loadDicebearSet's render cache; default tools/train/.work (shared with eval). */
  cacheDir?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface PackMeta extends PackHeader {
  source: 'dicebear';
  seed: number;
  styles: string[];
  /** Style i of the set is styles[i % styles.length]. */
  styleOrder: 'round-robin';
  licences: { style: string; title: string; creator: string; licence: string; url: string; source: string }[];
}

export interface PackResult {
  file: string;
  metaFile: string;
  meta: PackMeta;
}

function renderStem(size: number, count: number, seed: number): string {
  // The seed is in the name only when it is not the training set's, so the documented default name stays short.
  return `renders-${size}-${count}${seed === TRAINING_DATA_SEED ? '' : `-seed${seed}`}`;
}

export function packPaths(outDir: string, size: number, count: number, seed: number): { file: string; metaFile: string } {
  return stemPaths(outDir, renderStem(size, count, seed));
}

export function packRenders(opts: PackOptions): PackResult {
  if (!Number.isInteger(opts.size) || opts.size < 4) throw new Error(`--size must be an integer ≥ 4, got ${opts.size}`);
  if (!Number.isInteger(opts.count) || opts.count < 1) throw new Error(`--count must be a positive integer, got ${opts.count}`);
  if (!Number.isInteger(opts.seed)) throw new Error(`--seed must be an integer, got ${opts.seed}`);
  const styles = dicebearStyles(opts.styles);
  const set = loadDicebearSet({
    size: opts.size,
    count: opts.count,
    seed: opts.seed,
    styles: opts.styles,
    cacheDir: opts.cacheDir,
    onProgress: opts.onProgress,
  });
  const meta: PackMeta = {
    ...packHeader(opts.size, opts.count, set.pixels.length, set.description),
    source: 'dicebear',
    seed: opts.seed,
    styles: [...opts.styles],
    styleOrder: 'round-robin',
    licences: styles.map((s) => ({
      style: s.name,
      title: s.title,
      creator: s.creator,
      licence: s.licence,
      url: s.licenceUrl,
      source: s.source,
    })),
  };
  const paths = writePack(opts.outDir, renderStem(opts.size, opts.count, opts.seed), set.pixels, meta);
  return { ...paths, meta };
}

export const PACK_USAGE = `npm run train:pack -- --size <px> --count <n> [--seed <n>] [--styles a,b,c] [--out <dir>]
npm run train:pack -- --size <px> --data <folder of PNGs> [--out <dir>]
  --size    image size in pixels (e.g. 64)
  --count   number of dicebear portraits (e.g. 16000)
  --seed    data seed (default ${TRAINING_DATA_SEED}, the bundled models' training set)
  --styles  CC0 dicebear styles, comma-separated (default ${DEFAULT_STYLES.join(',')})
  --data    pack a gallery's own PNG images instead (every PNG in the folder, centre-cropped to --size);
            the gallery is responsible for their licence
  --out     output folder (default tools/train/.work)`;

/** What the command line asks for: dicebear renders, or a gallery's own folder. */
export type PackRequest = ({ kind: 'dicebear' } & PackOptions) | ({ kind: 'gallery' } & GalleryPackOptions);

export function parsePackArgs(argv: string[]): PackRequest {
  const o: PackOptions = { size: NaN, count: NaN, seed: TRAINING_DATA_SEED, styles: DEFAULT_STYLES, outDir: WORK_DIR };
  let data: string | null = null;
  const renderFlags: string[] = [];
  const num = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n)) throw new Error(`${flag} needs a number\n${PACK_USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i]!;
    const v = argv[i + 1];
    switch (f) {
      case '--size': o.size = num(f, v); i++; break;
      case '--count': o.count = num(f, v); renderFlags.push(f); i++; break;
      case '--seed': o.seed = num(f, v); renderFlags.push(f); i++; break;
      case '--styles': if (!v) throw new Error(`--styles needs a list\n${PACK_USAGE}`); o.styles = v.split(','); renderFlags.push(f); i++; break;
      case '--data': if (!v) throw new Error(`--data needs a folder of PNG images\n${PACK_USAGE}`); data = v; i++; break;
      case '--out': if (!v) throw new Error(`--out needs a folder\n${PACK_USAGE}`); o.outDir = v; i++; break;
      default: throw new Error(`unknown option ${f}\n${PACK_USAGE}`);
    }
  }
  if (data !== null) {
    // A gallery pack holds every PNG in the folder; a count, seed or style would be silently ignored, so refuse them.
    if (renderFlags.length) throw new Error(`--data packs every PNG in ${data}; ${renderFlags.join(', ')} only apply to dicebear renders\n${PACK_USAGE}`);
    if (Number.isNaN(o.size)) throw new Error(`--size is required\n${PACK_USAGE}`);
    return { kind: 'gallery', size: o.size, dataDir: data, outDir: o.outDir };
  }
  if (Number.isNaN(o.size) || Number.isNaN(o.count)) throw new Error(`--size and --count are required\n${PACK_USAGE}`);
  return { kind: 'dicebear', ...o };
}
