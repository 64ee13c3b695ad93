/**
 * How the builder fills tensors.
 * - 'pristine': exactly what the reference code's constructors put there (randn weights, biases at bias_init,
 *   noise_strength 0, w_avg 0, StyleGAN3's input affine weight 0 and magnitude_ema 1). Such a network renders, but
 *   several code paths are then no-ops (noise adds nothing, truncation pulls toward 0, the Fourier input is never
 *   rotated or shifted, input gains are all 1), so a test could not tell a runtime that skips them.
 * - 'trained-like' (the default): the same shapes and scales, with the values training moves off their init made
 *   non-trivial — biases jittered around bias_init, noise_strength ≈ 0.05, w_avg random, StyleGAN3's input affine
 *   weight small non-zero (so w rotates and translates the Fourier features) and magnitude_ema in [0.5, 2].
 */
export type InitStyle = 'trained-like' | 'pristine';

export interface BuildOptions {
  /** Seed for every random tensor (each tensor has its own stream derived from this and its name). Default 0. */
  readonly seed?: number;
  readonly init?: InitStyle;
}

/** The spreads 'trained-like' uses, in one place. */
export const TRAINED_LIKE = {
  /** Std of a stored bias's offset from bias_init, in effective units (divided by the layer's lr multiplier). */
  biasSpread: 0.1,
  noiseStrengthMean: 0.05,
  noiseStrengthSpread: 0.02,
  wAvgSpread: 0.3,
  /** Std of StyleGAN3's SynthesisInput.affine weight (initialised to 0 by the code). */
  inputAffineWeightSpread: 0.1,
  /** magnitude_ema is drawn log-uniformly in [1/2, 2]. */
  magnitudeEmaLog2Range: 1,
} as const;
