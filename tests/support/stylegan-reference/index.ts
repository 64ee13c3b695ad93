import { Rng } from '../../../src/core/latent/rng.ts';
import type { StyleGanNetwork } from '../../../src/core/stylegan/network.ts';
import { ModuleView } from './access.ts';
import { referenceMap, type ReferenceMapOptions } from './mapping.ts';
import { synthesizeStyleGan2, type NoiseMode } from './stylegan2.ts';
import { synthesizeStyleGan3 } from './stylegan3.ts';

/**
 * The independent CPU reference for StyleGAN2(-ADA) and StyleGAN3 generators: plain loops in float64 over a
 * StyleGanNetwork (the contract of src/core/stylegan/network.ts), written from NVIDIA's Python code and checked
 * against it by tests/unit/stylegan/fixtures/nvidia-golden.json. Everything the TF.js runtime computes is compared
 * with this. Slow on purpose (no tfjs, no tricks) and free of node: imports, so the browser tests can bundle it.
 */
export { referenceMap, type ReferenceMapOptions } from './mapping.ts';
export type { NoiseMode } from './stylegan2.ts';
export { upfirdn2d, conv2d, biasAct, fmap, type Fmap, type Filter, type Padding, type UpFirDnOptions } from './ops.ts';

export interface ReferenceSynthesisOptions {
  /** StyleGAN2 only (StyleGAN3 has no noise inputs). 'const' (the default here) uses each layer's noise_const
   * buffer; 'random' draws fresh normals; 'none' adds nothing. */
  readonly noiseMode?: NoiseMode;
  /** A factor on every layer's learned noise_strength. Default 1. */
  readonly noiseStrength?: number;
  /** Seed of the 'random' noise: for each sample, for each layer in execution order, res×res standard normals
   * (row-major) from Rng(seed). Default 0. */
  readonly seed?: number;
}

export type ReferenceGenerateOptions = ReferenceMapOptions & ReferenceSynthesisOptions;

/** The synthesis network: ws (n×num_ws×w_dim, as referenceMap returns) → images, NCHW float32 (range about [−1, 1]). */
export function referenceSynthesize(net: StyleGanNetwork, ws: Float32Array, opts: ReferenceSynthesisOptions = {}): Float32Array {
  const synthesis = ModuleView.root(net).child('synthesis');
  const numWs = synthesis.num('num_ws');
  const wDim = synthesis.num('w_dim');
  if (ws.length === 0 || ws.length % (numWs * wDim) !== 0) throw new Error(`referenceSynthesize: ws has ${ws.length} values, expected n × num_ws (${numWs}) × w_dim (${wDim})`);
  const n = ws.length / (numWs * wDim);
  const noiseStrength = opts.noiseStrength ?? 1;
  if (!Number.isFinite(noiseStrength)) throw new Error(`referenceSynthesize: noiseStrength must be finite, got ${noiseStrength}`);
  const images =
    net.generation === 'stylegan3'
      ? synthesizeStyleGan3(synthesis, ws, n)
      : synthesizeStyleGan2(synthesis, ws, n, { noiseMode: opts.noiseMode ?? 'const', noiseStrength, rng: new Rng(opts.seed ?? 0) });
  const first = images[0];
  if (first === undefined) throw new Error('referenceSynthesize: no images');
  const out = new Float32Array(n * first.data.length);
  images.forEach((img, b) => out.set(img.data, b * first.data.length));
  return out;
}

/** Generator.forward: referenceMap then referenceSynthesize. */
export function referenceGenerate(net: StyleGanNetwork, z: Float32Array, c?: Float32Array, opts: ReferenceGenerateOptions = {}): Float32Array {
  return referenceSynthesize(net, referenceMap(net, z, c, opts), opts);
}

/** [channels, height, width] of one output image. */
export function referenceImageShape(net: StyleGanNetwork): [number, number, number] {
  const root = ModuleView.root(net);
  const res = root.num('img_resolution');
  return [root.num('img_channels'), res, res];
}
