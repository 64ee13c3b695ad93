import { describe, expect, it } from 'vitest';
import { catmullRomInto } from '../../../src/core/latent/catmull-rom.ts';
import { MappedSpace } from '../../../src/core/latent/latent-space.ts';
import { latentFromSeed } from '../../../src/core/latent/seed-latent.ts';
import { createWalkSettings, type WalkSettings } from '../../../src/core/latent/walk-settings.ts';
import { Walker } from '../../../src/core/latent/walker.ts';
import { buildGenerator } from '../../../src/core/stylegan/architecture.ts';
import { CpuMapping } from '../../../src/core/stylegan/cpu-mapping.ts';
import { stylegan2AdaConfig } from '../../../src/core/stylegan/presets.ts';
import { DT, PathRecorder, dist, maxAbs } from './helpers.ts';

/** A StyleGAN2 with a 32-d, 4-layer mapping (the synthesis network is tiny and never run here). */
const net = buildGenerator(stylegan2AdaConfig({ resolution: 8, channelBase: 64, channelMax: 8, mappingLayers: 4, zDim: 24, wDim: 32 }), { init: 'trained-like', seed: 11 });
const W = 32;

function space(): MappedSpace {
  return new MappedSpace(new CpuMapping(net));
}

function mapped(seed: number, stream = 0): Float32Array {
  return new CpuMapping(net).mapInto(latentFromSeed(seed, 24, undefined, stream), new Float32Array(W));
}

function run(walker: Walker, s: WalkSettings, ticks: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let i = 0; i < ticks; i++) out.push(Float32Array.from(walker.step(DT, s)));
  return out;
}

