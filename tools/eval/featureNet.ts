// A fixed random conv net as the feature extractor for the Fréchet distance.
// Inception weights cannot be shipped here, so we use random-weight features
// (known to rank GAN quality sensibly, though the numbers are not comparable
// with published FIDs). Weights come from a seeded Rng, so every run and every
// machine computes the same features.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../train/rng.ts';

export const FEATURE_NET_SEED = 31337;
export const FEATURE_NET_DESCRIPTION =
  `fixed random conv net shipped in tools/eval/featureNet.ts (seed ${FEATURE_NET_SEED}): ` +
  '3x3 convs 3-32-64-64 with ReLU and 2x avg-pools, He-normal weights, features = global mean + max pool (128-d); ' +
  'Fréchet distance vs held-out dicebear renders, not comparable with Inception FID';

export interface FeatureNet {
  filters: tf.Tensor4D[];
}

export function buildFeatureNet(): FeatureNet {
  const rng = new Rng(FEATURE_NET_SEED);
  const shapes: [number, number, number, number][] = [
    [3, 3, 3, 32],
    [3, 3, 32, 64],
    [3, 3, 64, 64],
  ];
  const filters = shapes.map((s) => {
    const fanIn = s[0] * s[1] * s[2];
    const std = Math.sqrt(2 / fanIn);
    return tf.tensor4d(rng.normals(s.reduce((a, v) => a * v, 1)).map((v) => v * std), s);
  });
  return { filters };
}

/** images: [n,h,w,3] in [-1,1] → [n,128]. */
export function features(net: FeatureNet, images: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    let h: tf.Tensor4D = images;
    net.filters.forEach((f, i) => {
      h = tf.relu(tf.conv2d(h, f, 1, 'same'));
      if (i < net.filters.length - 1) h = tf.avgPool(h, 2, 2, 'valid');
    });
    return tf.concat([tf.mean(h, [1, 2]), tf.max(h, [1, 2])], 1) as tf.Tensor2D;
  });
}
