import {
  GLSL3, Mesh, OrthographicCamera, PlaneGeometry, RawShaderMaterial, Scene, UnsignedByteType, Vector2,
  WebGLRenderer, WebGLRenderTarget, LinearFilter, type IUniform, type Texture,
} from 'three';
import type { Clock } from '../core/clock.ts';
import type { SitterBus } from '../core/params/catalogue.ts';
import type { GeneratedFrame } from '../generator/frame.ts';
import { Cell } from './cell.ts';
import { Emitter, type RendererEvents } from './events.ts';
import { POST_FRAGMENT, POST_VERTEX } from './glsl.ts';
import { cellRect, fitScale, parseRotation, rotationCosSin, virtualAspect, wallAspect, wallRect, type Fit, type WallViewport } from './layout.ts';
import { createPictureUniforms, readPictureParams, type PictureUniforms, type Upscale } from './picture-uniforms.ts';

/** layout/grid's maximum (core/params/catalogue.ts): 4×4 cells. */
export const MAX_CELLS = 16;

export interface SitterRendererOptions {
  readonly bus: SitterBus;
  /** Draw into this canvas; by default the renderer makes one (append `renderer.canvas` to the page). */
  readonly canvas?: HTMLCanvasElement;
  /** Size the canvas to this element and follow its resizes; without it call resize() yourself. */
  readonly container?: HTMLElement;
  /** Defaults to window.devicePixelRatio (re-read on every resize). */
  readonly pixelRatio?: number;
  /** Sharper Catmull-Rom upscale (default) or bilinear. */
  readonly upscale?: Upscale;
  /** Seed of the grain and dissolve patterns: the same seed draws the same pixels. */
  readonly seed?: number;
  /** The show's clock (seconds), for present() calls that give no arrival time; default performance.now() / 1000. */
  readonly clock?: Clock;
}

/**
 * The full-screen scene: N×N cells, each morphing between its last two generated frames, finished by grading,
 * grain, vignette and the master level, with an optional painterly pass. Draws only when render(now) is called.
 */
export class SitterRenderer {
  readonly canvas: HTMLCanvasElement;
  /** three's renderer, for tests and benchmarks (info.memory) — the app should not need it. */
  readonly three: WebGLRenderer;
  private bus: SitterBus;
  private readonly events = new Emitter<RendererEvents>();
  private readonly geometry = new PlaneGeometry(2, 2);
  private readonly camera = new OrthographicCamera(-1, 1, 1, -1, 0, 1);
  private readonly cellScene = new Scene();
  private readonly postScene = new Scene();
  private readonly shared: PictureUniforms;
  private readonly cells: Cell[] = [];
  private readonly post: Mesh<PlaneGeometry, RawShaderMaterial>;
  private readonly postUniforms: { uScene: IUniform<Texture | null>; uPaintAmount: IUniform<number>; uPaintRadius: IUniform<number>; uPaintStep: IUniform<number> };
  private readonly target = new WebGLRenderTarget(1, 1, { type: UnsignedByteType, depthBuffer: false, minFilter: LinearFilter, magFilter: LinearFilter, generateMipmaps: false });
  private readonly size = new Vector2();
  private readonly rect = new Float32Array(4);
  private readonly fit = new Float32Array(2);
  /** One tile of a video wall across screens (several screens, one piece), or null: the whole picture here. */
  private viewport: WallViewport | null = null;
  private readonly clock: Clock;
  private cssWidth = 1;
  private cssHeight = 1;
  private pixelRatio: number | undefined;
  private appliedScale = Number.NaN;
  private upscale = 1;
  private lost = false;
  private disposed = false;
  private observer: ResizeObserver | null = null;
  /** The canvas was made and attached here, so dispose() takes it off the page again. */
  private readonly ownsCanvas: boolean;
  private readonly onLost = (e: Event): void => {
    // Without preventDefault the browser never restores the context (WebGL 1.0 spec §5.15.2).
    e.preventDefault();
    this.lost = true;
    for (const c of this.cells) c.releaseFrames(true);
    this.events.emit('contextlost', undefined);
  };
  private readonly onRestored = (): void => {
    // three's own listener (added first) has rebuilt its state; every texture, program, geometry and render target
    // is re-created from the objects on their next use. The force below makes the render target size re-apply.
    this.lost = false;
    this.appliedScale = Number.NaN;
    this.target.setSize(1, 1);
    this.events.emit('contextrestored', undefined);
  };
  private readonly onWindowResize = (): void => this.fitContainer();

