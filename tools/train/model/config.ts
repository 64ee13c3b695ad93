// Architecture/training hyper-parameters. Stored in every checkpoint so a
// resume rebuilds the same networks whatever the command line says.
export interface TrainConfig {
  size: number;
  latent: number;
  /** G channels at 4×4, 8×8, … up to `size` (length log2(size)−1). */
  gChannels: number[];
  /** D conv output channels at `size`, size/2, …, 8 (then pooled), and at 4×4. */
  dChannels: number[];
  /**
   * G normalisation: 'sample' = LayerNormalization over H,W,C (per image);
   * 'pixel' = over channels only (PixelNorm-like). 'pixel' amplified the
   * nearest-upsampling grid into dotted artefacts in flat regions of the
   * 16-channel 32×32 layer, so new runs use 'sample'. Missing = 'pixel'
   * (checkpoints written before this option existed).
   */
  gNorm?: 'pixel' | 'sample';
  batch: number;
  lrG: number;
  lrD: number;
  beta1: number;
  beta2: number;
  emaBeta: number;
  /** DiffAugment policies applied to real and fake before D. */
  augment: { colour: boolean; translation: number; cutout: number };
  mbstdGroup: number;
  seed: number;
  dataCount: number;
}

export function levels(size: number): number {
  const l = Math.log2(size);
  if (!Number.isInteger(l) || size < 8) throw new Error(`size must be a power of two ≥ 8, got ${size}`);
  return l - 1;
}

/** Defaults chosen by measured speed on one wasm core (see FIELD-NOTES). */
export function defaultConfig(size: number, batch: number, base: number, latent = 128): TrainConfig {
  const n = levels(size);
  const gChannels: number[] = [];
  const dChannels: number[] = [];
  for (let i = 0; i < n; i++) {
    // G: wide at low resolution, halving towards the output.
    gChannels.push(Math.max(8, (base * 4) >> Math.max(0, i - 1)));
    // D: mirror image.
    dChannels.push(Math.max(8, (base * 4) >> Math.max(0, n - 2 - i)));
  }
  return {
    size,
    latent,
    gChannels,
    dChannels,
    gNorm: 'sample',
    batch,
    lrG: 2e-4,
    lrD: 4e-4,
    beta1: 0,
    beta2: 0.99,
    emaBeta: 0.999,
    augment: { colour: true, translation: 0.125, cutout: 0 },
    mbstdGroup: 4,
    seed: 20261125,
    dataCount: 16000,
  };
}
