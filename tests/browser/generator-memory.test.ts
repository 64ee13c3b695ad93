import * as tf from '@tensorflow/tfjs';
import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import { createGenerator } from '../../src/generator/create.ts';
import { GenerationQueue } from '../../src/generator/queue.ts';
import { buildTinyModelFiles, memoryFetch, seededLatents, TINY } from '../fixtures/models/tiny.ts';

/** Every frame's tensors are freed on release(), every model's on dispose(): tfjs's counters come back. */
const BASE = '/mem/tiny/';

function counters(): { numTensors: number; numBytes: number } {
  const m = tf.memory();
  return { numTensors: m.numTensors, numBytes: m.numBytes };
}

/** WebGL's bytes in live textures (tfjs keeps released ones in a pool, counted apart as free). */
function gpuBytesInUse(): number {
  const m: tf.MemoryInfo & { numBytesInGPU?: number } = tf.memory();
  return m.numBytesInGPU ?? Number.NaN;
}

describe('generator: memory', () => {
  it('1,000 generations on the shared WebGL context (textures and readback) leave tfjs\'s counters at baseline', async () => {
    const renderer = new THREE.WebGLRenderer({ canvas: document.createElement('canvas') });
    const files = await buildTinyModelFiles();
    const before = counters();
    const g = await createGenerator({
      modelUrl: BASE,
      backends: ['webgl'],
      gl: renderer.getContext() as WebGL2RenderingContext,
      resetRendererState: () => renderer.resetState(),
      fetch: memoryFetch(BASE, files),
      warmupBatches: [1, 4],
      log: () => {},
    });
    try {
      expect(g.handoff).toBe('webgl-texture');
      const baseline = counters();
      const baselineGpu = gpuBytesInUse();
      const z1 = seededLatents(1, TINY.latent, 1);
      const z4 = seededLatents(4, TINY.latent, 2);
      let frames = 0;
      for (let i = 0; i < 1000; i++) {
        const batch = i % 2 === 0 ? 1 : 4;
        const out = await g.generate(batch === 1 ? z1 : z4, batch, { readback: i % 5 === 4 });
        frames += out.length;
        // Texture frames hold a tensor each until released (readback frames hold none).
        if (i % 10 === 1) expect(counters().numTensors).toBe(baseline.numTensors + batch);
        for (const f of out) f.release();
      }
      expect(frames).toBe(2500);
      expect(counters()).toEqual(baseline);
      // And on the GPU: textures in use (pooled free ones aside) are back to what the weights need.
      expect(gpuBytesInUse()).toBe(baselineGpu);
      expect(g.stats().liveFrames).toBe(0);
      g.dispose();
      expect(counters()).toEqual(before);
    } finally {
      g.dispose();
      renderer.dispose();
    }
  });

  it('dispose() frees frames nobody released, and the model', async () => {
    const files = await buildTinyModelFiles();
    const before = counters();
    const g = await createGenerator({ modelUrl: BASE, backends: ['webgl'], fetch: memoryFetch(BASE, files), log: () => {} });
    const kept = await g.generate(seededLatents(3, TINY.latent, 3), 3);
    expect(g.stats().liveFrames).toBe(3);
    g.dispose();
    expect(counters()).toEqual(before);
    kept[0]?.release(); // A late release after dispose is harmless.
    expect(counters()).toEqual(before);
  });

  it('a queue disposed with generations in flight gives their frames back', async () => {
    const files = await buildTinyModelFiles();
    const g = await createGenerator({ modelUrl: BASE, backends: ['cpu'], fetch: memoryFetch(BASE, files), log: () => {} });
    const baseline = counters();
    const q = new GenerationQueue(g, { maxInFlight: 2, maxWaiting: 2 });
    const z = seededLatents(2, TINY.latent, 4);
    const results = [q.request(z, 2), q.request(z, 2), q.request(z, 2), q.request(z, 2)];
    q.dispose();
    expect(await Promise.all(results)).toEqual([null, null, null, null]);
    expect(counters()).toEqual(baseline);
    expect(g.stats().liveFrames).toBe(0);
    g.dispose();
  });
});
