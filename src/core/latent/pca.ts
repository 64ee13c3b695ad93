import { Rng } from './rng.ts';
import { symmetricEigen } from './symmetric-eigen.ts';

export interface PcaOptions {
  /** Extra search vectors beyond k: they speed convergence when eigenvalues are close (Halko et al. 2011). */
  readonly oversample?: number;
  readonly maxIterations?: number;
  /** Stop when no component turns by more than this (1 − |cos|) between iterations. */
  readonly tolerance?: number;
  readonly seed?: number;
}

export interface PcaResult {
  readonly mean: Float64Array;
  /** k unit vectors of length `cols`, by decreasing variance; each sign chosen so its largest entry is positive. */
  readonly components: readonly Float64Array[];
  /** Sample variance along each component (eigenvalues of the covariance). */
  readonly variances: Float64Array;
  /** Sum of the variances of all columns: variances[i] / totalVariance is the share component i explains. */
  readonly totalVariance: number;
  readonly iterations: number;
}

/**
 * The top k principal components of `rows` samples of `cols` features (row-major `data`), by block power
 * iteration (subspace iteration, Golub & Van Loan §8.2.4) with a Rayleigh–Ritz step at the end: each iteration
 * multiplies by the covariance without forming it (two passes over the data, O(rows·cols·k)), so it suits GANSpace's
 * tall activation matrices (Härkönen et al. 2020 use incremental PCA for the same reason). Deterministic for a seed.
 */
export function principalComponents(data: Float32Array, rows: number, cols: number, k: number, options: PcaOptions = {}): PcaResult {
  if (data.length !== rows * cols) throw new RangeError(`pca: data holds ${data.length} numbers, expected ${rows}×${cols}`);
  if (!(k >= 1 && k <= Math.min(rows, cols))) throw new RangeError(`pca: k must be 1 … ${Math.min(rows, cols)}, got ${k}`);
  const b = Math.min(cols, rows, k + (options.oversample ?? 4));
  const maxIterations = options.maxIterations ?? 100;
  // 1 − |cos| < 1e-8: every component within ~1e-4 rad of its limit, far finer than a steering slider can show.
  const tolerance = options.tolerance ?? 1e-8;
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] = (mean[c] as number) + (data[r * cols + c] as number);
  for (let c = 0; c < cols; c++) mean[c] = (mean[c] as number) / rows;
  const x = new Float64Array(rows * cols);
  let totalSq = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = (data[r * cols + c] as number) - (mean[c] as number);
      x[r * cols + c] = v;
      totalSq += v * v;
    }
  }
  const denom = Math.max(1, rows - 1);
  const rng = new Rng(options.seed ?? 1, 77);
  let q: Float64Array[] = Array.from({ length: b }, () => Float64Array.from({ length: cols }, () => rng.normal()));
  orthonormalise(q);
  const p: Float64Array[] = Array.from({ length: b }, () => new Float64Array(rows));
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const next = covarianceTimes(x, rows, cols, q);
    orthonormalise(next);
    let worst = 0;
    for (let j = 0; j < k; j++) worst = Math.max(worst, 1 - Math.abs(dot(next[j] as Float64Array, q[j] as Float64Array)));
    q = next;
    if (worst < tolerance) {
      iterations++;
      break;
    }
  }
  // Rayleigh–Ritz: diagonalise the covariance restricted to the subspace, T = (XQ)ᵀ(XQ)/(n−1).
  for (let j = 0; j < b; j++) multiplyRows(x, rows, cols, q[j] as Float64Array, p[j] as Float64Array);
  const t = new Float64Array(b * b);
  for (let i = 0; i < b; i++) for (let j = i; j < b; j++) t[i * b + j] = t[j * b + i] = dot(p[i] as Float64Array, p[j] as Float64Array) / denom;
  const eig = symmetricEigen(t, b);
  const components: Float64Array[] = [];
  for (let i = 0; i < k; i++) {
    const v = new Float64Array(cols);
    for (let j = 0; j < b; j++) {
      const w = eig.vectors[i * b + j] as number;
      const qj = q[j] as Float64Array;
      for (let c = 0; c < cols; c++) v[c] = (v[c] as number) + w * (qj[c] as number);
    }
    let big = 0;
    for (let c = 0; c < cols; c++) if (Math.abs(v[c] as number) > Math.abs(v[big] as number)) big = c;
    if ((v[big] as number) < 0) for (let c = 0; c < cols; c++) v[c] = -(v[c] as number);
    const n = Math.sqrt(dot(v, v));
    for (let c = 0; c < cols; c++) v[c] = (v[c] as number) / n;
    components.push(v);
  }
  return { mean, components, variances: eig.values.slice(0, k), totalVariance: totalSq / denom, iterations };
}

/** Coordinates of each row of `data` along the components: scores [rows × k], row-major. */
export function projectOnComponents(data: Float32Array, rows: number, cols: number, pca: PcaResult): Float64Array {
  const k = pca.components.length;
  const out = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < k; j++) {
      const v = pca.components[j] as Float64Array;
      let s = 0;
      for (let c = 0; c < cols; c++) s += ((data[r * cols + c] as number) - (pca.mean[c] as number)) * (v[c] as number);
      out[r * k + j] = s;
    }
  }
  return out;
}

/**
 * Xᵀ(X q_j) for every j in one pass over X: each row is read once while it is in cache, its b dot products
 * taken, then added back scaled — half the memory traffic of one pass per vector and per product.
 */
function covarianceTimes(x: Float64Array, rows: number, cols: number, q: readonly Float64Array[]): Float64Array[] {
  const b = q.length;
  const y = q.map(() => new Float64Array(cols));
  const p = new Float64Array(b);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let j = 0; j < b; j++) {
      const qj = q[j] as Float64Array;
      let s = 0;
      for (let c = 0; c < cols; c++) s += (x[base + c] as number) * (qj[c] as number);
      p[j] = s;
    }
    for (let j = 0; j < b; j++) {
      const yj = y[j] as Float64Array;
      const s = p[j] as number;
      for (let c = 0; c < cols; c++) yj[c] = (yj[c] as number) + (x[base + c] as number) * s;
    }
  }
  return y;
}

function multiplyRows(x: Float64Array, rows: number, cols: number, v: Float64Array, out: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    let s = 0;
    const base = r * cols;
    for (let c = 0; c < cols; c++) s += (x[base + c] as number) * (v[c] as number);
    out[r] = s;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** Modified Gram–Schmidt, twice for numerical orthogonality ("twice is enough", Giraud et al. 2005). */
function orthonormalise(vs: Float64Array[]): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < vs.length; i++) {
      const v = vs[i] as Float64Array;
      for (let j = 0; j < i; j++) {
        const u = vs[j] as Float64Array;
        const d = dot(v, u);
        for (let c = 0; c < v.length; c++) v[c] = (v[c] as number) - d * (u[c] as number);
      }
      const n = Math.sqrt(dot(v, v));
      for (let c = 0; c < v.length; c++) v[c] = n > 0 ? (v[c] as number) / n : 0;
    }
  }
}
