import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGenerator } from '../../src/core/stylegan/architecture.ts';
import type { StyleGanNetwork } from '../../src/core/stylegan/network.ts';
import { tinyStyleGan2, tinyStyleGan3 } from '../../src/core/stylegan/presets.ts';
import { createGenerator, type LoadProgress } from '../../src/generator/create.ts';
import type { GeneratedFrame } from '../../src/generator/frame.ts';
import type { Generator } from '../../src/generator/generator.ts';
import { loadModel, loadModelCard, ModelLoadError } from '../../src/generator/model-loader.ts';
import { loadStyleGanNetwork } from '../../src/generator/stylegan/loader.ts';
import { createStyleGanRuntime } from '../../src/generator/stylegan/runtime.ts';
import { memoryFetch, seededLatents, type ModelFiles } from '../fixtures/models/tiny.ts';
import { styleGanCard, styleGanFolderFiles } from './stylegan-folder.ts';

/**
 * Imported StyleGAN folders (card.json + network.json + weights.json + shards) served from memory through the same
 * fetch path real folders take: they load into the Generator unchanged, and every broken folder is refused with a
 * ModelLoadError naming the file and the first thing wrong.
 */

const BASE = '/mem/sg/';
let generator: Generator | null = null;
afterEach(() => {
  generator?.dispose();
  generator = null;
});

function pixelsOf(frame: GeneratedFrame): Uint8ClampedArray {
  if (frame.kind !== 'pixels') throw new Error(`expected a pixels frame, got ${frame.kind}`);
  return frame.data;
}

/** What the runtime itself makes for z, as RGBA bytes the readback path would give (truncation as the card says). */
async function expectedPixels(net: StyleGanNetwork, z: Float32Array, psi: number): Promise<Uint8ClampedArray> {
  const rt = createStyleGanRuntime(net);
  const img = rt.generate(tf.tidy(() => tf.tensor2d(z, [1, rt.zDim])), null, { truncationPsi: psi });
  const v = await img.data();
  img.dispose();
  rt.dispose();
  const out = new Uint8ClampedArray((v.length / 3) * 4);
  for (let p = 0; p < v.length / 3; p++) {
    for (let k = 0; k < 3; k++) out[p * 4 + k] = Math.min(1, Math.max(0, ((v[p * 3 + k] as number) + 1) / 2)) * 255;
    out[p * 4 + 3] = 255;
  }
  return out;
}

async function expectRefused(files: ModelFiles, pattern: RegExp): Promise<void> {
  const fetchFn = memoryFetch(BASE, files);
  const before = tf.memory().numTensors;
  const attempt = (async () => {
    const card = await loadModelCard(BASE, fetchFn);
    await loadModel(card, BASE, { fetch: fetchFn });
  })();
  await expect(attempt).rejects.toThrow(ModelLoadError);
  await expect(attempt).rejects.toThrow(pattern);
  expect(tf.memory().numTensors).toBe(before);
}

