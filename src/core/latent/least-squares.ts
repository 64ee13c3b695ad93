/**
 * Least squares with several right-hand sides: B = argmin ‖A B − Y‖², for A [n × k] (k small) and Y [n × d], by the
 * normal equations (AᵀA) B = AᵀY solved with a Cholesky factorisation. Fine for GANSpace's regression of PCA
 * scores back to latents, where A's columns are uncorrelated scores and AᵀA is well conditioned; a tiny ridge
 * (relative 1e-10 of the trace) keeps a rank-deficient A from dividing by zero.
 * Returns B [k × d], row-major.
 */
export function leastSquares(a: Float64Array, n: number, k: number, y: Float32Array | Float64Array, d: number): Float64Array {
  if (a.length !== n * k) throw new RangeError(`leastSquares: A holds ${a.length} numbers, expected ${n}×${k}`);
  if (y.length !== n * d) throw new RangeError(`leastSquares: Y holds ${y.length} numbers, expected ${n}×${d}`);
  const g = new Float64Array(k * k);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < k; i++) {
      const ai = a[r * k + i] as number;
      for (let j = 0; j <= i; j++) g[i * k + j] = (g[i * k + j] as number) + ai * (a[r * k + j] as number);
    }
  }
  let trace = 0;
  for (let i = 0; i < k; i++) trace += g[i * k + i] as number;
  for (let i = 0; i < k; i++) g[i * k + i] = (g[i * k + i] as number) + (trace / k) * 1e-10 + 1e-300;
  // Cholesky: G = L Lᵀ, L stored in the lower triangle of g.
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = g[i * k + j] as number;
      for (let m = 0; m < j; m++) s -= (g[i * k + m] as number) * (g[j * k + m] as number);
      g[i * k + j] = i === j ? Math.sqrt(Math.max(s, 1e-300)) : s / (g[j * k + j] as number);
    }
  }
  const b = new Float64Array(k * d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < k; i++) {
      const ai = a[r * k + i] as number;
      if (ai === 0) continue;
      for (let c = 0; c < d; c++) b[i * d + c] = (b[i * d + c] as number) + ai * (y[r * d + c] as number);
    }
  }
  // Forward (L z = AᵀY) then backward (Lᵀ B = z) substitution, column block at once.
  for (let i = 0; i < k; i++) {
    for (let m = 0; m < i; m++) {
      const l = g[i * k + m] as number;
      for (let c = 0; c < d; c++) b[i * d + c] = (b[i * d + c] as number) - l * (b[m * d + c] as number);
    }
    const lii = g[i * k + i] as number;
    for (let c = 0; c < d; c++) b[i * d + c] = (b[i * d + c] as number) / lii;
  }
  for (let i = k - 1; i >= 0; i--) {
    for (let m = i + 1; m < k; m++) {
      const l = g[m * k + i] as number;
      for (let c = 0; c < d; c++) b[i * d + c] = (b[i * d + c] as number) - l * (b[m * d + c] as number);
    }
    const lii = g[i * k + i] as number;
    for (let c = 0; c < d; c++) b[i * d + c] = (b[i * d + c] as number) / lii;
  }
  return b;
}
