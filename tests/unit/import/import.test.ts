import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { missingProvenance } from '../../../src/core/model-card/provenance.ts';
import { validateModelCard } from '../../../src/core/model-card/validate.ts';
import { buildGenerator } from '../../../src/core/stylegan/architecture.ts';
import { NETWORK_FILE_FORMAT, type StyleGanNetwork } from '../../../src/core/stylegan/network.ts';
import { tinyStyleGan2, tinyStyleGan3 } from '../../../src/core/stylegan/presets.ts';
import { runImport } from '../../../tools/import/cli.ts';
import { importPickle } from '../../../tools/import/import.ts';
import type { WeightsManifestGroup } from '../../../tools/import/weights.ts';
import { PReduce, glob, pickle } from '../../support/pickle-writer/pickler.ts';
import { nvidiaNetworkPickle } from '../../support/pickle-writer/stylegan.ts';

let dir: string;
let models: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sitter-import-'));
  models = join(dir, 'models');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writePkl(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** Loads a written model folder's weights the way the page does: tfjs decodes the concatenated shards. */
function readWeights(folder: string): Map<string, { shape: number[]; data: Float32Array }> {
  const manifest = JSON.parse(readFileSync(join(folder, 'weights.json'), 'utf8')) as WeightsManifestGroup[];
  expect(manifest).toHaveLength(1);
  const group = manifest[0] as WeightsManifestGroup;
  const parts = group.paths.map((p) => readFileSync(join(folder, p)));
  const all = Buffer.concat(parts);
  const decoded = tf.io.decodeWeights(all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength), group.weights as tf.io.WeightsManifestEntry[]);
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, t] of Object.entries(decoded)) {
    out.set(name, { shape: t.shape, data: t.dataSync() as Float32Array });
    t.dispose();
  }
  return out;
}

function expectWeightsEqual(read: Map<string, { shape: number[]; data: Float32Array }>, net: StyleGanNetwork): void {
  expect([...read.keys()]).toEqual([...net.tensors.keys()]);
  for (const [name, t] of net.tensors) {
    expect(read.get(name)?.shape, name).toEqual(t.shape);
    expect(Array.from(read.get(name)?.data ?? []), name).toEqual(Array.from(t.data));
  }
}

describe('npm run import: a StyleGAN2-ADA pickle becomes models/<id>/', () => {
  it('writes network.json, TF.js weights and a valid card from what the file says', () => {
    const built = buildGenerator(tinyStyleGan2({ cDim: 2 }), { seed: 11 });
    const pkl = writePkl('network-snapshot-000400.pkl', nvidiaNetworkPickle(built));
    const { code, lines } = runImport(['--', pkl, '--id', 'harbour'], models);
    expect(code, lines.join('\n')).toBe(0);
    expect(lines.join('\n')).toMatch(/non-commercial/);
    const folder = join(models, 'harbour');
    expect(readdirSync(models)).toEqual(['harbour']);
    expect(readdirSync(folder).sort()).toEqual(['card.json', 'network.json', 'weights-1.bin', 'weights.json']);

    const network = JSON.parse(readFileSync(join(folder, 'network.json'), 'utf8')) as { format: string; generation: string; root: unknown };
    expect(network.format).toBe(NETWORK_FILE_FORMAT);
    expect(network.generation).toBe('stylegan2');
    expect(network.root).toEqual(JSON.parse(JSON.stringify(built.root)));
    expectWeightsEqual(readWeights(folder), built);

    const result = validateModelCard(JSON.parse(readFileSync(join(folder, 'card.json'), 'utf8')));
    if (!result.ok) throw new Error(result.errors.join('\n'));
    const card = result.card;
    expect(card.format).toBe('stylegan2');
    expect(card.upscale, 'an artist\'s model is not repainted by the bundled upscaler unless the gallery allows it').toEqual({ allow: false });
    expect(card.modelUrl).toBe('network.json');
    expect(card.latent).toEqual({ size: 8, distribution: 'normal' });
    expect(card.output).toEqual({ height: 16, width: 16, channels: 3, range: [-1, 1], layout: 'NCHW', channelOrder: 'RGB' });
    expect(card.averageW).toEqual(Array.from(built.tensors.get('mapping.w_avg')?.data ?? []));
    expect(card.stylegan).toEqual({ generation: 'stylegan2', zDim: 8, wDim: 8, cDim: 2, numWs: 6, resolution: 16, mappingLayers: 2, network: 'network.json', weights: 'weights.json' });
    expect(card.training).toMatchObject({ importedFrom: 'network-snapshot-000400.pkl', network: 'G_ema', conditional: true, trainingSet: { use_labels: true, resolution: 16 } });
    expect(JSON.stringify(card.training)).not.toContain('/data/');
    expect(card.provenance).toEqual({ authors: [], trainingData: '', dataLicences: [], licence: '', consent: '', credits: '' });
    expect(missingProvenance(card)).toEqual(['provenance.authors', 'provenance.trainingData', 'provenance.dataLicences', 'provenance.licence']);
  });

  it('--models writes into a gallery folder outside the repository instead', () => {
    const built = buildGenerator(tinyStyleGan2(), { seed: 3 });
    const pkl = writePkl('elsewhere.pkl', nvidiaNetworkPickle(built));
    const gallery = join(dir, 'gallery-models');
    const { code, lines } = runImport([pkl, '--models', gallery], models);
    expect(code, lines.join('\n')).toBe(0);
    expect(readdirSync(gallery)).toEqual(['elsewhere']);
    expect(existsSync(join(models, 'elsewhere'))).toBe(false);
  });

  it('the id defaults to the file name, and --network G reads G', () => {
    const gEma = buildGenerator(tinyStyleGan2(), { seed: 1 });
    const g = buildGenerator(tinyStyleGan2(), { seed: 2 });
    const pkl = writePkl('My Model.pkl', nvidiaNetworkPickle(gEma, { G: g }));
    const r = importPickle({ input: pkl, modelsDir: models, network: 'G' });
    expect(r.id).toBe('my-model');
    expectWeightsEqual(readWeights(r.dir), g);
  });
});

