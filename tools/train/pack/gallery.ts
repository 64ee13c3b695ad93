// Packs a gallery's own folder of PNGs (centre-cropped and box-resized by data/imageDir.ts) in the same format as the
// dicebear renders, so `npm run train:torch -- --data <that .u8>` trains on a gallery's images. Sitter knows nothing
// about those images' rights: the sidecar says the gallery is responsible and claims no licence for them.
import path from 'node:path';
import { loadImageDir } from '../data/imageDir.ts';
import { type PackHeader, packHeader, stemPaths, writePack } from './format.ts';

export interface GalleryPackOptions {
  size: number;
  /** The gallery's folder of PNG images. */
  dataDir: string;
  outDir: string;
}

export interface GalleryPackMeta extends PackHeader {
  source: 'gallery';
  /** The folder as given on the command line. */
  folder: string;
  // The PyTorch trainer copies size, count, seed, styles and description into its checkpoint, so a gallery pack
  // carries seed and styles too, empty: its images were not rendered from a seed or a dicebear style.
  seed: null;
  styles: [];
  licence: string;
}

export interface GalleryPackResult {
  file: string;
  metaFile: string;
  meta: GalleryPackMeta;
}

export const GALLERY_LICENCE =
  "The gallery's own images: the gallery that supplied them is responsible for their licence and for the consent of " +
  'anyone they show; Sitter claims no licence for them.';

/** `gallery-<folder name>-<size>-<count>`, the folder name reduced to characters that are safe in any file system. */
export function galleryStem(dataDir: string, size: number, count: number): string {
  const name = path.basename(path.resolve(dataDir)).replace(/[^A-Za-z0-9._-]+/g, '_') || 'gallery';
  return `gallery-${name}-${size}-${count}`;
}

export function galleryPackPaths(outDir: string, dataDir: string, size: number, count: number): { file: string; metaFile: string } {
  return stemPaths(outDir, galleryStem(dataDir, size, count));
}

export function packGallery(opts: GalleryPackOptions): GalleryPackResult {
  if (!Number.isInteger(opts.size) || opts.size < 4) throw new Error(`--size must be an integer ≥ 4, got ${opts.size}`);
  // Read (and refuse) the whole folder before creating anything, so a bad folder leaves no output behind.
  const set = loadImageDir(opts.dataDir, opts.size);
  const meta: GalleryPackMeta = {
    ...packHeader(set.size, set.count, set.pixels.length, set.description),
    source: 'gallery',
    folder: opts.dataDir,
    seed: null,
    styles: [],
    licence: GALLERY_LICENCE,
  };
  const paths = writePack(opts.outDir, galleryStem(opts.dataDir, set.size, set.count), set.pixels, meta);
  return { ...paths, meta };
}
