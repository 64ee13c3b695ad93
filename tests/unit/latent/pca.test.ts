import { describe, expect, it } from 'vitest';
import { leastSquares } from '../../../src/core/latent/least-squares.ts';
import { principalComponents, projectOnComponents } from '../../../src/core/latent/pca.ts';
import { Rng } from '../../../src/core/latent/rng.ts';
import { symmetricEigen } from '../../../src/core/latent/symmetric-eigen.ts';

function unitRandom(rng: Rng, n: number): Float64Array {
  const v = Float64Array.from({ length: n }, () => rng.normal());
  const s = Math.hypot(...v);
  return v.map((x) => x / s);
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
};

describe('PCA', () => {
  it('finds a known principal axis and its variance', () => {
    const rng = new Rng(5);
    const rows = 2000;
    const cols = 40;
    const axis = unitRandom(rng, cols);
    const data = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const g = 4 * rng.normal(); // variance 16 along the axis, 1 elsewhere
      for (let c = 0; c < cols; c++) data[r * cols + c] = 3 + g * (axis[c] as number) + rng.normal();
    }
    const pca = principalComponents(data, rows, cols, 3);
    expect(Math.abs(dot(pca.components[0]!, axis))).toBeGreaterThan(0.995);
    expect(pca.variances[0]).toBeGreaterThan(14.5);
    expect(pca.variances[0]).toBeLessThan(18.5);
    expect(pca.variances[1]).toBeLessThan(1.5);
    expect(pca.mean[0]).toBeCloseTo(3, 0);
    expect(Math.abs(dot(pca.components[0]!, pca.components[1]!))).toBeLessThan(1e-9);
  });

  it('matches a full eigen-decomposition of the covariance', () => {
    const rng = new Rng(8);
    const rows = 300;
    const cols = 12;
    const scales = [5, 3, 2, 1.5, 1, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1];
    const mix = Array.from({ length: cols }, () => unitRandom(rng, cols));
    const data = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < cols; j++) {
        const g = rng.normal() * (scales[j] as number);
        for (let c = 0; c < cols; c++) data[r * cols + c] = (data[r * cols + c] as number) + g * (mix[j]![c] as number);
      }
    }
    const pca = principalComponents(data, rows, cols, 4);
    const cov = new Float64Array(cols * cols);
    for (let i = 0; i < cols; i++) {
      for (let j = 0; j < cols; j++) {
        let s = 0;
        for (let r = 0; r < rows; r++) s += ((data[r * cols + i] as number) - pca.mean[i]!) * ((data[r * cols + j] as number) - pca.mean[j]!);
        cov[i * cols + j] = s / (rows - 1);
      }
    }
    const full = symmetricEigen(cov, cols);
    for (let i = 0; i < 4; i++) {
      expect(pca.variances[i]).toBeCloseTo(full.values[i]!, 6);
      expect(Math.abs(dot(pca.components[i]!, full.vectors.subarray(i * cols, (i + 1) * cols)))).toBeGreaterThan(1 - 1e-6);
    }
    let trace = 0;
    for (let i = 0; i < cols; i++) trace += cov[i * cols + i]!;
    expect(pca.totalVariance).toBeCloseTo(trace, 6);
  });

  it('gives uncorrelated scores with the component variances', () => {
    const rng = new Rng(2);
    const rows = 500;
    const cols = 6;
    const data = Float32Array.from({ length: rows * cols }, (_, i) => rng.normal() * (1 + (i % cols)));
    const pca = principalComponents(data, rows, cols, 2);
    const s = projectOnComponents(data, rows, cols, pca);
    let s00 = 0, s01 = 0;
    for (let r = 0; r < rows; r++) {
      s00 += s[r * 2]! ** 2;
      s01 += s[r * 2]! * s[r * 2 + 1]!;
    }
    expect(s00 / (rows - 1)).toBeCloseTo(pca.variances[0]!, 6);
    expect(Math.abs(s01 / (rows - 1))).toBeLessThan(1e-6);
  });
});

describe('least squares', () => {
  it('recovers the coefficients of an exact linear map', () => {
    const rng = new Rng(4);
    const n = 100, k = 3, d = 5;
    const a = Float64Array.from({ length: n * k }, () => rng.normal());
    const truth = Float64Array.from({ length: k * d }, () => rng.normal());
    const y = new Float64Array(n * d);
    for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) for (let i = 0; i < k; i++) y[r * d + c] = y[r * d + c]! + a[r * k + i]! * truth[i * d + c]!;
    const b = leastSquares(a, n, k, y, d);
    for (let i = 0; i < k * d; i++) expect(b[i]).toBeCloseTo(truth[i]!, 8);
  });
});
