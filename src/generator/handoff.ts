import * as tf from '@tensorflow/tfjs';
import type { GeneratedFrame } from './frame.ts';

/**
 * The two ways a generated batch reaches the renderer. Both take an [n, h, w, 4] RGBA tensor in [0, 1] and leave
 * it to the caller to dispose; every frame they make owns only what its release() frees.
 */

export interface FrameSink {
  /** Called once per frame when it is released (for the generator's count of live frames). */
  readonly onRelease: (frame: GeneratedFrame) => void;
  nextIndex(): number;
}

/** Makes a frame whose release() works once (a second call is a no-op): frees what the frame owns, then tells the sink. */
function releasedOnce(sink: FrameSink, make: (release: () => void) => GeneratedFrame, free?: () => void): GeneratedFrame {
  let released = false;
  const frame = make(() => {
    if (released) return;
    released = true;
    free?.();
    sink.onRelease(frame);
  });
  return frame;
}

/**
 * WebGL, shared context: one dense RGBA texture per image via dataToGPU (texShape [h, w], row 0 at the top), no
 * CPU round trip. The texture belongs to tfjs's texture pool: release() returns it, so the renderer must stop
 * sampling first.
 */
export function toTextureFrames(rgba: tf.Tensor4D, sink: FrameSink, upscale = 1): GeneratedFrame[] {
  const [n, h, w] = rgba.shape;
  const frames: GeneratedFrame[] = [];
  for (let i = 0; i < n; i++) {
    const image = tf.tidy(() => tf.reshape(tf.slice(rgba, [i, 0, 0, 0], [1, h, w, 4]), [h, w, 4]));
    let gpu: tf.GPUData;
    try {
      gpu = image.dataToGPU({ customTexShape: [h, w] });
    } catch (e) {
      // Give back the frames of this batch already made: nobody else holds them yet.
      for (const f of frames) f.release();
      throw e;
    } finally {
      image.dispose();
    }
    const { texture, tensorRef } = gpu;
    if (!texture) {
      tensorRef.dispose();
      throw new Error('dataToGPU returned no WebGL texture: this backend cannot hand frames over as textures');
    }
    frames.push(releasedOnce(sink, (release) => ({ kind: 'webgl-texture', texture, width: w, height: h, index: sink.nextIndex(), upscale, release }), () => tensorRef.dispose()));
  }
  return frames;
}

/** Starts the download of a batch (async `data()`, never dataSync: the frame loop must not wait on the GPU). */
export function startReadback(rgba: tf.Tensor4D): Promise<Float32Array> {
  const scaled = tf.tidy(() => tf.mul(rgba, 255));
  // Dispose only once the read is done: WebGL defers a disposal during a read, WebGPU loses the data.
  return scaled.data<'float32'>().finally(() => scaled.dispose());
}

/** The readback path: RGBA bytes per image. Uint8ClampedArray.set rounds and clamps each float (ToUint8Clamp). */
export function toPixelFrames(values: Float32Array, n: number, h: number, w: number, sink: FrameSink, upscale = 1): GeneratedFrame[] {
  const size = h * w * 4;
  const frames: GeneratedFrame[] = [];
  for (let i = 0; i < n; i++) {
    const data = new Uint8ClampedArray(size);
    data.set(values.subarray(i * size, (i + 1) * size));
    frames.push(releasedOnce(sink, (release) => ({ kind: 'pixels', data, width: w, height: h, index: sink.nextIndex(), upscale, release })));
  }
  return frames;
}
