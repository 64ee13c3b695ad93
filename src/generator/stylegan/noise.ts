/**
 * The synthesis network's noise inputs (StyleGAN2's per-layer noise; StyleGAN3 has none):
 * - 'const': each layer's stored `noise_const` image (the same picture for the same w: what a walk wants);
 * - 'random': fresh N(0, 1) noise per call (the texture shimmers);
 * - 'none': no noise.
 * `noiseStrength` multiplies every layer's learned `noise_strength` (1 = as trained).
 */
export type NoiseMode = 'const' | 'random' | 'none';

export const NOISE_MODES: readonly NoiseMode[] = ['const', 'random', 'none'];

export interface NoiseOptions {
  readonly noiseMode: NoiseMode;
  readonly noiseStrength?: number;
}
