// The render packer hands the PyTorch trainer and the upscaler exactly the pixels the TS trainer trains on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../../tools/train/args.ts';
import { renderDicebear } from '../../../tools/train/data/dicebear.ts';
import { DEFAULT_STYLES, loadStyle } from '../../../tools/train/data/styles.ts';
import { defaultConfig } from '../../../tools/train/model/config.ts';
import { packPaths, packRenders, parsePackArgs, TRAINER_DATA_SEED } from '../../../tools/train/pack/pack.ts';
import { Rng } from '../../../tools/train/rng.ts';
import { loadData } from '../../../tools/train/run.ts';

let tmp = '';
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sitter-pack-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('render packer', () => {
  it('packs N×H×W×3 uint8 byte-identical to the TS trainer’s own data loader, with sizes, seed and licences', () => {
    const size = 16;
    const count = 7;
    const r = packRenders({ size, count, seed: TRAINER_DATA_SEED, styles: DEFAULT_STYLES, outDir: tmp, cacheDir: path.join(tmp, 'cache') });
    expect(r.file).toBe(path.join(tmp, 'renders-16-7.u8'));
    const packed = new Uint8Array(fs.readFileSync(r.file));
    expect(packed.length).toBe(count * size * size * 3);

    // What `npm run train -- --size 16 --count 7` feeds its trainer (its own cache or a fresh render).
    const cfg = defaultConfig(size, 4, 4);
    cfg.dataCount = count;
    const trained = loadData(parseArgs(['--size', '16', '--count', '7']), cfg, () => undefined);
    expect(trained.count).toBe(count);
    expect(Buffer.from(packed).equals(Buffer.from(trained.pixels))).toBe(true);

    // And independently of any cache: a fresh render, styles in turn from one Rng.
    const rng = new Rng(TRAINER_DATA_SEED);
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
    expect(parsePackArgs(['--size', '64', '--count', '16000'])).toMatchObject({ size: 64, count: 16000, seed: TRAINER_DATA_SEED });
  });
});
