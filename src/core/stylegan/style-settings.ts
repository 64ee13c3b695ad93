import { NOISE_MODES, type NoiseModeName, type SitterBus } from '../params/catalogue.ts';

/** The style/* parameters of one frame, in one reusable object (read each tick without allocating). */
export interface StyleSettings {
  noiseMode: NoiseModeName;
  noiseStrength: number;
  /** First w layer taken from the mix portrait; null = no mixing (style/mix-layer 0). */
  mixLayer: number | null;
  mixSeed: number;
  /** Truncate only the first N w layers; null = all (style/truncation-cutoff 0). */
  truncationCutoff: number | null;
  classIndex: number;
}

export function createStyleSettings(): StyleSettings {
  return { noiseMode: 'const', noiseStrength: 1, mixLayer: null, mixSeed: 0, truncationCutoff: null, classIndex: 0 };
}

function isNoiseMode(x: string): x is NoiseModeName {
  return (NOISE_MODES as readonly string[]).includes(x);
}

export function readStyleSettings(bus: SitterBus, into: StyleSettings): StyleSettings {
  const mode = bus.string('style/noise-mode');
  if (!isNoiseMode(mode)) throw new Error(`style/noise-mode: expected one of ${NOISE_MODES.join(', ')}, got "${mode}"`);
  into.noiseMode = mode;
  into.noiseStrength = bus.number('style/noise-strength');
  const mix = bus.number('style/mix-layer');
  into.mixLayer = mix > 0 ? mix : null;
  into.mixSeed = bus.number('style/mix-seed');
  const cutoff = bus.number('style/truncation-cutoff');
  into.truncationCutoff = cutoff > 0 ? cutoff : null;
  into.classIndex = bus.number('style/class');
  return into;
}

/**
 * Which of an image's STYLE_ROWS w rows layer l of the synthesis network takes (style-rows.ts): the walk's or the
 * mix portrait's (layers ≥ mixLayer, as in NVIDIA's style_mixing.py: coarse from one latent, fine from another),
 * truncated or not (layers ≥ truncationCutoff keep ψ = 1, as G.mapping's truncation_cutoff does).
 */
export function styleRowOfLayer(layer: number, mixLayer: number | null, truncationCutoff: number | null): number {
  const mixed = mixLayer !== null && layer >= mixLayer ? 2 : 0;
  const untruncated = truncationCutoff !== null && layer >= truncationCutoff ? 1 : 0;
  return mixed + untruncated;
}
