// Nearest-neighbour distances (L2 in pixel space) from queries to a reference
// set, computed as ‖a‖²+‖b‖²−2ab with matmuls in chunks to bound memory.
import * as tf from '@tensorflow/tfjs';

export function nearestDistances(queries: tf.Tensor2D, reference: Uint8Array, refCount: number, dim: number, exclude?: number[]): Float32Array {
  const q2 = tf.sum(tf.square(queries), 1, true);
  const best = new Float32Array(queries.shape[0]).fill(Infinity);
  const chunk = 2000;
  for (let start = 0; start < refCount; start += chunk) {
    const n = Math.min(chunk, refCount - start);
    const d = tf.tidy(() => {
      const r = tf.sub(tf.div(tf.tensor2d(reference.subarray(start * dim, (start + n) * dim), [n, dim], 'float32'), 127.5), 1);
      const r2 = tf.reshape(tf.sum(tf.square(r), 1), [1, n]);
      return tf.add(tf.add(q2, r2), tf.mul(tf.matMul(queries, r, false, true), -2));
    });
    const v = d.dataSync();
    d.dispose();
    for (let i = 0; i < best.length; i++) {
      for (let j = 0; j < n; j++) {
        if (exclude && exclude[i] === start + j) continue;
        const x = v[i * n + j]!;
        if (x < best[i]!) best[i] = x;
      }
    }
  }
  q2.dispose();
  return best.map((x) => Math.sqrt(Math.max(0, x)));
}
