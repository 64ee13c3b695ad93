import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createWalk, type WalkSetup } from '../../src/app/walk-setup.ts';
import { PortraitPipeline } from '../../src/app/portrait-pipeline.ts';
import { latentFromSeed } from '../../src/core/latent/seed-latent.ts';
import { ParameterBus } from '../../src/core/params/bus.ts';
import { PARAMS } from '../../src/core/params/catalogue.ts';
import { buildGenerator } from '../../src/core/stylegan/architecture.ts';
import { CpuMapping } from '../../src/core/stylegan/cpu-mapping.ts';
import { tinyStyleGan2 } from '../../src/core/stylegan/presets.ts';
import { createGenerator } from '../../src/generator/create.ts';
import type { GeneratedFrame } from '../../src/generator/frame.ts';
import type { Generator } from '../../src/generator/generator.ts';
import { GenerationQueue } from '../../src/generator/queue.ts';
import { createStyleGanRuntime } from '../../src/generator/stylegan/runtime.ts';
import { memoryFetch } from '../fixtures/models/tiny.ts';
import { styleGanFolderFiles } from './stylegan-folder.ts';

/**
 * A tiny StyleGAN2 served as an imported folder through the real loader, walked in w by the app's pipeline: the
 * style/* and walk/truncation parameters reach the synthesis network frame by frame, the pictures are what the
 * runtime makes from the same ws built by hand, and no tensor is left behind.
 */

const BASE = '/mem/sgwalk/';
const net = buildGenerator(tinyStyleGan2(), { init: 'trained-like', seed: 31 });
const NUM_WS = net.root.attrs['num_ws'] as number;
const W = 8;

interface Rig {
  readonly generator: Generator;
  readonly walk: WalkSetup;
  readonly bus: ParameterBus;
  readonly pipeline: PortraitPipeline;
  readonly queue: GenerationQueue;
  frame(): Promise<Uint8ClampedArray>;
  /** One tick of an N×N wall: its N² cells in order. */
  grid(cells: number): Promise<Uint8ClampedArray[]>;
}

let rig: Rig | null = null;
afterEach(() => {
  rig?.queue.dispose();
  rig?.generator.dispose();
  rig = null;
});

async function setup(backend: 'cpu' | 'webgl' = 'cpu'): Promise<Rig> {
  await tf.setBackend('cpu');
  const generator = await createGenerator({ modelUrl: BASE, backends: [backend], fetch: memoryFetch(BASE, styleGanFolderFiles(net)), log: () => {} });
  const walk = createWalk(generator, []);
  const bus = new ParameterBus(PARAMS);
  const queue = new GenerationQueue({ generate: (rows, n) => generator.generate(rows, n, { input: 'styles' }) });
  const got: GeneratedFrame[] = [];
  const cells: number[] = [];
  const renderer = {
    present: (cell: number, f: GeneratedFrame) => {
      got.push(f);
      cells.push(cell);
      return true;
    },
  };
  const pipeline = new PortraitPipeline(walk.walker, queue, renderer, bus, () => 0, walk.styles);
  set(bus, { 'walk/mode': 'hold', 'walk/truncation': 1 });
  const frame = async (): Promise<Uint8ClampedArray> => {
    const before = got.length;
    pipeline.tick(0);
    for (let i = 0; i < 2000 && got.length === before; i++) await new Promise((r) => setTimeout(r, 2));
    const f = got.at(-1);
    if (!f || got.length === before) throw new Error('no frame came');
    if (f.kind !== 'pixels') throw new Error(`expected pixels, got ${f.kind}`);
    const px = f.data.slice();
    f.release();
    return px;
  };
  const grid = async (n: number): Promise<Uint8ClampedArray[]> => {
    const before = got.length;
    pipeline.tick(0);
    for (let i = 0; i < 2000 && got.length < before + n; i++) await new Promise((r) => setTimeout(r, 2));
    const fresh = got.slice(before);
    expect(cells.slice(before)).toEqual(Array.from({ length: n }, (_, i) => i));
    return fresh.map((f) => {
      if (f.kind !== 'pixels') throw new Error(`expected pixels, got ${f.kind}`);
      const px = f.data.slice();
      f.release();
      return px;
    });
  };
  rig = { generator, walk, bus, pipeline, queue, frame, grid };
  return rig;
}

function set(bus: ParameterBus, values: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(values)) {
    const r = bus.set(k, v, 'desk', { immediate: true });
    if (!r.ok) throw new Error(r.error);
  }
}

/** The runtime's own picture for per-layer ws (rows[l] is layer l's w), as RGBA bytes. */
async function synthesised(rows: readonly Float32Array[], noiseMode: 'const' | 'none' = 'const'): Promise<Uint8ClampedArray> {
  const rt = createStyleGanRuntime(net);
  const ws = new Float32Array(NUM_WS * W);
  rows.forEach((r, l) => ws.set(r, l * W));
  const img = rt.synthesis(tf.tensor3d(ws, [1, NUM_WS, W]), { noiseMode });
  const v = await img.data();
  tf.dispose(img);
  rt.dispose();
  const out = new Uint8ClampedArray((v.length / 3) * 4);
  for (let p = 0; p < v.length / 3; p++) {
    for (let k = 0; k < 3; k++) out[p * 4 + k] = Math.min(1, Math.max(0, ((v[p * 3 + k] as number) + 1) / 2)) * 255;
    out[p * 4 + 3] = 255;
  }
  return out;
}

