/**
 * The handful of signal-processing operations NVIDIA's StyleGAN code is built from, written the slow and obvious way
 * in float64 over one sample at a time. Semantics follow the *reference* (non-CUDA) paths of stylegan3
 * `torch_utils/ops/` (identical in stylegan2-ada-pytorch): `upfirdn2d` (zero-insertion upsampling, zero padding or
 * cropping, a true 2-D convolution with the FIR filter, decimation), `conv2d` (PyTorch's correlation, or a true
 * convolution when the kernel is flipped) and `bias_act` (bias, activation, gain, clamp — in that order).
 */

/** One sample's feature map, channel-major ([c, h, w] row-major), as PyTorch lays out one item of an NCHW batch. */
export interface Fmap {
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly data: Float64Array;
}

export function fmap(c: number, h: number, w: number, data?: Float64Array): Fmap {
  const n = c * h * w;
  if (data !== undefined && data.length !== n) throw new Error(`fmap: ${data.length} values for [${c}, ${h}, ${w}]`);
  return { c, h, w, data: data ?? new Float64Array(n) };
}

/** A FIR filter buffer as the networks store it: [taps] (separable: applied along x then y) or [fh, fw]. */
export interface Filter {
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

/** Padding in upfirdn2d's order: [x0, x1, y0, y1]; negative values crop. */
export type Padding = readonly [number, number, number, number];

export interface UpFirDnOptions {
  readonly up?: number;
  readonly down?: number;
  readonly padding?: Padding;
  /** Overall signal gain; the code puts up² here when upsampling so the zero-stuffed signal keeps its level. */
  readonly gain?: number;
  /** false (the code's default) = true convolution (the filter is flipped); true = correlation. */
  readonly flipFilter?: boolean;
}

/** The (width, height) of a filter, (1, 1) for none. */
export function filterSize(f: Filter | null): [number, number] {
  if (f === null) return [1, 1];
  if (f.shape.length === 1) return [f.shape[0] as number, f.shape[0] as number];
  if (f.shape.length === 2) return [f.shape[1] as number, f.shape[0] as number];
  throw new Error(`filter: expected shape [taps] or [h, w], got [${f.shape.join(', ')}]`);
}

/**
 * upfirdn2d: for every channel, (1) insert up−1 zeros after each sample, (2) pad with zeros (or crop, for negative
 * padding), (3) convolve with the filter keeping only outputs whose footprint lies inside, scaled by `gain`, and
 * (4) keep every down-th sample starting at 0. A null filter is the 1×1 identity.
 */
export function upfirdn2d(x: Fmap, f: Filter | null, o: UpFirDnOptions = {}): Fmap {
  const up = o.up ?? 1;
  const down = o.down ?? 1;
  const [px0, px1, py0, py1] = o.padding ?? [0, 0, 0, 0];
  const gain = o.gain ?? 1;
  const flip = !(o.flipFilter ?? false);
  if (!(Number.isInteger(up) && up >= 1 && Number.isInteger(down) && down >= 1)) throw new Error(`upfirdn2d: up ${up} and down ${down} must be integers ≥ 1`);
  const [fw, fh] = filterSize(f);
  const pw = x.w * up + px0 + px1;
  const ph = x.h * up + py0 + py1;
  if (pw < fw || ph < fh) throw new Error(`upfirdn2d: padded input ${ph}×${pw} is smaller than the ${fh}×${fw} filter`);

  // (1) + (2): the upsampled, padded plane, read back by index arithmetic.
  const padded = new Float64Array(x.c * ph * pw);
  for (let ch = 0; ch < x.c; ch++) {
    for (let yy = 0; yy < ph; yy++) {
      const yu = yy - py0;
      if (yu < 0 || yu >= x.h * up || yu % up !== 0) continue;
      const sy = yu / up;
      for (let xx = 0; xx < pw; xx++) {
        const xu = xx - px0;
        if (xu < 0 || xu >= x.w * up || xu % up !== 0) continue;
        padded[(ch * ph + yy) * pw + xx] = x.data[(ch * x.h + sy) * x.w + xu / up] as number;
      }
    }
  }

  // (3) the FIR, full-footprint ("valid") outputs only.
  const oh = ph - fh + 1;
  const ow = pw - fw + 1;
  let filtered: Float64Array;
  if (f === null) {
    filtered = padded;
    if (gain !== 1) for (let i = 0; i < filtered.length; i++) filtered[i] = (filtered[i] as number) * gain;
  } else if (f.shape.length === 1) {
    // Separable: the same taps along x then along y, each carrying √gain (setup_filter's gain^(ndim/2)).
    const n = fw;
    const g = Math.sqrt(gain);
    const k = new Float64Array(n);
    for (let i = 0; i < n; i++) k[i] = (f.data[flip ? n - 1 - i : i] as number) * g;
    const tmp = new Float64Array(x.c * ph * ow);
    for (let ch = 0; ch < x.c; ch++) {
      for (let yy = 0; yy < ph; yy++) {
        const row = (ch * ph + yy) * pw;
        for (let xx = 0; xx < ow; xx++) {
          let s = 0;
          for (let i = 0; i < n; i++) s += (padded[row + xx + i] as number) * (k[i] as number);
          tmp[(ch * ph + yy) * ow + xx] = s;
        }
      }
    }
    filtered = new Float64Array(x.c * oh * ow);
    for (let ch = 0; ch < x.c; ch++) {
      for (let yy = 0; yy < oh; yy++) {
        for (let xx = 0; xx < ow; xx++) {
          let s = 0;
          for (let i = 0; i < n; i++) s += (tmp[(ch * ph + yy + i) * ow + xx] as number) * (k[i] as number);
          filtered[(ch * oh + yy) * ow + xx] = s;
        }
      }
    }
  } else {
    const k = new Float64Array(fh * fw);
    for (let i = 0; i < fh; i++) {
      for (let j = 0; j < fw; j++) k[i * fw + j] = (f.data[flip ? (fh - 1 - i) * fw + (fw - 1 - j) : i * fw + j] as number) * gain;
    }
    filtered = new Float64Array(x.c * oh * ow);
    for (let ch = 0; ch < x.c; ch++) {
      for (let yy = 0; yy < oh; yy++) {
        for (let xx = 0; xx < ow; xx++) {
          let s = 0;
          for (let i = 0; i < fh; i++) {
            const row = (ch * ph + yy + i) * pw + xx;
            for (let j = 0; j < fw; j++) s += (padded[row + j] as number) * (k[i * fw + j] as number);
          }
          filtered[(ch * oh + yy) * ow + xx] = s;
        }
      }
    }
  }

  // (4) x[:, :, ::down, ::down].
  if (down === 1) return fmap(x.c, oh, ow, filtered);
  const dh = Math.ceil(oh / down);
  const dw = Math.ceil(ow / down);
  const out = new Float64Array(x.c * dh * dw);
  for (let ch = 0; ch < x.c; ch++) {
    for (let yy = 0; yy < dh; yy++) {
      for (let xx = 0; xx < dw; xx++) out[(ch * dh + yy) * dw + xx] = filtered[(ch * oh + yy * down) * ow + xx * down] as number;
    }
  }
  return fmap(x.c, dh, dw, out);
}

/**
 * A dense 2-D convolution layer's arithmetic on one sample: weight [O, I, kh, kw], symmetric zero padding, stride 1.
 * `flipWeight` false is PyTorch's conv2d (a correlation); true applies the kernel rotated by 180° (a true
 * convolution), which is what NVIDIA's code does for its upsampling convolutions (flip_weight = (up == 1)).
 */
export function conv2d(x: Fmap, weight: ArrayLike<number>, outChannels: number, kh: number, kw: number, padding: number, flipWeight = false): Fmap {
  const ic = x.c;
  if (weight.length !== outChannels * ic * kh * kw) throw new Error(`conv2d: weight has ${weight.length} values, expected [${outChannels}, ${ic}, ${kh}, ${kw}]`);
  const ph = x.h + 2 * padding;
  const pw = x.w + 2 * padding;
  const oh = ph - kh + 1;
  const ow = pw - kw + 1;
  if (oh < 1 || ow < 1) throw new Error(`conv2d: a ${kh}×${kw} kernel does not fit a padded ${ph}×${pw} input`);
  const out = fmap(outChannels, oh, ow);
  for (let o = 0; o < outChannels; o++) {
    for (let i = 0; i < ic; i++) {
      for (let ky = 0; ky < kh; ky++) {
        for (let kx = 0; kx < kw; kx++) {
          const wy = flipWeight ? kh - 1 - ky : ky;
          const wx = flipWeight ? kw - 1 - kx : kx;
          const wv = weight[((o * ic + i) * kh + wy) * kw + wx] as number;
          if (wv === 0) continue;
          for (let yy = 0; yy < oh; yy++) {
            const sy = yy + ky - padding;
            if (sy < 0 || sy >= x.h) continue;
            const src = (i * x.h + sy) * x.w;
            const dst = (o * oh + yy) * ow;
            for (let xx = 0; xx < ow; xx++) {
              const sx = xx + kx - padding;
              if (sx < 0 || sx >= x.w) continue;
              out.data[dst + xx] = (out.data[dst + xx] as number) + wv * (x.data[src + sx] as number);
            }
          }
        }
      }
    }
  }
  return out;
}

export interface BiasActOptions {
  /** 'linear' or 'lrelu' (the only activations a StyleGAN generator uses). */
  readonly act?: 'linear' | 'lrelu';
  /** Leaky ReLU slope for negative inputs; bias_act's default for 'lrelu' is 0.2. */
  readonly alpha?: number;
  /** Defaults to the activation's def_gain: √2 for lrelu, 1 for linear. */
  readonly gain?: number;
  /** Clamp to [−clamp, clamp] after the gain; null = none. */
  readonly clamp?: number | null;
}

/** bias_act in place over a [c, …] array whose channel stride is `plane`: x + b[c], activation, × gain, clamp. */
export function biasAct(data: Float64Array, channels: number, plane: number, bias: ArrayLike<number> | null, o: BiasActOptions = {}): void {
  const act = o.act ?? 'linear';
  const alpha = o.alpha ?? (act === 'lrelu' ? 0.2 : 0);
  const gain = o.gain ?? (act === 'lrelu' ? Math.SQRT2 : 1);
  const clamp = o.clamp ?? null;
  if (data.length !== channels * plane) throw new Error(`biasAct: ${data.length} values for ${channels} channels of ${plane}`);
  for (let ch = 0; ch < channels; ch++) {
    const b = bias === null ? 0 : (bias[ch] as number);
    for (let k = ch * plane; k < (ch + 1) * plane; k++) {
      let v = (data[k] as number) + b;
      if (act === 'lrelu' && v < 0) v *= alpha;
      v *= gain;
      if (clamp !== null) v = Math.min(Math.max(v, -clamp), clamp);
      data[k] = v;
    }
  }
}
