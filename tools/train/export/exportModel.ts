// What every exported model folder shows beside its weights: samples.png and interpolation.png from fixed latents,
// so successive exports (and models from different trainers) are compared on the same latents. The PyTorch
// exporter (tools/train/torch/export.ts) draws them through tfjs from the exported model itself.
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import { encodePng } from '../png/encode.ts';
import { makeGrid } from '../png/grid.ts';
import { Rng } from '../rng.ts';

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