const maxDiff = (a: Uint8ClampedArray, b: Uint8ClampedArray): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0);

function mapped(seed: number): Float32Array {
  return new CpuMapping(net).mapInto(latentFromSeed(seed, 8), new Float32Array(W));
}

describe('a StyleGAN walked in w through the pipeline', () => {
  it('shows synthesis(broadcast w) for the walk\'s w; truncation ψ = 0 shows w_avg; nothing leaks', async () => {
    const r = await setup();
    const w1 = mapped(1); // walk/seed 1, hold: portrait #1
    const plain = await r.frame();
    expect(maxDiff(plain, await synthesised(Array.from({ length: NUM_WS }, () => w1)))).toBeLessThanOrEqual(1);
    // The same picture the model's own z path (GPU mapping) gives for z(1).
    const viaZ = r.generator.stylegan!;
    viaZ.settings.truncationPsi = 1;
    const [zf] = await r.generator.generate(latentFromSeed(1, 8), 1);
    if (zf?.kind !== 'pixels') throw new Error('expected pixels');
    expect(maxDiff(plain, zf.data)).toBeLessThanOrEqual(1);
    zf.release();

    set(r.bus, { 'walk/truncation': 0 });
    const avg = net.tensors.get('mapping.w_avg')!.data;
    const atAvg = await r.frame();
    expect(maxDiff(atAvg, await synthesised(Array.from({ length: NUM_WS }, () => avg)))).toBeLessThanOrEqual(1);
    expect(maxDiff(atAvg, plain)).toBeGreaterThan(10);

    // Truncation cutoff 2: the first two layers at w_avg, the rest the walk's own w.
    set(r.bus, { 'style/truncation-cutoff': 2 });
    const cut = await r.frame();
    expect(maxDiff(cut, await synthesised(Array.from({ length: NUM_WS }, (_, l) => (l < 2 ? avg : w1))))).toBeLessThanOrEqual(1);

    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await r.frame();
    expect(tf.memory().numTensors).toBe(before);
  });

  for (const backend of ['cpu', 'webgl'] as const) {
    it(`style mixing (${backend}): layers from style/mix-layer on come from portrait style/mix-seed; 0 is off again`, async () => {
      const r = await setup(backend);
      expect(tf.getBackend()).toBe(backend);
      const plain = await r.frame();
      set(r.bus, { 'style/mix-layer': 4, 'style/mix-seed': 7 });
      const mixed = await r.frame();
      const w1 = mapped(1);
      const w7 = mapped(7);
      expect(maxDiff(mixed, await synthesised(Array.from({ length: NUM_WS }, (_, l) => (l < 4 ? w1 : w7))))).toBeLessThanOrEqual(2);
      expect(maxDiff(mixed, plain)).toBeGreaterThan(10);
      set(r.bus, { 'style/mix-layer': 0 });
      expect(maxDiff(await r.frame(), plain)).toBe(0);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) await r.frame();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('a 2×2 wall: four sibling portraits in one batched call, each mixed with the same fine layers', async () => {
    const r = await setup();
    set(r.bus, { 'layout/grid': 2, 'layout/grid-spread': 0.8, 'style/mix-layer': 6, 'style/mix-seed': 3 });
    const cells = await r.grid(4);
    expect(cells).toHaveLength(4);
    for (let i = 1; i < 4; i++) expect(maxDiff(cells[i] as Uint8ClampedArray, cells[0] as Uint8ClampedArray)).toBeGreaterThan(5);
    // Cell 0 is what the runtime makes from sibling 0's w (coarse) and portrait #3 (fine).
    const sib = r.walk.walker.siblingsInto(new Float32Array(4 * W));
    const w3 = mapped(3);
    expect(maxDiff(cells[0] as Uint8ClampedArray, await synthesised(Array.from({ length: NUM_WS }, (_, l) => (l < 6 ? sib.subarray(0, W) : w3))))).toBeLessThanOrEqual(1);
  });

  it('noise mode: none changes the picture, random changes it every frame, const brings it back exactly', async () => {
    const r = await setup();
    const plain = await r.frame();
    set(r.bus, { 'style/noise-mode': 'none' });
    const none = await r.frame();
    expect(maxDiff(none, await synthesised(Array.from({ length: NUM_WS }, () => mapped(1)), 'none'))).toBeLessThanOrEqual(1);
    expect(maxDiff(none, plain)).toBeGreaterThan(2);
    set(r.bus, { 'style/noise-mode': 'random' });
    expect(maxDiff(await r.frame(), await r.frame())).toBeGreaterThan(2);
    set(r.bus, { 'style/noise-mode': 'const', 'style/noise-strength': 0 });
    expect(maxDiff(await r.frame(), none)).toBeLessThanOrEqual(1);
    set(r.bus, { 'style/noise-strength': 1 });
    expect(maxDiff(await r.frame(), plain)).toBe(0);
  });
});
