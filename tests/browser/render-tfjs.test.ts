import * as tf from '@tensorflow/tfjs-core';
import { GPGPUContext, MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeneratedFrame } from '../../src/generator/frame.ts';
import { MorphTimeline } from '../../src/render/morph-timeline.ts';
import type { SitterRenderer } from '../../src/render/renderer.ts';
import { expectClose, makeRenderer, mix, neutralBus, pixelAt, solid, type Rgb } from './render-support.ts';

/**
 * The hand-off contract with real tfjs, not a hand-made texture: tfjs runs on the renderer's own WebGL2 context,
 * `dataToGPU({customTexShape: [h, w]})` gives the texture of an [h, w, 4] tensor, and the renderer shows it the
 * right way up and the right way round, without reading it back.
 */
const TL: Rgb = [240, 30, 30];
const TR: Rgb = [30, 240, 30];
const BL: Rgb = [30, 30, 240];
const BR: Rgb = [240, 240, 30];

let r: SitterRenderer;

beforeAll(async () => {
  r = makeRenderer(neutralBus(), 16, 16);
  const gl = r.getContext();
  // Replace the stock 'webgl' backend (which would make its own canvas) by one on the renderer's context; the
  // kernels are registered under the name 'webgl', so the name must stay.
  if (tf.findBackend('webgl')) tf.removeBackend('webgl');
  tf.registerBackend('webgl', () => new MathBackendWebGL(new GPGPUContext(gl)), 10);
  // tfjs runs ops on tensors under 128 values on the CPU (WEBGL_CPU_FORWARD) and dataToGPU then throws
  // "Data is not on GPU but on CPU" (seen here with a 4×4 output): a generator handing over textures turns it off.
  tf.env().set('WEBGL_CPU_FORWARD', false);
  r.resetState();
  expect(await tf.setBackend('webgl')).toBe(true);
  r.resetState();
});

afterAll(() => {
  tf.removeBackend('webgl');
  r.dispose();
});

/** What the generator does: an [h, w, 4] tensor in [0, 1] handed over as a texture; release() frees it. */
function tensorFrame(h: number, w: number, f: (x: number, y: number) => Rgb): GeneratedFrame & { kind: 'webgl-texture' } {
  return r.withForeignGl(() => {
    const values = new Float32Array(h * w * 4);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) values.set([...f(x, y).map((v) => v / 255), 1], (y * w + x) * 4);
    const image = tf.tensor3d(values, [h, w, 4]);
    // A computed tensor, as a generator's output is (not just uploaded data).
    const out = tf.tidy(() => tf.mul(image, 1));
    image.dispose();
    const gpu = out.dataToGPU({ customTexShape: [h, w] });
    out.dispose();
    if (!gpu.texture) throw new Error('dataToGPU gave no WebGL texture');
    return { kind: 'webgl-texture', texture: gpu.texture, width: w, height: h, index: 0, release: () => gpu.tensorRef.dispose() };
  });
}

describe('tfjs hand-off on the shared context', () => {
  it('shows a dataToGPU texture the right way up and round, and frees it on release', () => {
    const before = tf.memory().numTensors;
    const quadrants = (x: number, y: number): Rgb => (y < 4 ? (x < 4 ? TL : TR) : x < 4 ? BL : BR);
    const frame = tensorFrame(8, 8, quadrants);
    expect(tf.memory().numTensors).toBe(before + 1);
    r.present(0, frame, 0);
    r.render(0);
    expectClose(pixelAt(r, 2, 2), TL, 2, 'top-left');
    expectClose(pixelAt(r, 13, 2), TR, 2, 'top-right');
    expectClose(pixelAt(r, 2, 13), BL, 2, 'bottom-left');
    expectClose(pixelAt(r, 13, 13), BR, 2, 'bottom-right');
    // Morph to a pixels frame; when it ends the renderer releases the tensor's texture.
    const A: Rgb = [100, 100, 100];
    r.present(0, solid(A).frame, 1);
    r.render(1.5);
    expectClose(pixelAt(r, 2, 2), mix(TL, A, 0.5), 2, 'halfway to the pixels frame');
    r.render(2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps drawing right while tfjs keeps working on the same context between frames', () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const c: Rgb = [40 * i + 20, 200 - 30 * i, 90];
      const frame = tensorFrame(4, 4, () => c);
      // Unrelated tfjs work between hand-off and draw, as the generator's next batch would be.
      r.withForeignGl(() => tf.tidy(() => tf.matMul(tf.ones([32, 32]), tf.ones([32, 32])).dataSync()));
      // Drawn once its morph is surely over: the measured interval is capped at MorphTimeline.MAX_S.
      const at = 10 + i * 100;
      r.present(0, frame, at);
      r.render(at + MorphTimeline.MAX_S);
      expectClose(pixelAt(r, 8, 8), c, 2, `frame ${i}`);
    }
    // Only the frame on screen is still held.
    expect(tf.memory().numTensors).toBe(before + 1);
  });
});
