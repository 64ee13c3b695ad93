import * as tf from '@tensorflow/tfjs';
import type { ModelCard } from '../core/model-card/types.ts';

/**
 * The model's raw output → [n, h, w, 3] RGB in [0, 1], row 0 at the top (what the upscaler takes; opaque() then
 * makes the RGBA both hand-off paths share, see frame.ts). Every card variant (NCHW, BGR, tanh range) becomes the same
 * image here, on the GPU. Call inside tf.tidy.
 */
export function toRgb01(raw: tf.Tensor4D, output: ModelCard['output']): tf.Tensor4D {
  let x = output.layout === 'NCHW' ? tf.transpose(raw, [0, 2, 3, 1]) : raw;
  if (output.channelOrder === 'BGR') x = tf.reverse(x, 3);
  if (output.range[0] === -1) x = tf.mul(tf.add(x, 1), 0.5);
  // Real generators overshoot their range a little; clamp so both paths agree at the edges.
  return tf.clipByValue(x, 0, 1);
}

/** [n, h, w, 3] → [n, h, w, 4] with alpha 1. */
export function opaque(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w] = x.shape;
  return tf.concat([x, tf.ones([n, h, w, 1])], 3);
}
