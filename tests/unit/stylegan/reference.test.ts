import { describe, expect, it } from 'vitest';
import { buildGenerator, moduleAt } from '../../../src/core/stylegan/architecture.ts';
import type { NamedTensor, StyleGanNetwork } from '../../../src/core/stylegan/network.ts';
import { tinyStyleGan2, tinyStyleGan3 } from '../../../src/core/stylegan/presets.ts';
import { referenceGenerate, referenceImageShape, referenceMap, referenceSynthesize } from '../../support/stylegan-reference/index.ts';
import { ModuleView } from '../../support/stylegan-reference/access.ts';
import { synthesisInput } from '../../support/stylegan-reference/stylegan3.ts';

function latents(n: number, dim: number, seed: number): Float32Array {
  return Float32Array.from({ length: n * dim }, (_, i) => Math.sin(i * 1.7 + seed * 3.1) * 1.3 + Math.cos(i * 0.3 + seed));
}

function withTensor(net: StyleGanNetwork, name: string, data: Float32Array): StyleGanNetwork {
  const old = net.tensors.get(name);
  if (old === undefined) throw new Error(`no tensor ${name}`);
  const tensors = new Map<string, NamedTensor>(net.tensors);
  tensors.set(name, { shape: old.shape, data });
  return { ...net, tensors };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

const sg2Skip = buildGenerator(tinyStyleGan2(), { seed: 11 });
const sg2Cond = buildGenerator(tinyStyleGan2({ architecture: 'resnet', cDim: 3 }), { seed: 12 });
const sg3T = buildGenerator(tinyStyleGan3(), { seed: 13 });

describe('referenceMap', () => {
  const z = latents(3, 8, 1);
  const wAvg = sg2Skip.tensors.get('mapping.w_avg')?.data as Float32Array;
  const numWs = sg2Skip.root.attrs.num_ws as number;

  it('returns n × num_ws × w_dim with every w of a sample equal when not truncated', () => {
    const ws = referenceMap(sg2Skip, z);
    expect(ws.length).toBe(3 * numWs * 8);
    for (let b = 0; b < 3; b++) {
      const first = ws.subarray(b * numWs * 8, b * numWs * 8 + 8);
      for (let k = 1; k < numWs; k++) expect(Array.from(ws.subarray((b * numWs + k) * 8, (b * numWs + k + 1) * 8))).toEqual(Array.from(first));
    }
  });

  it('normalises z to unit second moment first, so z and 5·z map to the same w', () => {
    const ws = referenceMap(sg2Skip, z);
    const ws5 = referenceMap(sg2Skip, z.map((v) => v * 5));
    expect(maxAbsDiff(ws, ws5)).toBeLessThan(1e-6);
  });

  it('ψ = 0 gives w_avg in every slot; ψ = 0.5 lands halfway', () => {
    const w1 = referenceMap(sg2Skip, z);
    const w0 = referenceMap(sg2Skip, z, undefined, { truncationPsi: 0 });
    const wh = referenceMap(sg2Skip, z, undefined, { truncationPsi: 0.5 });
    for (let i = 0; i < w0.length; i++) {
      expect(w0[i]).toBeCloseTo(wAvg[i % 8] as number, 6);
      expect(wh[i]).toBeCloseTo(((wAvg[i % 8] as number) + (w1[i] as number)) / 2, 5);
    }
  });

  it('truncation_cutoff truncates only ws[:cutoff] (a Python slice, negative from the end)', () => {
    const w1 = referenceMap(sg2Skip, z);
    const cut = referenceMap(sg2Skip, z, undefined, { truncationPsi: 0, truncationCutoff: 2 });
    const neg = referenceMap(sg2Skip, z, undefined, { truncationPsi: 0, truncationCutoff: -1 });
    for (let b = 0; b < 3; b++) {
      for (let k = 0; k < numWs; k++) {
        const at = (b * numWs + k) * 8;
        expect(Array.from(cut.subarray(at, at + 8))).toEqual(Array.from(k < 2 ? wAvg : w1.subarray(at, at + 8)));
        expect(Array.from(neg.subarray(at, at + 8))).toEqual(Array.from(k < numWs - 1 ? wAvg : w1.subarray(at, at + 8)));
      }
    }
  });

  it('maps each sample independently of the rest of the batch', () => {
    const all = referenceMap(sg2Skip, z);
    const second = referenceMap(sg2Skip, z.subarray(8, 16));
    expect(Array.from(all.subarray(numWs * 8, 2 * numWs * 8))).toEqual(Array.from(second));
  });

  it('feeds the label of a conditional network through embed, per sample', () => {
    const zz = latents(2, 8, 2);
    const c1 = Float32Array.from([1, 0, 0, 0, 1, 0]);
    const c2 = Float32Array.from([0, 0, 1, 0, 0, 1]);
    const a = referenceMap(sg2Cond, zz, c1);
    expect(maxAbsDiff(a, referenceMap(sg2Cond, zz, c2))).toBeGreaterThan(1e-3);
    expect(Array.from(referenceMap(sg2Cond, zz.subarray(0, 8), c1.subarray(0, 3)))).toEqual(Array.from(a.subarray(0, a.length / 2)));
  });

  it('says what is wrong with bad input', () => {
    expect(() => referenceMap(sg2Cond, latents(1, 8, 0))).toThrow(/conditional: expected c with 1 × c_dim \(3\) values, got none/);
    expect(() => referenceMap(sg2Skip, new Float32Array(7))).toThrow(/z has 7 values, expected n × z_dim \(8\)/);
  });
});

describe('referenceSynthesize / referenceGenerate: StyleGAN2', () => {
  const z = latents(2, 8, 3);

  for (const architecture of ['orig', 'skip', 'resnet'] as const) {
    it(`${architecture}: NCHW images of the right size, finite, deterministic, different per sample`, () => {
      const net = buildGenerator(tinyStyleGan2({ architecture }), { seed: 5 });
      expect(referenceImageShape(net)).toEqual([3, 16, 16]);
      const img = referenceGenerate(net, z);
      expect(img.length).toBe(2 * 3 * 16 * 16);
      expect(img.every((v) => Number.isFinite(v))).toBe(true);
      expect(Array.from(referenceGenerate(net, z))).toEqual(Array.from(img));
      expect(maxAbsDiff(img.subarray(0, 768), img.subarray(768))).toBeGreaterThan(1e-3);
    });
  }

  it('noise: none differs from const; const with noiseStrength 0 equals none exactly', () => {
    const ws = referenceMap(sg2Skip, z);
    const none = referenceSynthesize(sg2Skip, ws, { noiseMode: 'none' });
    const cst = referenceSynthesize(sg2Skip, ws, { noiseMode: 'const' });
    expect(maxAbsDiff(none, cst)).toBeGreaterThan(1e-3);
    expect(Array.from(referenceSynthesize(sg2Skip, ws, { noiseMode: 'const', noiseStrength: 0 }))).toEqual(Array.from(none));
  });

  it('noise: a pristine network (noise_strength 0) renders the same under every noise mode', () => {
    const net = buildGenerator(tinyStyleGan2(), { seed: 5, init: 'pristine' });
    const ws = referenceMap(net, z);
    const none = referenceSynthesize(net, ws, { noiseMode: 'none' });
    expect(Array.from(referenceSynthesize(net, ws, { noiseMode: 'const' }))).toEqual(Array.from(none));
    expect(Array.from(referenceSynthesize(net, ws, { noiseMode: 'random', seed: 3 }))).toEqual(Array.from(none));
  });

  it('noise: random is reproducible per seed and differs between seeds and from const', () => {
    const ws = referenceMap(sg2Skip, z);
    const r1 = referenceSynthesize(sg2Skip, ws, { noiseMode: 'random', seed: 1 });
    expect(Array.from(referenceSynthesize(sg2Skip, ws, { noiseMode: 'random', seed: 1 }))).toEqual(Array.from(r1));
    expect(maxAbsDiff(r1, referenceSynthesize(sg2Skip, ws, { noiseMode: 'random', seed: 2 }))).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(r1, referenceSynthesize(sg2Skip, ws, { noiseMode: 'const' }))).toBeGreaterThan(1e-3);
  });

  it('conv_clamp bounds every layer: with a tiny clamp no pixel of a skip image exceeds Σ of the ToRGB clamps', () => {
    const net = buildGenerator(tinyStyleGan2({ convClamp: 0.01 }), { seed: 5 });
    const img = referenceGenerate(net, z);
    // Three ToRGB outputs (4, 8, 16 px), each clamped to ±0.01, summed through DC-preserving upsamplers whose
    // [1,3,3,1] taps are non-negative: |img| ≤ 0.03.
    expect(Math.max(...Array.from(img, Math.abs))).toBeLessThanOrEqual(0.03 + 1e-9);
    expect(Math.max(...Array.from(img, Math.abs))).toBeGreaterThan(0.005);
  });

  it('uses each w where the code does: the last w only reaches the last ToRGB', () => {
    const ws = referenceMap(sg2Skip, z);
    const numWs = sg2Skip.root.attrs.num_ws as number;
    const moved = ws.slice();
    for (let b = 0; b < 2; b++) for (let j = 0; j < 8; j++) moved[(b * numWs + numWs - 1) * 8 + j] = (moved[(b * numWs + numWs - 1) * 8 + j] as number) + 0.5;
    const a = referenceSynthesize(sg2Skip, ws);
    const b = referenceSynthesize(sg2Skip, moved);
    expect(maxAbsDiff(a, b)).toBeGreaterThan(1e-4);
    // Nothing but the final ToRGB changed, and that is a per-pixel 1×1 map, so every pixel of every channel moved by
    // at most the ToRGB's own change, which leaves the spatial structure: check the conv features did not change by
    // re-rendering with the last block's ToRGB weight zeroed — then the two ws give equal images.
    const zeroed = withTensor(sg2Skip, 'synthesis.b16.torgb.weight', new Float32Array(3 * 8));
    expect(Array.from(referenceSynthesize(zeroed, moved))).toEqual(Array.from(referenceSynthesize(zeroed, ws)));
  });

  it('refuses ws of the wrong size, naming the expected layout', () => {
    expect(() => referenceSynthesize(sg2Skip, new Float32Array(10))).toThrow(/n × num_ws \(\d+\) × w_dim \(8\)/);
  });
});

