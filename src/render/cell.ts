import { GLSL3, Mesh, RawShaderMaterial, Vector2, Vector4, type BufferGeometry, type IUniform, type Texture } from 'three';
import type { GeneratedFrame } from '../generator/frame.ts';
import { FrameHolder } from './frame-holder.ts';
import { CELL_FRAGMENT, CELL_VERTEX } from './glsl.ts';
import { MorphTimeline } from './morph-timeline.ts';

const NONE = -1;

/**
 * One grid cell: the previous and next generated frame it morphs between, at most one frame waiting while a
 * morph runs (a newer one replaces it, and the older is released unseen), the morph timeline, and its quad.
 * Frames are released as soon as they are no longer sampled: the previous one when its morph reaches 1.
 */
export class Cell {
  readonly mesh: Mesh<BufferGeometry, RawShaderMaterial>;
  readonly uniforms: {
    readonly uPrev: IUniform<Texture | null>;
    readonly uNext: IUniform<Texture | null>;
    readonly uPrevSize: IUniform<Vector2>;
    readonly uNextSize: IUniform<Vector2>;
    readonly uProgress: IUniform<number>;
    readonly uHasFrame: IUniform<number>;
    readonly uRect: IUniform<Vector4>;
    readonly uFitScale: IUniform<Vector2>;
  };
  private readonly holders = [new FrameHolder(), new FrameHolder(), new FrameHolder()];
  private prev = NONE;
  private next = NONE;
  private pending = NONE;
  private readonly timeline = new MorphTimeline();

  /** shared: uniforms common to every cell (finish, mode, seed…), the same objects in each material. */
  constructor(geometry: BufferGeometry, shared: Record<string, IUniform>) {
    this.uniforms = {
      uPrev: { value: null },
      uNext: { value: null },
      uPrevSize: { value: new Vector2(1, 1) },
      uNextSize: { value: new Vector2(1, 1) },
      uProgress: { value: 1 },
      uHasFrame: { value: 0 },
      uRect: { value: new Vector4(-1, -1, 1, 1) },
      uFitScale: { value: new Vector2(1, 1) },
    };
    const material = new RawShaderMaterial({
      glslVersion: GLSL3,
      vertexShader: CELL_VERTEX,
      fragmentShader: CELL_FRAGMENT,
      uniforms: { ...shared, ...this.uniforms },
      defines: { MORPH_MODE: 0, UPSCALE: 1 },
      depthTest: false,
      depthWrite: false,
    });
    this.mesh = new Mesh(geometry, material);
    this.mesh.frustumCulled = false;
  }

  /** A new frame for this cell, arrived at `at` (seconds, the clock render() gets). */
  present(frame: GeneratedFrame, at: number): void {
    this.timeline.arrive(at);
    this.update(at);
    if (this.next === NONE) {
      this.next = this.put(frame);
      return;
    }
    if (this.prev === NONE) {
      // Nothing is morphing: the shown frame becomes the start of a new morph.
      this.prev = this.next;
      this.next = this.put(frame);
      this.timeline.begin(at);
      return;
    }
    // A morph is running: this frame waits for it to end; a frame already waiting is dropped.
    if (this.pending !== NONE) (this.holders[this.pending] as FrameHolder).release();
    this.pending = NONE;
    this.pending = this.put(frame);
  }

  /** Advances the morph to `now`: ends finished morphs, starts the waiting one, fills the uniforms. */
  update(now: number): void {
    if (this.prev !== NONE && this.timeline.progress(now) >= 1) {
      (this.holders[this.prev] as FrameHolder).release();
      this.prev = NONE;
      if (this.pending !== NONE) {
        // Start where the last morph ended, not at `now`, so the motion keeps its pace across render jitter.
        const ended = this.timeline.end();
        this.prev = this.next;
        this.next = this.pending;
        this.pending = NONE;
        this.timeline.begin(ended);
        if (this.timeline.progress(now) >= 1) this.update(now);
      }
    }
    const u = this.uniforms;
    const next = this.next === NONE ? null : (this.holders[this.next] as FrameHolder);
    const prev = this.prev === NONE ? next : (this.holders[this.prev] as FrameHolder);
    u.uHasFrame.value = next ? 1 : 0;
    u.uNext.value = next ? next.texture() : null;
    u.uPrev.value = prev ? prev.texture() : null;
    if (next?.frame) u.uNextSize.value.set(next.frame.width, next.frame.height);
    if (prev?.frame) u.uPrevSize.value.set(prev.frame.width, prev.frame.height);
    u.uProgress.value = this.prev === NONE ? 1 : this.timeline.progress(now);
  }

  /**
   * Chooses the shader variant: morph mode (MORPH_MODES index) and upscale (1 bicubic, 0 bilinear). A change
   * compiles the variant once; three's program cache shares it between cells and keeps it for later switches.
   */
  setVariant(morphMode: number, upscale: number): void {
    const material = this.mesh.material;
    const d = material.defines as { MORPH_MODE: number; UPSCALE: number };
    if (d.MORPH_MODE === morphMode && d.UPSCALE === upscale) return;
    d.MORPH_MODE = morphMode;
    d.UPSCALE = upscale;
    material.needsUpdate = true;
  }

  /** Width / height of the frame shown (the next one), 1 when empty. */
  imageAspect(): number {
    const f = this.next === NONE ? null : (this.holders[this.next] as FrameHolder).frame;
    return f && f.height > 0 ? f.width / f.height : 1;
  }

  /** Width of the frame shown in the model's own pixels (before the upscaler), 0 when empty. */
  portraitWidth(): number {
    const f = this.next === NONE ? null : (this.holders[this.next] as FrameHolder).frame;
    return f ? f.width / Math.max(1, f.upscale ?? 1) : 0;
  }

  /** True when the cell holds no frame. Allocation-free: checked every display frame for cells outside the grid. */
  isEmpty(): boolean {
    return this.prev === NONE && this.next === NONE && this.pending === NONE;
  }

  /** Frames held now (shown, morphing from, waiting), for tests and the HUD. */
  heldFrames(): number {
    return this.holders.reduce((n, h) => n + (h.frame ? 1 : 0), 0);
  }

  /** Releases every frame (or only GPU-texture frames, after a context loss made them invalid). */
  releaseFrames(onlyTextures = false): void {
    const keep = (i: number): boolean => {
      const f = i === NONE ? null : (this.holders[i] as FrameHolder).frame;
      return f !== null && onlyTextures && f.kind === 'pixels';
    };
    const keptPrev = keep(this.prev);
    const keptNext = keep(this.next);
    const keptPending = keep(this.pending);
    this.holders.forEach((h, i) => {
      if (!((i === this.prev && keptPrev) || (i === this.next && keptNext) || (i === this.pending && keptPending))) h.release();
    });
    if (!keptPending) this.pending = NONE;
    if (!keptPrev) this.prev = NONE;
    if (!keptNext) {
      this.next = this.pending !== NONE ? this.pending : this.prev;
      if (this.next === this.pending) this.pending = NONE;
      if (this.next === this.prev) this.prev = NONE;
    }
    if (this.next === NONE) this.timeline.reset();
  }

  dispose(): void {
    for (const h of this.holders) h.dispose();
    this.prev = this.next = this.pending = NONE;
    this.mesh.material.dispose();
  }

  private put(frame: GeneratedFrame): number {
    // Three holders always leave one free: at most prev, next and pending are taken.
    let i = 0;
    while (i === this.prev || i === this.next || i === this.pending) i++;
    (this.holders[i] as FrameHolder).hold(frame);
    return i;
  }
}
