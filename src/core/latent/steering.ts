import type { LatentDirection } from './directions.ts';

/**
 * Semantic steering: z' = z + Σ_i w_i σ_i d_i (the linear edits of GANSpace, Härkönen et al. 2020, and
 * InterFaceGAN, Shen et al. 2020). The offset is summed in float64 and added once, so applying +w and then −w
 * lands back on the very same float32 values (the round trip is within half an ulp, well under 1e-6).
 *
 * Writes Σ_i weights[i]·σ_i·d_i into `offset`; directions beyond weights.length (or weights beyond the
 * directions) are ignored. Returns false when every weight is 0 (offset left all zero), so callers can skip it.
 */
export function steeringOffsetInto(directions: readonly LatentDirection[], weights: ArrayLike<number>, offset: Float64Array): boolean {
  offset.fill(0);
  let any = false;
  const n = Math.min(directions.length, weights.length);
  for (let k = 0; k < n; k++) {
    const w = weights[k] as number;
    if (w === 0) continue;
    const d = directions[k] as LatentDirection;
    const s = w * d.sigma;
    const v = d.vector;
    for (let i = 0; i < offset.length; i++) offset[i] = (offset[i] as number) + (v[i] as number) * s;
    any = true;
  }
  return any;
}

/** out = z + offset (out may alias z). */
export function addOffsetInto(z: Float32Array, offset: Float64Array, out: Float32Array): Float32Array {
  for (let i = 0; i < z.length; i++) out[i] = (z[i] as number) + (offset[i] as number);
  return out;
}

/** Allocating convenience for tools and tests: z steered by `weights` (σ units). */
export function steer(z: Float32Array, directions: readonly LatentDirection[], weights: ArrayLike<number>): Float32Array {
  const offset = new Float64Array(z.length);
  steeringOffsetInto(directions, weights, offset);
  return addOffsetInto(z, offset, new Float32Array(z.length));
}
