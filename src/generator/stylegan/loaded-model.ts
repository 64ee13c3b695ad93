import * as tf from '@tensorflow/tfjs';
import type { ModelCard } from '../../core/model-card/types.ts';
import { CpuMapping } from '../../core/stylegan/cpu-mapping.ts';
import { STYLE_ROWS } from '../../core/stylegan/style-rows.ts';
import { styleRowOfLayer } from '../../core/stylegan/style-settings.ts';
import { ModelLoadError, type FetchLike, type LoadedModel } from '../model-loader.ts';
import { loadStyleGanNetwork } from './loader.ts';
import type { NoiseMode } from './noise.ts';
import { createStyleGanRuntime, type StyleGanRuntime } from './runtime.ts';
import { errorMessage } from '../../core/error-message.ts';

/** What predict(z) does with a StyleGAN model; mutable, read at every call (the bus will drive it). */
export interface StyleGanSettings {
  /** ψ toward w_avg; starts at the card's truncation.recommended. */
  truncationPsi: number;
  /** Truncate only the first ws (null = all). */
  truncationCutoff: number | null;
  noiseMode: NoiseMode;
  noiseStrength: number;
  /** For a conditional model (c_dim > 0): the class, one-hot. */
  classIndex: number;
  /** predictStyles only: first layer taken from the mix rows (null = no mixing). */
  mixLayer?: number | null;
}

export interface StyleGanHandle {
  readonly runtime: StyleGanRuntime;
  readonly settings: StyleGanSettings;
  /** The mapping network on the CPU (its weights copied out at load), for walking in w. */
  readonly mapping: CpuMapping;
  /**
   * Synthesis only, from STYLE_ROWS w rows per image ([n × STYLE_ROWS, w_dim], see src/core/stylegan/style-rows.ts):
   * layer l takes row styleRowOfLayer(l, settings.mixLayer, settings.truncationCutoff), gathered on the GPU; no
   * truncation here (the rows carry it). Output as predict's.
   */
  predictStyles(rows: tf.Tensor2D): tf.Tensor4D;
}

/**
 * A StyleGAN folder as the Generator sees any model: predict(z) = mapping (with the settings' truncation and
 * label) → synthesis, returned in the card's output layout, so the queue, hand-off and renderer need no change.
 */
export async function loadStyleGanModel(card: ModelCard, folder: string, fetchFn: FetchLike, onProgress?: (fraction: number) => void): Promise<LoadedModel> {
  const net = await loadStyleGanNetwork(folder, card, fetchFn, onProgress);
  let runtime: StyleGanRuntime;
  try {
    runtime = createStyleGanRuntime(net);
  } catch (e) {
    throw new ModelLoadError(`${folder}${card.stylegan?.network ?? 'network.json'}: the network could not be built: ${errorMessage(e)}`);
  }
  let mapping: CpuMapping;
  try {
    mapping = new CpuMapping(net);
  } catch (e) {
    runtime.dispose();
    throw new ModelLoadError(`${folder}${card.stylegan?.network ?? 'network.json'}: the mapping network could not be read: ${errorMessage(e)}`);
  }
  const settings: StyleGanSettings = { truncationPsi: card.truncation.recommended, truncationCutoff: null, noiseMode: 'const', noiseStrength: 1, classIndex: 0, mixLayer: null };
  const nchw = card.output.layout === 'NCHW';
  const plan = new Int32Array(runtime.numWs);
  const predictStyles = (rows: tf.Tensor2D): tf.Tensor4D =>
    tf.tidy(() => {
      const [count, width] = rows.shape;
      if (count % STYLE_ROWS !== 0 || width !== runtime.wDim) {
        throw new Error(`predictStyles: rows have shape [${rows.shape.join(', ')}], expected [n × ${STYLE_ROWS}, ${runtime.wDim}]`);
      }
      for (let l = 0; l < plan.length; l++) plan[l] = styleRowOfLayer(l, settings.mixLayer ?? null, settings.truncationCutoff);
      const perImage = tf.reshape(rows, [count / STYLE_ROWS, STYLE_ROWS, width]);
      const ws = tf.gather(perImage, tf.tensor1d(plan, 'int32'), 1) as tf.Tensor3D;
      const img = runtime.synthesis(ws, settings);
      return nchw ? tf.transpose(img, [0, 3, 1, 2]) : img;
    });
  return {
    card,
    cardUrl: `${folder}card.json`,
    stylegan: { runtime, settings, mapping, predictStyles },
    predict: (z) =>
      tf.tidy(() => {
        const n = z.shape[0];
        let c: tf.Tensor2D | null = null;
        if (runtime.cDim > 0) {
          const k = Math.max(0, Math.min(runtime.cDim - 1, Math.round(settings.classIndex)));
          c = tf.tile(tf.oneHot(tf.tensor1d([k], 'int32'), runtime.cDim).asType('float32'), [n, 1]) as tf.Tensor2D;
        }
        const img = runtime.generate(z, c, settings);
        return nchw ? tf.transpose(img, [0, 3, 1, 2]) : img;
      }),
    dispose: () => runtime.dispose(),
  };
}
