import * as tf from '@tensorflow/tfjs';
import { asActivation, biasAct, Dense, squaredTapSums, toHwio, toHwoi, Uploads, type Activation } from './common.ts';
import { makeFir, upfirdn2d, type Fir } from './fir.ts';
import type { ModuleView } from './tree.ts';
import type { NoiseOptions } from './noise.ts';

/**
 * StyleGAN2 synthesis (Karras et al. 2020, configs E/F; stylegan2-ada-pytorch `training/networks.py` and the
 * stylegan3 repository's `networks_stylegan2.py`, which compute the same thing), NHWC throughout.
 *
 * Modulated convolution takes the reference's non-fused path, which works for any batch with one shared weight:
 * scale the input channels by the styles, convolve, scale the output channels by the demodulation coefficients
 * rsqrt(Σ_{i,k} (w·s)² + 1e-8) = rsqrt(s² · Σ_k w² + 1e-8) (a [n, I] × [I, O] product, Σ_k w² computed at load),
 * then add noise. The ×2 up-convolution is a stride-2 transposed convolution followed by the [1,3,3,1] FIR with
 * gain 4, with the reference's padding; its skip paths upsample with the same FIR.
 */

export interface Sg2Options {
  /** How the ×2 3×3 up-conv runs: 'polyphase' (one conv2d with a [2, 2, I, 4·O] kernel + depthToSpace, the default:
   * conv2d has fast packed/im2col paths) or 'transposed' (tf.conv2dTranspose, kept to compare). */
  readonly upConv: 'polyphase' | 'transposed';
}

/**
 * A stride-2 transposed 3×3 conv, out[2r + φ] = Σ_{2i + k = 2r + φ} x[i]·w[k], split by output phase φ:
 * φ = 0 takes w[2]·x[r−1] + w[0]·x[r], φ = 1 takes w[1]·x[r]. As a correlation over x padded by 1 with a 2-tap
 * window (x[r−1], x[r]), phase 0 is [w2, w0] and phase 1 is [0, w1]; in 2-D the four phase pairs become 4·O output
 * channels ordered (φy, φx, o), which depthToSpace(2) interleaves back into the 2H+2 grid (the last row and column
 * are the zeros past the transposed conv's 2H+1 samples).
 */
function toPolyphase(t: { shape: readonly number[]; data: Float32Array }): tf.Tensor4D {
  const [o, i] = t.shape as [number, number];
  const tap = (phase: number, e: number): number => (phase === 0 ? (e === 0 ? 2 : 0) : e === 0 ? -1 : 1);
  const out = new Float32Array(4 * i * 4 * o);
  for (let ey = 0; ey < 2; ey++)
    for (let ex = 0; ex < 2; ex++)
      for (let py = 0; py < 2; py++)
        for (let px = 0; px < 2; px++) {
          const ky = tap(py, ey);
          const kx = tap(px, ex);
          if (ky < 0 || kx < 0) continue;
          for (let b = 0; b < i; b++)
            for (let a = 0; a < o; a++) out[((ey * 2 + ex) * i + b) * 4 * o + (py * 2 + px) * o + a] = t.data[((a * i + b) * 3 + ky) * 3 + kx] as number;
        }
  return tf.tensor4d(out, [2, 2, i, 4 * o]);
}

/** SynthesisLayer: modulated conv (optionally ×2 up), noise, bias, lrelu·√2, clamp. */
class SynthesisLayer {
  private readonly affine: Dense;
  private readonly weight: tf.Tensor4D;
  private readonly wsq: tf.Tensor2D;
  private readonly bias: tf.Tensor1D;
  private readonly up: number;
  private readonly padding: number;
  private readonly kernel: number;
  private readonly fir: Fir | null;
  private readonly act: Activation;
  private readonly actGain: number;
  private readonly convClamp: number | null;
  private readonly resolution: number;
  private readonly noiseConst: tf.Tensor4D | null;
  private readonly noiseStrength: number;
  /** The ×2 3×3 up-conv as one conv2d + depthToSpace (see toPolyphase). */
  private readonly polyphase: boolean;
  readonly outChannels: number;