  constructor(options: SitterRendererOptions) {
    this.bus = options.bus;
    this.clock = options.clock ?? { now: () => performance.now() / 1000 };
    this.pixelRatio = options.pixelRatio;
    this.ownsCanvas = options.canvas === undefined;
    this.canvas = options.canvas ?? document.createElement('canvas');
    this.three = new WebGLRenderer({ canvas: this.canvas, antialias: false, alpha: false, depth: false, stencil: false, powerPreference: 'high-performance' });
    this.three.autoClear = false;
    this.shared = createPictureUniforms(options.seed ?? 1);
    this.upscale = options.upscale === 'bilinear' ? 0 : 1;
    this.postUniforms = { uScene: { value: this.target.texture }, uPaintAmount: { value: 0 }, uPaintRadius: { value: 4 }, uPaintStep: { value: 1 } };
    this.post = new Mesh(this.geometry, new RawShaderMaterial({
      glslVersion: GLSL3, vertexShader: POST_VERTEX, fragmentShader: POST_FRAGMENT,
      uniforms: { ...this.shared, ...this.postUniforms }, depthTest: false, depthWrite: false,
    }));
    this.post.frustumCulled = false;
    this.postScene.add(this.post);
    this.canvas.addEventListener('webglcontextlost', this.onLost);
    this.canvas.addEventListener('webglcontextrestored', this.onRestored);
    if (options.container) {
      options.container.appendChild(this.canvas);
      this.observer = new ResizeObserver(() => this.fitContainer());
      this.observer.observe(options.container);
      window.addEventListener('resize', this.onWindowResize);
      this.fitContainer(options.container);
    } else {
      this.resize(this.canvas.width || 300, this.canvas.height || 150);
    }
  }

  /** The WebGL2 context the generator must run tfjs on (the same object survives a context loss). */
  getContext(): WebGL2RenderingContext {
    return this.three.getContext() as WebGL2RenderingContext;
  }

  /** Forget three's cached GL state; call before and after anyone else (tfjs) uses the context. */
  resetState(): void {
    this.three.resetState();
  }

  /** Runs foreign GL work (tfjs) between two resetState() calls. */
  withForeignGl<T>(work: () => T): T {
    this.three.resetState();
    try {
      return work();
    } finally {
      this.three.resetState();
    }
  }

  setBus(bus: SitterBus): void {
    this.bus = bus;
  }

  setUpscale(mode: Upscale): void {
    this.upscale = mode === 'bicubic' ? 1 : 0;
  }

