/**
 * GANSpace (Härkönen, Hertzmann, Lehtinen & Paris 2020, "GANSpace: Discovering Interpretable GAN Controls"):
 * sample latents, take an early layer's activations, find their principal components, and regress the PCA
 * scores back onto the latents (the paper's recipe for z-space models such as BigGAN), giving one latent
 * direction per component. Each direction's σ is the latent distance that moves its component by one standard
 * deviation, so steer/i = ±3 spans the range the data itself covers.
 */
import * as tf from '@tensorflow/tfjs';
import type { DirectionSet, LatentDirection } from '../../src/core/latent/directions.ts';
import { leastSquares } from '../../src/core/latent/least-squares.ts';
import { principalComponents, projectOnComponents } from '../../src/core/latent/pca.ts';
import { latentFromSeed } from '../../src/core/latent/seed-latent.ts';

export interface GanspaceOptions {
  readonly samples: number;
  readonly components: number;
  /** Layer whose output is analysed; the first activation after the input projection when absent. */
  readonly layer?: string;
  /** Portrait numbers seed, seed + 1, … are sampled. */
  readonly seed: number;
  readonly batch?: number;
  /** Recorded in the provenance. */
  readonly model: string;
}

export interface GanspaceResult {
  readonly set: DirectionSet;
  readonly layer: string;
  readonly activationSize: number;
  readonly pcaIterations: number;
}

export function latentSizeOf(model: tf.LayersModel): number {
  const shape = model.inputs[0]?.shape;
  const size = shape?.[1];
  if (!shape || shape.length !== 2 || typeof size !== 'number') {
    throw new Error(`model input: expected a [batch, latent] input, got [${shape?.join(', ') ?? ''}]`);
  }
  return size;
}

/**
 * GANSpace analyses an early layer, where components are coarse (pose, layout, colour). The default is the first
 * layer after the input's projection whose class is an activation (Sitter's generator: g_act0, the 4×4 map).
 */
export function chooseLayer(model: tf.LayersModel): string {
  const layers = model.layers;
  const act = layers.find((l, i) => i > 0 && /relu|activation|act/i.test(l.getClassName() + ' ' + l.name));
  const chosen = act ?? layers[Math.min(1, layers.length - 1)];
  if (!chosen) throw new Error('model has no layers');
  return chosen.name;
}

export async function findDirections(model: tf.LayersModel, o: GanspaceOptions): Promise<GanspaceResult> {
  const size = latentSizeOf(model);
  const layer = o.layer ?? chooseLayer(model);
  const output = model.getLayer(layer).output;
  if (Array.isArray(output)) throw new Error(`layer "${layer}" has several outputs; choose another with --layer`);
  const extractor = tf.model({ inputs: model.inputs, outputs: output });
  const m = o.samples;
  const batch = o.batch ?? 128;
  const z = new Float32Array(m * size);
  for (let i = 0; i < m; i++) latentFromSeed(o.seed + i, size, z.subarray(i * size, (i + 1) * size));
  let activations: Float32Array | undefined;
  let width = 0;
  for (let start = 0; start < m; start += batch) {
    const n = Math.min(batch, m - start);
    const y = tf.tidy(() => {
      const out = extractor.predict(tf.tensor2d(z.subarray(start * size, (start + n) * size), [n, size]));
      if (Array.isArray(out)) throw new Error(`layer "${layer}": expected one output`);
      return out.reshape([n, -1]);
    });
    const data = (await y.data()) as Float32Array;
    width = y.shape[1] as number;
    y.dispose();
    activations ??= new Float32Array(m * width);
    activations.set(data, start * width);
  }
  if (!activations) throw new Error('no samples');
  const k = Math.min(o.components, m - 1, width);
  const pca = principalComponents(activations, m, width, k, { seed: o.seed });
  const scores = projectOnComponents(activations, m, width, pca);
  // z ≈ scores · B: row i of B is the latent displacement per unit of component i.
  const b = leastSquares(scores, m, k, z, size);
  const directions: LatentDirection[] = [];
  for (let i = 0; i < k; i++) {
    const row = b.subarray(i * size, (i + 1) * size);
    let nn = 0;
    for (const x of row) nn += x * x;
    const length = Math.sqrt(nn);
    const vector = new Float32Array(size);
    for (let j = 0; j < size; j++) vector[j] = (row[j] as number) / length;
    const share = (pca.variances[i] as number) / pca.totalVariance;
    directions.push({
      name: `pc${i}`,
      vector,
      sigma: Math.sqrt(pca.variances[i] as number) * length,
      explainedVariance: Math.min(1, Math.max(0, share)),
      description: `Principal component ${i} of ${layer} (${(share * 100).toFixed(1)}% of its variance); name it after looking at the contact sheet.`,
    });
  }
  return {
    set: {
      latentSize: size,
      provenance: {
        model: o.model,
        method: 'ganspace-pca',
        layer,
        samples: m,
        seed: o.seed,
        created: new Date().toISOString(),
        tool: 'tools/directions/cli.ts',
      },
      directions,
    },
    layer,
    activationSize: width,
    pcaIterations: pca.iterations,
  };
}
