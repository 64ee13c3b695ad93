import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createGenerator, type LoadProgress } from '../../src/generator/create.ts';
import type { GeneratedFrame } from '../../src/generator/frame.ts';
import type { Generator } from '../../src/generator/generator.ts';
import { ModelLoadError } from '../../src/generator/model-loader.ts';
import { buildTinyGraphModelFiles } from '../fixtures/models/tiny-graph.ts';
import { buildTinyModelFiles, memoryFetch, seededLatents, TINY, tinyCard } from '../fixtures/models/tiny.ts';

const BASE = '/mem/tiny/';
let generator: Generator | null = null;

afterEach(() => {
  generator?.dispose();
  generator = null;
});

function pixelsOf(frame: GeneratedFrame): Uint8ClampedArray {
  if (frame.kind !== 'pixels') throw new Error(`expected a pixels frame, got ${frame.kind}`);
  return frame.data;
}

async function tinyGenerator(backends: ('webgl' | 'cpu' | 'webgpu')[], card = tinyCard(TINY), onProgress?: (p: LoadProgress) => void): Promise<Generator> {
  const files = await buildTinyModelFiles(TINY, card);
  generator = await createGenerator({ modelUrl: BASE, backends, fetch: memoryFetch(BASE, files), log: () => {}, ...(onProgress ? { onProgress } : {}) });
  return generator;
}

describe('generator: loading through the model card', () => {
  it('loads the tiny model through card.json and reports progress phases in order', async () => {
    const seen: LoadProgress[] = [];
    const g = await tinyGenerator(['cpu'], tinyCard(TINY), (p) => seen.push(p));
    expect(g.backend.kind).toBe('cpu');
    expect(g.card.id).toBe('tiny-8');
    const phases = seen.map((p) => p.phase).filter((p, i, a) => a[i - 1] !== p);
    expect(phases).toEqual(['card', 'backend', 'weights', 'warmup', 'ready']);
    expect(seen.filter((p) => p.phase === 'weights').at(-1)?.fraction).toBe(1);
  });

  it('makes frames of the card\'s size, opaque, using the range', async () => {
    const g = await tinyGenerator(['cpu']);
    const frames = await g.generate(seededLatents(4, TINY.latent, 1), 4);
    expect(frames).toHaveLength(4);
    for (const f of frames) {
      expect([f.kind, f.width, f.height]).toEqual(['pixels', 8, 8]);
      const px = pixelsOf(f);
      expect(px.length).toBe(8 * 8 * 4);
      const rgb = px.filter((_, i) => i % 4 !== 3);
      expect(px.filter((_, i) => i % 4 === 3).every((a) => a === 255)).toBe(true);
      // tanh over seeded weights spans most of 0..255, not a flat or saturated image.
      expect(Math.max(...rgb) - Math.min(...rgb)).toBeGreaterThan(100);
    }
    expect(frames.map((f) => f.index)).toEqual([1, 2, 3, 4].map((i) => i + frames[0]!.index - 1));
    for (const f of frames) f.release();
  });

  it('gives the same image for the same latent and different images for different latents', async () => {
    const g = await tinyGenerator(['cpu']);
    const z = seededLatents(2, TINY.latent, 3);
    const [a, b] = await g.generate(z, 2);
    const [again] = await g.generate(z.slice(0, TINY.latent), 1);
    expect(pixelsOf(again!)).toEqual(pixelsOf(a!));
    expect(pixelsOf(b!)).not.toEqual(pixelsOf(a!));
  });

  it('agrees between WebGL and cpu within a grey level', async () => {
    const z = seededLatents(3, TINY.latent, 11);
    const cpu = await tinyGenerator(['cpu']);
    const ref = (await cpu.generate(z, 3)).map((f) => pixelsOf(f).slice());
    cpu.dispose();
    const gl = await tinyGenerator(['webgl']);
    expect(gl.backend.kind).toBe('webgl');
    const got = (await gl.generate(z, 3)).map((f) => pixelsOf(f));
    for (let i = 0; i < 3; i++) {
      const diff = Math.max(...got[i]!.map((v, k) => Math.abs(v - ref[i]![k]!)));
      expect(diff).toBeLessThanOrEqual(1);
    }
  });

  it('applies the card\'s layout, channel order and range', async () => {
    const z = seededLatents(1, TINY.latent, 5);
    const plain = await tinyGenerator(['cpu']);
    const ref = pixelsOf((await plain.generate(z, 1))[0]!).slice();
    plain.dispose();
    // The same weights declared as BGR in [0, 1]: channels swap and values map by x instead of (x + 1) / 2.
    const g = await tinyGenerator(['cpu'], tinyCard(TINY, { output: { height: 8, width: 8, channels: 3, range: [0, 1], layout: 'NHWC', channelOrder: 'BGR' } }));
    const px = pixelsOf((await g.generate(z, 1))[0]!);
    for (let p = 0; p < 64; p++) {
      const fromRef = (c: number): number => Math.min(255, Math.max(0, Math.round(((ref[p * 4 + c]! / 255) * 2 - 1) * 255)));
      expect(Math.abs(px[p * 4]! - fromRef(2))).toBeLessThanOrEqual(2);
      expect(Math.abs(px[p * 4 + 2]! - fromRef(0))).toBeLessThanOrEqual(2);
    }
  });

  it('loads a graph model whose NCHW, BGR output the card turns into the layers model\'s image', async () => {
    const z = seededLatents(2, TINY.latent, 13);
    const layers = await tinyGenerator(['cpu']);
    const ref = (await layers.generate(z, 2)).map((f) => pixelsOf(f).slice());
    layers.dispose();
    const files = await buildTinyGraphModelFiles();
    generator = await createGenerator({ modelUrl: BASE, backends: ['webgl'], fetch: memoryFetch(BASE, files), log: () => {} });
    expect([generator.card.format, generator.card.output.layout, generator.card.output.channelOrder]).toEqual(['graph', 'NCHW', 'BGR']);
    const got = await generator.generate(z, 2);
    for (let i = 0; i < 2; i++) {
      const px = pixelsOf(got[i]!);
      expect(Math.max(...px.map((v, k) => Math.abs(v - ref[i]![k]!)))).toBeLessThanOrEqual(1);
    }
  });

  it('rejects latents of the wrong length with the sizes in the message', async () => {
    const g = await tinyGenerator(['cpu']);
    await expect(g.generate(new Float32Array(5), 1)).rejects.toThrow('expected 1 × 8 = 8 floats, got 5');
  });
});

