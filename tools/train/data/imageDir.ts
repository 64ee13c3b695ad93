// `--data <dir>`: a gallery's own PNG images, centre-cropped and box-resized.
// JPEG needs a decoder we do not ship; say so clearly instead of guessing.
import fs from 'node:fs';
import path from 'node:path';
import { decodePng } from '../png/decode.ts';
import { type ImageSet, squareResize } from './dataset.ts';

export function loadImageDir(dir: string, size: number): ImageSet {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`--data ${dir}: not a directory`);
  const files = fs.readdirSync(dir).sort();
  const images: Uint8Array[] = [];
  const skipped: string[] = [];
  for (const f of files) {
    const ext = path.extname(f).toLowerCase();
    const full = path.join(dir, f);
    if (ext === '.png') {
      images.push(squareResize(...decodeInFolder(dir, full), size));
    } else if (ext === '.jpg' || ext === '.jpeg') {
      throw new Error(
        `--data: ${full} is a JPEG; Sitter decodes PNG only (no JPEG decoder is bundled). ` +
          'Convert first, e.g. `mogrify -format png *.jpg` or `ffmpeg -i in.jpg out.png`.',
      );
    } else {
      skipped.push(f);
    }
  }
  if (images.length === 0) {
    throw new Error(`--data ${dir}: no PNG images found (${skipped.length ? `skipped: ${skipped.join(', ')}` : 'the folder is empty'})`);
  }
  const per = size * size * 3;
  const pixels = new Uint8Array(images.length * per);
  images.forEach((im, i) => pixels.set(im, i * per));
  return {
    size,
    count: images.length,
    pixels,
    description: `${images.length} images from the gallery's own folder (${path.basename(path.resolve(dir))}), centre-cropped to ${size}x${size}`,
  };
}

/** One PNG as squareResize's first three arguments; a file that will not decode names the folder it was packed from
 * (the codec's own message names the file, but not always: zlib's does not). */
function decodeInFolder(dir: string, file: string): [Uint8Array, number, number] {
  try {
    const img = decodePng(fs.readFileSync(file), file);
    return [img.data, img.width, img.height];
  } catch (e: unknown) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(`--data ${dir}: ${msg.includes(file) ? msg : `${file}: ${msg}`}`);
  }
}
