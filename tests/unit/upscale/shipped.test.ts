import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateUpscalerCard } from '../../../src/core/model-card/upscaler-card.ts';
import { parseUpscalerManifest } from '../../../src/generator/upscale/manifest.ts';

/** models/upscale-x4 as shipped: a valid card whose figures beat bicubic clearly, a manifest matching its weights. */
const DIR = path.resolve(import.meta.dirname, '../../../models/upscale-x4');
const read = (f: string): unknown => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8'));

interface Figures {
  psnr: number;
  edgePsnr: number;
  gradientRatio: number;
}

describe('models/upscale-x4', () => {
  it('has a valid upscaler card with CC0 data licences and training facts', () => {
    const r = validateUpscalerCard(read('card.json'), 'models/upscale-x4/card.json');
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.card.provenance.dataLicences.every((l) => l.licence === 'CC0 1.0')).toBe(true);
    expect(r.card.training['steps']).toBeGreaterThan(1000);
    const params = r.card.training['parameters'];
    expect(params).toBeGreaterThan(10_000);
    expect(params).toBeLessThan(100_000);
  });

  it('beats bicubic on held-out renders, clean and degraded, in PSNR, edge PSNR and sharpness', () => {
    const card = read('card.json') as { eval: { heldOut: Record<'clean' | 'degraded', { learned: Figures; bicubic: Figures }> } };
    for (const kind of ['clean', 'degraded'] as const) {
      const { learned, bicubic } = card.eval.heldOut[kind];
      expect(learned.psnr - bicubic.psnr, kind).toBeGreaterThan(2);
      expect(learned.edgePsnr - bicubic.edgePsnr, kind).toBeGreaterThan(3);
      expect(Math.abs(1 - learned.gradientRatio), kind).toBeLessThan(Math.abs(1 - bicubic.gradientRatio));
    }
    for (const png of ['sheet-heldout.png', 'sheet-default.png']) expect(fs.existsSync(path.join(DIR, png)), png).toBe(true);
  });

  it('has a manifest whose weights file holds exactly its parameters, and no model.json (it is not a generator)', () => {
    const m = parseUpscalerManifest(read('upscaler.json'));
    const floats = m.weightsManifest[0].weights.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
    expect(fs.statSync(path.join(DIR, m.weightsManifest[0].paths[0])).size).toBe(floats * 4);
    expect((read('card.json') as { training: { parameters: number } }).training.parameters).toBe(floats);
    expect(fs.existsSync(path.join(DIR, 'model.json'))).toBe(false);
  });
});
