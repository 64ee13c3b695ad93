import * as tf from '@tensorflow/tfjs';
import * as THREE from 'three';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGenerator } from '../../src/generator/create.ts';
import type { GeneratedFrame } from '../../src/generator/frame.ts';
import type { Generator } from '../../src/generator/generator.ts';
import type { FetchLike } from '../../src/generator/model-loader.ts';
import { loadUpscaler } from '../../src/generator/upscale/upscaler.ts';
import { buildTinyModelFiles, memoryFetch, seededLatents, TINY, tinyCard, type ModelFiles } from '../fixtures/models/tiny.ts';

/**
 * The upscaler as a stage of the generator on the shared WebGL context: frames grow by layout/upscale's factor,
 * stay textures, hold the upscaled portrait (equal to the upscaler run on the model's own output), and nothing
 * leaks over repeated frames or after dispose. The tiny 8 px test generator runs with the shipped models/upscale-x4.
 */
const BASE = '/mem/tiny/';
const UPSCALER = '/models/upscale-x4/';
const N = TINY.size;

let renderer: THREE.WebGLRenderer;
let gl: WebGL2RenderingContext;
let files: ModelFiles;

/** The tiny model from memory, everything else (the real upscaler folder) from the test server. */
function fetchBoth(f: ModelFiles): FetchLike {
  const mem = memoryFetch(BASE, f);
  return (input, init) => (String(input instanceof Request ? input.url : input).includes(BASE) ? mem(input, init) : fetch(input, init));
}

async function make(mode: { value: string }, over: { files?: ModelFiles; upscalerUrl?: string; log?: (m: string) => void } = {}): Promise<Generator> {
  return createGenerator({
    modelUrl: BASE,
    backends: ['webgl'],
    gl,
    resetRendererState: () => renderer.resetState(),
    fetch: fetchBoth(over.files ?? files),
    upscalerUrl: over.upscalerUrl ?? UPSCALER,
    upscaleMode: () => mode.value,
    warmupBatches: [1],
    log: over.log ?? (() => {}),
  });
}

/** A texture frame's texels through a framebuffer on the same context, as floats (row 0 first). */
function texels(frame: GeneratedFrame): Float32Array {
  if (frame.kind !== 'webgl-texture') throw new Error(`expected a texture frame, got ${frame.kind}`);
  renderer.resetState();
  const fb = gl.createFramebuffer();
  gl.bindFramebuffer(gl.FRAMEBUFFER, fb);
  gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, frame.texture, 0);
  const out = new Float32Array(frame.width * frame.height * 4);
  gl.readPixels(0, 0, frame.width, frame.height, gl.RGBA, gl.FLOAT, out);
  gl.bindFramebuffer(gl.FRAMEBUFFER, null);
  gl.deleteFramebuffer(fb);
  renderer.resetState();
  return out;
}

function counters(): { numTensors: number; numBytes: number } {
  const m = tf.memory();
  return { numTensors: m.numTensors, numBytes: m.numBytes };
}

beforeAll(async () => {
  renderer = new THREE.WebGLRenderer({ canvas: document.createElement('canvas'), antialias: false });
  gl = renderer.getContext() as WebGL2RenderingContext;
  files = await buildTinyModelFiles();
});

afterAll(() => renderer.dispose());