describe('StyleGAN folders: loading', () => {
  it('loads a StyleGAN2 folder through card.json into the Generator, frames matching the runtime', async () => {
    await tf.setBackend('cpu');
    const net = buildGenerator(tinyStyleGan2(), { seed: 21 });
    const files = styleGanFolderFiles(net, { shardBytes: 4096 });
    expect([...files.keys()].filter((k) => k.endsWith('.bin')).length).toBeGreaterThan(2);
    const seen: LoadProgress[] = [];
    generator = await createGenerator({ modelUrl: BASE, backends: ['cpu'], fetch: memoryFetch(BASE, files), log: () => {}, onProgress: (p) => seen.push(p) });
    expect(generator.card.format).toBe('stylegan2');
    expect(seen.filter((p) => p.phase === 'weights').at(-1)?.fraction).toBe(1);
    const z = seededLatents(1, 8, 4);
    const [frame] = await generator.generate(z, 1);
    expect([frame?.width, frame?.height]).toEqual([16, 16]);
    const want = await expectedPixels(net, z, 0.7);
    const got = pixelsOf(frame as GeneratedFrame);
    expect(Math.max(...got.map((v, i) => Math.abs(v - (want[i] as number))))).toBeLessThanOrEqual(1);
    // A real picture, not a flat one.
    expect(Math.max(...got) - Math.min(...got.filter((_, i) => i % 4 !== 3))).toBeGreaterThan(40);
    frame?.release();
  });

  it('returns what the card\'s layout says: an NHWC card and an NCHW card give the same frames', async () => {
    await tf.setBackend('cpu');
    const net = buildGenerator(tinyStyleGan3({ rotation: true }), { seed: 25 });
    const z = seededLatents(1, 8, 7);
    const frames: Uint8ClampedArray[] = [];
    for (const layout of ['NCHW', 'NHWC']) {
      const card = styleGanCard(net);
      const files = styleGanFolderFiles(net, { card: { ...card, output: { ...(card['output'] as object), layout } } });
      const fetchFn = memoryFetch(BASE, files);
      const model = await loadModel(await loadModelCard(BASE, fetchFn), BASE, { fetch: fetchFn });
      const zt = tf.tensor2d(z, [1, 8]);
      const raw = model.predict(zt);
      expect(raw.shape).toEqual(layout === 'NCHW' ? [1, 3, 32, 32] : [1, 32, 32, 3]);
      tf.dispose([zt, raw]);
      model.dispose();
      generator = await createGenerator({ modelUrl: BASE, backends: ['cpu'], fetch: fetchFn, log: () => {} });
      const [f] = await generator.generate(z, 1);
      frames.push(pixelsOf(f as GeneratedFrame).slice());
      f?.release();
      generator.dispose();
      generator = null;
      await tf.setBackend('cpu');
    }
    expect(frames[1]).toEqual(frames[0]);
  });

  it('loads a float16-quantised StyleGAN3 folder, its images within fp16 rounding of the float32 ones', async () => {
    await tf.setBackend('cpu');
    const net = buildGenerator(tinyStyleGan3(), { seed: 22 });
    const f16 = await loadStyleGanNetwork(BASE, (await loadModelCard(BASE, memoryFetch(BASE, styleGanFolderFiles(net, { float16: true })))), memoryFetch(BASE, styleGanFolderFiles(net, { float16: true })));
    expect(f16.tensors.get('synthesis.L0_24_16.weight')?.storedAs).toBe('float16');
    for (const [name, t] of net.tensors) {
      const h = f16.tensors.get(name);
      expect(h?.shape).toEqual(t.shape);
      const tol = Math.max(...Array.from(t.data, Math.abs)) * 2 ** -10;
      for (let i = 0; i < t.data.length; i++) expect(Math.abs((h?.data[i] as number) - (t.data[i] as number))).toBeLessThanOrEqual(tol);
    }
    const z = tf.tensor2d(seededLatents(1, 8, 5), [1, 8]);
    const [a, b] = [createStyleGanRuntime(net), createStyleGanRuntime(f16)];
    const [ia, ib] = [a.generate(z), b.generate(z)];
    const va = ia.dataSync();
    const vb = ib.dataSync();
    const scale = Math.max(...Array.from(va, Math.abs));
    const err = Math.max(...Array.from(va, (v, i) => Math.abs(v - (vb[i] as number))));
    expect(err / scale).toBeLessThan(0.02);
    expect(err).toBeGreaterThan(0);
    tf.dispose([z, ia, ib]);
    a.dispose();
    b.dispose();
  });

  it('frees every tensor when the generator is disposed and keeps the count flat across frames', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const net = buildGenerator(tinyStyleGan2({ cDim: 2 }), { seed: 23 });
    generator = await createGenerator({ modelUrl: BASE, backends: ['cpu'], fetch: memoryFetch(BASE, styleGanFolderFiles(net)), log: () => {} });
    const z = seededLatents(2, 8, 6);
    (await generator.generate(z, 2)).forEach((f) => f.release());
    const held = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) (await generator.generate(z, 2)).forEach((f) => f.release());
    expect(tf.memory().numTensors).toBe(held);
    generator.dispose();
    generator = null;
    // createGenerator started (and the generator owned) the backend: disposing it drops every tensor it held.
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });
});

