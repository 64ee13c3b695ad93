// `npm run eval -- <model dir>`: diversity, nearest-neighbour (not copies) and
// a Fréchet distance on fixed random-conv features; results go into card.json.
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';
import { initWasm } from '../train/backend/wasm.ts';
import { loadDicebearSet } from '../train/data/dicebear.ts';
import { meanPairwiseDistance } from '../train/diversity.ts';
import type { ModelCard } from '../train/export/card.ts';
import { loadLayersModelFromDir } from '../train/export/fileHandler.ts';
import { Rng } from '../train/rng.ts';
import { buildFeatureNet, FEATURE_NET_DESCRIPTION, features } from './featureNet.ts';
import { frechetDistance, meanAndCovariance } from './linalg.ts';
import { nearestDistances } from './nearest.ts';

function toFloat(u8: Uint8Array, n: number, size: number): tf.Tensor4D {
  return tf.tidy(() => tf.sub(tf.div(tf.tensor4d(u8, [n, size, size, 3], 'float32'), 127.5), 1));
}

function mean(a: Float32Array): number {
  return a.reduce((s, v) => s + v, 0) / a.length;
}

export async function evaluate(dir: string, samples = 500, log: (m: string) => void = console.log): Promise<ModelCard['eval']> {
  await initWasm();
  const cardFile = path.join(dir, 'card.json');
  const card = JSON.parse(fs.readFileSync(cardFile, 'utf8')) as ModelCard;
  const size = card.output.height;
  const model = await loadLayersModelFromDir(dir);
  const dim = size * size * 3;
  // Held-out real images: same renderer, a seed never used for training.
  const held = loadDicebearSet({ size, count: samples, seed: 2 });
  const rng = new Rng(4242);
  const z = tf.tensor2d(rng.normals(samples * card.latent.size), [samples, card.latent.size]);
  const fake = model.predict(z) as tf.Tensor4D;
  const fakeU8 = Uint8Array.from(tf.tidy(() => tf.clipByValue(tf.round(tf.mul(tf.add(fake, 1), 127.5)), 0, 255)).dataSync());

  const diversityRatio = meanPairwiseDistance(fakeU8, samples) / meanPairwiseDistance(held.pixels, samples);
  log(`diversity ratio ${diversityRatio.toFixed(3)}`);

  // Nearest neighbour in the training set: samples vs held-out real images.
  const train = loadDicebearSet({ size, count: card.training.imageCount, seed: 1 });
  const nq = Math.min(100, samples);
  const fq = tf.tidy(() => tf.reshape(fake.slice([0, 0, 0, 0], [nq, -1, -1, -1]), [nq, dim])) as tf.Tensor2D;
  const hq = tf.tidy(() => tf.reshape(toFloat(held.pixels.subarray(0, nq * dim), nq, size), [nq, dim])) as tf.Tensor2D;
  const nnFake = mean(nearestDistances(fq, train.pixels, train.count, dim));
  const nnReal = mean(nearestDistances(hq, train.pixels, train.count, dim));
  const nearestNeighbourRatio = nnFake / nnReal;
  log(`nearest-neighbour distance to training set: samples ${nnFake.toFixed(2)}, held-out real ${nnReal.toFixed(2)}, ratio ${nearestNeighbourRatio.toFixed(3)}`);

  const net = buildFeatureNet();
  const realT = toFloat(held.pixels, samples, size);
  const ff = features(net, fake).dataSync() as Float32Array;
  const rf = features(net, realT).dataSync() as Float32Array;
  const fdim = ff.length / samples;
  const frechet = frechetDistance(meanAndCovariance(ff, samples, fdim), meanAndCovariance(rf, samples, fdim), fdim);
  log(`Fréchet distance (random conv features) ${frechet.toFixed(4)}`);
  tf.dispose([z, fake, fq, hq, realT, ...net.filters]);

  const result = {
    diversityRatio: Number(diversityRatio.toFixed(4)),
    nearestNeighbourRatio: Number(nearestNeighbourRatio.toFixed(4)),
    frechetDistance: Number(frechet.toFixed(4)),
    featureNet: FEATURE_NET_DESCRIPTION,
    samples,
  };
  card.eval = result;
  fs.writeFileSync(cardFile, `${JSON.stringify(card, null, 2)}\n`);
  return result;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: npm run eval -- <model dir> [samples]');
    process.exit(1);
  }
  evaluate(dir, Number(process.argv[3] ?? 500)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
