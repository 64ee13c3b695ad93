// Each custom wasm training kernel against the reference cpu backend: the
// gradients of conv2d w.r.t. filter and input, for stride 1 and 2 and both
// paddings, must match to float32 precision.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initWasm } from '../../../tools/train/backend/wasm.ts';
import { Rng } from '../../../tools/train/rng.ts';

interface Case {
  x: [number, number, number, number];
  w: [number, number, number, number];
  stride: number;
  pad: 'same' | 'valid';
}

const cases: Case[] = [
  { x: [2, 8, 8, 3], w: [3, 3, 3, 5], stride: 1, pad: 'same' },
  { x: [2, 8, 8, 3], w: [3, 3, 3, 5], stride: 2, pad: 'same' },
  { x: [3, 9, 7, 4], w: [4, 4, 4, 2], stride: 2, pad: 'same' },
  { x: [2, 9, 9, 2], w: [3, 3, 2, 4], stride: 2, pad: 'valid' },
  { x: [1, 6, 6, 2], w: [1, 1, 2, 3], stride: 1, pad: 'valid' },
  { x: [2, 16, 16, 8], w: [3, 3, 8, 8], stride: 1, pad: 'same' },
];

function grads(backend: string, c: Case, xs: Float32Array, ws: Float32Array, gs: Float32Array): Float32Array[] {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor4d(xs, c.x);
    const w = tf.tensor4d(ws, c.w);
    const f = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => {
      const y = tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad);
      // A non-uniform upstream gradient so errors in layout cannot cancel.
      return tf.sum(tf.mul(y, tf.tensor(gs.subarray(0, y.size), y.shape)));
    };
    const [dx, dw] = tf.grads(f)([x, w]);
    return [dx!.dataSync() as Float32Array, dw!.dataSync() as Float32Array];
  });
}

function maxRelErr(a: Float32Array, b: Float32Array): number {
  let scale = 1e-6;
  let err = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]!));
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
  }
  return err / scale;
}

describe('custom wasm conv kernels', () => {
  beforeAll(async () => {
    await initWasm();
    await tf.setBackend('cpu');
  });

  it.each(cases)('conv2d grads match cpu for x=$x w=$w stride=$stride pad=$pad', (c) => {
    const rng = new Rng(42);
    const xs = rng.normals(c.x.reduce((a, v) => a * v, 1));
    const ws = rng.normals(c.w.reduce((a, v) => a * v, 1));
    const gs = rng.normals(c.x.reduce((a, v) => a * v, 1) * 4);
    const [cdx, cdw] = grads('cpu', c, xs, ws, gs);
    const [wdx, wdw] = grads('wasm', c, xs, ws, gs);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(wdx!.length).toBe(cdx!.length);
    expect(wdw!.length).toBe(cdw!.length);
    expect(maxRelErr(wdx!, cdx!)).toBeLessThan(1e-5);
    expect(maxRelErr(wdw!, cdw!)).toBeLessThan(1e-5);
  });

  it('the numeric check itself can fail (a perturbed filter gradient is caught)', () => {
    const c = cases[0]!;
    const rng = new Rng(1);
    const xs = rng.normals(c.x.reduce((a, v) => a * v, 1));
    const ws = rng.normals(c.w.reduce((a, v) => a * v, 1));
    const gs = rng.normals(c.x.reduce((a, v) => a * v, 1) * 4);
    const [, cdw] = grads('cpu', c, xs, ws, gs);
    const bad = new Float32Array(cdw!);
    bad[7]! += 0.01 * Math.abs(bad[7]!) + 1e-3;
    expect(maxRelErr(bad, cdw!)).toBeGreaterThan(1e-5);
  });

  it('gather gradient (UnsortedSegmentSum) matches cpu', () => {
    const run = (backend: string): Float32Array => {
      tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
        const idx = tf.tensor1d([2, 0, 2], 'int32');
        const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.gather(a, idx), tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]))));
        return g(x).dataSync() as Float32Array;
      });
    };
    expect(Array.from(run('wasm'))).toEqual(Array.from(run('cpu')));
  });
});