describe('StyleGAN folders: broken folders are refused clearly', () => {
  const net = buildGenerator(tinyStyleGan2(), { seed: 24 });
  const good = (): ModelFiles => styleGanFolderFiles(net);
  const edit = (name: string, f: (json: Record<string, unknown>) => unknown): ModelFiles => {
    const files = good();
    files.set(name, JSON.stringify(f(JSON.parse(files.get(name) as string) as Record<string, unknown>)));
    return files;
  };
  type Entry = { name: string; shape: number[]; dtype?: string };
  const editEntries = (f: (entries: Entry[]) => Entry[]): ModelFiles =>
    edit('weights.json', (m) => {
      const groups = m as unknown as Array<{ weights: Entry[] }>;
      return [{ ...groups[0], weights: f((groups[0] as { weights: Entry[] }).weights) }];
    });

  it('a network.json of another format', async () => {
    await tf.setBackend('cpu');
    await expectRefused(
      edit('network.json', (d) => ({ ...d, format: 'something-else/2' })),
      /network\.json: format: expected "sitter-stylegan-network\/1", got "something-else\/2"/,
    );
  });

  it('a network.json that is not JSON, or is missing', async () => {
    const files = good();
    files.set('network.json', '{"format": ');
    await expectRefused(files, /network\.json: not valid JSON/);
    files.delete('network.json');
    await expectRefused(files, /network\.json: missing \(HTTP 404\)/);
  });

  it('init kwargs that make no generator', async () => {
    await expectRefused(
      edit('network.json', (d) => {
        const root = d['root'] as Record<string, unknown>;
        return { ...d, root: { ...root, initKwargs: { ...(root['initKwargs'] as object), img_resolution: 12 } } };
      }),
      /network\.json: root\.initKwargs do not make a generator: SynthesisNetwork\.img_resolution: expected a power of two/,
    );
  });

  it('a card whose stylegan sizes disagree with the network', async () => {
    const files = good();
    files.set('card.json', JSON.stringify(styleGanCard(net, { stylegan: { ...(styleGanCard(net)['stylegan'] as object), numWs: 7 } })));
    await expectRefused(files, /the network has numWs 6 but card\.json's stylegan\.numWs is 7/);
  });

  it('a missing weight, naming it', async () => {
    await expectRefused(
      editEntries((es) => es.filter((e) => e.name !== 'synthesis.b8.conv0.affine.bias')),
      /weights\.json: no weight named synthesis\.b8\.conv0\.affine\.bias \(shape \[16\]\)/,
    );
  });

  it('a weight of the wrong shape, naming it and both shapes', async () => {
    await expectRefused(
      editEntries((es) => es.map((e) => (e.name === 'mapping.fc1.weight' ? { ...e, shape: [8, 4, 2] } : e))),
      /weights\.json: mapping\.fc1\.weight has shape \[8, 4, 2\], expected \[8, 8\]/,
    );
  });

  it('a weight this generator does not have', async () => {
    await expectRefused(
      editEntries((es) => [...es, { name: 'synthesis.b32.conv1.weight', shape: [0], dtype: 'float32' }]),
      /weights\.json: synthesis\.b32\.conv1\.weight is not a parameter or buffer of this generator/,
    );
  });

  it('a shard that is missing or too short', async () => {
    const files = good();
    const bin = files.get('weights-0.bin') as ArrayBuffer;
    files.set('weights-0.bin', bin.slice(0, bin.byteLength - 8));
    await expectRefused(files, /weights\.json: .* needs bytes \d+–\d+ but the shards weights-0\.bin hold only \d+/);
    files.delete('weights-0.bin');
    await expectRefused(files, /weights-0\.bin: missing \(HTTP 404\)/);
  });
});
