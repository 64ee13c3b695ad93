import * as tf from '@tensorflow/tfjs';
import { Dense, squaredTapSums, toHwio, Uploads } from './common.ts';
import { makeFir, makePolyphaseUp, polyphaseUpsample, upfirdn2d, type Fir, type Padding4, type PolyphaseUp } from './fir.ts';
import type { ModuleView } from './tree.ts';

/**
 * StyleGAN3 synthesis (Karras et al. 2021, "Alias-Free Generative Adversarial Networks"; stylegan3
 * `training/networks_stylegan3.py`), NHWC throughout. No noise inputs.
 */

/**
 * SynthesisInput: Fourier features. w → (r_c, r_s, t_x, t_y), normalised so (r_c, r_s) is a unit rotation; the
 * frequencies and phases are rotated and shifted by the inverse transform (then the stored user `transform`),
 * each channel's amplitude fades out as its frequency nears the band edge, and a C×C matrix mixes the channels.
 */
class SynthesisInput {
  private readonly affine: Dense;
  private readonly fx: tf.Tensor2D;
  private readonly fy: tf.Tensor2D;
  private readonly phases: tf.Tensor2D;
  private readonly transform: readonly number[];
  private readonly gx: tf.Tensor4D;
  private readonly gy: tf.Tensor4D;
  private readonly mix: tf.Tensor2D;
  private readonly channels: number;
  private readonly bandwidth: number;
  private readonly samplingRate: number;
  readonly width: number;
  readonly height: number;

  constructor(m: ModuleView, up: Uploads) {
    this.affine = new Dense(m.child('affine'), up);
    const freqs = m.tensor('freqs');
    const c = freqs.shape[0] as number;
    this.channels = c;
    const fx = new Float32Array(c);
    const fy = new Float32Array(c);
    for (let i = 0; i < c; i++) {
      fx[i] = freqs.data[2 * i] as number;
      fy[i] = freqs.data[2 * i + 1] as number;
    }
    this.fx = up.keep(tf.tensor2d(fx, [1, c]));
    this.fy = up.keep(tf.tensor2d(fy, [1, c]));
    this.phases = up.keep(tf.tensor2d(m.tensor('phases').data, [1, c]));
    this.transform = Array.from(m.tensor('transform').data);
    this.samplingRate = m.num('sampling_rate');
    this.bandwidth = m.num('bandwidth');
    const size = m.raw('size');
    this.width = Array.isArray(size) ? (size[0] as number) : m.num('size');
    this.height = Array.isArray(size) ? (size[1] as number) : this.width;
    // affine_grid(theta = diag(½·size/sampling_rate), align_corners=False): sample i sits at (i + ½ − size/2) / s.
    const gx = Float32Array.from({ length: this.width }, (_, i) => (i + 0.5 - this.width / 2) / this.samplingRate);
    const gy = Float32Array.from({ length: this.height }, (_, i) => (i + 0.5 - this.height / 2) / this.samplingRate);
    this.gx = up.keep(tf.tensor4d(gx, [1, 1, this.width, 1]));
    this.gy = up.keep(tf.tensor4d(gy, [1, this.height, 1, 1]));
    // x @ (weight / √C)ᵀ: the [in, out] matrix is weightᵀ / √C.
    const w = m.tensor('weight');
    const mix = new Float32Array(c * c);
    const g = 1 / Math.sqrt(c);
    for (let o = 0; o < c; o++) for (let i = 0; i < c; i++) mix[i * c + o] = (w.data[o * c + i] as number) * g;
    this.mix = up.keep(tf.tensor2d(mix, [c, c]));
  }