describe('npm run import: StyleGAN3 with --float16', () => {
  it('stores parameters as float16 (tfjs decodes them to float32) and keeps buffers exact', () => {
    const built = buildGenerator(tinyStyleGan3({ rotation: true }), { seed: 5 });
    const pkl = writePkl('sg3r.pkl', nvidiaNetworkPickle(built, { layout: 'stylegan3', numpyModule: 'numpy._core.multiarray' }));
    const r = importPickle({ input: pkl, modelsDir: models, float16: true });
    const weights = readWeights(r.dir);
    const manifest = JSON.parse(readFileSync(join(r.dir, 'weights.json'), 'utf8')) as WeightsManifestGroup[];
    const quantised = new Set(manifest[0]?.weights.filter((w) => w.quantization?.dtype === 'float16').map((w) => w.name));
    expect(quantised.has('synthesis.input.weight')).toBe(true);
    expect(quantised.has('mapping.w_avg')).toBe(false);
    for (const [name, t] of built.tensors) {
      const got = weights.get(name)?.data as Float32Array;
      if (quantised.has(name)) {
        for (let i = 0; i < t.data.length; i++) expect(Math.abs((got[i] as number) - (t.data[i] as number))).toBeLessThanOrEqual(Math.abs(t.data[i] as number) * 2 ** -11 + 2 ** -24);
      } else {
        expect(Array.from(got), name).toEqual(Array.from(t.data));
      }
    }
    const card = JSON.parse(readFileSync(join(r.dir, 'card.json'), 'utf8')) as { format: string; stylegan: { numWs: number; mappingLayers: number } };
    expect(card.format).toBe('stylegan3');
    expect(card.stylegan.numWs).toBe(8);
    expect(card.stylegan.mappingLayers).toBe(2);
  });
});

describe('npm run import: refusals leave models/ as it was', () => {
  const noLeftovers = (): void => {
    expect(existsSync(models) ? readdirSync(models) : []).toEqual([]);
  };

  it('a rosinality .pt (a zip archive) is "not yet supported"', () => {
    const pt = writePkl('550000.pt', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]));
    const { code, lines } = runImport([pt], models);
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/550000\.pt is a zip archive: a torch\.save checkpoint \(e\.g\. rosinality's stylegan2-pytorch \.pt\), which is not yet supported\. Supported: NVIDIA network pickles/);
    noLeftovers();
  });

  it('a hostile pickle is refused with the global named', () => {
    const pkl = writePkl('evil.pkl', pickle(new PReduce(glob('posix', 'system'), ['touch /tmp/pwned'])));
    const { code, lines } = runImport([pkl], models);
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/^import refused: evil\.pkl: pickle: refusing global "posix\.system"/);
    noLeftovers();
  });

  it('a pickle that is not a StyleGAN network says what is supported', () => {
    const pkl = writePkl('list.pkl', pickle([1, 2, 3]));
    expect(runImport([pkl], models).lines[0]).toMatch(/holds a list, not a StyleGAN network pickle; supported: NVIDIA network pickles/);
    noLeftovers();
  });

  it('a failure after the files are written removes the temporary folder', () => {
    const pkl = writePkl('a.pkl', nvidiaNetworkPickle(buildGenerator(tinyStyleGan2(), { seed: 1 })));
    expect(() =>
      importPickle({
        input: pkl,
        modelsDir: models,
        beforeCommit: () => {
          throw new Error('disk full');
        },
      }),
    ).toThrow('disk full');
    noLeftovers();
  });

  it('an existing model folder is kept unless --force, and --force replaces it whole', () => {
    const a = buildGenerator(tinyStyleGan2(), { seed: 1 });
    const b = buildGenerator(tinyStyleGan2({ architecture: 'orig' }), { seed: 2 });
    const pa = writePkl('a.pkl', nvidiaNetworkPickle(a));
    const pb = writePkl('b.pkl', nvidiaNetworkPickle(b));
    expect(runImport([pa, '--id', 'm'], models).code).toBe(0);
    const refused = runImport([pb, '--id', 'm'], models);
    expect(refused.lines[0]).toMatch(/models\/m\/ already exists; choose another --id or pass --force/);
    expectWeightsEqual(readWeights(join(models, 'm')), a);
    expect(runImport([pb, '--id', 'm', '--force'], models).code).toBe(0);
    expectWeightsEqual(readWeights(join(models, 'm')), b);
    expect(readdirSync(models)).toEqual(['m']);
  });

  it('usage errors', () => {
    expect(runImport([], models).code).toBe(2);
    expect(runImport(['a.pkl', '--bogus'], models).code).toBe(2);
    expect(runImport([join(dir, 'missing.pkl')], models).lines[0]).toMatch(/cannot read/);
    expect(runImport([join(dir, 'x.pkl'), '--id', '../escape'], models).lines[0]).toMatch(/--id "\.\.\/escape": expected 1–64 letters/);
    noLeftovers();
  });
});
