// One GAN training state and its step: hinge loss, spectrally normalised D
// with minibatch stddev, DiffAugment on both branches, EMA of G.
// All randomness (init, latents, batches, augment) comes from one seeded Rng,
// so state + Rng state = an exactly resumable run.
import * as tf from '@tensorflow/tfjs';
import { Adam } from './adam.ts';
import { diffAugment } from './augment.ts';
import type { ImageSet } from './data/dataset.ts';
import type { TrainConfig } from './model/config.ts';
import {
  buildDiscriminator,
  discriminate,
  type Discriminator,
  discriminatorVariables,
  spectralStep,
} from './model/discriminator.ts';
import { buildGenerator, generatorForward, generatorVariables } from './model/generator.ts';
import { Rng } from './rng.ts';

export interface TrainState {
  cfg: TrainConfig;
  data: ImageSet;
  g: tf.Sequential;
  ema: tf.Sequential;
  d: Discriminator;
  gVars: tf.Variable[];
  emaVars: tf.Variable[];
  dVars: tf.Variable[];
  adamG: Adam;
  adamD: Adam;
  rng: Rng;
  step: number;
  /** Wall-clock training seconds accumulated over all sessions. */
  seconds: number;
}

export interface StepResult {
  dLoss: number;
  gLoss: number;
}

/** Glorot-uniform kernels from our Rng (tfjs initialisers use an unseeded RNG). */
function initFromRng(vars: tf.Variable[], rng: Rng): void {
  for (const v of vars) {
    const n = v.size;
    if (v.name.includes('gamma')) v.assign(tf.onesLike(v));
    else if (v.shape.length < 2) v.assign(tf.zerosLike(v));
    else {
      const out = v.shape[v.shape.length - 1]!;
      const fanIn = n / out;
      const rf = v.shape.length === 4 ? v.shape[0]! * v.shape[1]! : 1;
      const limit = Math.sqrt(6 / (fanIn + out * rf));
      const d = new Float32Array(n);
      for (let i = 0; i < n; i++) d[i] = (rng.uniform() * 2 - 1) * limit;
      v.assign(tf.tensor(d, v.shape));
    }
  }
}

export function createTrainState(cfg: TrainConfig, data: ImageSet): TrainState {
  if (data.size !== cfg.size) throw new Error(`data is ${data.size}px but config wants ${cfg.size}px`);
  const rng = new Rng(cfg.seed);
  const g = buildGenerator(cfg, 'generator');
  const ema = buildGenerator(cfg, 'generator_ema');
  const gVars = generatorVariables(g);
  const emaVars = generatorVariables(ema);
  tf.tidy(() => {
    initFromRng(gVars, rng);
    emaVars.forEach((v, i) => v.assign(gVars[i]!));
  });
  const d = buildDiscriminator(cfg, rng);
  const dVars = discriminatorVariables(d);
  const adam = { eps: 1e-8, beta1: cfg.beta1, beta2: cfg.beta2 };
  return {
    cfg,
    data,
    g,
    ema,
    d,
    gVars,
    emaVars,
    dVars,
    adamG: new Adam(gVars, { ...adam, lr: cfg.lrG }, 'adamG'),
    adamD: new Adam(dVars, { ...adam, lr: cfg.lrD }, 'adamD'),
    rng,
    step: 0,
    seconds: 0,
  };
}

/** Real images as [n,size,size,3] in [-1,1]. */
export function realBatch(data: ImageSet, indices: number[]): tf.Tensor4D {
  const per = data.size * data.size * 3;
  const out = new Float32Array(indices.length * per);
  indices.forEach((idx, k) => {
    const src = data.pixels.subarray(idx * per, (idx + 1) * per);
    for (let i = 0; i < per; i++) out[k * per + i] = src[i]! / 127.5 - 1;
  });
  return tf.tensor4d(out, [indices.length, data.size, data.size, 3]);
}

function latents(rng: Rng, n: number, dim: number): tf.Tensor2D {
  return tf.tensor2d(rng.normals(n * dim), [n, dim]);
}

function ordered(vars: tf.Variable[], grads: tf.NamedTensorMap): tf.Tensor[] {
  return vars.map((v) => {
    const gr = grads[v.name];
    if (!gr) throw new Error(`no gradient for ${v.name}`);
    return gr;
  });
}

export function trainStep(s: TrainState): StepResult {
  const { cfg, rng } = s;
  const B = cfg.batch;
  const policy = cfg.augment;
  const result = tf.tidy(() => {
    // --- D step ---
    const vs = spectralStep(s.d);
    const idx: number[] = [];
    for (let i = 0; i < B; i++) idx.push(rng.int(s.data.count));
    const real = diffAugment(realBatch(s.data, idx), policy, rng);
    const fake = diffAugment(generatorForward(s.g, cfg, latents(rng, B, cfg.latent)), policy, rng);
    const dOut = tf.variableGrads(() => {
      const lr = discriminate(s.d, vs, real, cfg);
      const lf = discriminate(s.d, vs, fake, cfg);
      return tf.add(tf.mean(tf.relu(tf.sub(1, lr))), tf.mean(tf.relu(tf.add(1, lf)))) as tf.Scalar;
    }, s.dVars);
    s.adamD.apply(ordered(s.dVars, dOut.grads));
    // --- G step (D's u vectors are reused; SN updates them only in the D step) ---
    const z = latents(rng, B, cfg.latent);
    const gOut = tf.variableGrads(() => {
      const img = diffAugment(generatorForward(s.g, cfg, z), policy, rng);
      return tf.neg(tf.mean(discriminate(s.d, vs, img, cfg))) as tf.Scalar;
    }, s.gVars);
    s.adamG.apply(ordered(s.gVars, gOut.grads));
    // --- EMA of G, ramped so early samples are not dominated by the random init ---
    const beta = Math.min(cfg.emaBeta, (1 + s.step) / (10 + s.step));
    s.emaVars.forEach((e, i) => e.assign(tf.add(tf.mul(e, beta), tf.mul(s.gVars[i]!, 1 - beta))));
    return [dOut.value, gOut.value];
  });
  const [dl, gl] = result;
  const out = { dLoss: dl!.dataSync()[0]!, gLoss: gl!.dataSync()[0]! };
  dl!.dispose();
  gl!.dispose();
  s.step += 1;
  return out;
}

/** EMA-G samples as uint8 HWC. */
export function sampleImages(g: tf.LayersModel, cfg: TrainConfig, z: tf.Tensor2D): Uint8Array {
  return tf.tidy(() => {
    const img = generatorForward(g, cfg, z);
    const u8 = tf.clipByValue(tf.round(tf.mul(tf.add(img, 1), 127.5)), 0, 255);
    return Uint8Array.from(u8.dataSync());
  });
}