describe('the walker in a StyleGAN\'s w space', () => {
  it('starts on w = mapping(z(seed)) and passes through mapped keyframes on a straight (affine) spline', () => {
    const sp = space();
    const s = createWalkSettings({ mode: 'tour', seed: 5, truncation: 1, keyframeSeconds: 1, speed: 1 });
    const w = new Walker({ size: W, space: sp });
    expect(maxAbs(w.step(0, s), mapped(5))).toBe(0);
    // 15 ticks of 1/30 s = half a keyframe: the plain Catmull-Rom of the mapped keyframes −1, 0, 1, 2.
    for (let i = 0; i < 15; i++) w.step(DT, s);
    const want = catmullRomInto(mapped(5, -1), mapped(5, 0), mapped(5, 1), mapped(5, 2), 0.5, new Float32Array(W), false);
    expect(maxAbs(w.latent(), want)).toBeLessThan(1e-5);
    const radial = catmullRomInto(mapped(5, -1), mapped(5, 0), mapped(5, 1), mapped(5, 2), 0.5, new Float32Array(W));
    expect(maxAbs(radial, want)).toBeGreaterThan(1e-3); // the shell's correction would be visible
  });

  it('ψ = 0 gives w_avg exactly in every mode, and ψ lerps toward it', () => {
    const wAvg = net.tensors.get('mapping.w_avg')?.data as Float32Array;
    for (const mode of ['tour', 'loop', 'noise-loop', 'random', 'towards'] as const) {
      const w = new Walker({ size: W, space: space() });
      const s = createWalkSettings({ mode, truncation: 0, jitter: 0.5 });
      for (let i = 0; i < 20; i++) expect(Array.from(w.step(DT, s)), mode).toEqual(Array.from(wAvg));
    }
    const w = new Walker({ size: W, space: space() });
    const full = Float32Array.from(w.step(0, createWalkSettings({ truncation: 1 })));
    const half = w.finishInto(w.walkedLatent(), 0.5, new Float32Array(W));
    for (let i = 0; i < W; i++) expect(half[i]).toBeCloseTo((wAvg[i] as number) + 0.5 * ((full[i] as number) - (wAvg[i] as number)), 6);
  });

  for (const mode of ['loop', 'noise-loop'] as const) {
    it(`${mode} closes exactly after one lap in w, smoothly`, () => {
      const s = createWalkSettings({ mode, loopKeyframes: 4, keyframeSeconds: 2, speed: 1, truncation: 0.7 });
      const w = new Walker({ size: W, space: space() });
      const first = Float32Array.from(w.step(DT, s));
      const path = new PathRecorder();
      path.push(first);
      let far = 0;
      for (let i = 1; i <= 240; i++) {
        const v = w.step(DT, s);
        path.push(v);
        far = Math.max(far, dist(v, first));
      }
      expect(maxAbs(w.latent(), first)).toBeLessThan(1e-5);
      expect(far).toBeGreaterThan(0.1);
      expect(path.maxBend()).toBeLessThan(0.1 * path.maxStep());
    });
  }

  it('is deterministic frame for frame: same seed and settings, same w bits, through mode changes, jitter and a grid', () => {
    const record = (): number[] => {
      const w = new Walker({ size: W, space: space() });
      const out: number[] = [];
      const grid = new Float32Array(4 * W);
      for (const mode of ['tour', 'random', 'noise-loop', 'hold', 'towards', 'loop'] as const) {
        const s = createWalkSettings({ mode, seed: 3, target: 9, jitter: 0.4, blendSeconds: 0.5, grid: 2, gridSpread: 0.5 });
        for (const v of run(w, s, 20)) out.push(...v);
        out.push(...w.siblingsInto(grid));
      }
      return out;
    };
    const a = record();
    expect(record()).toEqual(a);
    expect(new Set(a.map((x) => x.toFixed(4))).size).toBeGreaterThan(100);
  });

  it('random drifts in z and maps every tick: it starts on portrait #seed and moves continuously', () => {
    const s = createWalkSettings({ mode: 'random', seed: 8, truncation: 1, speed: 2 });
    const w = new Walker({ size: W, space: space() });
    expect(maxAbs(w.step(0, s), mapped(8))).toBe(0);
    const path = run(w, s, 300);
    const rec = new PathRecorder();
    for (const v of path) rec.push(v);
    expect(dist(path[299] as Float32Array, mapped(8))).toBeGreaterThan(0.1);
    expect(rec.maxStep()).toBeLessThan(0.05 * dist(path[299] as Float32Array, mapped(8)) + 0.05);
  });

  it('random and jitter map a few samples per correlation time, not every tick, and a look-ahead runs them exactly', () => {
    const counting = new CpuMapping(net);
    let calls = 0;
    const sp = new MappedSpace({
      zDim: counting.zDim,
      wDim: counting.wDim,
      wAvg: counting.wAvg,
      mapInto: (z, out) => {
        calls++;
        return counting.mapInto(z, out);
      },
    });
    const s = createWalkSettings({ mode: 'random', seed: 4, keyframeSeconds: 8, speed: 1, jitter: 0.5 });
    const w = new Walker({ size: W, space: sp });
    w.step(DT, s);
    const ahead = w.lookahead(30, DT, new Float32Array(30 * W));
    calls = 0;
    const ticked = run(w, s, 30 * 60).slice(0, 30); // one minute at 30 ticks/s
    // random: 1/8 correlation times per second → 0.5 samples/s; jitter: 1/1.5 → 2.7 samples/s; ≈ 190 in a minute.
    expect(calls).toBeLessThan(250);
    expect(calls).toBeGreaterThan(100);
    expect(Array.from(ahead)).toEqual(ticked.flatMap((v) => Array.from(v)));
  });

  it('a change of mode blends in a straight line (lerp), not along the shell', () => {
    const sp = space();
    const w = new Walker({ size: W, space: sp });
    w.step(0, createWalkSettings({ mode: 'hold', seed: 2, truncation: 1 }));
    const from = Float32Array.from(w.latent());
    const to = mapped(6);
    const s = createWalkSettings({ mode: 'towards', target: 6, truncation: 1, blendSeconds: 1 });
    for (let i = 0; i < 15; i++) w.step(DT, s);
    // Halfway through the blend (smootherstep(0.5) = 0.5): the midpoint of the chord.
    const mid = from.map((v, i) => v + ((to[i] as number) - v) * 0.5);
    expect(maxAbs(w.latent(), mid)).toBeLessThan(1e-5);
  });

  it('steering adds σ·d in w after truncation, reversibly', () => {
    const d = new Float32Array(W);
    d[3] = 1;
    const w = new Walker({ size: W, space: space(), directions: [{ name: 'x', vector: d, sigma: 0.25 }] });
    const s = createWalkSettings({ mode: 'hold', truncation: 0.5 });
    const base = Float32Array.from(w.step(DT, s));
    s.steer[0] = 2;
    const steered = Float32Array.from(w.step(DT, s));
    expect(steered[3]).toBeCloseTo((base[3] as number) + 0.5, 6);
    expect(maxAbs(steered.map((v, i) => (i === 3 ? 0 : v)), base.map((v, i) => (i === 3 ? 0 : v)))).toBe(0);
    s.steer[0] = 0;
    expect(maxAbs(w.step(DT, s), base)).toBeLessThan(1e-6);
  });

  it('a conditional model\'s class changes every keyframe (the space\'s epoch), and the walk follows', () => {
    const cond = buildGenerator(stylegan2AdaConfig({ resolution: 8, channelBase: 64, channelMax: 8, mappingLayers: 2, zDim: 16, wDim: 16, cDim: 3 }), { init: 'trained-like', seed: 2 });
    const sp = new MappedSpace(new CpuMapping(cond));
    const w = new Walker({ size: 16, space: sp });
    const s = createWalkSettings({ mode: 'tour', truncation: 1 });
    const a = Float32Array.from(w.step(DT, s));
    sp.setClass(2);
    const b = Float32Array.from(w.step(0, s));
    expect(maxAbs(a, b)).toBeGreaterThan(1e-3);
    sp.setClass(0);
    expect(maxAbs(w.step(0, s), a)).toBeLessThan(1e-6);
    // An unconditional model ignores the class: nothing is recomputed.
    const plain = space();
    plain.setClass(5);
    expect(plain.epoch).toBe(0);
    // Out-of-range classes clamp: 7 is class 2 of 3, so setting 2 afterwards changes nothing.
    sp.setClass(7);
    const e = sp.epoch;
    sp.setClass(2);
    expect(sp.epoch).toBe(e);
  });

  it('a walker whose size is not the space\'s is refused', () => {
    expect(() => new Walker({ size: 24, space: space() })).toThrow(/size 24, but the space walks 32/);
  });
});
