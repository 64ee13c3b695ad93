// The generator is a plain tfjs-layers Sequential built only from layers that
// stock tfjs 4.22 deserialises in a browser (Dense, Reshape, UpSampling2D,
// Conv2D, LayerNormalization, LeakyReLU, Activation). Nearest upsample + 3×3
// conv avoids the checkerboard artefacts of transposed convs; LayerNormalization
// (see TrainConfig.gNorm) has no running statistics, so the EMA copy needs no
// re-estimation, unlike BatchNormalization.
import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from './config.ts';

function normAxis(cfg: TrainConfig): number | number[] {
  return cfg.gNorm === 'sample' ? [1, 2, 3] : -1;
}

export function buildGenerator(cfg: TrainConfig, name = 'generator'): tf.Sequential {
  const c = cfg.gChannels;
  const axis = normAxis(cfg);
  const model = tf.sequential({ name });
  const c0 = c[0]!;
  model.add(tf.layers.dense({ inputShape: [cfg.latent], units: 4 * 4 * c0, name: 'g_dense' }));
  model.add(tf.layers.reshape({ targetShape: [4, 4, c0], name: 'g_reshape' }));
  model.add(tf.layers.layerNormalization({ axis, name: 'g_norm0' }));
  model.add(tf.layers.leakyReLU({ alpha: 0.2, name: 'g_act0' }));
  for (let i = 1; i < c.length; i++) {
    model.add(tf.layers.upSampling2d({ size: [2, 2], name: `g_up${i}` }));
    model.add(tf.layers.conv2d({ filters: c[i]!, kernelSize: 3, padding: 'same', name: `g_conv${i}` }));
    model.add(tf.layers.layerNormalization({ axis, name: `g_norm${i}` }));
    model.add(tf.layers.leakyReLU({ alpha: 0.2, name: `g_act${i}` }));
  }
  model.add(tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', name: 'g_rgb' }));
  model.add(tf.layers.activation({ activation: 'tanh', name: 'g_tanh' }));
  return model;
}

export function generatorVariables(g: tf.LayersModel): tf.Variable[] {
  return g.trainableWeights.map((w) => w.read() as tf.Variable);
}

function layerVars(g: tf.LayersModel, name: string): tf.Variable[] {
  return g.getLayer(name).trainableWeights.map((w) => w.read() as tf.Variable);
}

/** LayerNormalization, same maths as the tfjs layer (epsilon 1e-3). */
function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, axis: number | number[]): tf.Tensor {
  const { mean, variance } = tf.moments(x, axis, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-3))), gamma), beta);
}

/**
 * The generator's forward pass written with core ops on the model's own
 * variables. Used for training because the tfjs LayerNormalization layer tiles
 * its statistics and its backward pass was measured ~20× slower on wasm.
 * A test checks it equals `model.predict` (what the browser will run).
 */
export function generatorForward(g: tf.LayersModel, cfg: TrainConfig, z: tf.Tensor2D): tf.Tensor4D {
  const c = cfg.gChannels;
  const axis = normAxis(cfg);
  const [dk, db] = layerVars(g, 'g_dense');
  let h: tf.Tensor = tf.reshape(tf.add(tf.matMul(z, dk!), db!), [-1, 4, 4, c[0]!]);
  const [n0g, n0b] = layerVars(g, 'g_norm0');
  h = tf.leakyRelu(layerNorm(h, n0g!, n0b!, axis), 0.2);
  for (let i = 1; i < c.length; i++) {
    const side = 4 << i;
    h = tf.image.resizeNearestNeighbor(h as tf.Tensor4D, [side, side]);
    const [k, b] = layerVars(g, `g_conv${i}`);
    h = tf.fused.conv2d({ x: h as tf.Tensor4D, filter: k as tf.Tensor4D, strides: 1, pad: 'same', bias: b! });
    const [ng, nb] = layerVars(g, `g_norm${i}`);
    h = tf.leakyRelu(layerNorm(h, ng!, nb!, axis), 0.2);
  }
  const [rk, rb] = layerVars(g, 'g_rgb');
  return tf.tanh(tf.fused.conv2d({ x: h as tf.Tensor4D, filter: rk as tf.Tensor4D, strides: 1, pad: 'same', bias: rb! }));
}
