// The render packer hands the PyTorch trainer and the upscaler exactly the seeded dicebear renders (the set eval
// re-renders for its nearest-neighbour check), and packs a gallery's own PNGs in the same format.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDicebearSet, renderDicebear, TRAINING_DATA_SEED } from '../../../tools/train/data/dicebear.ts';
import { DEFAULT_STYLES, loadStyle } from '../../../tools/train/data/styles.ts';
import { encodePng } from '../../../tools/train/png/encode.ts';
import { GALLERY_LICENCE, galleryPackPaths, packGallery } from '../../../tools/train/pack/gallery.ts';
import { packPaths, packRenders, parsePackArgs } from '../../../tools/train/pack/pack.ts';
import { Rng } from '../../../tools/train/rng.ts';

let tmp = '';
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sitter-pack-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('render packer', () => {
  it('packs N×H×W×3 uint8 byte-identical to the seeded dicebear renders, with sizes, seed and licences', () => {
    const size = 16;
    const count = 7;
    const r = packRenders({ size, count, seed: TRAINING_DATA_SEED, styles: DEFAULT_STYLES, outDir: tmp, cacheDir: path.join(tmp, 'cache') });
    expect(r.file).toBe(path.join(tmp, 'renders-16-7.u8'));
    const packed = new Uint8Array(fs.readFileSync(r.file));
    expect(packed.length).toBe(count * size * size * 3);

    // What eval's nearest-neighbour check renders as the training set (its own cache or a fresh render).
    const evalSet = loadDicebearSet({ size, count, seed: TRAINING_DATA_SEED, cacheDir: path.join(tmp, 'eval-cache') });
    expect(Buffer.from(packed).equals(Buffer.from(evalSet.pixels))).toBe(true);

    // And independently of any cache: a fresh render, styles in turn from one Rng.
    const rng = new Rng(TRAINING_DATA_SEED);
    const styles = DEFAULT_STYLES.map(loadStyle);
    const per = size * size * 3;
    for (let i = 0; i < count; i++) {
      const img = renderDicebear(styles[i % styles.length]!, rng, size);
      expect(Buffer.from(packed.subarray(i * per, (i + 1) * per)).equals(Buffer.from(img))).toBe(true);
    }
    // Not a constant image: the portraits differ from one another.
    expect(Buffer.from(packed.subarray(0, per)).equals(Buffer.from(packed.subarray(per, 2 * per)))).toBe(false);

    const meta = JSON.parse(fs.readFileSync(r.metaFile, 'utf8')) as Record<string, unknown>;
    expect(meta).toMatchObject({ size, count, seed: 1, bytes: packed.length, layout: 'NHWC', dtype: 'uint8', styles: [...DEFAULT_STYLES] });
    const licences = meta.licences as { style: string; licence: string; url: string }[];
    expect(licences.map((l) => l.style)).toEqual([...DEFAULT_STYLES]);
    for (const l of licences) {
      expect(l.licence).toBe('CC0 1.0');
      expect(l.url).toContain('publicdomain/zero/1.0');
    }
  });

  it('another seed packs other portraits under a name that says so', () => {
    const a = packRenders({ size: 8, count: 3, seed: 1, styles: ['openPeeps'], outDir: tmp, cacheDir: path.join(tmp, 'cache') });
    const b = packRenders({ size: 8, count: 3, seed: 9, styles: ['openPeeps'], outDir: tmp, cacheDir: path.join(tmp, 'cache') });
    expect(b.file).toBe(packPaths(tmp, 8, 3, 9).file);
    expect(b.file).toMatch(/renders-8-3-seed9\.u8$/);
    expect(fs.readFileSync(a.file).equals(fs.readFileSync(b.file))).toBe(false);
  });

  it('refuses bad arguments and non-CC0 styles with a message naming what was expected, writing nothing', () => {
    expect(() => parsePackArgs(['--count', '10'])).toThrow(/--size and --count are required/);
    expect(() => parsePackArgs(['--size', 'big', '--count', '3'])).toThrow(/--size needs a number/);
    expect(() => parsePackArgs(['--size', '8', '--count', '3', '--bogus'])).toThrow(/unknown option --bogus/);
    const out = path.join(tmp, 'refused');
    expect(() => packRenders({ size: 8, count: 0, seed: 1, styles: DEFAULT_STYLES, outDir: out })).toThrow(/--count must be a positive integer/);
    expect(() => packRenders({ size: 8, count: 2, seed: 1, styles: ['adventurer'], outDir: out })).toThrow(/not CC0 1.0/);
    expect(fs.existsSync(out)).toBe(false);
    expect(parsePackArgs(['--size', '64', '--count', '16000'])).toMatchObject({ size: 64, count: 16000, seed: TRAINING_DATA_SEED });
  });
});

/** A w×h RGB image whose pixel (x, y) is f(x, y). */
function rgb(w: number, h: number, f: (x: number, y: number) => [number, number, number]): Uint8Array {
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out.set(f(x, y), (y * w + x) * 3);
  return out;
}