describe('referenceSynthesize / referenceGenerate: StyleGAN3', () => {
  const z = latents(2, 8, 4);

  for (const rotation of [false, true]) {
    it(`${rotation ? 'R' : 'T'}: 32 px NCHW images, finite, deterministic, per-sample up to the batch-wide style scale`, () => {
      const net = rotation ? buildGenerator(tinyStyleGan3({ rotation: true }), { seed: 6 }) : sg3T;
      const img = referenceGenerate(net, z);
      expect(img.length).toBe(2 * 3 * 32 * 32);
      expect(img.every((v) => Number.isFinite(v))).toBe(true);
      expect(maxAbsDiff(img.subarray(0, 3072), img.subarray(3072))).toBeGreaterThan(1e-4);
      expect(Array.from(referenceGenerate(net, z))).toEqual(Array.from(img));
      // StyleGAN3 pre-normalises styles by one RMS over the whole batch; demodulation divides it out again except
      // inside its 1e-8 epsilon, so a sample rendered alone differs from the batched one only at rounding level.
      const alone = referenceGenerate(net, z.subarray(8));
      expect(maxAbsDiff(alone, img.subarray(3072))).toBeLessThan(1e-6);
    });
  }

  it('has no noise inputs: every noise mode renders the same image', () => {
    const ws = referenceMap(sg3T, z);
    const a = referenceSynthesize(sg3T, ws, { noiseMode: 'none' });
    expect(Array.from(referenceSynthesize(sg3T, ws, { noiseMode: 'random', seed: 9 }))).toEqual(Array.from(a));
  });

  it('the input transform buffer rotates the Fourier features: 90° turns the feature map by 90°', () => {
    const w = Float64Array.from(referenceMap(sg3T, z).subarray(0, 8));
    const input = ModuleView.root(sg3T).child('synthesis').child('input');
    const plain = synthesisInput(input, w);
    const turned = withTensor(sg3T, 'synthesis.input.transform', Float32Array.from([0, -1, 0, 1, 0, 0, 0, 0, 1]));
    const rot = synthesisInput(ModuleView.root(turned).child('synthesis').child('input'), w);
    const s = plain.w;
    expect(plain.h).toBe(s);
    // Frequencies become f·R, so the value at grid point g is the untransformed value at R·g = (−g_y, g_x).
    for (let c = 0; c < plain.c; c += 5) {
      for (let j = 0; j < s; j++) {
        for (let i = 0; i < s; i++) {
          expect(rot.data[(c * s + j) * s + i]).toBeCloseTo(plain.data[(c * s + i) * s + (s - 1 - j)] as number, 9);
        }
      }
    }
  });

  it('reads magnitude_ema as the input gain 1/sqrt(ema): the ToRGB layer (linear, no demodulation) scales exactly', () => {
    const names = moduleAt(sg3T, 'synthesis').attrs.layer_names as string[];
    const last = `synthesis.${names[names.length - 1] as string}`;
    const ema = sg3T.tensors.get(`${last}.magnitude_ema`)?.data[0] as number;
    const zeroBias = withTensor(sg3T, `${last}.bias`, new Float32Array(3));
    const quarter = withTensor(zeroBias, `${last}.magnitude_ema`, Float32Array.from([ema * 4]));
    const ws = referenceMap(sg3T, z);
    const a = referenceSynthesize(zeroBias, ws);
    const b = referenceSynthesize(quarter, ws);
    for (let i = 0; i < a.length; i += 37) expect(b[i]).toBeCloseTo((a[i] as number) / 2, 6);
  });
});
