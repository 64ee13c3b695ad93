import * as tf from '@tensorflow/tfjs';
import type { ModelCard } from '../core/model-card/types.ts';
import type { TfBackend } from './backend.ts';
import type { GeneratedFrame } from './frame.ts';
import { startReadback, toPixelFrames, toTextureFrames, type FrameSink } from './handoff.ts';
import type { LoadedModel } from './model-loader.ts';
import { opaque, toRgb01 } from './postprocess.ts';
import { upscaleFactor, type UpscaleFactor } from './upscale/rule.ts';
import type { Upscaler } from './upscale/upscaler.ts';
import { STYLE_ROWS } from '../core/stylegan/style-rows.ts';

export type Handoff = GeneratedFrame['kind'];

export interface GeneratorOptions {
  /**
   * Called before and after tfjs touches a context it shares with the renderer (three: `() => renderer.resetState()`):
   * both cache GL state, and each must find the context as it expects it.
   */
  readonly resetRendererState?: () => void;
  /** Dispose the backend with the generator (createGenerator sets this: it started the backend). */
  readonly ownsBackend?: boolean;
  /** The learned super-resolution stage, run right after the model in the same tf.tidy; the generator disposes it. */
  readonly upscaler?: Upscaler;
  /** layout/upscale, read at every generate() (`() => bus.string('layout/upscale')`); default 'off'. */
  readonly upscaleMode?: () => string;
}

export interface GenerateOptions {
  /** Force the readback path even where textures are possible (benchmark baseline, tests). */
  readonly readback?: boolean;
  /**
   * 'latent' (default): n × latentSize numbers, the model's own input (z). 'styles': a StyleGAN's w rows,
   * n × styleSize numbers (src/core/stylegan/style-rows.ts), for synthesis only.
   */
  readonly input?: 'latent' | 'styles';
}

export interface GeneratorStats {
  readonly backend: TfBackend['kind'];
  readonly handoff: Handoff;
  /** Milliseconds per frame of the last batch (CPU time to frames in hand; GPU work may still be queued). */
  readonly lastMsPerFrame: number;
  readonly frames: number;
  /** Frames handed out and not yet released. */
  readonly liveFrames: number;
  /** Factor of the last batch's upscaling (1: none). */
  readonly upscale: UpscaleFactor;
}

/**
 * Latents in, portraits out, on one tfjs backend. Frames stay on the GPU ('webgl-texture') when tfjs runs on the
 * renderer's WebGL context, and come back as bytes ('pixels') otherwise. Each frame owns its memory until release().
 */
export class Generator {
  readonly card: ModelCard;
  readonly backend: TfBackend;
  /** How frames are handed over by default on this backend. */
  readonly handoff: Handoff;
  private readonly model: LoadedModel;
  private readonly options: GeneratorOptions;
  private readonly live = new Set<GeneratedFrame>();
  private readonly sink: FrameSink;
  private index = 0;
  private frames = 0;
  private lastMsPerFrame = 0;
  private lastFactor: UpscaleFactor = 1;
  private disposed = false;
  /** Rejecters of downloads in flight, failed at once if the device is lost. */
  private readonly waiting = new Set<(e: Error) => void>();

  constructor(model: LoadedModel, backend: TfBackend, options: GeneratorOptions = {}) {
    this.model = model;
    this.card = model.card;
    this.backend = backend;
    this.options = options;
    this.handoff = backend.sharedGl ? 'webgl-texture' : 'pixels';
    this.sink = { onRelease: (f) => this.live.delete(f), nextIndex: () => this.index++ };
    void backend.lost.then((loss) => {
      const error = new Error(`generator: ${loss.reason} during generate(); dispose and create a new generator`);
      for (const reject of this.waiting) reject(error);
    });
  }

  /** Latent size the model takes (latents are `n × latentSize` floats, row-major). */
  get latentSize(): number {
    return this.card.latent.size;
  }

  /** A StyleGAN model's handle (runtime, settings, CPU mapping), or undefined for other models. */
  get stylegan(): LoadedModel['stylegan'] {
    return this.model.stylegan;
  }

  /** Numbers per image for input 'styles' (STYLE_ROWS × w_dim), or null for a model that has no w. */
  get styleSize(): number | null {
    const sg = this.model.stylegan;
    return sg ? STYLE_ROWS * sg.runtime.wDim : null;
  }

