import * as tf from '@tensorflow/tfjs';
import type { StyleGanGeneration, StyleGanNetwork } from '../../core/stylegan/network.ts';
import { Uploads } from './common.ts';
import { Mapping, type TruncationOptions } from './mapping.ts';
import type { NoiseOptions } from './noise.ts';
import { StyleGan2Synthesis } from './stylegan2.ts';
import { StyleGan3Synthesis } from './stylegan3.ts';
import { ModuleView } from './tree.ts';

export interface SynthesisOptions {
  /** Default 'const' (a walk then shows the same picture for the same w). Ignored by StyleGAN3 (no noise). */
  readonly noiseMode?: NoiseOptions['noiseMode'];
  /** Multiplies every layer's learned noise strength; default 1. */
  readonly noiseStrength?: number;
}

/**
 * A StyleGAN generator on the active tfjs backend, built once from an imported network: every weight is uploaded
 * at construction in the layout the ops want (NHWC activations, HWIO filters, gains folded in), so a frame does
 * no conversion. Every method returns a new tensor the caller owns and keeps its intermediates in tf.tidy.
 * Images are NHWC, RGB, about [−1, 1] (the network's raw output: not clamped).
 */
export interface StyleGanRuntime {
  readonly generation: StyleGanGeneration;
  readonly zDim: number;
  readonly cDim: number;
  readonly wDim: number;
  readonly numWs: number;
  readonly resolution: number;
  readonly imgChannels: number;
  /** The mapping network's w_avg (what truncation pulls toward), or null when the network tracks none. */
  readonly wAvg: Float32Array | null;
  /** z [n, zDim] (and a label c [n, cDim] for a conditional model) → ws [n, numWs, wDim]. */
  mapping(z: tf.Tensor2D, c?: tf.Tensor2D | null, options?: TruncationOptions): tf.Tensor3D;
  /** ws [n, numWs, wDim] → images [n, res, res, imgChannels] NHWC. */
  synthesis(ws: tf.Tensor3D, options?: SynthesisOptions): tf.Tensor4D;
  /** mapping then synthesis. */
  generate(z: tf.Tensor2D, c?: tf.Tensor2D | null, options?: TruncationOptions & SynthesisOptions): tf.Tensor4D;
  /** Number of tensors the runtime holds (its weights). */
  readonly tensorCount: number;
  dispose(): void;
}

export interface RuntimeOptions {
  /** StyleGAN2's ×2 up-conv: 'polyphase' (default) or 'transposed' (for comparison; same result). */
  readonly upConv?: 'polyphase' | 'transposed';
  /** StyleGAN3's upsampling: 'polyphase' (default) or 'zero-insert' (for comparison; same result). */
  readonly upsample?: 'polyphase' | 'zero-insert';
}

export function createStyleGanRuntime(net: StyleGanNetwork, options: RuntimeOptions = {}): StyleGanRuntime {
  const up = new Uploads();
  const root = ModuleView.root(net);
  try {
    const synthesis =
      net.generation === 'stylegan3'
        ? new StyleGan3Synthesis(root.child('synthesis'), up, { polyphase: (options.upsample ?? 'polyphase') === 'polyphase' })
        : new StyleGan2Synthesis(root.child('synthesis'), up, { upConv: options.upConv ?? 'polyphase' });
    const mapping = new Mapping(root.child('mapping'), synthesis.numWs, up);
    let disposed = false;
    const live = (): void => {
      if (disposed) throw new Error('StyleGAN runtime is disposed');
    };
    const synth = (ws: tf.Tensor3D, options: SynthesisOptions): tf.Tensor4D => {
      if (ws.rank !== 3 || ws.shape[1] !== synthesis.numWs || ws.shape[2] !== mapping.wDim) {
        throw new Error(`synthesis: ws has shape [${ws.shape.join(', ')}], expected [n, ${synthesis.numWs}, ${mapping.wDim}]`);
      }
      const noise: NoiseOptions = { noiseMode: options.noiseMode ?? 'const', noiseStrength: options.noiseStrength ?? 1 };
      return synthesis instanceof StyleGan3Synthesis ? synthesis.apply(ws) : synthesis.apply(ws, noise);
    };
    return {
      generation: net.generation,
      zDim: mapping.zDim,
      cDim: mapping.cDim,
      wDim: mapping.wDim,
      numWs: synthesis.numWs,
      resolution: synthesis.resolution,
      imgChannels: synthesis.imgChannels,
      wAvg: mapping.wAvgValues,
      tensorCount: up.count,
      mapping(z, c = null, options = {}) {
        live();
        return tf.tidy(() => mapping.apply(z, c, options));
      },
      synthesis(ws, options = {}) {
        live();
        return tf.tidy(() => synth(ws, options));
      },
      generate(z, c = null, options = {}) {
        live();
        return tf.tidy(() => synth(mapping.apply(z, c, options), options));
      },
      dispose() {
        if (disposed) return;
        disposed = true;
        up.dispose();
      },
    };
  } catch (e) {
    up.dispose();
    throw e;
  }
}
