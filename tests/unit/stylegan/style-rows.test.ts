import { describe, expect, it } from 'vitest';
import { MappedSpace } from '../../../src/core/latent/latent-space.ts';
import { createWalkSettings } from '../../../src/core/latent/walk-settings.ts';
import { Walker } from '../../../src/core/latent/walker.ts';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS } from '../../../src/core/params/catalogue.ts';
import { loadShow } from '../../../src/core/show/load.ts';
import { buildGenerator } from '../../../src/core/stylegan/architecture.ts';
import { CpuMapping } from '../../../src/core/stylegan/cpu-mapping.ts';
import { tinyStyleGan2 } from '../../../src/core/stylegan/presets.ts';
import { STYLE_ROWS, StyleRows } from '../../../src/core/stylegan/style-rows.ts';
import { createStyleSettings, readStyleSettings, styleRowOfLayer } from '../../../src/core/stylegan/style-settings.ts';

const net = buildGenerator(tinyStyleGan2(), { init: 'trained-like', seed: 7 });
const D = 8;

function setup(): { walker: Walker; rows: StyleRows; space: MappedSpace } {
  const space = new MappedSpace(new CpuMapping(net));
  const walker = new Walker({ size: D, space });
  return { walker, rows: new StyleRows(walker, space), space };
}

const row = (out: Float32Array, cell: number, r: number): number[] => Array.from(out.subarray((cell * STYLE_ROWS + r) * D, (cell * STYLE_ROWS + r + 1) * D));

describe('style parameters on the bus', () => {
  it('default to a plain StyleGAN run: const noise at 1, no mixing, truncation on every layer, class 0', () => {
    const s = readStyleSettings(new ParameterBus(PARAMS), createStyleSettings());
    expect(s).toEqual({ noiseMode: 'const', noiseStrength: 1, mixLayer: null, mixSeed: 0, truncationCutoff: null, classIndex: 0 });
    for (let l = 0; l < 18; l++) expect(styleRowOfLayer(l, s.mixLayer, s.truncationCutoff)).toBe(0);
  });

  it('are read from the bus, and the layer plan follows crossover and cutoff', () => {
    const bus = new ParameterBus(PARAMS);
    for (const [k, v] of Object.entries({ 'style/noise-mode': 'none', 'style/noise-strength': 0.5, 'style/mix-layer': 4, 'style/mix-seed': 12, 'style/truncation-cutoff': 2, 'style/class': 3 })) {
      expect(bus.set(k, v, 'desk', { immediate: true }).ok).toBe(true);
    }
    const s = readStyleSettings(bus, createStyleSettings());
    expect(s).toEqual({ noiseMode: 'none', noiseStrength: 0.5, mixLayer: 4, mixSeed: 12, truncationCutoff: 2, classIndex: 3 });
    expect(Array.from({ length: 6 }, (_, l) => styleRowOfLayer(l, s.mixLayer, s.truncationCutoff))).toEqual([0, 0, 1, 1, 3, 3]);
    expect(bus.set('style/noise-mode', 'loud', 'desk').ok).toBe(false);
  });
});

describe('StyleRows', () => {
  it('one image: row 0 is the walk, row 1 the walk at ψ = 1 only under a cutoff, rows 2–3 the mix portrait only when mixing', () => {
    const { walker, rows, space } = setup();
    walker.step(1 / 30, createWalkSettings({ truncation: 0.5 }));
    const out = new Float32Array(STYLE_ROWS * D);
    rows.writeInto(1, createStyleSettings(), out);
    for (let r = 0; r < 4; r++) expect(row(out, 0, r)).toEqual(Array.from(walker.latent()));

    const s = { ...createStyleSettings(), truncationCutoff: 3, mixLayer: 2, mixSeed: 9 };
    rows.writeInto(1, s, out);
    expect(row(out, 0, 0)).toEqual(Array.from(walker.latent()));
    expect(row(out, 0, 1)).toEqual(Array.from(walker.finishInto(walker.walkedLatent(), 1, new Float32Array(D))));
    const mix = space.sampleInto(9, 0, new Float32Array(D));
    expect(row(out, 0, 2)).toEqual(Array.from(walker.finishInto(mix, 0.5, new Float32Array(D))));
    expect(row(out, 0, 3)).toEqual(Array.from(mix));
    expect(row(out, 0, 2)).not.toEqual(row(out, 0, 0));
  });

  it('a grid: each cell carries its own sibling rows and the same mix rows', () => {
    const { walker, rows } = setup();
    walker.step(1 / 30, createWalkSettings({ truncation: 0.7, grid: 2, gridSpread: 0.6 }));
    const siblings = walker.siblingsInto(new Float32Array(4 * D));
    const free = walker.siblingsInto(new Float32Array(4 * D), 1);
    const out = new Float32Array(4 * STYLE_ROWS * D);
    rows.writeInto(4, { ...createStyleSettings(), truncationCutoff: 1, mixLayer: 3, mixSeed: 2 }, out);
    for (let c = 0; c < 4; c++) {
      expect(row(out, c, 0)).toEqual(Array.from(siblings.subarray(c * D, (c + 1) * D)));
      expect(row(out, c, 1)).toEqual(Array.from(free.subarray(c * D, (c + 1) * D)));
      expect(row(out, c, 2)).toEqual(row(out, 0, 2));
    }
    expect(row(out, 1, 0)).not.toEqual(row(out, 0, 0));
  });
});

describe('style parameters in show files', () => {
  it('a show sets them as start values and cue targets, and a bad value is refused naming the parameter', () => {
    const show = {
      name: 'sg',
      model: 'artist-sg',
      params: { 'style/mix-layer': 6, 'style/mix-seed': 42, 'style/noise-mode': 'none', 'style/truncation-cutoff': 8 },
      cues: [{ number: 1, name: 'grain', fade: 2, targets: { 'style/noise-mode': 'random', 'style/noise-strength': 0.5 } }],
    };
    const ok = loadShow(JSON.stringify(show), { name: 'sg' });
    if (!ok.ok) throw new Error(ok.issues.map((i) => i.message).join('\n'));
    expect(ok.show.initial).toMatchObject({ 'style/mix-layer': 6, 'style/mix-seed': 42, 'style/noise-mode': 'none', 'style/truncation-cutoff': 8 });
    const bad = loadShow(JSON.stringify({ ...show, params: { 'style/noise-mode': 'loud' } }), { name: 'sg' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues.map((i) => `${i.path}: ${i.message}`).join('\n')).toContain(`params["style/noise-mode"]: expected one of "const", "random", "none", got "loud"`);
  });
});