describe('generator: bad model folders are clear errors', () => {
  it('names the missing card.json', async () => {
    const files = await buildTinyModelFiles();
    files.delete('card.json');
    await expect(createGenerator({ modelUrl: BASE, backends: ['cpu'], fetch: memoryFetch(BASE, files), log: () => {} })).rejects.toThrow(
      '/mem/tiny/card.json: missing (HTTP 404); every model folder needs a card.json',
    );
  });

  it('names latent.size when the card does not match the model, and leaks nothing', async () => {
    const files = await buildTinyModelFiles(TINY, tinyCard(TINY, { latent: { size: 16, distribution: 'normal' } }));
    const before = tf.memory().numTensors;
    const err = await createGenerator({ modelUrl: BASE, backends: ['cpu'], fetch: memoryFetch(BASE, files), log: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect(String(err)).toContain("/mem/tiny/card.json: latent.size: the card says 16 but the model's input has shape [batch, 8]");
    expect(tf.memory().numTensors).toBe(before);
  });

  it('lists every invalid field of the card', async () => {
    const files = await buildTinyModelFiles(TINY, tinyCard(TINY, { format: 'onnx', output: { height: 8, width: 8, channels: 3, range: [0, 255], layout: 'NHWC', channelOrder: 'RGB' } }));
    const err = await createGenerator({ modelUrl: BASE, backends: ['cpu'], fetch: memoryFetch(BASE, files), log: () => {} }).catch((e: unknown) => e);
    expect(err instanceof ModelLoadError ? err.errors : []).toEqual([
      '/mem/tiny/card.json: format: expected one of "layers", "graph", "stylegan2", "stylegan3", got "onnx"',
      '/mem/tiny/card.json: output.range: expected [-1, 1] or [0, 1], got [0, 255]',
    ]);
  });

  it('names the weights file when it is missing', async () => {
    const files = await buildTinyModelFiles();
    files.delete('weights.bin');
    await expect(createGenerator({ modelUrl: BASE, backends: ['cpu'], fetch: memoryFetch(BASE, files), log: () => {} })).rejects.toThrow(
      /\/mem\/tiny\/model\.json: could not load the layers model/,
    );
  });
});