  on<K extends keyof RendererEvents>(event: K, listener: (payload: RendererEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  isContextLost(): boolean {
    return this.lost;
  }

  /**
   * A new generated frame for cell `cell` (row-major, 0 is top-left of the N×N grid), arrived at `at` seconds.
   * The renderer owns it from here and calls frame.release() when it no longer samples it. Returns false (and
   * releases the frame at once) when the cell is outside the grid or the context is lost.
   */
  present(cell: number, frame: GeneratedFrame, at: number = this.clock.now()): boolean {
    const n = this.gridSize();
    if (this.disposed || this.lost || !Number.isInteger(cell) || cell < 0 || cell >= n * n) {
      frame.release();
      return false;
    }
    this.cellAt(cell).present(frame, at);
    return true;
  }

  /** Shows only this part of the picture (a tile of a wall spanning screens, bezels already accounted); null: all of it. */
  setViewport(v: WallViewport | null): void {
    if (v && !(v.width > 0 && v.height > 0)) throw new RangeError(`setViewport: width and height must be > 0, got ${v.width} × ${v.height}`);
    this.viewport = v;
  }

  /** Draws one display frame at time `now` (seconds, the clock present() uses). Does nothing while the context is lost. */
  render(now: number): void {
    if (this.disposed || this.lost || this.three.getContext().isContextLost()) return;
    const bus = this.bus;
    const morphMode = readPictureParams(bus, this.shared, now);
    this.applyScale();
    this.three.getDrawingBufferSize(this.size);
    this.shared.uScreenSize.value[0] = this.size.x;
    this.shared.uScreenSize.value[1] = this.size.y;
    const rotation = parseRotation(bus.string('layout/rotation'));
    rotationCosSin(rotation, this.shared.uRotation.value);
    const fit: Fit = bus.string('layout/fit') === 'fill' ? 'fill' : 'letterbox';
    const aspect = wallAspect(virtualAspect(this.size.x, this.size.y, rotation), this.viewport);
    const n = this.gridSize();
    let paintStep = 1;
    for (let i = 0; i < MAX_CELLS; i++) {
      const inGrid = i < n * n;
      const c = inGrid ? this.cellAt(i) : this.cells[i];
      if (!c) continue;
      c.mesh.visible = inGrid;
      if (!inGrid) {
        if (!c.isEmpty()) c.releaseFrames();
        continue;
      }
      c.setVariant(morphMode, this.upscale);
      c.update(now);
      cellRect(i, n, this.rect);
      if (this.viewport) wallRect(this.rect, this.viewport);
      c.uniforms.uRect.value.set(this.rect[0] as number, this.rect[1] as number, this.rect[2] as number, this.rect[3] as number);
      fitScale(aspect, c.imageAspect(), fit, this.fit);
      c.uniforms.uFitScale.value.set(this.fit[0] as number, this.fit[1] as number);
      if (i === 0) paintStep = this.screenPixelsPerImagePixel(c, n, rotation);
    }
    const paint = bus.number('paint/amount');
    if (paint > 0) {
      if (this.target.width !== this.size.x || this.target.height !== this.size.y) this.target.setSize(this.size.x, this.size.y);
      this.shared.uFinish.value = 0;
      this.postUniforms.uPaintAmount.value = paint;
      this.postUniforms.uPaintRadius.value = bus.number('paint/radius');
      this.postUniforms.uPaintStep.value = paintStep;
      this.three.setRenderTarget(this.target);
      this.three.render(this.cellScene, this.camera);
      this.three.setRenderTarget(null);
      this.three.render(this.postScene, this.camera);
    } else {
      this.shared.uFinish.value = 1;
      this.three.setRenderTarget(null);
      this.three.render(this.cellScene, this.camera);
    }
  }

  /** Sets the canvas size in CSS pixels; the drawing buffer is that × devicePixelRatio × layout/resolution-scale. */
  resize(cssWidth: number, cssHeight: number, pixelRatio?: number): void {
    this.cssWidth = Math.max(1, Math.round(cssWidth));
    this.cssHeight = Math.max(1, Math.round(cssHeight));
    if (pixelRatio !== undefined) this.pixelRatio = pixelRatio;
    this.appliedScale = Number.NaN;
    this.applyScale();
  }

  /** Frames the renderer holds now, over every cell (tests: it must not grow). */
  heldFrames(): number {
    return this.cells.reduce((n, c) => n + c.heldFrames(), 0);
  }

  /** Frees every geometry, material, texture and render target, releases every frame, removes listeners. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.observer?.disconnect();
    window.removeEventListener('resize', this.onWindowResize);
    this.canvas.removeEventListener('webglcontextlost', this.onLost);
    this.canvas.removeEventListener('webglcontextrestored', this.onRestored);
    for (const c of this.cells) c.dispose();
    this.cells.length = 0;
    this.post.material.dispose();
    this.geometry.dispose();
    this.target.dispose();
    this.events.clear();
    this.three.dispose();
    if (this.ownsCanvas) this.canvas.remove();
  }

  private gridSize(): number {
    return Math.min(4, Math.max(1, Math.round(this.bus.number('layout/grid'))));
  }

  private cellAt(i: number): Cell {
    let c = this.cells[i];
    while (!c) {
      const made = new Cell(this.geometry, this.shared);
      this.cells.push(made);
      this.cellScene.add(made.mesh);
      c = this.cells[i];
    }
    return c;
  }

  /** How many drawing-buffer pixels one pixel of the cell's portrait covers (cells all have the same size). The
   * model's own pixels count, not the upscaler's: paint/radius means the same with the upscaler on or off. */
  private screenPixelsPerImagePixel(c: Cell, n: number, rotation: number): number {
    const quarter = rotation === 90 || rotation === 270;
    const cellWidthPx = (quarter ? this.size.y : this.size.x) / n;
    const width = c.portraitWidth();
    return width > 0 ? Math.max(1, cellWidthPx / (this.fit[0] as number) / width) : 1;
  }

  private applyScale(): void {
    const scale = this.bus.number('layout/resolution-scale');
    if (scale === this.appliedScale) return;
    this.appliedScale = scale;
    const dpr = this.pixelRatio ?? (typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1);
    this.three.setPixelRatio(dpr * scale);
    this.three.setSize(this.cssWidth, this.cssHeight, true);
  }

  private fitContainer(container: HTMLElement | null = this.canvas.parentElement): void {
    if (!container) return;
    this.resize(container.clientWidth, container.clientHeight);
  }
}

export function createSitterRenderer(options: SitterRendererOptions): SitterRenderer {
  return new SitterRenderer(options);
}
