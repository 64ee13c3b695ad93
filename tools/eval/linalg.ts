// Small dense float64 linear algebra for the Fréchet distance (feature dims
// are ~100, so a cyclic Jacobi eigensolver is plenty and needs no library).

export type Matrix = Float64Array; // row-major n×n

/** Eigen-decomposition of a symmetric matrix: values and column eigenvectors. */
export function symmetricEigen(a: Matrix, n: number): { values: Float64Array; vectors: Matrix } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * n + q]! - m[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p]!;
          const mkq = m[k * n + q]!;
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k]!;
          const mqk = m[q * n + k]!;
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = m[i * n + i]!;
  return { values, vectors: v };
}

export function matMul(a: Matrix, b: Matrix, n: number): Matrix {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j]! += aik * b[k * n + j]!;
    }
  }
  return out;
}

/** Symmetric PSD square root via eigen-decomposition (negative eigenvalues clipped). */
export function sqrtPsd(a: Matrix, n: number): Matrix {
  const { values, vectors } = symmetricEigen(a, n);
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const s = Math.sqrt(Math.max(0, values[k]!));
    for (let i = 0; i < n; i++) {
      const vik = vectors[i * n + k]! * s;
      for (let j = 0; j < n; j++) out[i * n + j]! += vik * vectors[j * n + k]!;
    }
  }
  return out;
}

export function meanAndCovariance(x: Float32Array, count: number, dim: number): { mean: Float64Array; cov: Matrix } {
  const mean = new Float64Array(dim);
  for (let i = 0; i < count; i++) for (let d = 0; d < dim; d++) mean[d]! += x[i * dim + d]! / count;
  const cov = new Float64Array(dim * dim);
  for (let i = 0; i < count; i++) {
    for (let a = 0; a < dim; a++) {
      const da = x[i * dim + a]! - mean[a]!;
      for (let b = a; b < dim; b++) cov[a * dim + b]! += (da * (x[i * dim + b]! - mean[b]!)) / (count - 1);
    }
  }
  for (let a = 0; a < dim; a++) for (let b = 0; b < a; b++) cov[a * dim + b] = cov[b * dim + a]!;
  return { mean, cov };
}

/** ‖μ1−μ2‖² + Tr(S1 + S2 − 2·(S1^½ S2 S1^½)^½), the symmetric form of FID. */
export function frechetDistance(
  a: { mean: Float64Array; cov: Matrix },
  b: { mean: Float64Array; cov: Matrix },
  n: number,
): number {
  let d = 0;
  for (let i = 0; i < n; i++) d += (a.mean[i]! - b.mean[i]!) ** 2;
  const s1h = sqrtPsd(a.cov, n);
  const inner = matMul(matMul(s1h, b.cov, n), s1h, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) inner[i * n + j] = inner[j * n + i] = (inner[i * n + j]! + inner[j * n + i]!) / 2;
  const { values } = symmetricEigen(inner, n);
  let tr = 0;
  for (let i = 0; i < n; i++) tr += a.cov[i * n + i]! + b.cov[i * n + i]!;
  for (const v of values) tr -= 2 * Math.sqrt(Math.max(0, v));
  return d + tr;
}