describe("gallery packer (--data: a gallery's own PNGs)", () => {
  it('packs every PNG in the folder, sorted, centre-cropped and box-resized, with a sidecar that claims no licence', () => {
    const dir = path.join(tmp, 'my gallery');
    fs.mkdirSync(dir);
    // a.png: a flat 8×8 colour. b.png: 12×8, so the centre crop drops columns 0–1 and 10–11 (their 255s must not show).
    fs.writeFileSync(path.join(dir, 'a.png'), encodePng(rgb(8, 8, () => [10, 20, 30]), 8, 8));
    fs.writeFileSync(path.join(dir, 'b.png'), encodePng(rgb(12, 8, (x, y) => (x < 2 || x > 9 ? [255, 255, 255] : [x * 10, y * 20, 7])), 12, 8));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not an image');
    const out = path.join(tmp, 'gallery-out');
    const r = packGallery({ size: 4, dataDir: dir, outDir: out });

    expect(r.file).toBe(path.join(out, 'gallery-my_gallery-4-2.u8'));
    expect(r.file).toBe(galleryPackPaths(out, dir, 4, 2).file);
    const packed = new Uint8Array(fs.readFileSync(r.file));
    expect(packed.length).toBe(2 * 4 * 4 * 3);
    expect([...packed.subarray(0, 48)]).toEqual([...rgb(4, 4, () => [10, 20, 30])]);
    // Output pixel (x, y) of b is the mean of b's columns 2+2x, 3+2x (R 10× that) and rows 2y, 2y+1 (G 20× that).
    expect([...packed.subarray(48)]).toEqual([...rgb(4, 4, (x, y) => [25 + 20 * x, 10 + 40 * y, 7])]);

    const meta = JSON.parse(fs.readFileSync(r.metaFile, 'utf8')) as Record<string, unknown>;
    expect(meta).toMatchObject({
      format: 'sitter-renders', layout: 'NHWC', dtype: 'uint8', channelOrder: 'RGB',
      size: 4, count: 2, bytes: 96, source: 'gallery', folder: dir, licence: GALLERY_LICENCE,
    });
    expect(meta.description).toMatch(/2 images from the gallery's own folder \(my gallery\)/);
    expect(String(meta.licence)).toMatch(/gallery .*responsible for their licence/);
    // No dicebear licence claims for a gallery's images.
    expect(meta).not.toHaveProperty('licences');
    expect(JSON.stringify(meta)).not.toMatch(/CC0|dicebear/i);
    // tools/train/torch/sittergan/trainer.py copies these keys of the sidecar into its checkpoint: all must be there.
    for (const k of ['size', 'count', 'seed', 'styles', 'description']) expect(meta, k).toHaveProperty(k);
    expect(meta).toMatchObject({ seed: null, styles: [] });
  });

  it('refuses a missing, empty or broken folder with a message naming the folder, writing nothing', () => {
    const out = path.join(tmp, 'gallery-refused');
    const missing = path.join(tmp, 'no-such-gallery');
    expect(() => packGallery({ size: 8, dataDir: missing, outDir: out })).toThrow(`--data ${missing}: not a directory`);

    const empty = path.join(tmp, 'empty-gallery');
    fs.mkdirSync(empty);
    expect(() => packGallery({ size: 8, dataDir: empty, outDir: out })).toThrow(`--data ${empty}: no PNG images found (the folder is empty)`);
    fs.writeFileSync(path.join(empty, 'readme.md'), '# not a picture');
    expect(() => packGallery({ size: 8, dataDir: empty, outDir: out })).toThrow(`--data ${empty}: no PNG images found (skipped: readme.md)`);

    const broken = path.join(tmp, 'broken-gallery');
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'a.png'), encodePng(rgb(4, 4, () => [1, 2, 3]), 4, 4));
    fs.writeFileSync(path.join(broken, 'b.png'), Buffer.from('this is not a PNG'));
    const err = (() => {
      try {
        packGallery({ size: 8, dataDir: broken, outDir: out });
      } catch (e: unknown) {
        return e instanceof Error ? e.message : String(e);
      }
      return '';
    })();
    expect(err).toContain(`--data ${broken}:`);
    expect(err).toContain(path.join(broken, 'b.png'));
    expect(err).toMatch(/not a PNG/);

    expect(() => packGallery({ size: 3, dataDir: broken, outDir: out })).toThrow(/--size must be an integer ≥ 4/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('parses --data with --size, and refuses the dicebear-only options beside it', () => {
    expect(parsePackArgs(['--size', '64', '--data', 'pngs', '--out', 'o'])).toEqual({ kind: 'gallery', size: 64, dataDir: 'pngs', outDir: 'o' });
    expect(() => parsePackArgs(['--data', 'pngs'])).toThrow(/--size is required/);
    expect(() => parsePackArgs(['--size', '64', '--data'])).toThrow(/--data needs a folder/);
    expect(() => parsePackArgs(['--size', '64', '--count', '9', '--data', 'pngs'])).toThrow(/--data packs every PNG in pngs; --count only apply to dicebear/);
  });
});