describe('upscale stage', () => {
  it('makes x4, x2 and off frames of the right size, as GPU textures, opaque and in [0, 1]', async () => {
    const mode = { value: 'x4' };
    const g = await make(mode);
    try {
      const z = seededLatents(2, TINY.latent, 5);
      for (const [m, side] of [['x4', 4 * N], ['x2', 2 * N], ['off', N], ['auto', 4 * N]] as const) {
        mode.value = m;
        expect(g.upscaleFactor(), m).toBe(side / N);
        const frames = await g.generate(z, 2);
        expect(frames.map((f) => [f.kind, f.width, f.height]), m).toEqual([['webgl-texture', side, side], ['webgl-texture', side, side]]);
        const t = texels(frames[0]!);
        let lo = Infinity;
        let hi = -Infinity;
        for (let i = 0; i < t.length; i++) {
          if (i % 4 === 3) expect(t[i]).toBe(1);
          else {
            lo = Math.min(lo, t[i]!);
            hi = Math.max(hi, t[i]!);
          }
        }
        expect(lo, m).toBeGreaterThanOrEqual(0);
        expect(hi, m).toBeLessThanOrEqual(1);
        expect(hi - lo, m).toBeGreaterThan(0.1);
        expect(g.stats().upscale).toBe(side / N);
        for (const f of frames) f.release();
      }
    } finally {
      g.dispose();
    }
  });

  it('hands over the upscaler applied to the model\'s own output, the same on the texture and the readback path', async () => {
    const mode = { value: 'off' };
    const g = await make(mode);
    const up = await loadUpscaler(UPSCALER);
    try {
      const z = seededLatents(1, TINY.latent, 9);
      const [small] = await g.generate(z, 1);
      const base = texels(small!);
      small!.release();
      mode.value = 'x4';
      const [big] = await g.generate(z, 1);
      const got = texels(big!);
      big!.release();
      const [pixels] = await g.generate(z, 1, { readback: true });
      expect([pixels!.kind, pixels!.width, pixels!.height]).toEqual(['pixels', 4 * N, 4 * N]);
      const bytes = pixels!.kind === 'pixels' ? pixels!.data : new Uint8ClampedArray();
      pixels!.release();
      const rgb = Float32Array.from({ length: N * N * 3 }, (_, i) => base[Math.floor(i / 3) * 4 + (i % 3)]!);
      const want = tf.tidy(() => up.apply(tf.tensor4d(rgb, [1, N, N, 3]), 4));
      const w = await want.data();
      want.dispose();
      let worst = 0;
      let worstBytes = 0;
      for (let p = 0; p < 16 * N * N; p++) {
        for (let c = 0; c < 3; c++) {
          worst = Math.max(worst, Math.abs(got[p * 4 + c]! - w[p * 3 + c]!));
          worstBytes = Math.max(worstBytes, Math.abs(bytes[p * 4 + c]! - Math.round(got[p * 4 + c]! * 255)));
        }
      }
      expect(worst).toBeLessThan(1e-3);
      expect(worstBytes).toBeLessThanOrEqual(1);
      // ×2 is the net on the 2×2 box average (a quarter of ×4's work), not ×4 averaged down (all of it).
      const x = tf.tensor4d(rgb, [1, N, N, 3]);
      const [x2, viaHalf, x4Down] = tf.tidy(() => [up.apply(x, 2), up.apply(tf.avgPool(x, 2, 2, 'valid'), 4), tf.avgPool(up.apply(x, 4), 2, 2, 'valid')]);
      expect(x2!.shape).toEqual([1, 2 * N, 2 * N, 3]);
      const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => {
        const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
        const v = d.dataSync()[0]!;
        d.dispose();
        return v;
      };
      expect(maxDiff(x2!, viaHalf!)).toBeLessThan(1e-6);
      expect(maxDiff(x2!, x4Down!)).toBeGreaterThan(1e-3);
      tf.dispose([x, x2!, viaHalf!, x4Down!]);
    } finally {
      up.dispose();
      g.dispose();
    }
  });

  it('keeps tfjs\'s counters flat over repeated upscaled frames and returns them to baseline on dispose', async () => {
    const before = counters();
    const mode = { value: 'x4' };
    const g = await make(mode);
    try {
      const baseline = counters();
      const z = seededLatents(4, TINY.latent, 3);
      for (let i = 0; i < 40; i++) {
        mode.value = ['x4', 'x2', 'off', 'auto'][i % 4]!;
        const n = i % 2 === 0 ? 4 : 1;
        const frames = await g.generate(z.subarray(0, n * TINY.latent), n, { readback: i % 5 === 4 });
        for (const f of frames) f.release();
      }
      expect(counters()).toEqual(baseline);
      // The upscaler's weights are among what the generator holds and frees (8 tensors: 4 kernels, 4 biases).
      expect(baseline.numTensors - before.numTensors).toBeGreaterThanOrEqual(8);
    } finally {
      g.dispose();
    }
    expect(counters()).toEqual(before);
  });

  it('runs at the model\'s size when the card forbids upscaling or the upscaler is missing', async () => {
    const forbidding = await buildTinyModelFiles(TINY, tinyCard(TINY, { upscale: { allow: false } }));
    const mode = { value: 'auto' };
    const g1 = await make(mode, { files: forbidding });
    try {
      expect(g1.upscaleFactor()).toBe(1);
      mode.value = 'x4';
      expect(g1.upscaleFactor()).toBe(1);
      const [f] = await g1.generate(seededLatents(1, TINY.latent, 1), 1);
      expect([f!.width, f!.height]).toEqual([N, N]);
      f!.release();
    } finally {
      g1.dispose();
    }
    const logs: string[] = [];
    const g2 = await make(mode, { upscalerUrl: '/models/no-such-upscaler/', log: (m) => logs.push(m) });
    try {
      expect(g2.upscaleFactor()).toBe(1);
      const [f] = await g2.generate(seededLatents(1, TINY.latent, 1), 1);
      expect([f!.width, f!.height]).toEqual([N, N]);
      f!.release();
      expect(logs.join('\n')).toMatch(/upscaler at \/models\/no-such-upscaler\/ not loaded.*card\.json: missing \(HTTP 404\)/);
    } finally {
      g2.dispose();
    }
  });
});
