/**
 * StyleGAN3's per-layer schedule, as `SynthesisNetwork.__init__` in stylegan3 `training/networks_stylegan3.py`
 * computes it (Karras et al. 2021, "Alias-Free Generative Adversarial Networks", Section 3.2 and Appendix F):
 * cutoffs f_c and minimum stopbands f_t follow a geometric progression from the first layer to the last
 * non-critical layer, then stay at their final values for the `num_critical` critically sampled layers; each layer's
 * sampling rate s is the smallest power of two ≥ 2·f_t (capped at the image resolution); the transition band
 * half-width is f_h = max(f_t, s/2) − f_c; feature maps are s + 2·margin pixels wide except the last two layers (the
 * image size); channel counts are round((channel_base/2)/f_c) capped at channel_max, and the ToRGB layer's is the
 * image channel count. Everything in float64, as numpy does.
 */
export interface Sg3ScheduleInput {
  readonly imgResolution: number;
  readonly imgChannels: number;
  readonly channelBase: number;
  readonly channelMax: number;
  readonly numLayers: number;
  readonly numCritical: number;
  readonly firstCutoff: number;
  readonly firstStopband: number;
  readonly lastStopbandRel: number;
  readonly marginSize: number;
}

/** Index i = 0 … num_layers (the last is ToRGB); i = 0 also describes the Fourier-feature input. */
export interface Sg3Schedule {
  readonly cutoffs: readonly number[];
  readonly stopbands: readonly number[];
  readonly samplingRates: readonly number[];
  readonly halfWidths: readonly number[];
  readonly sizes: readonly number[];
  readonly channels: readonly number[];
}

/** numpy.rint: round half to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function stylegan3Schedule(p: Sg3ScheduleInput): Sg3Schedule {
  if (!(p.numLayers > p.numCritical)) throw new Error(`SynthesisNetwork: num_layers (${p.numLayers}) must exceed num_critical (${p.numCritical})`);
  const n = p.numLayers + 1;
  const lastCutoff = p.imgResolution / 2;
  const lastStopband = lastCutoff * p.lastStopbandRel;
  const cutoffs: number[] = [];
  const stopbands: number[] = [];
  const samplingRates: number[] = [];
  const halfWidths: number[] = [];
  const sizes: number[] = [];
  const channels: number[] = [];
  for (let i = 0; i < n; i++) {
    const e = Math.min(i / (p.numLayers - p.numCritical), 1);
    const fc = p.firstCutoff * Math.pow(lastCutoff / p.firstCutoff, e);
    const ft = p.firstStopband * Math.pow(lastStopband / p.firstStopband, e);
    const s = Math.pow(2, Math.ceil(Math.log2(Math.min(ft * 2, p.imgResolution))));
    cutoffs.push(fc);
    stopbands.push(ft);
    samplingRates.push(s);
    halfWidths.push(Math.max(ft, s / 2) - fc);
    sizes.push(s + p.marginSize * 2);
    channels.push(roundHalfEven(Math.min(p.channelBase / 2 / fc, p.channelMax)));
  }
  sizes[n - 1] = p.imgResolution;
  if (n >= 2) sizes[n - 2] = p.imgResolution;
  channels[n - 1] = p.imgChannels;
  return { cutoffs, stopbands, samplingRates, halfWidths, sizes, channels };
}
