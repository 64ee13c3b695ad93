// The eval maths: Fréchet distance and matrix square root on known cases, and
// the feature net is deterministic (same seed → same features on any run).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFeatureNet, features } from '../../../tools/eval/featureNet.ts';
import { frechetDistance, matMul, meanAndCovariance, sqrtPsd } from '../../../tools/eval/linalg.ts';
import { fixedDetailRms } from '../../../tools/eval/cli.ts';
import { startWasmBackend } from '../../../tools/lib/tfjs-wasm.ts';
import { meanPairwiseDistance } from '../../../tools/train/diversity.ts';
import { Rng } from '../../../tools/train/rng.ts';

function gaussian(rng: Rng, n: number, dim: number, shift: number, scale: number): Float32Array {
  const x = rng.normals(n * dim);
  return x.map((v) => v * scale + shift);
}

describe('eval maths', () => {
  beforeAll(async () => {
    await startWasmBackend();
  });

  it('sqrtPsd squares back to the matrix', () => {
    const rng = new Rng(3);
    const n = 6;
    const b = Float64Array.from(rng.normals(n * n));
    const a = matMul(b, Float64Array.from({ length: n * n }, (_, i) => b[(i % n) * n + Math.floor(i / n)]!), n);
    const s = sqrtPsd(a, n);
    const back = matMul(s, s, n);
    for (let i = 0; i < n * n; i++) expect(back[i]!).toBeCloseTo(a[i]!, 6);
  });

  it('Fréchet distance is ~0 for the same distribution and ‖Δμ‖² for a pure shift', () => {
    const rng = new Rng(9);
    const dim = 8;
    const n = 4000;
    const a = meanAndCovariance(gaussian(rng, n, dim, 0, 1), n, dim);
    const b = meanAndCovariance(gaussian(rng, n, dim, 0, 1), n, dim);
    expect(frechetDistance(a, b, dim)).toBeLessThan(0.05);
    const shifted = { mean: a.mean.map((v) => v + 0.5), cov: a.cov };
    expect(frechetDistance(a, shifted, dim)).toBeCloseTo(dim * 0.25, 6);
    const wider = meanAndCovariance(gaussian(rng, n, dim, 0, 2), n, dim);
    // Tr(I + 4I − 2·2I) = dim per unit variance ⇒ ≈ dim.
    expect(frechetDistance(a, wider, dim)).toBeGreaterThan(dim * 0.8);
  });

  it('feature net is deterministic and separates different images', () => {
    const x = tf.tensor4d(new Rng(1).normals(2 * 16 * 16 * 3).map((v) => v * 0.3), [2, 16, 16, 3]);
    const f1 = features(buildFeatureNet(), x).arraySync();
    const f2 = features(buildFeatureNet(), x).arraySync();
    expect(f1).toEqual(f2);
    expect(f1[0]).not.toEqual(f1[1]);
  });

  it('mean pairwise distance is 0 for identical images (collapse) and > 0 otherwise', () => {
    const same = new Uint8Array(4 * 12).fill(7);
    expect(meanPairwiseDistance(same, 4)).toBe(0);
    const diff = Uint8Array.from({ length: 4 * 12 }, (_, i) => (i * 37) % 256);
    expect(meanPairwiseDistance(diff, 4)).toBeGreaterThan(0);
  });

  it('fixed-pattern RMS: 0 for block-flat pictures, the template itself when every picture carries it, near 0 for detail that moves', () => {
    const rng = new Rng(11);
    const n = 64;
    const side = 8;
    const px = side * side * 3;
    // Each 2×2 block flat (any colour): no fine detail at all.
    const flat = Float32Array.from({ length: n * px }, (_, i) => {
      const x = Math.floor((i / 3) % side);
      const y = Math.floor(i / 3 / side) % side;
      return Math.sin(Math.floor(i / px) * 7 + Math.floor(x / 2) * 3 + Math.floor(y / 2));
    });
    const template = Float32Array.from({ length: px }, (_, i) => ((Math.floor(i / 3) % 2) * 2 - 1) * 0.1); // ±0.1 columns
    const ghost = flat.map((v, i) => v + template[i % px]!);
    const moving = flat.map((v) => v + (rng.normals(1)[0]! > 0 ? 0.1 : -0.1));
    const rms = (a: Float32Array): number => {
      const t = tf.tensor4d(a, [n, side, side, 3]);
      const r = fixedDetailRms(t);
      t.dispose();
      return r;
    };
    expect(rms(flat)).toBeLessThan(1e-6);
    expect(rms(ghost)).toBeCloseTo(0.1, 5);
    expect(rms(moving)).toBeLessThan(0.03);
  });
});
