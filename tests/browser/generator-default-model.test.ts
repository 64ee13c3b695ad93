import { describe, expect, it } from 'vitest';
import { createGenerator } from '../../src/generator/create.ts';
import type { GeneratedFrame } from '../../src/generator/frame.ts';
import { seededLatents } from '../fixtures/models/tiny.ts';

/** The real models/default, when the trainer has written it: loads through its card and makes varied portraits. */
const BASE = '/models/default/';

async function present(): Promise<string | null> {
  const r = await fetch(`${BASE}model.json`).catch(() => null);
  if (!r?.ok) return `models/default/model.json is absent (HTTP ${r?.status ?? 'error'}): the default model is not trained yet`;
  // A dev server may answer an unknown path with its index page: make sure this is the model.
  const text = await r.text();
  return text.trimStart().startsWith('{') ? null : 'models/default/model.json is not JSON (not served here)';
}

function bytes(f: GeneratedFrame): Uint8ClampedArray {
  if (f.kind !== 'pixels') throw new Error(`expected pixels, got ${f.kind}`);
  return f.data;
}

describe('generator: models/default', () => {
  it('loads through its card, matches its shape, uses the range, and varies across latents', async (ctx) => {
    const why = await present();
    if (why) {
      ctx.skip(why);
      return;
    }
    const g = await createGenerator({ modelUrl: BASE, backends: ['webgl', 'cpu'], log: () => {} });
    try {
      const { height, width } = g.card.output;
      const n = 8;
      const z = seededLatents(n, g.latentSize, 2026);
      const frames = await g.generate(z, n);
      const images = frames.map((f) => bytes(f).slice());
      expect(frames.every((f) => f.width === width && f.height === height && bytes(f).length === width * height * 4)).toBe(true);
      for (const f of frames) f.release();
      for (const img of images) {
        const rgb = img.filter((_, i) => i % 4 !== 3);
        // A portrait, not a flat field: dark and light parts.
        expect(Math.max(...rgb) - Math.min(...rgb)).toBeGreaterThan(100);
      }
      // Variety: every pair of portraits differs clearly (mean absolute difference in grey levels).
      let smallest = Infinity;
      for (let a = 0; a < n; a++) {
        for (let b = a + 1; b < n; b++) {
          let sum = 0;
          for (let i = 0; i < images[a]!.length; i++) sum += Math.abs(images[a]![i]! - images[b]![i]!);
          smallest = Math.min(smallest, sum / (width * height * 3));
        }
      }
      expect(smallest).toBeGreaterThan(5);
      // The same latent gives the same portrait.
      const [again] = await g.generate(z.slice(0, g.latentSize), 1);
      expect(bytes(again!)).toEqual(images[0]);
      again!.release();
    } finally {
      g.dispose();
    }
  });
});
