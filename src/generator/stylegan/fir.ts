import * as tf from '@tensorflow/tfjs';

/**
 * FIR resampling on NHWC tensors: our own implementation of what `upfirdn2d` means in NVIDIA's StyleGAN code
 * (torch_utils/ops/upfirdn2d.py's reference path): upsample by inserting zeros, pad (or crop, for negative
 * padding), convolve every channel with the same filter (a true convolution: the filter is flipped, since
 * flip_filter is False everywhere the generators call it), then keep every `down`-th sample.
 *
 * A filter is uploaded once per (filter, channel count) as depthwise kernels with the gain folded in: a 2-D filter
 * is one [fh, fw, C, 1] kernel scaled by `gain`; a separable (1-D) one is a horizontal [1, T, C, 1] and a vertical
 * [T, 1, C, 1] pass, each scaled by √gain (`gain ** (f.ndim / 2)` per pass in the reference).
 */
export interface Fir {
  /** Depthwise kernels, applied in order; one for a 2-D filter, two for a separable one. */
  readonly passes: readonly FirPass[];
  /** Taps along x and y (what the padding arithmetic of the reference calls fw, fh). */
  readonly fw: number;
  readonly fh: number;
}

interface FirPass {
  readonly kernel: tf.Tensor4D;
  /** Which axes this pass filters: both (2-D), x or y (separable). */
  readonly axes: 'xy' | 'x' | 'y';
}

/** Padding [x0, x1, y0, y1] as the reference orders it; negative values crop. */
export type Padding4 = readonly [number, number, number, number];

/**
 * Uploads a filter buffer (shape [T] or [h, w], PyTorch layout) for `channels` channels. `null` is the identity
 * (a missing `up_filter` / `down_filter` buffer: the reference substitutes a 1×1 filter of 1).
 */
export function makeFir(
  filter: { shape: readonly number[]; data: Float32Array } | null,
  channels: number,
  gain: number,
  keep: (t: tf.Tensor) => void,
): Fir | null {
  const f = makeFirUnowned(filter, channels, gain);
  for (const p of f?.passes ?? []) keep(p.kernel);
  return f;
}

function makeFirUnowned(filter: { shape: readonly number[]; data: Float32Array } | null, channels: number, gain: number): Fir | null {
  if (filter === null) return gain === 1 ? null : makeFirUnowned({ shape: [1, 1], data: Float32Array.of(1) }, channels, gain);
  const { shape, data } = filter;
  if (shape.length === 1) {
    const t = shape[0] as number;
    const g = Math.sqrt(gain);
    const flipped = Array.from({ length: t }, (_, i) => (data[t - 1 - i] as number) * g);
    return {
      passes: [
        { kernel: depthwise(flipped, 1, t, channels), axes: 'x' },
        { kernel: depthwise(flipped, t, 1, channels), axes: 'y' },
      ],
      fw: t,
      fh: t,
    };
  }
  if (shape.length === 2) {
    const [h, w] = shape as [number, number];
    const flipped = Array.from({ length: h * w }, (_, i) => (data[h * w - 1 - i] as number) * gain);
    return { passes: [{ kernel: depthwise(flipped, h, w, channels), axes: 'xy' }], fw: w, fh: h };
  }
  throw new Error(`FIR filter: expected shape [taps] or [h, w], got [${shape.join(', ')}]`);
}

function depthwise(values: readonly number[], h: number, w: number, channels: number): tf.Tensor4D {
  const out = new Float32Array(h * w * channels);
  for (let k = 0; k < h * w; k++) out.fill(values[k] as number, k * channels, (k + 1) * channels);
  return tf.tensor4d(out, [h, w, channels, 1]);
}

/** Inserts up−1 zeros after every sample along H and W: [n, h, w, c] → [n, h·up, w·up, c]. */
export function zeroInsert(x: tf.Tensor4D, up: number): tf.Tensor4D {
  if (up === 1) return x;
  const [n, h, w, c] = x.shape;
  // Rank 4 only: WebGL's packed pad has no rank-5 shader.
  let y: tf.Tensor = tf.pad(tf.reshape(x, [n * h, w, 1, c]), [[0, 0], [0, 0], [0, up - 1], [0, 0]]);
  y = tf.reshape(y, [n, h, 1, w * up * c]);
  y = tf.pad(y, [[0, 0], [0, 0], [0, up - 1], [0, 0]]);
  return tf.reshape(y, [n, h * up, w * up, c]);
}

/** Pads with zeros where a side is positive and crops where it is negative ([x0, x1, y0, y1]). */
export function padOrCrop(x: tf.Tensor4D, [x0, x1, y0, y1]: Padding4): tf.Tensor4D {
  let y = x;
  if (x0 > 0 || x1 > 0 || y0 > 0 || y1 > 0) {
    y = tf.pad(y, [[0, 0], [Math.max(y0, 0), Math.max(y1, 0)], [Math.max(x0, 0), Math.max(x1, 0)], [0, 0]]);
  }
  if (x0 < 0 || x1 < 0 || y0 < 0 || y1 < 0) {
    const [n, h, w, c] = y.shape;
    const top = Math.max(-y0, 0);
    const left = Math.max(-x0, 0);
    y = tf.slice(y, [0, top, left, 0], [n, h - top - Math.max(-y1, 0), w - left - Math.max(-x1, 0), c]);
  }
  return y;
}

