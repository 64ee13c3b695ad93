// DiffAugment (Zhao et al. 2020): differentiable colour + translation (+
// optional cutout) applied to both real and fake images before D, so D cannot
// memorise the finite training set and G still gets useful gradients.
// Random parameters come from the seeded Rng (not tf.random*) so a resumed run
// repeats them exactly. Translation is a batched matmul with per-sample shift
// matrices: differentiable, and avoids Gather, whose gradient wasm lacks.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from './rng.ts';

export interface AugmentPolicy {
  colour: boolean;
  /** Max shift as a fraction of the image side; 0 disables. */
  translation: number;
  /** Cutout square side as a fraction of the image side; 0 disables. */
  cutout: number;
}

function shiftMatrices(rng: Rng, b: number, n: number, maxShift: number): tf.Tensor3D {
  const m = new Float32Array(b * n * n);
  for (let k = 0; k < b; k++) {
    const s = rng.int(2 * maxShift + 1) - maxShift;
    for (let i = 0; i < n; i++) {
      const j = i - s;
      if (j >= 0 && j < n) m[k * n * n + i * n + j] = 1;
    }
  }
  return tf.tensor3d(m, [b, n, n]);
}

function perSample(rng: Rng, b: number): tf.Tensor4D {
  const v = new Float32Array(b);
  for (let i = 0; i < b; i++) v[i] = rng.uniform();
  return tf.tensor4d(v, [b, 1, 1, 1]);
}

export function diffAugment(x: tf.Tensor4D, policy: AugmentPolicy, rng: Rng): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  let y = x;
  if (policy.colour) {
    y = tf.add(y, tf.sub(perSample(rng, b), 0.5));
    const meanC = tf.mean(y, 3, true);
    y = tf.add(tf.mul(tf.sub(y, meanC), tf.mul(perSample(rng, b), 2)), meanC);
    const meanAll = tf.mean(y, [1, 2, 3], true);
    y = tf.add(tf.mul(tf.sub(y, meanAll), tf.add(perSample(rng, b), 0.5)), meanAll);
  }
  if (policy.translation > 0) {
    const sh = Math.round(h * policy.translation);
    const sw = Math.round(w * policy.translation);
    const th = shiftMatrices(rng, b, h, sh);
    y = tf.reshape(tf.matMul(th, tf.reshape(y, [b, h, w * c])), [b, h, w, c]);
    const tw = shiftMatrices(rng, b, w, sw);
    const yt = tf.reshape(tf.transpose(y, [0, 2, 1, 3]), [b, w, h * c]);
    y = tf.transpose(tf.reshape(tf.matMul(tw, yt), [b, w, h, c]), [0, 2, 1, 3]);
  }
  if (policy.cutout > 0) {
    const side = Math.round(h * policy.cutout);
    const mask = new Float32Array(b * h * w).fill(1);
    for (let k = 0; k < b; k++) {
      const cy = rng.int(h + (1 - (side % 2))) - Math.floor(side / 2);
      const cx = rng.int(w + (1 - (side % 2))) - Math.floor(side / 2);
      for (let yy = Math.max(0, cy); yy < Math.min(h, cy + side); yy++) {
        for (let xx = Math.max(0, cx); xx < Math.min(w, cx + side); xx++) mask[(k * h + yy) * w + xx] = 0;
      }
    }
    y = tf.mul(y, tf.tensor4d(mask, [b, h, w, 1]));
  }
  return y;
}
