import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadUpscaler } from '../../src/generator/upscale/upscaler.ts';

/**
 * The shipped models/upscale-x4 against the outputs PyTorch gave for the same inputs when tools/upscale/export.py
 * wrote it: proves the conv layout, the reordered depth-to-space channels and the bilinear skip all match the
 * trained net, on the page's WebGL backend and on the cpu one.
 */
const BASE = '/models/upscale-x4/';

interface Reference {
  readonly input: string;
  readonly inputShape: [number, number, number];
  readonly output: string;
  readonly outputShape: [number, number, number];
}

async function file(name: string): Promise<ArrayBuffer> {
  const r = await fetch(`${BASE}${name}`);
  if (!r.ok) throw new Error(`${BASE}${name}: HTTP ${r.status}`);
  return r.arrayBuffer();
}

describe('upscaler parity with PyTorch', () => {
  it.each(['webgl', 'cpu'])('on %s, every reference output is reproduced within 1/255 on average', async (backend) => {
    expect(await tf.setBackend(backend)).toBe(true);
    const refs = (JSON.parse(new TextDecoder().decode(await file('parity.json'))) as { references: Reference[] }).references;
    expect(refs.length).toBeGreaterThanOrEqual(2);
    const up = await loadUpscaler(BASE);
    try {
      for (const ref of refs) {
        const input = new Uint8Array(await file(ref.input));
        const want = new Uint16Array(await file(ref.output));
        const [h, w] = ref.inputShape;
        expect(ref.outputShape).toEqual([h * 4, w * 4, 3]);
        const out = tf.tidy(() => up.apply(tf.div(tf.tensor4d(input, [1, h, w, 3], 'float32'), 255), 4));
        expect(out.shape).toEqual([1, h * 4, w * 4, 3]);
        const got = await out.data();
        out.dispose();
        let worst = 0;
        let sum = 0;
        for (let i = 0; i < want.length; i++) {
          const d = Math.abs((got[i] ?? NaN) - (want[i] ?? 0) / 65535);
          worst = Math.max(worst, d);
          sum += d;
        }
        // Float32 on both sides: only summation order differs (SwiftShader, PyTorch's CPU kernels).
        expect(sum / want.length, `${ref.input} mean`).toBeLessThan(1 / 255);
        expect(worst, `${ref.input} worst`).toBeLessThan(4 / 255);
      }
    } finally {
      up.dispose();
    }
  });
});