  constructor(m: ModuleView, up: Uploads, options: Sg2Options) {
    const w = m.tensor('weight');
    const [o, , k] = w.shape as [number, number, number, number];
    this.outChannels = o;
    this.kernel = k;
    this.up = m.num('up', 1);
    this.padding = m.num('padding', Math.floor(k / 2));
    this.affine = new Dense(m.child('affine'), up);
    this.polyphase = this.up === 2 && k === 3 && w.shape[3] === 3 && options.upConv === 'polyphase';
    this.weight = up.keep(this.up === 1 ? toHwio(w) : this.polyphase ? toPolyphase(w) : toHwoi(w));
    this.wsq = up.keep(squaredTapSums(w));
    this.bias = up.from(m.tensor('bias')) as tf.Tensor1D;
    this.act = asActivation(m.str('activation', 'lrelu'), `${m.path}.activation`);
    this.actGain = m.num('act_gain', this.act === 'lrelu' || this.act === 'relu' ? Math.SQRT2 : 1);
    this.convClamp = m.numOrNull('conv_clamp');
    this.resolution = m.num('resolution');
    this.fir = this.up > 1 ? makeFir(m.tensor('resample_filter'), o, this.up * this.up, (t) => up.keep(t)) : null;
    const noise = m.optTensor('noise_const');
    this.noiseConst = noise === null ? null : up.keep(tf.tensor4d(noise.data, [1, this.resolution, this.resolution, 1]));
    const strength = m.optTensor('noise_strength');
    this.noiseStrength = strength === null ? 0 : (strength.data[0] as number);
  }

  apply(x: tf.Tensor4D, w: tf.Tensor2D, noise: NoiseOptions, gain = 1): tf.Tensor4D {
    const n = w.shape[0];
    const styles = this.affine.apply(w);
    const dcoefs = tf.rsqrt(tf.add(tf.matMul(tf.square(styles), this.wsq), 1e-8));
    let y: tf.Tensor4D = tf.mul(x, tf.reshape(styles, [n, 1, 1, -1]));
    if (this.up === 1) {
      const p = this.padding;
      y = tf.conv2d(y, this.weight, 1, [[0, 0], [p, p], [p, p], [0, 0]]);
    } else {
      // conv2d_resample's up path: transposed conv (stride up, no padding), then the FIR with what is left of the
      // padding (negative = crop): px0 = p + ⌊(fw+up−1)/2⌋ − (k−1), px1 = p + ⌊(fw−up)/2⌋ − (k−up).
      const [, h, wd] = y.shape;
      const k = this.kernel;
      const f = this.fir as Fir;
      const p0 = this.padding + Math.floor((f.fw + this.up - 1) / 2) - (k - 1);
      const p1 = this.padding + Math.floor((f.fw - this.up) / 2) - (k - this.up);
      const q0 = this.padding + Math.floor((f.fh + this.up - 1) / 2) - (k - 1);
      const q1 = this.padding + Math.floor((f.fh - this.up) / 2) - (k - this.up);
      if (this.polyphase) {
        // The transposed conv's 2H+1 samples, plus one trailing zero row/column: one less padding at the high end.
        y = tf.depthToSpace(tf.conv2d(y, this.weight, 1, [[0, 0], [1, 1], [1, 1], [0, 0]]), 2);
        y = upfirdn2d(y, f, 1, 1, [p0, p1 - 1, q0, q1 - 1]);
      } else {
        y = tf.conv2dTranspose(y, this.weight, [n, (h - 1) * this.up + k, (wd - 1) * this.up + k, this.outChannels], this.up, 'valid');
        y = upfirdn2d(y, f, 1, 1, [p0, p1, q0, q1]);
      }
    }
    y = tf.mul(y, tf.reshape(dcoefs, [n, 1, 1, -1]));
    const strength = this.noiseStrength * (noise.noiseStrength ?? 1);
    if (this.noiseConst !== null && strength !== 0) {
      if (noise.noiseMode === 'const') y = tf.add(y, tf.mul(this.noiseConst, strength));
      else if (noise.noiseMode === 'random') y = tf.add(y, tf.mul(tf.randomNormal([n, this.resolution, this.resolution, 1]), strength));
    }
    const clamp = this.convClamp === null ? null : this.convClamp * gain;
    return biasAct(y, this.bias, this.act, this.actGain * gain, clamp) as tf.Tensor4D;
  }
}

/** ToRGBLayer: styles·weight_gain, modulated 1×1 conv without demodulation, bias, clamp. */
class ToRgb {
  private readonly affine: Dense;
  private readonly weight: tf.Tensor4D;
  private readonly bias: tf.Tensor1D;
  private readonly weightGain: number;
  private readonly convClamp: number | null;
  private readonly padding: number;

