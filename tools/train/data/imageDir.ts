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
      const img = decodePng(fs.readFileSync(full), full);
      images.push(squareResize(img.data, img.width, img.height, size));
    } else if (ext === '.jpg' || ext === '.jpeg') {
      throw new Error(
        `--data: ${full} is a JPEG; this trainer decodes PNG only (no JPEG decoder is bundled). ` +
          'Convert first, e.g. `mogrify -format png *.jpg` or `ffmpeg -i in.jpg out.png`.',
      );
    } else {
      skipped.push(f);
    }
  }
  if (images.length === 0) throw new Error(`--data ${dir}: no PNG images found (skipped: ${skipped.join(', ')})`);
  const per = size * size * 3;
  const pixels = new Uint8Array(images.length * per);
  images.forEach((im, i) => pixels.set(im, i * per));
  return {
    size,
    count: images.length,
    pixels,
    description: `${images.length} images from the gallery's own folder (${path.basename(dir)}), centre-cropped to ${size}x${size}`,
  };
}
