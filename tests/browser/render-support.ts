import { ParameterBus } from '../../src/core/params/bus.ts';
import { PARAMS } from '../../src/core/params/catalogue.ts';
import type { GeneratedFrame } from '../../src/generator/frame.ts';
import { SitterRenderer } from '../../src/render/renderer.ts';

/** Shared by tests/browser/render*.test.ts: small renderers, known frames, pixel reads. */

export type Rgb = readonly [number, number, number];

/** A bus with the film look off (grain 0, vignette 0): the picture is exactly the morph of the frames. */
export function neutralBus(): ParameterBus {
  const bus = new ParameterBus(PARAMS);
  bus.set('grain/amount', 0, 'show', { immediate: true });
  bus.set('vignette/amount', 0, 'show', { immediate: true });
  return bus;
}

export function makeRenderer(bus: ParameterBus, width = 16, height = 16): SitterRenderer {
  const r = new SitterRenderer({ bus, pixelRatio: 1, seed: 7 });
  r.resize(width, height);
  return r;
}

export interface CountedFrame {
  readonly frame: GeneratedFrame;
  released(): number;
}

let nextIndex = 0;

/** An RGBA 'pixels' frame filled by f(x, y) (row 0 at the top); counts its releases. */
export function pixelsFrame(width: number, height: number, f: (x: number, y: number) => Rgb): CountedFrame {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = f(x, y);
      data.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  let count = 0;
  const frame: GeneratedFrame = { kind: 'pixels', data, width, height, index: nextIndex++, release: () => void count++ };
  return { frame, released: () => count };
}

export const solid = (c: Rgb, size = 4): CountedFrame => pixelsFrame(size, size, () => c);

/**
 * A 'webgl-texture' frame as the generator makes it: an RGBA32F texture (tfjs's dense packing of [h, w, 4] in
 * [0, 1]) on the renderer's own context, NEAREST, row 0 first. Made with raw GL, then three's state is reset.
 */
export function glTextureFrame(r: SitterRenderer, width: number, height: number, f: (x: number, y: number) => Rgb): CountedFrame & { texture: WebGLTexture } {
  const gl = r.getContext();
  const data = new Float32Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [cr, cg, cb] = f(x, y);
      data.set([cr / 255, cg / 255, cb / 255, 1], (y * width + x) * 4);
    }
  }
  const texture = r.withForeignGl(() => {
    const t = gl.createTexture();
    if (!t) throw new Error('createTexture failed');
    gl.bindTexture(gl.TEXTURE_2D, t);
    gl.pixelStorei(gl.UNPACK_FLIP_Y_WEBGL, false);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA32F, width, height, 0, gl.RGBA, gl.FLOAT, data);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    gl.bindTexture(gl.TEXTURE_2D, null);
    return t;
  });
  let count = 0;
  const frame: GeneratedFrame = { kind: 'webgl-texture', texture, width, height, index: nextIndex++, release: () => void count++ };
  return { frame, texture, released: () => count };
}

/** RGB at (x, y), y counted from the TOP of the canvas. Call right after render(): the buffer is not preserved. */
export function pixelAt(r: SitterRenderer, x: number, y: number): Rgb {
  const gl = r.getContext();
  const px = new Uint8Array(4);
  gl.readPixels(x, gl.drawingBufferHeight - 1 - y, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
  return [px[0] as number, px[1] as number, px[2] as number];
}

/** Every pixel, rows from the top, RGBA. */
export function allPixels(r: SitterRenderer): { data: Uint8Array; width: number; height: number } {
  const gl = r.getContext();
  const w = gl.drawingBufferWidth;
  const h = gl.drawingBufferHeight;
  const raw = new Uint8Array(w * h * 4);
  gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, raw);
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) data.set(raw.subarray((h - 1 - y) * w * 4, (h - y) * w * 4), y * w * 4);
  return { data, width: w, height: h };
}

export const mix = (a: Rgb, b: Rgb, t: number): Rgb => [0, 1, 2].map((i) => (1 - t) * (a[i] as number) + t * (b[i] as number)) as unknown as Rgb;

/** IEC 61966-2-1 sRGB transfer, on 0..255 values, as the shaders use it. */
export const toLinear = (v: number): number => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
export const toSrgb = (l: number): number => {
  const c = Math.min(1, Math.max(0, l));
  return 255 * (c <= 0.0031308 ? c * 12.92 : 1.055 * c ** (1 / 2.4) - 0.055);
};

export function expectClose(got: Rgb, want: Rgb, tolerance: number, what: string): void {
  const bad = [0, 1, 2].some((i) => Math.abs((got[i] as number) - (want[i] as number)) > tolerance);
  if (bad) throw new Error(`${what}: got [${got.join(', ')}], want [${want.map((v) => v.toFixed(1)).join(', ')}] ±${tolerance}`);
}
