/**
 * What the generator hands the renderer: one generated portrait, kept on the GPU where the backend allows.
 * The renderer calls release() once it no longer samples the frame (after the morph that uses it has ended);
 * the generator frees the tensor behind it then, never before.
 *
 * - 'webgl-texture': a texture on the WebGL2 context the renderer draws with (tfjs runs on three's context).
 *   Layout is tfjs's dense RGBA packing of an [h, w, 4] float tensor, values in [0, 1], row 0 at the top,
 *   texShape [rows, cols] = [h, w] (tfjs `dataToGPU({customTexShape: [h, w]})`).
 * - 'pixels': RGBA bytes, row 0 at the top, for backends that cannot share a context (cpu, wasm, webgpu with a
 *   WebGL renderer) and as the readback baseline in benchmarks.
 */
export type GeneratedFrame =
  | {
      readonly kind: 'webgl-texture';
      readonly texture: WebGLTexture;
      readonly width: number;
      readonly height: number;
      /** Monotonic frame number from the generator, for ordering and tests. */
      readonly index: number;
      /** How many times the model's own output was enlarged by the upscaler (1: not at all); effects sized in
       * portrait pixels (paint/radius) divide by it so they look the same with the upscaler on or off. Absent: 1. */
      readonly upscale?: number;
      release(): void;
    }
  | {
      readonly kind: 'pixels';
      readonly data: Uint8ClampedArray;
      readonly width: number;
      readonly height: number;
      readonly index: number;
      readonly upscale?: number;
      release(): void;
    };
