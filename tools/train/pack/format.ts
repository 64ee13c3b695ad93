// The packed-set format the PyTorch trainer and the ×4 upscaler read (sittergan/data.py): N×H×W×3 uint8 (NHWC, RGB)
// in `<stem>.u8` plus a JSON sidecar `<stem>.json`. Both the dicebear renders and a gallery's own PNGs are written
// through here so the two can never disagree on layout.
import fs from 'node:fs';
import path from 'node:path';

/** Fields every pack's sidecar carries, whatever its images came from. */
export interface PackHeader {
  format: 'sitter-renders';
  version: 1;
  layout: 'NHWC';
  dtype: 'uint8';
  channelOrder: 'RGB';
  size: number;
  count: number;
  bytes: number;
  description: string;
}

export function packHeader(size: number, count: number, bytes: number, description: string): PackHeader {
  return { format: 'sitter-renders', version: 1, layout: 'NHWC', dtype: 'uint8', channelOrder: 'RGB', size, count, bytes, description };
}

export function stemPaths(outDir: string, stem: string): { file: string; metaFile: string } {
  return { file: path.join(outDir, `${stem}.u8`), metaFile: path.join(outDir, `${stem}.json`) };
}

/** Writes the pixels through a temporary name, so a trainer never reads a half-written pack, then the sidecar. */
export function writePack(outDir: string, stem: string, pixels: Uint8Array, meta: PackHeader): { file: string; metaFile: string } {
  if (pixels.length !== meta.count * meta.size * meta.size * 3 || meta.bytes !== pixels.length) {
    throw new Error(`pack ${stem}: ${pixels.length} bytes do not hold ${meta.count}×${meta.size}×${meta.size}×3`);
  }
  fs.mkdirSync(outDir, { recursive: true });
  const paths = stemPaths(outDir, stem);
  const tmp = `${paths.file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, pixels);
  fs.renameSync(tmp, paths.file);
  fs.writeFileSync(paths.metaFile, `${JSON.stringify(meta, null, 2)}\n`);
  return paths;
}
