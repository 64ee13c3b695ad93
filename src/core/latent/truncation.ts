/**
 * The truncation trick (Brock et al. 2019, BigGAN; Karras et al. 2019, StyleGAN's ψ): pull a latent towards the
 * mean, z' = m + ψ(z − m). ψ = 0 gives the average portrait, ψ = 1 leaves z alone, ψ > 1 exaggerates. The mean
 * is the zero vector for a plain N(0, I) prior, or the model card's average latent when it gives one.
 * `out` may alias z.
 */
export function truncateInto(z: Float32Array, psi: number, mean: Float32Array | undefined, out: Float32Array): Float32Array {
  if (mean === undefined) {
    for (let i = 0; i < z.length; i++) out[i] = (z[i] as number) * psi;
    return out;
  }
  for (let i = 0; i < z.length; i++) {
    const m = mean[i] as number;
    out[i] = m + ((z[i] as number) - m) * psi;
  }
  return out;
}
