import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGenerator } from '../../src/generator/create.ts';
import type { GeneratedFrame } from '../../src/generator/frame.ts';
import type { Generator } from '../../src/generator/generator.ts';
import { GenerationQueue, type FrameSource } from '../../src/generator/queue.ts';
import { reportGeneratorStatus } from '../../src/generator/status.ts';
import { ParameterBus } from '../../src/core/params/bus.ts';
import { PARAMS } from '../../src/core/params/catalogue.ts';
import * as tf from '@tensorflow/tfjs';
import { buildTinyModelFiles, memoryFetch, seededLatents, TINY } from '../fixtures/models/tiny.ts';

const BASE = '/mem/tiny/';
let generator: Generator;

beforeAll(async () => {
  generator = await createGenerator({ modelUrl: BASE, backends: ['cpu'], fetch: memoryFetch(BASE, await buildTinyModelFiles()), log: () => {} });
});

afterAll(() => generator.dispose());

/** The real generator, counting calls, so tests see when model work starts. */
function counting(g: Generator): FrameSource & { calls: number } {
  const source = {
    calls: 0,
    generate: (z: Float32Array, n: number): Promise<GeneratedFrame[]> => {
      source.calls++;
      return g.generate(z, n);
    },
  };
  return source;
}

function pixels(frames: GeneratedFrame[] | null): Uint8ClampedArray[] {
  return (frames ?? []).map((f) => (f.kind === 'pixels' ? f.data.slice() : new Uint8ClampedArray()));
}

describe('GenerationQueue', () => {
  it('returns at once: the model runs in a task of its own, never inside request()', async () => {
    const source = counting(generator);
    const q = new GenerationQueue(source);
    const p = q.request(seededLatents(1, TINY.latent, 1));
    expect(source.calls).toBe(0);
    const frames = await p;
    expect(source.calls).toBe(1);
    expect(frames).toHaveLength(1);
    for (const f of frames ?? []) f.release();
    q.dispose();
  });

  it('when full, the newest request pushes out the oldest waiting one (latest wins)', async () => {
    const source = counting(generator);
    const q = new GenerationQueue(source, { maxInFlight: 1, maxWaiting: 1 });
    const z = [1, 2, 3, 4, 5].map((s) => seededLatents(1, TINY.latent, s));
    const results = await Promise.all(z.map((l) => q.request(l)));
    expect(results.map((r) => (r === null ? null : r.length))).toEqual([1, null, null, null, 1]);
    expect(q.stats()).toMatchObject({ requested: 5, completed: 2, dropped: 3, inFlight: 0, waiting: 0 });
    expect(source.calls).toBe(2);
    // The frame that came out is the last latent's, not a stale one.
    const direct = await generator.generate(z[4]!, 1);
    expect(pixels(results[4]!)).toEqual(pixels(direct));
    for (const f of [...direct, ...results.flatMap((r) => r ?? [])]) f.release();
    q.dispose();
  });

  it('runs up to maxInFlight at once and delivers batches to onFrames in order', async () => {
    const seen: number[] = [];
    const q = new GenerationQueue(generator, { maxInFlight: 2, maxWaiting: 0, onFrames: (f) => seen.push(f.length) });
    const r = await Promise.all([q.request(seededLatents(2, TINY.latent, 1), 2), q.request(seededLatents(3, TINY.latent, 2), 3), q.request(seededLatents(1, TINY.latent, 3), 1)]);
    expect(r.map((x) => x?.length ?? null)).toEqual([2, 3, null]);
    expect(seen).toEqual([2, 3]);
    for (const f of r.flatMap((x) => x ?? [])) f.release();
    q.dispose();
  });

  it('reports a failed generation and keeps serving the next request', async () => {
    const errors: unknown[] = [];
    const q = new GenerationQueue(generator, { onError: (e) => errors.push(e) });
    const bad = await q.request(new Float32Array(3));
    const good = await q.request(seededLatents(1, TINY.latent, 9));
    expect(bad).toBeNull();
    expect(String(errors[0])).toContain('expected 1 × 8 = 8 floats, got 3');
    expect(good).toHaveLength(1);
    expect(q.stats()).toMatchObject({ failed: 1, completed: 1 });
    for (const f of good ?? []) f.release();
    q.dispose();
  });

  it('copies the latents, so the walker may reuse its buffer at once', async () => {
    const q = new GenerationQueue(generator);
    const buf = seededLatents(1, TINY.latent, 5);
    const want = pixels(await generator.generate(buf, 1));
    const p = q.request(buf);
    buf.fill(0);
    const got = await p;
    expect(pixels(got)).toEqual(want);
    for (const f of got ?? []) f.release();
    q.dispose();
    expect(await q.request(buf)).toBeNull();
  });
});

describe('reportGeneratorStatus', () => {
  it('writes backend, ms per frame and live tensors to the parameter bus, and returns tensor memory', async () => {
    const bus = new ParameterBus(PARAMS);
    expect(reportGeneratorStatus(bus, null)).toEqual({ tensors: 0, bytes: 0 });
    expect(bus.get('status/backend')).toBe('none');
    const frames = await generator.generate(seededLatents(2, TINY.latent, 1), 2);
    const memory = reportGeneratorStatus(bus, generator);
    expect(bus.get('status/backend')).toBe('cpu');
    expect(bus.number('status/generator-ms')).toBeGreaterThan(0);
    expect(bus.get('status/tensors')).toBe(tf.memory().numTensors);
    // The model's weights alone are bytes: a 0 here is the old always-zero vitals field coming back.
    expect(memory).toEqual({ tensors: tf.memory().numTensors, bytes: tf.memory().numBytes });
    expect(memory.bytes).toBeGreaterThan(0);
    for (const f of frames) f.release();
  });
});
