// `npm run eval -- <model dir>`: diversity, nearest-neighbour (not copies) and
// a Fréchet distance on fixed random-conv features; results go into card.json.
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';
import { startWasmBackend } from '../lib/tfjs-wasm.ts';
import { loadDicebearSet, TRAINING_DATA_SEED } from '../train/data/dicebear.ts';
import { meanPairwiseDistance } from '../train/diversity.ts';
import type { CardEval, ModelCard } from '../train/export/card.ts';
import { loadLayersModelFromDir } from '../lib/model-files.ts';
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

export interface EvalOptions {
  /** Samples drawn from the model (and held-out real images); the card's figures use 500. */
  readonly samples?: number;
  /**
   * Compare at this size instead of the model's own: its samples are box-downsampled (average pooling, as the
   * training renders are) and the real images rendered at this size. Lets a 64×64 model be judged against a
   * 32×32 one on the same footing.
   */
  readonly at?: number;
  /** The nearest-neighbour check renders the whole training set once (minutes, then cached); skip it for speed. */
  readonly nearest?: boolean;
  readonly log?: (m: string) => void;
}

export interface EvalFigures {
  readonly size: number;
  readonly samples: number;
  readonly diversityRatio: number;
  /** null when skipped. */
  readonly nearestNeighbourRatio: number | null;
  readonly frechetDistance: number;
  /**
   * The fine detail painted at the same place in every picture, relative to the renders' own (1: like the renders).
   * Fine detail is each 2×2 block's deviation from its mean; its mean over all samples is a fixed template, and the
   * figure is that template's RMS ÷ the held-out renders' (portraits are centred, so theirs is small but not 0). A
   * generator with per-position gains can paint a ghost face (glasses, eyes, a collar) into everyone: 3.4 for the
   * first 64 px default.
   */
  readonly fixedPatternRatio: number;
}

/** RMS over pixels of the mean over samples of x − nearest-up(avgpool2(x)) (x in [-1, 1], NHWC, even sides). */
export function fixedDetailRms(x: tf.Tensor4D): number {
  return tf.tidy(() => {
    const [, h, w] = x.shape;
    const blocks = tf.image.resizeNearestNeighbor(tf.avgPool(x, 2, 2, 'valid'), [h, w]);
    const template = tf.mean(tf.sub(x, blocks), 0);
    return Math.sqrt(tf.mean(tf.square(template)).dataSync()[0]!);
  });
}

const round4 = (x: number): number => Number(x.toFixed(4));

/** Measures a model folder; writes nothing. Deterministic: seeded latents and renders, wasm backend. */
export async function measure(dir: string, opts: EvalOptions = {}): Promise<EvalFigures> {
  const samples = opts.samples ?? 500;
  const log = opts.log ?? console.log;
  await startWasmBackend();
  const card = readCard(dir);
  const native = card.output.height;
  const size = opts.at ?? native;
  if (!(Number.isInteger(native / size) && native / size >= 1)) throw new Error(`--at ${size}: must divide the model's size ${native}`);
  const model = await loadLayersModelFromDir(dir);
  const dim = size * size * 3;
  // Held-out real images: same renderer, a seed never used for training.
  const held = loadDicebearSet({ size, count: samples, seed: 2 });
  const rng = new Rng(4242);
  const z = tf.tensor2d(rng.normals(samples * card.latent.size), [samples, card.latent.size]);
  const fake = tf.tidy(() => {
    // Clamped to the card's range first, as the page shows it (src/generator/postprocess.ts): a generator that
    // overshoots (a grown one's detail octave can, a little) is judged on what a visitor sees, also when downsampled.
    const out = tf.clipByValue(model.predict(z) as tf.Tensor4D, -1, 1);
    const f = native / size;
    return f === 1 ? out : tf.avgPool(out, f, f, 'valid');
  });
  const fakeU8 = Uint8Array.from(tf.tidy(() => tf.clipByValue(tf.round(tf.mul(tf.add(fake, 1), 127.5)), 0, 255)).dataSync());

  const diversityRatio = meanPairwiseDistance(fakeU8, samples) / meanPairwiseDistance(held.pixels, samples);
  log(`diversity ratio ${diversityRatio.toFixed(3)}${size !== native ? ` (at ${size}×${size})` : ''}`);

  let nearestNeighbourRatio: number | null = null;
  if (opts.nearest !== false) {
    // Nearest neighbour in the training set: samples vs held-out real images.
    const train = loadDicebearSet({ size, count: card.training.imageCount, seed: TRAINING_DATA_SEED, onProgress: (i, n) => log(`rendering the training set ${i}/${n}`) });
    const nq = Math.min(100, samples);
    const fq = tf.tidy(() => tf.reshape(fake.slice([0, 0, 0, 0], [nq, -1, -1, -1]), [nq, dim])) as tf.Tensor2D;
    const hq = tf.tidy(() => tf.reshape(toFloat(held.pixels.subarray(0, nq * dim), nq, size), [nq, dim])) as tf.Tensor2D;
    const nnFake = mean(nearestDistances(fq, train.pixels, train.count, dim));
    const nnReal = mean(nearestDistances(hq, train.pixels, train.count, dim));
    tf.dispose([fq, hq]);
    nearestNeighbourRatio = nnFake / nnReal;
    log(`nearest-neighbour distance to training set: samples ${nnFake.toFixed(2)}, held-out real ${nnReal.toFixed(2)}, ratio ${nearestNeighbourRatio.toFixed(3)}`);
  }

  const net = buildFeatureNet();
  const realT = toFloat(held.pixels, samples, size);
  const ff = features(net, fake).dataSync() as Float32Array;
  const rf = features(net, realT).dataSync() as Float32Array;
  const fdim = ff.length / samples;
  const frechet = frechetDistance(meanAndCovariance(ff, samples, fdim), meanAndCovariance(rf, samples, fdim), fdim);
  log(`Fréchet distance (random conv features) ${frechet.toFixed(4)}`);
  const fixedPatternRatio = fixedDetailRms(fake) / fixedDetailRms(realT);
  log(`fixed-pattern ratio ${fixedPatternRatio.toFixed(3)} (the same fine detail in every sample ÷ the renders')`);
  tf.dispose([z, fake, realT, ...net.filters]);
  model.dispose();
  return {
    size,
    samples,
    diversityRatio: round4(diversityRatio),
    nearestNeighbourRatio: nearestNeighbourRatio === null ? null : round4(nearestNeighbourRatio),
    frechetDistance: round4(frechet),
    fixedPatternRatio: round4(fixedPatternRatio),
  };
}