/**
 * upfirdn2d: zero-insert by `up`, pad/crop, filter, keep every `down`-th sample (the downsampling is the filter
 * pass's stride, which gives the same samples as filtering everything and slicing). `fir` already holds the gain.
 */
export function upfirdn2d(x: tf.Tensor4D, fir: Fir | null, up: number, down: number, padding: Padding4): tf.Tensor4D {
  let y = padOrCrop(zeroInsert(x, up), padding);
  if (fir === null) {
    if (down === 1) return y;
    const [n, h, w, c] = y.shape;
    return tf.stridedSlice(y, [0, 0, 0, 0], [n, h, w, c], [1, down, down, 1]) as tf.Tensor4D;
  }
  for (const p of fir.passes) {
    const strides: [number, number] = p.axes === 'xy' ? [down, down] : p.axes === 'x' ? [1, down] : [down, 1];
    y = tf.depthwiseConv2d(y, p.kernel, strides, 'valid');
  }
  return y;
}

/**
 * Upsampling by `up` through a separable filter without inserting zeros (StyleGAN3's filtered-lrelu upsampling):
 * along one axis, output sample u·r + φ of upfirdn2d is Σ_d x[r + d]·f'[u·d + p0 − φ] (f' the flipped, gain-scaled
 * taps, p0 the low-side padding), a correlation of the original samples with one short kernel per phase φ. One
 * depthwise conv with channel multiplier `up` computes every phase, and a reshape/transpose interleaves them: 1/up
 * of the work and memory of zero-insert-then-filter, with the same result.
 */
export interface PolyphaseUp {
  readonly up: number;
  readonly x: PolyphaseAxis;
  readonly y: PolyphaseAxis;
}

interface PolyphaseAxis {
  readonly kernel: tf.Tensor4D;
  /** First input offset d the kernel reads (negative: zeros padded on the low side). */
  readonly dMin: number;
  readonly span: number;
  /** upfirdn2d's padding on this axis. */
  readonly p0: number;
  readonly p1: number;
  readonly taps: number;
}

function polyphaseAxis(f: readonly number[], up: number, p0: number, p1: number, channels: number, axis: 'x' | 'y'): PolyphaseAxis {
  const t = f.length;
  let dMin = Infinity;
  let dMax = -Infinity;
  for (let phi = 0; phi < up; phi++) {
    dMin = Math.min(dMin, Math.ceil((phi - p0) / up));
    dMax = Math.max(dMax, Math.floor((t - 1 + phi - p0) / up));
  }
  const span = dMax - dMin + 1;
  const k = new Float32Array(span * channels * up);
  for (let e = 0; e < span; e++)
    for (let phi = 0; phi < up; phi++) {
      const tap = up * (dMin + e) + p0 - phi;
      const v = tap >= 0 && tap < t ? (f[tap] as number) : 0;
      for (let c = 0; c < channels; c++) k[(e * channels + c) * up + phi] = v;
    }
  const kernel = tf.tensor4d(k, axis === 'x' ? [1, span, channels, up] : [span, 1, channels, up]);
  return { kernel, dMin, span, p0, p1, taps: t };
}

/** For a separable (1-D) filter; null for a 2-D one (the zero-insert path then applies). */
export function makePolyphaseUp(
  filter: { shape: readonly number[]; data: Float32Array } | null,
  channels: number,
  up: number,
  [x0, x1, y0, y1]: Padding4,
  keep: (t: tf.Tensor) => void,
): PolyphaseUp | null {
  if (filter === null || filter.shape.length !== 1 || up < 2) return null;
  const t = filter.shape[0] as number;
  // upfirdn2d's gain up² for a 2-D upsampling is up per separable pass.
  const flipped = Array.from({ length: t }, (_, i) => (filter.data[t - 1 - i] as number) * up);
  const x = polyphaseAxis(flipped, up, x0, x1, channels, 'x');
  const y = polyphaseAxis(flipped, up, y0, y1, channels, 'y');
  keep(x.kernel);
  keep(y.kernel);
  return { up, x, y };
}

export function polyphaseUpsample(x: tf.Tensor4D, p: PolyphaseUp): tf.Tensor4D {
  const u = p.up;
  let y = x;
  {
    const a = p.x;
    const [n, h, w, c] = y.shape;
    const outLen = w * u + a.p0 + a.p1 - a.taps + 1;
    const r = Math.ceil(outLen / u);
    y = padOrCrop(y, [-a.dMin, r + a.span - 1 - w + a.dMin, 0, 0]);
    y = tf.depthwiseConv2d(y, a.kernel, 1, 'valid');
    y = tf.reshape(tf.transpose(tf.reshape(y, [n * h, r, c, u]), [0, 1, 3, 2]), [n, h, r * u, c]);
    if (r * u !== outLen) y = tf.slice(y, [0, 0, 0, 0], [n, h, outLen, c]);
  }
  {
    const a = p.y;
    const [n, h, w, c] = y.shape;
    const outLen = h * u + a.p0 + a.p1 - a.taps + 1;
    const r = Math.ceil(outLen / u);
    y = padOrCrop(y, [0, 0, -a.dMin, r + a.span - 1 - h + a.dMin]);
    y = tf.depthwiseConv2d(y, a.kernel, 1, 'valid');
    y = tf.reshape(tf.transpose(tf.reshape(y, [n * r, w, c, u]), [0, 3, 1, 2]), [n, r * u, w, c]);
    if (r * u !== outLen) y = tf.slice(y, [0, 0, 0, 0], [n, outLen, w, c]);
  }
  return y;
}
