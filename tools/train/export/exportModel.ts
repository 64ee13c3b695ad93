// Turns a training state into the bundled model folder: EMA generator as a
// tfjs layers model, a sample grid, an interpolation strip and card.json.
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';
import { buildGenerator } from '../model/generator.ts';
import { encodePng } from '../png/encode.ts';
import { makeGrid } from '../png/grid.ts';
import { Rng } from '../rng.ts';
import type { TrainState } from '../trainer.ts';
import { buildCard, keepGalleryProvenance, readCard } from './card.ts';
import { saveLayersModelToDir } from '../../lib/model-files.ts';

/** Fixed latents so successive exports/sample grids are comparable. */
export const SAMPLE_SEED = 777;

export function fixedLatents(n: number, dim: number, seed = SAMPLE_SEED, truncation = 1): tf.Tensor2D {
  const rng = new Rng(seed);
  const d = rng.normals(n * dim).map((v) => v * truncation);
  return tf.tensor2d(d, [n, dim]);
}

export function toU8(img: tf.Tensor4D): Uint8Array {
  return tf.tidy(() => Uint8Array.from(tf.clipByValue(tf.round(tf.mul(tf.add(img, 1), 127.5)), 0, 255).dataSync()));
}

export function writeGridPng(file: string, images: Uint8Array, count: number, size: number, cols: number): void {
  const g = makeGrid(images, count, size, cols);
  fs.writeFileSync(file, encodePng(g.rgb, g.width, g.height));
}

/** Rows of slerp between pairs of fixed latents. */
export function interpolationLatents(rows: number, cols: number, dim: number): tf.Tensor2D {
  const rng = new Rng(SAMPLE_SEED + 1);
  const out = new Float32Array(rows * cols * dim);
  for (let r = 0; r < rows; r++) {
    const a = rng.normals(dim);
    const b = rng.normals(dim);
    let na = 0;
    let nb = 0;
    let dot = 0;
    for (let i = 0; i < dim; i++) {
      na += a[i]! * a[i]!;
      nb += b[i]! * b[i]!;
      dot += a[i]! * b[i]!;
    }
    const omega = Math.acos(Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb))));
    for (let c = 0; c < cols; c++) {
      const t = c / (cols - 1);
      const so = Math.sin(omega);
      const wa = so < 1e-6 ? 1 - t : Math.sin((1 - t) * omega) / so;
      const wb = so < 1e-6 ? t : Math.sin(t * omega) / so;
      for (let i = 0; i < dim; i++) out[(r * cols + c) * dim + i] = (wa * a[i]! + wb * b[i]!) * 0.8;
    }
  }
  return tf.tensor2d(out, [rows * cols, dim]);
}

export interface ExportOptions {
  out: string;
  dicebear: boolean;
  script: string;
}

export async function exportModel(s: TrainState, opts: ExportOptions): Promise<void> {
  const { cfg } = s;
  const model = buildGenerator(cfg, 'sitter_generator');
  model.setWeights(s.emaVars);
  await saveLayersModelToDir(model, opts.out);
  const z = fixedLatents(64, cfg.latent, SAMPLE_SEED, 0.8);
  const samples = toU8(model.predict(z) as tf.Tensor4D);
  writeGridPng(path.join(opts.out, 'samples.png'), samples, 64, cfg.size, 8);
  const rows = 4;
  const cols = 10;
  const zi = interpolationLatents(rows, cols, cfg.latent);
  writeGridPng(path.join(opts.out, 'interpolation.png'), toU8(model.predict(zi) as tf.Tensor4D), rows * cols, cfg.size, cols);
  const previous = readCard(opts.out);
  // Eval numbers belong to a specific export; keep them only if the step matches.
  const keepEval = previous && previous.training.steps === s.step ? previous.eval : null;
  const built = buildCard(
    {
      id: path.basename(path.resolve(opts.out)),
      size: cfg.size,
      latent: cfg.latent,
      steps: s.step,
      seconds: s.seconds,
      batch: cfg.batch,
      imageCount: s.data.count || cfg.dataCount,
      dataDescription: s.data.description,
      dicebear: opts.dicebear,
      script: opts.script,
    },
    keepEval,
  );
  const card = opts.dicebear ? built : keepGalleryProvenance(built, previous);
  fs.writeFileSync(path.join(opts.out, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);
  tf.dispose([z, zi]);
  model.dispose();
}