function readCard(dir: string): ModelCard {
  return JSON.parse(fs.readFileSync(path.join(dir, 'card.json'), 'utf8')) as ModelCard;
}

/** `npm run eval -- <dir>`: measures at the model's size with every check and writes card.json "eval". */
export async function evaluate(dir: string, samples = 500, log: (m: string) => void = console.log): Promise<CardEval> {
  const m = await measure(dir, { samples, log });
  const result: CardEval = {
    diversityRatio: m.diversityRatio,
    nearestNeighbourRatio: m.nearestNeighbourRatio ?? NaN,
    frechetDistance: m.frechetDistance,
    fixedPatternRatio: m.fixedPatternRatio,
    featureNet: FEATURE_NET_DESCRIPTION,
    samples,
  };
  const card = readCard(dir);
  card.eval = result;
  fs.writeFileSync(path.join(dir, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);
  return result;
}

/** Differences between the card's eval figures and a fresh measurement at the card's settings (empty: reproduced). */
export function compareWithCard(card: ModelCard, m: EvalFigures): string[] {
  const out: string[] = [];
  const e = card.eval;
  if (m.samples !== e.samples) out.push(`samples: card ${e.samples}, measured ${m.samples}`);
  const pairs: [string, number, number | null][] = [
    ['diversityRatio', e.diversityRatio, m.diversityRatio],
    ['nearestNeighbourRatio', e.nearestNeighbourRatio, m.nearestNeighbourRatio],
    ['frechetDistance', e.frechetDistance, m.frechetDistance],
    // Cards measured before the figure existed do not carry it.
    ...(e.fixedPatternRatio === undefined ? [] : [['fixedPatternRatio', e.fixedPatternRatio, m.fixedPatternRatio] as [string, number, number]]),
  ];
  for (const [k, want, got] of pairs) {
    // Same weights, seeds and backend give the same numbers; 1e-3 leaves room for float summation order only.
    if (got !== null && !(Math.abs(want - got) <= 1e-3)) out.push(`${k}: card ${want}, measured ${got}`);
  }
  return out;
}

export const EVAL_USAGE = `npm run eval -- <model dir> [options]
  --samples <n>   samples and held-out images (default 500, as in the cards)
  --at <px>       compare at a smaller size (box-downsampled samples); prints, does not write the card
  --no-nearest    skip the nearest-neighbour check (it renders the whole training set once)
  --check         recompute and compare with card.json's "eval"; exit 1 if they differ; writes nothing`;

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const argv = process.argv.slice(2);
  const dir = argv.find((a, i) => !a.startsWith('--') && !['--samples', '--at'].includes(argv[i - 1] ?? ''));
  const value = (flag: string): number | undefined => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    const n = Number(argv[i + 1]);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} needs a positive whole number\n${EVAL_USAGE}`);
    return n;
  };
  const run = async (): Promise<void> => {
    if (!dir) throw new Error(EVAL_USAGE);
    const samples = value('--samples') ?? 500;
    const at = value('--at');
    const nearest = !argv.includes('--no-nearest');
    if (argv.includes('--check')) {
      const diffs = compareWithCard(readCard(dir), await measure(dir, { samples: readCard(dir).eval.samples, nearest }));
      if (diffs.length) throw new Error(`${dir}: the card's eval figures do not reproduce:\n  ${diffs.join('\n  ')}`);
      console.log(`${dir}: the card's eval figures reproduce`);
    } else if (at !== undefined || !nearest) {
      console.log(JSON.stringify(await measure(dir, { samples, at, nearest })));
    } else {
      await evaluate(dir, samples);
    }
  };
  run().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