  apply(w: tf.Tensor2D): tf.Tensor4D {
    const n = w.shape[0];
    const t = this.affine.apply(w);
    const [rc0, rs0, tx0, ty0] = tf.split(t, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const norm = tf.sqrt(tf.add(tf.square(rc0), tf.square(rs0)));
    const [rc, rs, tx, ty] = [rc0, rs0, tx0, ty0].map((v) => tf.div(v, norm)) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    // m_r · m_t = [[c, −s, −c·tx + s·ty], [s, c, −s·tx − c·ty], [0, 0, 1]], then · transform (row-major 3×3).
    const a = [
      [rc, tf.neg(rs), tf.sub(tf.mul(rs, ty), tf.mul(rc, tx))],
      [rs, rc, tf.neg(tf.add(tf.mul(rs, tx), tf.mul(rc, ty)))],
    ];
    const T = this.transform;
    const m = (r: number, col: number): tf.Tensor2D => {
      const row = a[r] as tf.Tensor2D[];
      let s: tf.Tensor2D = tf.mul(row[0] as tf.Tensor2D, T[col] as number);
      s = tf.add(s, tf.mul(row[1] as tf.Tensor2D, T[3 + col] as number));
      return tf.add(s, tf.mul(row[2] as tf.Tensor2D, T[6 + col] as number));
    };
    const m00 = m(0, 0);
    const m01 = m(0, 1);
    const m02 = m(0, 2);
    const m10 = m(1, 0);
    const m11 = m(1, 1);
    const m12 = m(1, 2);
    // phases + freqs · M[:2, 2]; freqs · M[:2, :2] (freqs as row vectors).
    const phases = tf.add(this.phases, tf.add(tf.mul(this.fx, m02), tf.mul(this.fy, m12)));
    const fx = tf.add(tf.mul(this.fx, m00), tf.mul(this.fy, m10));
    const fy = tf.add(tf.mul(this.fx, m01), tf.mul(this.fy, m11));
    const radius = tf.sqrt(tf.add(tf.square(fx), tf.square(fy)));
    const amplitudes = tf.clipByValue(tf.sub(1, tf.div(tf.sub(radius, this.bandwidth), this.samplingRate / 2 - this.bandwidth)), 0, 1);
    const c = this.channels;
    const arg = tf.add(tf.add(tf.mul(this.gx, tf.reshape(fx, [n, 1, 1, c])), tf.mul(this.gy, tf.reshape(fy, [n, 1, 1, c]))), tf.reshape(phases, [n, 1, 1, c]));
    const x = tf.mul(tf.sin(tf.mul(arg, 2 * Math.PI)), tf.reshape(amplitudes, [n, 1, 1, c]));
    return tf.reshape(tf.matMul(tf.reshape(x, [n * this.height * this.width, c]), this.mix), [n, this.height, this.width, c]);
  }
}

export interface Sg3Options {
  /** Upsample without inserting zeros (fir.ts polyphaseUpsample; default) or by zero-insert-then-filter. */
  readonly polyphase: boolean;
}

/**
 * SynthesisLayer: modulated conv (full padding k−1; the input scaled by rsqrt(magnitude_ema); demodulated except
 * in ToRGB), then filtered_lrelu: bias, upsample through up_filter (gain up²) with the layer's padding, leaky ReLU
 * (slope 0.2, gain √2; ToRGB: linear, gain 1), clamp, downsample through down_filter.
 */
class SynthesisLayer {
  private readonly affine: Dense;
  private readonly weight: tf.Tensor4D;
  private readonly wsq: tf.Tensor2D;
  private readonly bias: tf.Tensor1D;
  private readonly isTorgb: boolean;
  private readonly kernel: number;
  private readonly styleGain: number;
  private readonly inputGain: number;
  private readonly up: number;
  private readonly down: number;
  private readonly padding: Padding4;
  private readonly fu: Fir | null;
  private readonly fd: Fir | null;
  /** The same upsampling without inserting zeros (separable up filters: every official config). */
  private readonly polyUp: PolyphaseUp | null;
  private readonly convClamp: number | null;

