import * as tf from '@tensorflow/tfjs';
import { validateUpscalerCard, type UpscalerCard } from '../../core/model-card/upscaler-card.ts';
import { folderUrl, ModelLoadError, type FetchLike } from '../model-loader.ts';
import { parseUpscalerManifest, type UpscalerManifest } from './manifest.ts';
import type { UpscaleFactor } from './rule.ts';
import { errorMessage } from '../../core/error-message.ts';

/**
 * The learned ×4 super-resolution stage (models/upscale-x4, trained by tools/upscale): the ESPCN-sized conv net
 * of tools/upscale/model.py rebuilt with tf ops, so it runs on whatever backend runs the generator, inside the
 * generator's tf.tidy, on the GPU, with no readback. ×2 is the ×4 net run on the portrait's 2×2 box average (what the
 * net was trained to invert): a quarter of ×4's work, so the frame-budget governor's x2 rung really frees GPU time.
 * (×4 then averaged down would cost as much as ×4 for a quarter of the pixels.) Odd-sized inputs take that slower way.
 */
export class Upscaler {
  private readonly kernels: tf.Tensor4D[];
  private readonly biases: tf.Tensor1D[];
  private disposed = false;

  constructor(
    readonly card: UpscalerCard,
    private readonly manifest: UpscalerManifest,
    weights: tf.NamedTensorMap,
  ) {
    this.kernels = manifest.convs.map((c) => weights[`${c.name}/kernel`] as tf.Tensor4D);
    this.biases = manifest.convs.map((c) => weights[`${c.name}/bias`] as tf.Tensor1D);
  }

  /** Largest input side the card allows. */
  get maxSide(): number {
    return this.card.input.maxSide;
  }

  /** [n, h, w, 3] in [0, 1] → [n, h·factor, w·factor, 3] in [0, 1]. Call inside tf.tidy. */
  apply(rgb: tf.Tensor4D, factor: UpscaleFactor): tf.Tensor4D {
    if (this.disposed) throw new Error('upscaler is disposed');
    if (factor === 1) return rgb;
    const [, h, w, c] = rgb.shape;
    if (c !== 3) throw new RangeError(`upscaler: expected 3 colour channels, got ${c}`);
    const s = this.manifest.factor;
    if (factor === s) return this.net(rgb);
    if (factor * 2 === s && h % 2 === 0 && w % 2 === 0) return this.net(tf.avgPool(rgb, 2, 2, 'valid'));
    return tf.avgPool(this.net(rgb), 2, 2, 'valid');
  }

  /** The trained net: [n, h, w, 3] → [n, h·s, w·s, 3], s the manifest's factor (4). */
  private net(rgb: tf.Tensor4D): tf.Tensor4D {
    const [, h, w] = rgb.shape;
    let f: tf.Tensor4D = tf.add(rgb, this.manifest.inputOffset);
    this.manifest.convs.forEach((conv, i) => {
      f = tf.fused.conv2d({
        x: f,
        filter: this.kernels[i] as tf.Tensor4D,
        bias: this.biases[i] as tf.Tensor1D,
        strides: 1,
        pad: 'same',
        activation: conv.activation,
      });
    });
    const s = this.manifest.factor;
    // depthToSpace (NHWC, DCR) reads sub-pixels in the order export.py wrote the last conv's channels in.
    const residual = tf.depthToSpace(f, s, 'NHWC');
    const base = tf.image.resizeBilinear(rgb, [h * s, w * s], false, true);
    return tf.clipByValue(tf.add(base, residual), 0, 1) as tf.Tensor4D;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of [...this.kernels, ...this.biases]) t.dispose();
  }
}

/** Loads `<folder>/card.json`, its manifest and weights on the active tfjs backend. Errors are ModelLoadErrors. */
export async function loadUpscaler(baseUrl: string, fetchFn: FetchLike = (u, i) => fetch(u, i)): Promise<Upscaler> {
  const folder = folderUrl(baseUrl);
  const json = async (url: string): Promise<unknown> => {
    const res = await fetchFn(url).catch((e: unknown) => {
      throw new ModelLoadError(`${url}: could not be fetched (${errorMessage(e)})`);
    });
    if (!res.ok) throw new ModelLoadError(`${url}: missing (HTTP ${res.status})`);
    try {
      return (await res.json()) as unknown;
    } catch (e) {
      throw new ModelLoadError(`${url}: not valid JSON (${errorMessage(e)})`);
    }
  };
  const cardUrl = `${folder}card.json`;
  const valid = validateUpscalerCard(await json(cardUrl), cardUrl);
  if (!valid.ok) throw new ModelLoadError(valid.errors.join('\n'), valid.errors);
  const manifestUrl = `${folder}${valid.card.modelUrl}`;
  let manifest: UpscalerManifest;
  try {
    manifest = parseUpscalerManifest(await json(manifestUrl), manifestUrl);
  } catch (e) {
    if (e instanceof ModelLoadError) throw e;
    throw new ModelLoadError(errorMessage(e));
  }
  if (manifest.factor !== valid.card.factor) {
    throw new ModelLoadError(`${cardUrl}: factor: expected ${manifest.factor} (the manifest's), got ${valid.card.factor}`);
  }
  const group = manifest.weightsManifest[0];
  const weightsUrl = `${folder}${group.paths[0]}`;
  const res = await fetchFn(weightsUrl).catch(() => null);
  if (!res?.ok) throw new ModelLoadError(`${weightsUrl}: missing (named by ${manifestUrl})`);
  const buffer = await res.arrayBuffer();
  const floats = group.weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
  if (buffer.byteLength !== floats * 4) {
    throw new ModelLoadError(`${weightsUrl}: expected ${floats * 4} bytes (${floats} float32 weights in ${manifestUrl}), got ${buffer.byteLength}`);
  }
  const weights = tf.io.decodeWeights(buffer, group.weights.map((w) => ({ name: w.name, shape: [...w.shape], dtype: w.dtype })));
  return new Upscaler(valid.card, manifest, weights);
}