  constructor(m: ModuleView, up: Uploads) {
    const w = m.tensor('weight');
    const [, i, k] = w.shape as [number, number, number, number];
    this.affine = new Dense(m.child('affine'), up);
    this.weight = up.keep(toHwio(w));
    this.bias = up.from(m.tensor('bias')) as tf.Tensor1D;
    this.weightGain = m.num('weight_gain', 1 / Math.sqrt(i * k * k));
    this.convClamp = m.numOrNull('conv_clamp');
    // modulated_conv2d is called with its default padding 0 (the official kernel is 1×1).
    this.padding = 0;
  }

  apply(x: tf.Tensor4D, w: tf.Tensor2D): tf.Tensor4D {
    const n = w.shape[0];
    const styles = tf.mul(this.affine.apply(w), this.weightGain);
    const y = tf.conv2d(tf.mul(x, tf.reshape(styles, [n, 1, 1, -1])) as tf.Tensor4D, this.weight, 1, this.padding === 0 ? 'valid' : [[0, 0], [this.padding, this.padding], [this.padding, this.padding], [0, 0]]);
    return biasAct(y, this.bias, 'linear', 1, this.convClamp) as tf.Tensor4D;
  }
}

/** Conv2dLayer as the resnet skip uses it: 1×1 (or k×k) conv without bias, ×2 up through the FIR, linear·gain. */
class SkipConv {
  private readonly weight: tf.Tensor4D;
  private readonly bias: tf.Tensor1D | null;
  private readonly up: number;
  private readonly fir: Fir | null;
  private readonly padding: number;
  private readonly act: Activation;
  private readonly actGain: number;
  private readonly convClamp: number | null;
  private readonly kernel: number;

  constructor(m: ModuleView, up: Uploads) {
    const w = m.tensor('weight');
    const [o, i, k] = w.shape as [number, number, number, number];
    this.kernel = k;
    if (m.num('down', 1) !== 1) throw new Error(`${m.path}: a downsampling Conv2dLayer in a generator is not supported`);
    this.up = m.num('up', 1);
    if (this.up > 1 && k !== 1) throw new Error(`${m.path}: an upsampling Conv2dLayer with a ${k}×${k} kernel is not supported (the generator's skip is 1×1)`);
    this.weight = up.keep(toHwio(w, m.num('weight_gain', 1 / Math.sqrt(i * k * k))));
    const b = m.optTensor('bias');
    this.bias = b === null ? null : (up.from(b) as tf.Tensor1D);
    this.padding = m.num('padding', Math.floor(k / 2));
    this.fir = this.up > 1 ? makeFir(m.tensor('resample_filter'), o, this.up * this.up, (t) => up.keep(t)) : null;
    this.act = asActivation(m.str('activation', 'linear'), `${m.path}.activation`);
    this.actGain = m.num('act_gain', 1);
    this.convClamp = m.numOrNull('conv_clamp');
  }

  apply(x: tf.Tensor4D, gain: number): tf.Tensor4D {
    const p = this.padding;
    let y: tf.Tensor4D = tf.conv2d(x, this.weight, 1, this.kernel === 1 && p === 0 ? 'valid' : [[0, 0], [p, p], [p, p], [0, 0]]);
    if (this.up > 1) {
      // conv2d_resample's 1×1 + up fast path: convolve, then upfirdn2d(up) with padding p + ⌊(f+up−1)/2⌋, p + ⌊(f−up)/2⌋.
      const f = this.fir as Fir;
      y = upfirdn2d(y, f, this.up, 1, [
        p + Math.floor((f.fw + this.up - 1) / 2),
        p + Math.floor((f.fw - this.up) / 2),
        p + Math.floor((f.fh + this.up - 1) / 2),
        p + Math.floor((f.fh - this.up) / 2),
      ]);
    }
    return biasAct(y, this.bias, this.act, this.actGain * gain, this.convClamp === null ? null : this.convClamp * gain) as tf.Tensor4D;
  }
}

class SynthesisBlock {
  private readonly constInput: tf.Tensor4D | null;
  private readonly conv0: SynthesisLayer | null;
  private readonly conv1: SynthesisLayer;
  private readonly torgb: ToRgb | null;
  private readonly skip: SkipConv | null;
  private readonly imgFir: Fir;
  private readonly architecture: string;
  readonly numConv: number;
  readonly numTorgb: number;

