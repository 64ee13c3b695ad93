// Functional discriminator: 3×3 convs + LeakyReLU + average-pool downsampling,
// spectral normalisation on every weight (one power iteration per D step, the
// SN-GAN recipe), and a minibatch-stddev channel at 4×4 so D can see a lack of
// variety in a batch — the mode collapse seen here with a plain DCGAN.
// It never leaves training, so it need not be a layers model.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng.ts';
import type { TrainConfig } from './config.ts';

export interface SnParam {
  name: string;
  w: tf.Variable;
  b: tf.Variable;
  /** Power-iteration vector (left singular, size = out channels); not trained. */
  u: tf.Variable;
}

export interface Discriminator {
  layers: SnParam[];
}

function glorot(rng: Rng, shape: number[], fanIn: number, fanOut: number): tf.Tensor {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const n = shape.reduce((a, v) => a * v, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = (rng.uniform() * 2 - 1) * limit;
  return tf.tensor(data, shape);
}

function unit(rng: Rng, n: number): tf.Tensor {
  const d = rng.normals(n);
  let s = 0;
  for (const v of d) s += v * v;
  s = Math.sqrt(s);
  return tf.tensor1d(d.map((v) => v / s));
}

// tfjs variable names are global: a suffix lets several states coexist (tests).
let instance = 0;

function param(rng: Rng, name: string, shape: number[]): SnParam {
  const out = shape[shape.length - 1]!;
  const fanIn = shape.slice(0, -1).reduce((a, v) => a * v, 1);
  const fanOut = shape.length === 4 ? shape[0]! * shape[1]! * out : out;
  return {
    name,
    w: tf.variable(glorot(rng, shape, fanIn, fanOut), true, `${name}_w_${instance}`),
    b: tf.variable(tf.zeros([out]), true, `${name}_b_${instance}`),
    u: tf.variable(unit(rng, out), false, `${name}_u_${instance}`),
  };
}

export function buildDiscriminator(cfg: TrainConfig, rng: Rng): Discriminator {
  const c = cfg.dChannels;
  instance++;
  // Each level: 3×3 conv then 2× average pool. No separate 1×1 fromRGB at
  // full resolution: its filter gradient was the costliest kernel measured.
  const layers: SnParam[] = [];
  for (let i = 0; i < c.length - 1; i++) layers.push(param(rng, `d_conv${i}`, [3, 3, i === 0 ? 3 : c[i - 1]!, c[i]!]));
  const last = c[c.length - 1]!;
  layers.push(param(rng, 'd_final', [3, 3, c[c.length - 2]! + 1, last]));
  layers.push(param(rng, 'd_out', [4 * 4 * last, 1]));
  return { layers };
}

export function discriminatorVariables(d: Discriminator): tf.Variable[] {
  return d.layers.flatMap((l) => [l.w, l.b]);
}

/** Power iteration (outside the gradient tape): updates u, returns v per layer. */
export function spectralStep(d: Discriminator): tf.Tensor[] {
  return d.layers.map((l) =>
    tf.tidy(() => {
      const out = l.w.shape[l.w.shape.length - 1]!;
      const wm = tf.reshape(l.w, [-1, out]);
      const v = tf.matMul(wm, l.u.reshape([out, 1]));
      const vn = tf.div(v, tf.add(tf.norm(v), 1e-12));
      const u = tf.matMul(wm, vn, true, false);
      const un = tf.div(u, tf.add(tf.norm(u), 1e-12));
      l.u.assign(un.reshape([out]));
      return vn;
    }),
  );
}

/** sigma = vᵀ W u with u, v held constant, so gradients flow through W only. */
function normalised(l: SnParam, v: tf.Tensor): tf.Tensor {
  const out = l.w.shape[l.w.shape.length - 1]!;
  const wm = tf.reshape(l.w, [-1, out]);
  const sigma = tf.sum(tf.mul(tf.matMul(wm, l.u.reshape([out, 1])), v));
  return tf.div(l.w, sigma);
}

function conv(x: tf.Tensor4D, l: SnParam, v: tf.Tensor): tf.Tensor4D {
  return tf.fused.conv2d({ x, filter: normalised(l, v) as tf.Tensor4D, strides: 1, pad: 'same', bias: l.b });
}

function minibatchStddev(x: tf.Tensor4D, group: number): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const g = Math.min(group, b);
  if (b % g !== 0) throw new Error(`batch ${b} not divisible by minibatch-stddev group ${g}`);
  const m = b / g;
  const y = tf.reshape(x, [g, m, h, w, c]);
  const centred = tf.sub(y, tf.mean(y, 0, true));
  const std = tf.sqrt(tf.add(tf.mean(tf.square(centred), 0), 1e-8));
  const s = tf.mean(std, [1, 2, 3]).reshape([1, m, 1, 1, 1]);
  const feat = tf.add(s, tf.zeros([g, m, h, w, 1])).reshape([b, h, w, 1]);
  return tf.concat([x, feat], 3) as tf.Tensor4D;
}

/** x: [B,size,size,3] in [-1,1] → logits [B]. vs from spectralStep. */
export function discriminate(d: Discriminator, vs: tf.Tensor[], x: tf.Tensor4D, cfg: TrainConfig): tf.Tensor1D {
  const L = d.layers;
  let h: tf.Tensor4D = x;
  for (let i = 0; i < L.length - 2; i++) {
    h = tf.leakyRelu(conv(h, L[i]!, vs[i]!), 0.2) as tf.Tensor4D;
    h = tf.avgPool(h, 2, 2, 'valid');
  }
  h = minibatchStddev(h, cfg.mbstdGroup);
  h = tf.leakyRelu(conv(h, L[L.length - 2]!, vs[L.length - 2]!), 0.2) as tf.Tensor4D;
  const flat = tf.reshape(h, [h.shape[0], -1]);
  const outL = L[L.length - 1]!;
  const logits = tf.add(tf.matMul(flat, normalised(outL, vs[L.length - 1]!)), outL.b);
  return tf.reshape(logits, [-1]);
}
