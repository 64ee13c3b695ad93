// Data side of training: licence gate, PNG round trip, --data folder loading,
// deterministic dicebear rendering.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { squareResize } from '../../../tools/train/data/dataset.ts';
import { renderDicebear } from '../../../tools/train/data/dicebear.ts';
import { loadImageDir } from '../../../tools/train/data/imageDir.ts';
import { DEFAULT_STYLES, licenceCheck, loadStyle } from '../../../tools/train/data/styles.ts';
import { decodePng } from '../../../tools/train/png/decode.ts';
import { encodePng } from '../../../tools/train/png/encode.ts';
import { Rng } from '../../../tools/train/rng.ts';

describe('training data', () => {
  it('default styles are CC0 1.0 by their package metadata; a CC BY style is refused', () => {
    const styles = DEFAULT_STYLES.map(loadStyle);
    expect(() => licenceCheck(styles)).not.toThrow();
    for (const s of styles) expect(s.licenceUrl).toContain('publicdomain/zero/1.0');
    expect(() => licenceCheck([loadStyle('adventurer')])).toThrow(/CC BY 4.0/);
  });

  it('PNG encode → decode round-trips RGB exactly', () => {
    const rng = new Rng(2);
    const w = 7;
    const h = 5;
    const rgb = Uint8Array.from({ length: w * h * 3 }, () => rng.int(256));
    const img = decodePng(encodePng(rgb, w, h));
    expect(img.width).toBe(w);
    expect(img.height).toBe(h);
    expect(Array.from(img.data)).toEqual(Array.from(rgb));
  });

  it('--data loads PNGs resized to the training size and rejects JPEG clearly', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sitter-data-'));
    try {
      const rgb = new Uint8Array(20 * 10 * 3).fill(200);
      fs.writeFileSync(path.join(dir, 'a.png'), encodePng(rgb, 20, 10));
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
      const set = loadImageDir(dir, 8);
      expect(set.count).toBe(1);
      expect(set.pixels.length).toBe(8 * 8 * 3);
      expect(set.pixels[0]).toBe(200);
      fs.writeFileSync(path.join(dir, 'b.jpg'), Buffer.from([0xff, 0xd8, 0xff]));
      expect(() => loadImageDir(dir, 8)).toThrow(/JPEG.*PNG only/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('dicebear rendering is deterministic for a seed and varies between seeds', () => {
    const style = loadStyle('openPeeps');
    const a = renderDicebear(style, new Rng(11), 16);
    const b = renderDicebear(style, new Rng(11), 16);
    const c = renderDicebear(style, new Rng(12), 16);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(squareResize(a, 16, 16, 16)).toEqual(a);
  });
});