  constructor(m: ModuleView, imgChannels: number, up: Uploads, options: Sg2Options) {
    const inChannels = m.num('in_channels');
    this.architecture = m.str('architecture', 'skip');
    const c = m.optTensor('const');
    if (inChannels === 0) {
      if (c === null) throw new Error(`${m.path}.const: missing tensor`);
      const [ch, h, w] = c.shape as [number, number, number];
      // [C, H, W] → [1, H, W, C]
      const t = new Float32Array(c.data.length);
      for (let k = 0; k < ch; k++) for (let p = 0; p < h * w; p++) t[p * ch + k] = c.data[k * h * w + p] as number;
      this.constInput = up.keep(tf.tensor4d(t, [1, h, w, ch]));
    } else this.constInput = null;
    this.conv0 = inChannels !== 0 ? new SynthesisLayer(m.child('conv0'), up, options) : null;
    this.conv1 = new SynthesisLayer(m.child('conv1'), up, options);
    this.torgb = m.has('torgb') ? new ToRgb(m.child('torgb'), up) : null;
    this.skip = m.has('skip') ? new SkipConv(m.child('skip'), up) : null;
    this.imgFir = makeFir(m.tensor('resample_filter'), imgChannels, 4, (t) => up.keep(t)) as Fir;
    this.numConv = m.num('num_conv', (this.conv0 ? 1 : 0) + 1);
    this.numTorgb = m.num('num_torgb', this.torgb ? 1 : 0);
  }

  /** ws: this block's num_conv + num_torgb vectors, each [n, wDim]. */
  apply(x: tf.Tensor4D | null, img: tf.Tensor4D | null, ws: readonly tf.Tensor2D[], noise: NoiseOptions): { x: tf.Tensor4D; img: tf.Tensor4D | null } {
    let k = 0;
    const next = (): tf.Tensor2D => ws[k++] as tf.Tensor2D;
    let y: tf.Tensor4D;
    if (this.constInput !== null) {
      // The style multiply inside conv1 broadcasts the [1, …] constant to the batch.
      y = (this.conv1 as SynthesisLayer).apply(this.constInput, next(), noise);
    } else {
      if (x === null) throw new Error('SynthesisBlock: no input from the previous block');
      if (this.architecture === 'resnet' && this.skip !== null) {
        const s = this.skip.apply(x, Math.SQRT1_2);
        y = (this.conv0 as SynthesisLayer).apply(x, next(), noise);
        y = this.conv1.apply(y, next(), noise, Math.SQRT1_2);
        y = tf.add(s, y);
      } else {
        y = (this.conv0 as SynthesisLayer).apply(x, next(), noise);
        y = this.conv1.apply(y, next(), noise);
      }
    }
    let out = img;
    if (out !== null) out = upfirdn2d(out, this.imgFir, 2, 1, [2, 1, 2, 1]);
    if (this.torgb !== null) {
      const rgb = this.torgb.apply(y, next());
      out = out === null ? rgb : (tf.add(out, rgb) as tf.Tensor4D);
    }
    return { x: y, img: out };
  }
}

export class StyleGan2Synthesis {
  private readonly blocks: SynthesisBlock[] = [];
  readonly numWs: number;
  readonly resolution: number;
  readonly imgChannels: number;

  constructor(m: ModuleView, up: Uploads, options: Sg2Options = { upConv: 'polyphase' }) {
    this.resolution = m.num('img_resolution');
    this.imgChannels = m.num('img_channels');
    for (const res of m.numList('block_resolutions')) this.blocks.push(new SynthesisBlock(m.child(`b${res}`), this.imgChannels, up, options));
    this.numWs = m.num('num_ws');
  }

  /** ws [n, numWs, wDim] → images [n, res, res, img_channels] (NHWC, about [−1, 1]). Call inside tf.tidy. */
  apply(ws: tf.Tensor3D, noise: NoiseOptions): tf.Tensor4D {
    const all = tf.unstack(ws, 1) as tf.Tensor2D[];
    let x: tf.Tensor4D | null = null;
    let img: tf.Tensor4D | null = null;
    let idx = 0;
    for (const b of this.blocks) {
      const r = b.apply(x, img, all.slice(idx, idx + b.numConv + b.numTorgb), noise);
      x = r.x;
      img = r.img;
      idx += b.numConv;
    }
    if (img === null) throw new Error('synthesis: no block produced an image');
    return img;
  }
}
