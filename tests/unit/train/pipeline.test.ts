// End-to-end proof that the training pipeline works (CI-sized), that the
// exported model loads through the browser's HTTP loader and matches the
// training-time forward pass, and that checkpoints resume bit-identically.
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../../tools/train/args.ts';
import { initWasm } from '../../../tools/train/backend/wasm.ts';
import { loadCheckpoint, saveCheckpoint } from '../../../tools/train/checkpoint.ts';
import type { ImageSet } from '../../../tools/train/data/dataset.ts';
import { buildCard, keepGalleryProvenance } from '../../../tools/train/export/card.ts';
import { loadLayersModelFromDir } from '../../../tools/lib/model-files.ts';
import { defaultConfig } from '../../../tools/train/model/config.ts';
import { generatorForward } from '../../../tools/train/model/generator.ts';
import { Rng } from '../../../tools/train/rng.ts';
import { runTraining } from '../../../tools/train/run.ts';
import { createTrainState, type TrainState, trainStep } from '../../../tools/train/trainer.ts';

let tmp = '';

beforeAll(async () => {
  await initWasm();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sitter-train-'));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function syntheticSet(size: number, count: number): ImageSet {
  const rng = new Rng(5);
  const pixels = new Uint8Array(count * size * size * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng.int(256);
  return { size, count, pixels, description: 'synthetic noise for tests' };
}

function snapshot(s: TrainState): Float32Array {
  const vars = [...s.gVars, ...s.emaVars, ...s.dVars, ...s.d.layers.map((l) => l.u), ...s.adamG.m, ...s.adamD.v];
  const parts = vars.map((v) => v.dataSync() as Float32Array);
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

describe('training pipeline', () => {
  it('npm run train -- --steps 3 --size 16 --batch 4 writes a loadable model and card', async () => {
    const out = path.join(tmp, 'model');
    const args = parseArgs(['--steps', '3', '--size', '16', '--batch', '4', '--count', '32', '--out', out]);
    const state = await runTraining(args, () => {});
    expect(state.step).toBe(3);
    for (const f of ['model.json', 'weights.bin', 'card.json', 'samples.png', 'interpolation.png']) {
      expect(fs.existsSync(path.join(out, f)), f).toBe(true);
    }
    const card = JSON.parse(fs.readFileSync(path.join(out, 'card.json'), 'utf8')) as Record<string, unknown>;
    expect(card['format']).toBe('layers');
    expect(card['modelUrl']).toBe('model.json');
    expect(card['latent']).toEqual({ size: 128, distribution: 'normal' });
    expect(card['output']).toMatchObject({ height: 16, width: 16, channels: 3, range: [-1, 1], layout: 'NHWC' });
    expect(JSON.stringify(card['provenance'])).toContain('CC0 1.0');
    expect(card['training']).toMatchObject({ steps: 3, batch: 4, imageCount: 32 });
    // Named after its folder, not "default": a second model must not pass itself off as the bundled one.
    expect([card['id'], card['title']]).toEqual(['model', 'Sitter CC0 portraits (model, 16×16)']);

    const model = await loadLayersModelFromDir(out);
    const z = tf.randomNormal([2, 128]) as tf.Tensor2D;
    const y = model.predict(z) as tf.Tensor;
    expect(y.shape).toEqual([2, 16, 16, 3]);
    const v = y.dataSync();
    expect(Math.max(...v)).toBeLessThanOrEqual(1);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-1);
    // The browser runs model.predict; training used generatorForward. Same maths.
    const f = generatorForward(state.ema, state.cfg, z).dataSync();
    let maxDiff = 0;
    for (let i = 0; i < v.length; i++) maxDiff = Math.max(maxDiff, Math.abs(v[i]! - f[i]!));
    expect(maxDiff).toBeLessThan(1e-4);
    // Only stock layers: the browser must deserialise it without custom classes.
    const json = fs.readFileSync(path.join(out, 'model.json'), 'utf8');
    const classes = new Set([...json.matchAll(/"class_name":"(\w+)"/g)].map((m) => m[1]));
    for (const c of classes) {
      expect(['Sequential', 'Dense', 'Reshape', 'UpSampling2D', 'Conv2D', 'LayerNormalization', 'LeakyReLU', 'Activation', 'GlorotUniform', 'Zeros', 'Ones', 'VarianceScaling']).toContain(c);
    }
  }, 60_000);

  it("keeps a gallery's own card text (--data) when training resumes and exports again", () => {
    const built = buildCard({ id: 'gallery', size: 32, latent: 128, steps: 10, seconds: 1, batch: 4, imageCount: 20, dataDescription: 'd', dicebear: false, script: 's' }, null);
    expect(built.title).toBe('Gallery portraits (gallery, 32×32)');
    expect(built.provenance.credits).toBe("Portraits by a GAN trained by Sitter on the gallery's own images.");
    const edited = { ...built, title: 'Faces of the Harbour', provenance: { ...built.provenance, authors: ['A. Painter'], licence: 'CC BY 4.0', consent: 'Sitters signed releases in 2025.', credits: 'Trained on paintings by A. Painter.' } };
    const again = keepGalleryProvenance({ ...built, training: { ...built.training, steps: 20 } }, edited);
    expect(again.title).toBe('Faces of the Harbour');
    expect(again.provenance).toMatchObject({ authors: ['A. Painter'], licence: 'CC BY 4.0', consent: 'Sitters signed releases in 2025.', credits: 'Trained on paintings by A. Painter.' });
    expect(again.training.steps).toBe(20);
    expect(keepGalleryProvenance(built, null)).toBe(built);
  });

  it('--export-only rewrites the model from the checkpoint', async () => {
    const out = path.join(tmp, 'model');
    fs.rmSync(path.join(out, 'model.json'));
    await runTraining(parseArgs(['--export-only', '--out', out]), () => {});
    expect(fs.existsSync(path.join(out, 'model.json'))).toBe(true);
    // The card's command is the run's own (size 16, batch 4, 32 images), not this command line's defaults.
    const card = JSON.parse(fs.readFileSync(path.join(out, 'card.json'), 'utf8')) as { training: { script: string } };
    expect(card.training.script).toBe(`npm run train -- --out ${out} --size 16 --batch 4 --base 16 --count 32`);
  }, 30_000);

  it('save → resume gives a bit-identical next step', () => {
    const cfg = defaultConfig(8, 4, 4, 128);
    const data = syntheticSet(8, 16);
    const a = createTrainState(cfg, data);
    trainStep(a);
    trainStep(a);
    const dir = path.join(tmp, 'ckpt');
    saveCheckpoint(a, dir, []);
    trainStep(a);
    const continued = snapshot(a);

    const { state: b } = loadCheckpoint(dir, data);
    expect(b.step).toBe(2);
    trainStep(b);
    const resumed = snapshot(b);
    expect(resumed.length).toBe(continued.length);
    let same = true;
    for (let i = 0; i < continued.length; i++) if (!Object.is(continued[i], resumed[i])) same = false;
    expect(same).toBe(true);

    // Control: without the saved Rng state the next step differs, so the
    // equality above is a real check.
    const { state: c } = loadCheckpoint(dir, data);
    c.rng = new Rng(123);
    trainStep(c);
    const other = snapshot(c);
    let diff = 0;
    for (let i = 0; i < continued.length; i++) diff = Math.max(diff, Math.abs(continued[i]! - other[i]!));
    expect(diff).toBeGreaterThan(0);
  }, 30_000);
});