  /** Generates n portraits from n latents packed in `latents`. Never blocks on the GPU (no dataSync). */
  async generate(latents: Float32Array, n: number, options: GenerateOptions = {}): Promise<GeneratedFrame[]> {
    const styles = options.input === 'styles' ? this.model.stylegan : undefined;
    if (options.input === 'styles' && !styles) throw new Error(`generate: model "${this.card.id}" has no w space; input 'styles' is for StyleGAN models`);
    const rowSize = styles ? STYLE_ROWS * styles.runtime.wDim : this.latentSize;
    this.check(latents, n, rowSize);
    const t0 = performance.now();
    const factor = this.upscaleFactor();
    const h = this.card.output.height * factor;
    const w = this.card.output.width * factor;
    const textures = this.handoff === 'webgl-texture' && options.readback !== true;
    let frames: GeneratedFrame[] = [];
    let pending: Promise<Float32Array> | null = null;
    this.options.resetRendererState?.();
    try {
      // One tidy from latents to RGBA: the upscaler (if on) runs on the model's output where it lies, on the GPU.
      const rgba = tf.tidy(() => {
        const raw = styles ? styles.predictStyles(tf.tensor2d(latents, [n * STYLE_ROWS, styles.runtime.wDim])) : this.model.predict(tf.tensor2d(latents, [n, rowSize]));
        const rgb = toRgb01(raw, this.card.output);
        return opaque(factor > 1 && this.options.upscaler ? this.options.upscaler.apply(rgb, factor) : rgb);
      });
      try {
        if (textures) frames = toTextureFrames(rgba, this.sink, factor);
        // The download's GL commands are issued here, inside the bracket, on a shared context.
        else pending = startReadback(rgba);
      } finally {
        rgba.dispose();
      }
    } finally {
      this.options.resetRendererState?.();
    }
    if (pending) {
      const download = pending;
      // A download cut by a lost context may never settle: stop waiting when the backend reports the loss.
      const values = await new Promise<Float32Array>((resolve, reject) => {
        this.waiting.add(reject);
        download.then(resolve, reject).finally(() => this.waiting.delete(reject));
      });
      frames = toPixelFrames(values, n, h, w, this.sink, factor);
    }
    const out = frames;
    if (this.disposed) {
      // Disposed while the download was in flight: nobody will release these.
      for (const f of out) f.release();
      throw new Error('generator disposed during generate()');
    }
    for (const f of out) this.live.add(f);
    this.frames += n;
    this.lastFactor = factor;
    this.lastMsPerFrame = (performance.now() - t0) / n;
    return out;
  }

  stats(): GeneratorStats {
    return {
      backend: this.backend.kind,
      handoff: this.handoff,
      lastMsPerFrame: this.lastMsPerFrame,
      frames: this.frames,
      liveFrames: this.live.size,
      upscale: this.lastFactor,
    };
  }

  /** The factor layout/upscale gives now for this model (1 without an upscaler): frames are this much bigger. */
  upscaleFactor(): UpscaleFactor {
    const up = this.options.upscaler;
    const mode = this.options.upscaleMode?.() ?? 'off';
    const { height, width } = this.card.output;
    return upscaleFactor(mode, { height, width, allowed: this.card.upscale?.allow ?? true, maxSide: up ? up.maxSide : null });
  }

  /** Frees the model, every frame not yet released (their textures die with them) and, if owned, the backend. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const f of [...this.live]) f.release();
    this.model.dispose();
    this.options.upscaler?.dispose();
    if (this.options.ownsBackend) this.backend.dispose();
  }

  private check(latents: Float32Array, n: number, rowSize: number): void {
    if (this.disposed) throw new Error('generator is disposed');
    if (this.backend.isLost()) throw new Error(`generator: the ${this.backend.kind} device is lost; dispose and create a new generator`);
    if (tf.getBackend() !== this.backend.tfName) {
      throw new Error(`generator runs on tfjs backend "${this.backend.tfName}" but the active one is "${tf.getBackend()}"`);
    }
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`generate: n must be a positive integer, got ${n}`);
    if (latents.length !== n * rowSize) {
      throw new RangeError(`generate: expected ${n} × ${rowSize} = ${n * rowSize} floats, got ${latents.length}`);
    }
  }
}