  constructor(m: ModuleView, up: Uploads, options: Sg3Options) {
    const w = m.tensor('weight');
    const [o, i, k] = w.shape as [number, number, number, number];
    this.kernel = k;
    this.isTorgb = m.bool('is_torgb');
    this.affine = new Dense(m.child('affine'), up);
    this.weight = up.keep(toHwio(w));
    this.wsq = up.keep(squaredTapSums(w));
    this.bias = up.from(m.tensor('bias')) as tf.Tensor1D;
    this.styleGain = this.isTorgb ? 1 / Math.sqrt(i * k * k) : 1;
    // The reference applies input_gain = magnitude_ema.rsqrt() at inference too (it only updates the EMA when training).
    this.inputGain = 1 / Math.sqrt(m.tensor('magnitude_ema').data[0] as number);
    this.up = m.num('up_factor');
    this.down = m.num('down_factor');
    const p = m.numList('padding');
    if (p.length !== 4) throw new Error(`${m.path}.padding: expected [x0, x1, y0, y1], got ${JSON.stringify(p)}`);
    this.padding = p as unknown as Padding4;
    this.fu = makeFir(m.optTensor('up_filter'), o, this.up * this.up, (t) => up.keep(t));
    this.fd = makeFir(m.optTensor('down_filter'), o, 1, (t) => up.keep(t));
    this.polyUp = options.polyphase ? makePolyphaseUp(m.optTensor('up_filter'), o, this.up, this.padding, (t) => up.keep(t)) : null;
    this.convClamp = m.numOrNull('conv_clamp');
  }

  apply(x: tf.Tensor4D, w: tf.Tensor2D): tf.Tensor4D {
    const n = w.shape[0];
    let styles = this.affine.apply(w);
    if (this.styleGain !== 1) styles = tf.mul(styles, this.styleGain);
    const p = this.kernel - 1;
    let y: tf.Tensor4D = tf.mul(x, tf.reshape(tf.mul(styles, this.inputGain), [n, 1, 1, -1]));
    y = tf.conv2d(y, this.weight, 1, p === 0 ? 'valid' : [[0, 0], [p, p], [p, p], [0, 0]]);
    if (!this.isTorgb) {
      // Demodulation: the reference's extra normalisations of w and s are per-output-channel and global scalings,
      // which the coefficients undo (up to the 1e-8).
      y = tf.mul(y, tf.reshape(tf.rsqrt(tf.add(tf.matMul(tf.square(styles), this.wsq), 1e-8)), [n, 1, 1, -1]));
    }
    y = tf.add(y, this.bias);
    y = this.polyUp !== null ? polyphaseUpsample(y, this.polyUp) : upfirdn2d(y, this.fu, this.up, 1, this.padding);
    if (!this.isTorgb) y = tf.mul(tf.leakyRelu(y, 0.2), Math.SQRT2);
    if (this.convClamp !== null) y = tf.clipByValue(y, -this.convClamp, this.convClamp);
    return upfirdn2d(y, this.fd, 1, this.down, [0, 0, 0, 0]);
  }
}

export class StyleGan3Synthesis {
  private readonly input: SynthesisInput;
  private readonly layers: SynthesisLayer[] = [];
  private readonly outputScale: number;
  readonly numWs: number;
  readonly resolution: number;
  readonly imgChannels: number;

  constructor(m: ModuleView, up: Uploads, options: Sg3Options = { polyphase: true }) {
    this.resolution = m.num('img_resolution');
    this.imgChannels = m.num('img_channels');
    this.numWs = m.num('num_ws');
    this.outputScale = m.num('output_scale', 0.25);
    this.input = new SynthesisInput(m.child('input'), up);
    for (const name of m.strList('layer_names')) this.layers.push(new SynthesisLayer(m.child(name), up, options));
    if (this.layers.length + 1 !== this.numWs) throw new Error(`${m.path}: ${this.layers.length} layers need ${this.layers.length + 1} ws, but num_ws is ${this.numWs}`);
  }

  /** ws [n, numWs, wDim] → images [n, res, res, img_channels] (NHWC). Call inside tf.tidy. */
  apply(ws: tf.Tensor3D): tf.Tensor4D {
    const all = tf.unstack(ws, 1) as tf.Tensor2D[];
    let x = this.input.apply(all[0] as tf.Tensor2D);
    this.layers.forEach((l, i) => {
      x = l.apply(x, all[i + 1] as tf.Tensor2D);
    });
    return this.outputScale === 1 ? x : tf.mul(x, this.outputScale);
  }
}
