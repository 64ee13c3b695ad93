// The PyTorch trainer from the TypeScript side. Exports in models/ are checked against PyTorch's own reference
// outputs in every run (no Python needed). The Python tests and a train → export → page-load round trip run only
// where tools/train/torch/.venv exists (npm run train:venv) or SITTER_PYTHON names a Python with torch; otherwise
// they are skipped with a message saying so.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng } from '../../../tools/lib/png.ts';
import { validateModelCard } from '../../../src/core/model-card/validate.ts';
import { loadModel, loadModelCard } from '../../../src/generator/model-loader.ts';
import { fileFetch } from '../../../tools/lib/model-files.ts';
import { exportTorchRun, PARITY_TOLERANCE, trainerPython, type TrainRun } from '../../../tools/train/torch/export.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const TORCH_DIR = path.join(ROOT, 'tools/train/torch');
const MODELS = path.join(ROOT, 'models');
const python = trainerPython();
const exported = fs.readdirSync(MODELS).filter((f) => fs.existsSync(path.join(MODELS, f, 'reference.json')));

/** Max |page's model − PyTorch| on the reference latents, loading through the page's own loader. */
async function pageParity(dir: string): Promise<{ err: number; shape: number[] }> {
  const fetch = fileFetch(dir);
  const card = await loadModelCard('http://local/', fetch);
  const model = await loadModel(card, 'http://local/', { fetch });
  try {
    const ref = JSON.parse(fs.readFileSync(path.join(dir, 'reference.json'), 'utf8')) as { latents: number[][]; file: string };
    const buf = fs.readFileSync(path.join(dir, ref.file));
    const want = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    const out = tf.tidy(() => model.predict(tf.tensor2d(ref.latents)));
    const got = out.dataSync();
    const shape = out.shape;
    out.dispose();
    expect(got.length).toBe(want.length);
    let err = 0;
    for (let i = 0; i < got.length; i++) err = Math.max(err, Math.abs(got[i]! - want[i]!));
    return { err, shape };
  } finally {
    model.dispose();
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('PyTorch exports in models/', () => {
  it.each(exported.length ? exported : ['(none yet)'])('%s: the page loads it and reproduces PyTorch (max abs < 1e-3)', async (id) => {
    if (!exported.length) return;
    const { err, shape } = await pageParity(path.join(MODELS, id));
    expect(shape[0]).toBe(2);
    expect(err).toBeLessThan(PARITY_TOLERANCE);
  });
});

if (!python) {
  console.log('tools/train/torch: SKIPPED the PyTorch trainer tests: no tools/train/torch/.venv (make it with npm run train:venv)');
}

describe.skipIf(!python)('PyTorch trainer (needs tools/train/torch/.venv)', () => {
  let tmp = '';
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sitter-torch-'));
  });
  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('passes its own Python tests (exact resume, augmentation, data checks)', () => {
    const r = spawnSync(python!, ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.'], { cwd: TORCH_DIR, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Ran \d+ tests[\s\S]*OK/);
  }, 300_000);

  it('trains a few steps, exports a folder the page loads unchanged, matching PyTorch; a wrong reference is caught', async () => {
    const size = 16;
    const count = 12;
    const data = path.join(tmp, `renders-${size}-${count}.u8`);
    const px = new Uint8Array(count * size * size * 3);
    for (let i = 0; i < px.length; i++) px[i] = (i * 37 + ((i / 48) | 0) * 11) % 256;
    fs.writeFileSync(data, px);
    fs.writeFileSync(data.replace(/\.u8$/, '.json'), JSON.stringify({ size, count, seed: 1, styles: ['lorelei'], description: 'test pattern' }));
    const run = path.join(tmp, 'run');
    const r = spawnSync(
      python!,
      [path.join(TORCH_DIR, 'train.py'), '--out', run, '--data', data, '--size', `${size}`, '--batch', '4', '--base', '4', '--d-base', '4', '--steps', '3'],
      { encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    const out = path.join(tmp, 'models', 'tiny');
    const card = await exportTorchRun({ checkpoint: path.join(run, 'checkpoint'), out, python: python! }, () => undefined);
    expect(validateModelCard(JSON.parse(fs.readFileSync(path.join(out, 'card.json'), 'utf8')))).toMatchObject({ ok: true });
    expect(card.output).toMatchObject({ height: size, width: size });
    expect(card.training.steps).toBe(3);
    const runs = (card.training as unknown as { runs: TrainRun[] }).runs;
    expect(runs.map((x) => x.device)).toEqual([expect.stringMatching(/^cpu \(PyTorch/)]);
    for (const f of ['model.json', 'weights.bin', 'samples.png', 'samples-native.png', 'interpolation.png']) expect(fs.existsSync(path.join(out, f)), f).toBe(true);
    // samples.png at display size: a 16 px model goes through the shipped ×4 upscaler as the shows' auto does (4 × 4
    // portraits of 64 px, 2 px gaps); the native grid is 8 × 8 of 16 px.
    const sideOf = (f: string): number => decodePng(fs.readFileSync(path.join(out, f)), f).width;
    expect(sideOf('samples.png')).toBe(4 * size * 4 + 5 * 2);
    expect(sideOf('samples-native.png')).toBe(8 * size + 9 * 2);
    // Stock layers only: nothing the browser's tfjs-layers cannot deserialise.
    const topo = JSON.parse(fs.readFileSync(path.join(out, 'model.json'), 'utf8')) as { modelTopology: { config: { layers: { class_name: string }[] } } };
    const classes = new Set(topo.modelTopology.config.layers.map((l) => l.class_name));
    expect([...classes].sort()).toEqual(['Activation', 'Conv2D', 'Dense', 'LayerNormalization', 'LeakyReLU', 'Reshape', 'UpSampling2D']);
    const { err, shape } = await pageParity(out);
    expect(shape).toEqual([2, size, size, 3]);
    expect(err).toBeLessThan(PARITY_TOLERANCE);
    // The parity check can fail: a reference one step off in one value is caught.
    const refFile = path.join(out, 'reference.bin');
    const ref = new Float32Array(new Uint8Array(fs.readFileSync(refFile)).buffer);
    ref[5] = ref[5]! + 0.01;
    fs.writeFileSync(refFile, new Uint8Array(ref.buffer));
    expect((await pageParity(out)).err).toBeGreaterThan(PARITY_TOLERANCE);
  }, 300_000);

  it.each([[''], ['--detail-only']])('grows a trained model by one octave %s: the export is a functional model the page loads, matching PyTorch, and starts from the seed', async (mode) => {
    const pattern = (size: number, count: number): string => {
      const file = path.join(tmp, `renders-${size}-${count}.u8`);
      const px = new Uint8Array(count * size * size * 3);
      for (let i = 0; i < px.length; i++) px[i] = (i * 29 + ((i / 96) | 0) * 7) % 256;
      fs.writeFileSync(file, px);
      fs.writeFileSync(file.replace(/\.u8$/, '.json'), JSON.stringify({ size, count, seed: 1, styles: ['lorelei'], description: 'test pattern' }));
      return file;
    };
    const train = (args: string[]): void => {
      const r = spawnSync(python!, [path.join(TORCH_DIR, 'train.py'), '--batch', '4', '--base', '4', '--d-base', '4', ...args], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    };
    const tag = mode ? 'detail' : 'plain';
    train(['--out', path.join(tmp, `seed-run-${tag}`), '--data', pattern(16, 8), '--size', '16', '--steps', '2']);
    const seed = path.join(tmp, 'models', `seed16-${tag}`);
    await exportTorchRun({ checkpoint: path.join(tmp, `seed-run-${tag}`, 'checkpoint'), out: seed, python: python! }, () => undefined);
    const growRun = path.join(tmp, `grow-run-${tag}`);
    train(['--out', growRun, '--data', pattern(32, 8), '--size', '32', '--steps', '2', '--grow-from', seed, '--grow-width', '6', '--freeze-steps', '2', ...(mode ? [mode] : [])]);
    const out = path.join(tmp, 'models', `grown32-${tag}`);
    const card = await exportTorchRun({ checkpoint: path.join(growRun, 'checkpoint'), out, python: python! }, () => undefined);
    expect(card.output).toMatchObject({ height: 32, width: 32 });
    expect(card.training.steps).toBe(4);
    expect(card.training.script).toContain(`--grow-from ${seed} --grow-width 6 --freeze-steps 2${mode ? ` ${mode}` : ''}`);
    const topo = JSON.parse(fs.readFileSync(path.join(out, 'model.json'), 'utf8')) as { modelTopology: { class_name: string; config: { layers: { class_name: string }[] } } };
    expect(topo.modelTopology.class_name).toBe('Model');
    expect(new Set(topo.modelTopology.config.layers.map((l) => l.class_name))).toEqual(
      new Set(['InputLayer', 'Add', 'Activation', 'Conv2D', 'Dense', 'LayerNormalization', 'LeakyReLU', 'Reshape', 'UpSampling2D', ...(mode ? ['AveragePooling2D'] : [])]),
    );
    const { err, shape } = await pageParity(out);
    expect(shape).toEqual([2, 32, 32, 3]);
    expect(err).toBeLessThan(PARITY_TOLERANCE);
    // The seed's layers were frozen for both steps and the EMA barely moved the new to-RGB from zero: box-downsampled,
    // the grown model draws the seed's pictures (a layer copied to the wrong place would not).
    const [a, b] = await Promise.all([seed, out].map(async (dir) => {
      const fetch = fileFetch(dir);
      return loadModel(await loadModelCard('http://local/', fetch), 'http://local/', { fetch });
    }));
    const z = tf.randomNormal([3, 128], 0, 1, 'float32', 5) as tf.Tensor2D;
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.avgPool(b!.predict(z), 2, 2, 'valid'), a!.predict(z)))).dataSync()[0]!);
    tf.dispose(z);
    a!.dispose();
    b!.dispose();
    expect(diff).toBeLessThan(mode ? 1e-5 : 0.02); // detail only: exactly the seed's, whatever the octave learned
  }, 300_000);

  it("a model trained on a gallery's own pack gets a gallery card, and what the gallery writes in it survives the next export", async () => {
    const size = 16;
    const count = 8;
    const data = path.join(tmp, `gallery-pngs-${size}-${count}.u8`);
    const px = new Uint8Array(count * size * size * 3).map((_, i) => (i * 13) % 251);
    fs.writeFileSync(data, px);
    // The sidecar train:pack --data writes: no dicebear styles, no seed.
    fs.writeFileSync(data.replace(/\.u8$/, '.json'), JSON.stringify({ size, count, seed: null, styles: [], source: 'gallery', description: 'eight test PNGs' }));
    const run = path.join(tmp, 'gallery-run');
    const r = spawnSync(python!, [path.join(TORCH_DIR, 'train.py'), '--out', run, '--data', data, '--size', `${size}`, '--batch', '4', '--base', '4', '--d-base', '4', '--steps', '1'], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const out = path.join(tmp, 'models', 'gallery');
    const first = await exportTorchRun({ checkpoint: path.join(run, 'checkpoint'), out, python: python! }, () => undefined);
    expect(first.title).toMatch(/^Gallery portraits/);
    expect(first.provenance.dataLicences).toEqual([]);
    expect(first.provenance.licence).not.toMatch(/CC0/);
    expect(first.provenance.trainingData).toBe('eight test PNGs');
    const written = { ...first, title: 'Faces of the Harbour', provenance: { ...first.provenance, authors: ['Harbour Gallery'], credits: 'Portraits trained on the Harbour archive' } };
    fs.writeFileSync(path.join(out, 'card.json'), JSON.stringify(written));
    const again = await exportTorchRun({ checkpoint: path.join(run, 'checkpoint'), out, python: python! }, () => undefined);
    expect(again.title).toBe('Faces of the Harbour');
    expect(again.provenance).toMatchObject({ authors: ['Harbour Gallery'], credits: 'Portraits trained on the Harbour archive' });
  }, 300_000);

  it('refuses a folder without a checkpoint with a message saying what it wanted', async () => {
    await expect(exportTorchRun({ checkpoint: path.join(tmp, 'nothing'), out: path.join(tmp, 'x'), python: python! }, () => undefined)).rejects.toThrow(
      /no checkpoint\.pt there/,
    );
    expect(fs.existsSync(path.join(tmp, 'x'))).toBe(false);
  });

  it('gpu-kit.sh: packs the renders xz-compressed, trains through the device-side command (here on the CPU), splits and joins the checkpoint, and resumes from it', () => {
    const work = path.join(tmp, 'gpu-work');
    fs.mkdirSync(work, { recursive: true });
    const size = 16;
    const count = 8;
    const px = new Uint8Array(count * size * size * 3);
    for (let i = 0; i < px.length; i++) px[i] = (i * 13 + ((i / 48) | 0) * 5) % 256;
    fs.writeFileSync(path.join(work, `renders-${size}-${count}.u8`), px);
    fs.writeFileSync(path.join(work, `renders-${size}-${count}.json`), JSON.stringify({ size, count, seed: 1, styles: ['lorelei'], description: 'test pattern' }));
    const kit = (args: string[], env: Record<string, string> = {}): string => {
      const r = spawnSync('bash', [path.join(TORCH_DIR, 'gpu-kit.sh'), ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, SITTER_TRAIN_WORK: work, SITTER_PYTHON: python!, SITTER_DEVICE: 'cpu', ...env },
      });
      expect(r.status, `${args[0]}: ${r.stderr}`).toBe(0);
      return r.stdout;
    };
    const stepOf = (out: string): number => Number(/joined: step (\d+)/.exec(out)?.[1]);
    expect(kit(['prepare', `${size}`, `${count}`])).toMatch(/of 64 MiB[\s\S]*device call: run\(carry=/);
    expect(fs.existsSync(path.join(work, 'gpu', `renders-${size}-${count}.u8.xz`))).toBe(true);
    const train = ['--size', `${size}`, '--batch', '4', '--base', '4', '--d-base', '4', '--channel-affine', '2'];
    const out1 = path.join(tmp, 'gpu-out1');
    fs.mkdirSync(out1);
    kit(['run', '1', ...train, '--steps', '3'], { OUT: out1 });
    expect(fs.readdirSync(out1).sort()).toEqual(['checkpoint.pt.part-00', 'samples.png', 'train.log']);
    const run = path.join(tmp, 'gpu-run');
    expect(stepOf(kit(['join', out1, run]))).toBe(3);
    // The next lease goes on from the joined checkpoint.
    kit(['prepare', `${size}`, `${count}`, run]);
    const out2 = path.join(tmp, 'gpu-out2');
    fs.mkdirSync(out2);
    const log = kit(['run', '1', ...train, '--steps', '5'], { OUT: out2 });
    expect(log).toMatch(/resumed .* at step 3/);
    expect(stepOf(kit(['join', out2, run]))).toBe(5);
  }, 120_000);
});
