import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from '../../core/stylegan/network.ts';
import type { ModuleView } from './tree.ts';

/** Every tensor the runtime uploads, so dispose() frees exactly what load made. */
export class Uploads {
  private readonly list: tf.Tensor[] = [];

  keep<T extends tf.Tensor>(t: T): T {
    this.list.push(t);
    return t;
  }

  /** A stored tensor uploaded as is (PyTorch layout), optionally scaled. */
  from(t: NamedTensor, scale = 1): tf.Tensor {
    const data = scale === 1 ? t.data : t.data.map((v) => v * scale);
    return this.keep(tf.tensor(data, [...t.shape], 'float32'));
  }

  get count(): number {
    return this.list.length;
  }

  dispose(): void {
    for (const t of this.list) t.dispose();
    this.list.length = 0;
  }
}

/** bias_act's activations (torch_utils/ops/bias_act.py): function and the default gain it multiplies by. */
export type Activation = 'linear' | 'relu' | 'lrelu' | 'tanh' | 'sigmoid' | 'elu' | 'selu' | 'softplus' | 'swish';

export function activate(x: tf.Tensor, act: Activation, alpha = 0.2): tf.Tensor {
  switch (act) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'lrelu':
      return alpha === 1 ? x : tf.leakyRelu(x, alpha);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'elu':
      return tf.elu(x);
    case 'selu':
      return tf.selu(x);
    case 'softplus':
      return tf.softplus(x);
    case 'swish':
      return tf.mul(x, tf.sigmoid(x));
  }
}

export function defaultGain(act: Activation): number {
  return act === 'relu' || act === 'lrelu' || act === 'swish' ? Math.SQRT2 : 1;
}

export function asActivation(name: string, where: string): Activation {
  const known: readonly Activation[] = ['linear', 'relu', 'lrelu', 'tanh', 'sigmoid', 'elu', 'selu', 'softplus', 'swish'];
  if (!(known as readonly string[]).includes(name)) throw new Error(`${where}: unknown activation '${name}' (known: ${known.join(', ')})`);
  return name as Activation;
}

/** bias_act: add the (channel-last) bias, activate, multiply by the gain, clamp to ±clamp. */
export function biasAct(x: tf.Tensor, bias: tf.Tensor | null, act: Activation, gain: number, clamp: number | null): tf.Tensor {
  let y = bias === null ? x : tf.add(x, bias);
  y = activate(y, act);
  if (gain !== 1) y = tf.mul(y, gain);
  if (clamp !== null && clamp >= 0) y = tf.clipByValue(y, -clamp, clamp);
  return y;
}

/**
 * FullyConnectedLayer: y = act(x · (W·weight_gain)ᵀ + b·bias_gain) · def_gain. The gains (lr multiplier / √fan-in,
 * the "equalized learning rate" of Karras et al. 2018) are folded into the uploaded weights once.
 */
export class Dense {
  private readonly w: tf.Tensor2D;
  private readonly b: tf.Tensor1D | null;
  private readonly act: Activation;
  readonly outFeatures: number;

  constructor(m: ModuleView, up: Uploads) {
    const weight = m.tensor('weight');
    const [out, inF] = weight.shape as [number, number];
    const weightGain = m.num('weight_gain', 1 / Math.sqrt(inF));
    const biasGain = m.num('bias_gain', 1);
    this.act = asActivation(m.str('activation', 'linear'), `${m.path}.activation`);
    // [out, in] → [in, out], scaled.
    const wt = new Float32Array(inF * out);
    for (let o = 0; o < out; o++) for (let i = 0; i < inF; i++) wt[i * out + o] = (weight.data[o * inF + i] as number) * weightGain;
    this.w = up.keep(tf.tensor2d(wt, [inF, out]));
    const bias = m.optTensor('bias');
    this.b = bias === null ? null : (up.from(bias, biasGain) as tf.Tensor1D);
    this.outFeatures = out;
  }

  apply(x: tf.Tensor2D, gain = 1): tf.Tensor2D {
    return biasAct(tf.matMul(x, this.w), this.b, this.act, defaultGain(this.act) * gain, null) as tf.Tensor2D;
  }
}

/** normalize_2nd_moment: x / √(mean(x²) + 1e-8) over the feature axis. */
export function normalize2ndMoment(x: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), 1, true), 1e-8)));
}

/** A conv weight [O, I, kh, kw] → tfjs conv2d filter [kh, kw, I, O], optionally scaled. */
export function toHwio(t: NamedTensor, scale = 1): tf.Tensor4D {
  const [o, i, kh, kw] = t.shape as [number, number, number, number];
  const out = new Float32Array(t.data.length);
  for (let a = 0; a < o; a++)
    for (let b = 0; b < i; b++)
      for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) out[((y * kw + x) * i + b) * o + a] = (t.data[((a * i + b) * kh + y) * kw + x] as number) * scale;
  return tf.tensor4d(out, [kh, kw, i, o]);
}

/** A conv weight [O, I, kh, kw] → tfjs conv2dTranspose filter [kh, kw, O, I] (no flip: both are PyTorch's
 * conv_transpose2d semantics, out[s·i + k] += x[i]·w[k]). */
export function toHwoi(t: NamedTensor, scale = 1): tf.Tensor4D {
  const [o, i, kh, kw] = t.shape as [number, number, number, number];
  const out = new Float32Array(t.data.length);
  for (let a = 0; a < o; a++)
    for (let b = 0; b < i; b++)
      for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) out[((y * kw + x) * o + a) * i + b] = (t.data[((a * i + b) * kh + y) * kw + x] as number) * scale;
  return tf.tensor4d(out, [kh, kw, o, i]);
}

/** Σ over the kernel taps of w², as [I, O]: demodulation coefficients are then rsqrt(s² · this + 1e-8). */
export function squaredTapSums(t: NamedTensor): tf.Tensor2D {
  const [o, i, kh, kw] = t.shape as [number, number, number, number];
  const out = new Float32Array(i * o);
  const k = kh * kw;
  for (let a = 0; a < o; a++)
    for (let b = 0; b < i; b++) {
      let s = 0;
      for (let j = 0; j < k; j++) {
        const v = t.data[(a * i + b) * k + j] as number;
        s += v * v;
      }
      out[b * o + a] = s;
    }
  return tf.tensor2d(out, [i, o]);
}
