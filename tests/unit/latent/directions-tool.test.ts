import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDirections, type DirectionSet } from '../../../src/core/latent/directions.ts';
import { latentFromSeed } from '../../../src/core/latent/seed-latent.ts';
import { decodePng } from '../../../tools/lib/png.ts';
import { loadLayersModelFromDir, saveLayersModelToDir } from '../../../tools/lib/model-files.ts';
import { runDirections, type DirectionsOutput } from '../../../tools/directions/run.ts';
import { startWasmBackend } from '../../../tools/lib/tfjs-wasm.ts';

const LATENT = 16;

/** A miniature of Sitter's generator (dense → 4×4 map → activation → upsample → conv → tanh), random weights. */
function tinyGenerator(): tf.Sequential {
  const m = tf.sequential({ name: 'tiny' });
  m.add(tf.layers.dense({ inputShape: [LATENT], units: 4 * 4 * 8, name: 'g_dense', kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }) }));
  m.add(tf.layers.reshape({ targetShape: [4, 4, 8], name: 'g_reshape' }));
  m.add(tf.layers.leakyReLU({ alpha: 0.2, name: 'g_act0' }));
  m.add(tf.layers.upSampling2d({ size: [2, 2], name: 'g_up1' }));
  m.add(tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', name: 'g_rgb', kernelInitializer: tf.initializers.glorotNormal({ seed: 4 }) }));
  m.add(tf.layers.activation({ activation: 'tanh', name: 'g_tanh' }));
  return m;
}

describe('npm run directions (GANSpace tool) on a tiny saved model', () => {
  let dir = '';
  let out: DirectionsOutput;
  let set: DirectionSet;

  beforeAll(async () => {
    await startWasmBackend({ cpuFallback: true });
    dir = await mkdtemp(join(tmpdir(), 'sitter-directions-'));
    const g = tinyGenerator();
    await saveLayersModelToDir(g, dir);
    g.dispose();
    await writeFile(join(dir, 'card.json'), JSON.stringify({ id: 'tiny', outputRange: [-1, 1] }));
    out = await runDirections({ modelDir: dir, samples: 400, components: 4, seed: 1, rows: 2, truncation: 0.8 });
    const parsed = parseDirections(JSON.parse(await readFile(out.directionsFile, 'utf8')), LATENT);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    set = parsed.value;
  }, 60_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes a valid directions.json with provenance, ordered by explained variance', () => {
    expect(out.layer).toBe('g_act0');
    expect(set.directions.map((d) => d.name)).toEqual(['pc0', 'pc1', 'pc2', 'pc3']);
    expect(set.provenance).toMatchObject({ model: 'tiny', method: 'ganspace-pca', layer: 'g_act0', samples: 400, seed: 1 });
    // Names the weights it was made for: the SHA-256 of weights.bin, the only file in the manifest.
    expect(set.provenance.weightsSha256).toBe(createHash('sha256').update(readFileSync(join(dir, 'weights.bin'))).digest('hex'));
    const ev = set.directions.map((d) => d.explainedVariance ?? 0);
    for (let i = 1; i < ev.length; i++) expect(ev[i]).toBeLessThanOrEqual(ev[i - 1] as number);
    expect(ev[0]).toBeGreaterThan(0.05);
    for (const d of set.directions) expect(d.sigma).toBeGreaterThan(0);
  });

  it('finds directions that move the analysed layer more than random directions do', async () => {
    const model = await loadLayersModelFromDir(dir);
    const layer = tf.model({ inputs: model.inputs, outputs: model.getLayer('g_act0').output as tf.SymbolicTensor });
    const change = (u: Float32Array): number =>
      tf.tidy(() => {
        const z = latentFromSeed(77, LATENT);
        const a = layer.predict(tf.tensor2d(z, [1, LATENT])) as tf.Tensor;
        const b = layer.predict(tf.tensor2d(z.map((x, i) => x + 0.5 * (u[i] as number)), [1, LATENT])) as tf.Tensor;
        return a.sub(b).norm().dataSync()[0] as number;
      });
    const pc0 = change(set.directions[0]!.vector);
    let random = 0;
    for (let k = 0; k < 8; k++) {
      const v = latentFromSeed(500 + k, LATENT);
      const n = Math.hypot(...v);
      random += change(v.map((x) => x / n)) / 8;
    }
    expect(pc0).toBeGreaterThan(1.2 * random);
    // The top two directions are distinct (nearly orthogonal for a near-linear layer).
    let d01 = 0;
    for (let i = 0; i < LATENT; i++) d01 += set.directions[0]!.vector[i]! * set.directions[1]!.vector[i]!;
    expect(Math.abs(d01)).toBeLessThan(0.5);
    model.dispose();
  });

  it('draws one contact sheet per direction: 2 seeds × 7 steps of upscaled 8×8 portraits', async () => {
    expect(out.sheets).toHaveLength(4);
    const img = decodePng(await readFile(out.sheets[0]!));
    // 8×8 tiles scaled ×8 to 64 px, 2 px gaps.
    expect(img.width).toBe(7 * 64 + 8 * 2);
    expect(img.height).toBe(2 * 64 + 3 * 2);
    // Steering changes the picture: the −3σ and +3σ tiles of a row differ.
    const px = (x: number, y: number): number => img.data[(y * img.width + x) * img.channels] as number;
    let diff = 0;
    for (let y = 2; y < 66; y += 4) for (let x = 0; x < 64; x += 4) diff += Math.abs(px(2 + x, y) - px(2 + 6 * 66 + x, y));
    expect(diff).toBeGreaterThan(0);
  });
});
