// samples.png shows portraits as a visitor sees them: when the shipped shows would put a model through the learned ×4
// upscaler (layout/upscale auto, the rule the page applies), the sheet goes through the same Upscaler class the page
// runs; otherwise it is the model's own output. The native grid stays beside it as samples-native.png.
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';
import { loadUpscaler } from '../../../src/generator/upscale/upscaler.ts';
import { upscaleFactor } from '../../../src/generator/upscale/rule.ts';
import { fileFetch } from '../../lib/model-files.ts';
import { fixedLatents, SAMPLE_SEED, writeGridPng } from './exportModel.ts';

/** The bundled upscaler the shipped shows load (models/upscale-x4). */
export const SHIPPED_UPSCALER = path.resolve(import.meta.dirname, '../../../models/upscale-x4');

/** How many portraits the display sheet shows (4 × 4: at 256 px a 1,034 px square sheet). */
export const DISPLAY_SAMPLES = 16;

export interface DisplaySheet {
  /** Pixels per portrait on the sheet. */
  side: number;
  factor: 1 | 2 | 4;
}

/**
 * Writes `<out>/samples.png` from the first DISPLAY_SAMPLES of the fixed sample latents (those of samples-native.png,
 * same truncation), upscaled as the shipped shows would. `allowed` is the card's `upscale.allow` (absent: true).
 */
export async function writeDisplaySamples(
  out: string,
  model: tf.LayersModel,
  shape: { size: number; latent: number; allowed: boolean },
  upscalerDir: string = SHIPPED_UPSCALER,
): Promise<DisplaySheet> {
  const upscaler = fs.existsSync(path.join(upscalerDir, 'card.json')) ? await loadUpscaler('http://local/', fileFetch(upscalerDir)) : null;
  try {
    const factor = upscaleFactor('auto', { height: shape.size, width: shape.size, allowed: shape.allowed, maxSide: upscaler?.maxSide ?? null });
    const side = shape.size * factor;
    const pixels = tf.tidy(() => {
      const z = fixedLatents(DISPLAY_SAMPLES, shape.latent, SAMPLE_SEED, 0.8);
      // The page's hand-off: [-1, 1] → [0, 1], clamped, then the upscaler.
      const rgb = tf.clipByValue(tf.mul(tf.add(model.predict(z) as tf.Tensor4D, 1), 0.5), 0, 1) as tf.Tensor4D;
      const shown = upscaler ? upscaler.apply(rgb, factor) : rgb;
      return Uint8Array.from(tf.round(tf.mul(tf.clipByValue(shown, 0, 1), 255)).dataSync());
    });
    writeGridPng(path.join(out, 'samples.png'), pixels, DISPLAY_SAMPLES, side, 4);
    return { side, factor };
  } finally {
    upscaler?.dispose();
  }
}
