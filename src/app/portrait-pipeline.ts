import type { WalkSettings } from '../core/latent/walk-settings.ts';
import type { MappedSpace } from '../core/latent/latent-space.ts';
import type { Walker } from '../core/latent/walker.ts';

/** What the pipeline takes latents from: the walker itself, or a screen's view of the shared walk (PageScreenWalk). */
export type LatentSource = Pick<Walker, 'size' | 'tick' | 'latent' | 'siblingsInto'> & { readonly step?: Walker['step'] };
import type { SitterBus } from '../core/params/catalogue.ts';
import type { StyleRows } from '../core/stylegan/style-rows.ts';
import { createStyleSettings, readStyleSettings, type StyleSettings } from '../core/stylegan/style-settings.ts';
import type { GenerationQueue } from '../generator/queue.ts';
import type { SitterRenderer } from '../render/renderer.ts';

/** The runtime settings a StyleGAN generator reads at every call (src/generator/stylegan/loaded-model.ts). */
export interface StyleTarget {
  noiseMode: StyleSettings['noiseMode'];
  noiseStrength: number;
  mixLayer?: number | null;
  truncationCutoff: number | null;
  classIndex: number;
}

/** For a StyleGAN walked in w: the space (its class), the row writer, and the generator's settings object. */
export interface StyleFeed {
  readonly space: MappedSpace;
  readonly rows: StyleRows;
  target: StyleTarget;
}

/**
 * The one direction of data, per display frame: the walker moves (at the display's rate, so its path is smooth),
 * and whenever the generator is free it takes the walker's latest latent — or the N×N siblings for a grid wall —
 * as one batch. Frames go to the renderer, which morphs between them at the display's rate. A slow generator
 * skips latents; it never makes the walk or the screen wait.
 */
export class PortraitPipeline {
  private inFlight = false;
  private batch: Float32Array;
  private presented = 0;
  private paused = false;
  private readonly style: StyleSettings = createStyleSettings();

  constructor(
    private readonly walker: LatentSource,
    private queue: GenerationQueue,
    /** Only present() is used: the renderer takes ownership of each frame it accepts. */
    private readonly renderer: Pick<SitterRenderer, 'present'>,
    private readonly bus: SitterBus,
    /** Seconds on the renderer's clock: a frame's arrival time starts its morph. */
    private readonly now: () => number = () => performance.now() / 1000,
    /** A StyleGAN walked in w: the queue then takes STYLE_ROWS w rows per image (the queue's source says so). */
    private readonly styles?: StyleFeed,
    /** Tempo sync: the (dt, settings) the walker steps with this frame instead of the frame's dt and the bus. */
    private readonly walkStep: ((dt: number) => { readonly dt: number; readonly settings: WalkSettings }) | null = null,
  ) {
    this.batch = new Float32Array((styles ? styles.rows.rowSize : walker.size) * 16);
  }

  /**
   * After a context loss the generator (and its queue) is rebuilt; the walk carries on where it was. A StyleGAN's
   * new generator brings its own settings object.
   */
  setQueue(queue: GenerationQueue, styleTarget?: StyleTarget): void {
    this.queue = queue;
    this.inFlight = false;
    if (this.styles && styleTarget) this.styles.target = styleTarget;
  }

  pause(on: boolean): void {
    this.paused = on;
  }

  framesPresented(): number {
    return this.presented;
  }

  tick(dt: number): void {
    const styles = this.styles;
    if (styles) {
      readStyleSettings(this.bus, this.style);
      // Before the walk moves: the class decides what its keyframes map to.
      styles.space.setClass(this.style.classIndex);
    }
    if (this.walkStep && this.walker.step) {
      const step = this.walkStep(dt);
      this.walker.step(step.dt, step.settings);
    } else this.walker.tick(dt, this.bus);
    if (this.paused || this.inFlight) return;
    const grid = this.bus.number('layout/grid');
    const cells = grid * grid;
    const size = styles ? styles.rows.rowSize : this.walker.size;
    if (this.batch.length < cells * size) this.batch = new Float32Array(cells * size);
    const latents = this.batch.subarray(0, cells * size);
    if (styles) {
      const t = styles.target;
      t.noiseMode = this.style.noiseMode;
      t.noiseStrength = this.style.noiseStrength;
      t.mixLayer = this.style.mixLayer;
      t.truncationCutoff = this.style.truncationCutoff;
      t.classIndex = this.style.classIndex;
      styles.rows.writeInto(cells, this.style, latents);
    } else if (cells === 1) latents.set(this.walker.latent());
    else this.walker.siblingsInto(latents);
    this.inFlight = true;
    const queue = this.queue;
    void queue.request(latents, cells).then((frames) => {
      if (queue === this.queue) this.inFlight = false;
      if (!frames) return;
      const at = this.now();
      frames.forEach((frame, i) => {
        // The renderer owns presented frames and releases them; a stale queue's frames are released here.
        if (queue === this.queue && this.renderer.present(i, frame, at)) this.presented++;
        else frame.release();
      });
    });
  }
}
