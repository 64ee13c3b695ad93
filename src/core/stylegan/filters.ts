import { besselI0, besselJ1 } from './special-functions.ts';

/**
 * The FIR filters NVIDIA's code stores as buffers, computed the same way (float64, stored as float32).
 */

/** A filter as a buffer: its shape ([taps] separable, [h, w] 2-D) and row-major values. */
export interface FilterTensor {
  readonly shape: readonly number[];
  readonly values: Float64Array;
}

/**
 * `upfirdn2d.setup_filter(f)` with its defaults (normalize, no flip, gain 1): a 1-D list shorter than 8 taps becomes
 * its outer product (non-separable 2-D), ≥ 8 taps stays separable; then divided by its sum so DC passes unchanged.
 * For StyleGAN2's `[1, 3, 3, 1]` this is the 4×4 outer product divided by 64.
 */
export function setupFilter(taps: readonly number[]): FilterTensor {
  if (taps.length === 0) throw new Error('setupFilter: empty filter');
  const separable = taps.length >= 8;
  if (separable) {
    const values = Float64Array.from(taps);
    const s = values.reduce((a, b) => a + b, 0);
    for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) / s;
    return { shape: [taps.length], values };
  }
  const n = taps.length;
  const values = new Float64Array(n * n);
  let s = 0;
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) s += values[y * n + x] = (taps[y] as number) * (taps[x] as number);
  for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) / s;
  return { shape: [n, n], values };
}

/** scipy.signal.kaiser_atten: the stopband attenuation (dB) a Kaiser FIR of `numtaps` reaches with this transition
 * width (as a fraction of Nyquist). Kaiser & Schafer's empirical formula. */
export function kaiserAtten(numtaps: number, width: number): number {
  return 2.285 * (numtaps - 1) * Math.PI * width + 7.95;
}

/** scipy.signal.kaiser_beta: the Kaiser β for an attenuation in dB (Oppenheim & Schafer, eq. 7.75). */
export function kaiserBeta(atten: number): number {
  if (atten > 50) return 0.1102 * (atten - 8.7);
  if (atten > 21) return 0.5842 * Math.pow(atten - 21, 0.4) + 0.07886 * (atten - 21);
  return 0;
}

/** numpy.kaiser(M, β): the symmetric Kaiser window. */
export function kaiserWindow(m: number, beta: number): Float64Array {
  const w = new Float64Array(m);
  if (m === 1) {
    w[0] = 1;
    return w;
  }
  const alpha = (m - 1) / 2;
  const denom = besselI0(beta);
  for (let n = 0; n < m; n++) {
    const r = (n - alpha) / alpha;
    w[n] = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / denom;
  }
  return w;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/**
 * scipy.signal.firwin(numtaps, cutoff, width=width, fs=fs) for a low-pass (pass_zero, scale=True): the ideal
 * low-pass impulse response (a sinc at the normalised cutoff) times a Kaiser window whose β comes from the
 * transition width, scaled so the taps sum to 1 (unit gain at DC).
 */
export function firwinKaiser(numtaps: number, cutoff: number, width: number, fs: number): Float64Array {
  const nyq = fs / 2;
  const c = cutoff / nyq;
  if (!(c > 0 && c < 1)) throw new Error(`firwin: cutoff ${cutoff} must lie strictly between 0 and fs/2 = ${nyq}`);
  const beta = kaiserBeta(kaiserAtten(numtaps, width / nyq));
  const win = kaiserWindow(numtaps, beta);
  const alpha = (numtaps - 1) / 2;
  const h = new Float64Array(numtaps);
  let s = 0;
  for (let i = 0; i < numtaps; i++) {
    s += h[i] = c * sinc(c * (i - alpha)) * (win[i] as number);
  }
  for (let i = 0; i < numtaps; i++) h[i] = (h[i] as number) / s;
  return h;
}

/**
 * StyleGAN3's `SynthesisLayer.design_lowpass_filter(numtaps, cutoff, width, fs, radial)`:
 * - numtaps 1 → no filter (the buffer is None and absent from the state_dict): returns null;
 * - separable → firwin with a Kaiser window, shape [numtaps];
 * - radial (StyleGAN3-R's down filters) → a jinc, J1(2π·fc·r)/(π·r) on the tap grid (taps at (i − (n−1)/2)/fs),
 *   times the outer product of the same Kaiser window, normalised to sum 1; shape [numtaps, numtaps].
 *   (Alias-Free GANs, Karras et al. 2021, Appendix F: rotation equivariance needs a radially symmetric filter.)
 */
export function designLowpassFilter(numtaps: number, cutoff: number, width: number, fs: number, radial = false): FilterTensor | null {
  if (!(numtaps >= 1)) throw new Error(`design_lowpass_filter: numtaps must be ≥ 1, got ${numtaps}`);
  if (numtaps === 1) return null;
  if (!radial) return { shape: [numtaps], values: firwinKaiser(numtaps, cutoff, width, fs) };
  const x = new Float64Array(numtaps);
  for (let i = 0; i < numtaps; i++) x[i] = (i - (numtaps - 1) / 2) / fs;
  const beta = kaiserBeta(kaiserAtten(numtaps, width / (fs / 2)));
  const w = kaiserWindow(numtaps, beta);
  const f = new Float64Array(numtaps * numtaps);
  let s = 0;
  for (let row = 0; row < numtaps; row++) {
    for (let col = 0; col < numtaps; col++) {
      const r = Math.hypot(x[col] as number, x[row] as number);
      // r = 0 only for an odd tap count (never in the official configs, whose tap counts are 6·factor); the jinc's
      // limit there is fc (numpy would give NaN: 0/0).
      const jinc = r === 0 ? cutoff : besselJ1(2 * cutoff * Math.PI * r) / (Math.PI * r);
      s += f[row * numtaps + col] = jinc * (w[row] as number) * (w[col] as number);
    }
  }
  for (let i = 0; i < f.length; i++) f[i] = (f[i] as number) / s;
  return { shape: [numtaps, numtaps], values: f };
}
