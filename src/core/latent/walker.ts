import type { SitterBus } from '../params/catalogue.ts';
import { STEER_SLOTS } from '../params/catalogue.ts';
import type { LatentDirection } from './directions.ts';
import { EASINGS } from './easing.ts';
import { gaussianSpace, type LatentSpace } from './latent-space.ts';
import { MappedDrift } from './mapped-drift.ts';
import { Motion, type MotionState } from './motion.ts';
import { latentFromSeed } from './seed-latent.ts';
import { lerpInto } from './vector.ts';
import { SiblingLatents } from './siblings.ts';
import { slerpInto } from './slerp.ts';
import { SmoothDrift, type DriftState } from './smooth-drift.ts';
import { addOffsetInto, steeringOffsetInto } from './steering.ts';
import { truncateInto } from './truncation.ts';
import { copyWalkSettings, createWalkSettings, readWalkSettings, type WalkSettings } from './walk-settings.ts';

/** walk/jitter = 1 turns the walk this far towards an independent, faster drift (30°). */
const MAX_JITTER_ANGLE = Math.PI / 6;
/** Correlation time of the jitter drift: a visitor's fidget, quicker than any walk. */
const JITTER_SECONDS = 1.5;
const JITTER_STREAM = -4000;
const blendCurve = EASINGS.smootherstep;

/** A z walker's whole state (Walker.snapshot): what a screens-lane checkpoint keeps. */
export interface WalkerState {
  readonly size: number;
  readonly started: boolean;
  readonly blending: boolean;
  readonly blendProgress: number;
  readonly cur: MotionState;
  readonly prev: MotionState;
  readonly jitter: DriftState;
  readonly jitterSeeded: boolean;
  readonly raw: Float32Array;
  readonly walked: Float32Array;
  readonly out: Float32Array;
  readonly offset: Float64Array;
  readonly steered: boolean;
  readonly offsetWeights: Float64Array;
  /** Whether the offset was computed (for the walker's directions) or never yet. */
  readonly offsetComputed: boolean;
  readonly siblingsTheta: number;
  readonly settings: WalkSettings;
}

export interface WalkerOptions {
  readonly size: number;
  /** Truncation centre (the card's average latent); absent: the space's centre (w_avg), or zero for z. */
  readonly mean?: Float32Array;
  /** Where to walk: z ~ N(0, I) (the default, today's walk) or a StyleGAN's w (latent-space.ts). */
  readonly space?: LatentSpace;
  /** Semantic directions steered by steer/0 … steer/7, in order. */
  readonly directions?: readonly LatentDirection[];
}

/**
 * The latent walker: a seeded, continuous, steerable path through latent space, advanced only by the dt its
 * caller hands it. Per tick: motion (the mode's path, blended from the previous motion for walk/blend-seconds
 * after any change of mode, seed, loop length or target) → jitter → truncation → steering. Steering comes after
 * truncation so that "steer/i = 2" is the same 2σ edit whatever ψ is (ψ = 0 can still be steered), and so that
 * it stays a pure offset: linear and exactly reversible. Nothing is allocated per tick; the same seed and the
 * same sequence of (dt, settings) give the same latents, bit for bit. Discrete changes (mode, seed, loop length,
 * target) are blended here; continuous values (speed, ψ, jitter, steer/*) are followed as they come, so their
 * smoothness is the bus's smoothing (a desk value set with `immediate` is a deliberate cut).
 */
export class Walker {
  readonly size: number;
  readonly space: LatentSpace;
  /** 'w': lerp blends and affine geometry about the centre instead of the Gaussian shell's. */
  private readonly mapped: boolean;
  /** 'w' only: a prior vector (the jitter drift's start). */
  private readonly prior: Float32Array | undefined;
  /** 'w' only: the jitter drift, run on the prior and mapped a few times per second (mapped-drift.ts). */
  private readonly mappedJitter: MappedDrift | undefined;
  private mean: Float32Array | undefined;
  private directions: readonly LatentDirection[];
  private cur: Motion;
  private prev: Motion;
  private started = false;
  private blending = false;
  private blendProgress = 0;
  private readonly jitter: SmoothDrift;
  private jitterSeeded = false;
  /** The blended motion output (before jitter); a hold freezes this. */
  private readonly raw: Float32Array;
  /** After jitter, before truncation: the centre of the sibling grid. */
  private readonly walked: Float32Array;
  private readonly out: Float32Array;
  private readonly curOut: Float32Array;
  private readonly prevOut: Float32Array;
  private readonly offset: Float64Array;
  private steered = false;
  /** The weights and direction set `offset` was computed for. */
  private readonly offsetWeights = new Float64Array(STEER_SLOTS).fill(Number.NaN);
  private offsetFor: readonly LatentDirection[] | undefined;
  private readonly settings: WalkSettings = createWalkSettings();
  private readonly siblings: SiblingLatents;
  private shadow: Walker | undefined;
  /** Runs the motion being left ahead, to find where a hold should come to rest. */
  private scratch: Motion | undefined;

  constructor(options: WalkerOptions) {
    const size = options.size;
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`Walker: size must be a whole number ≥ 1, got ${size}`);
    this.size = size;
    this.space = options.space ?? gaussianSpace(size);
    if (this.space.size !== size) throw new RangeError(`Walker: size ${size}, but the space walks ${this.space.size} numbers`);
    this.mapped = this.space.kind === 'w';
    this.prior = this.mapped ? new Float32Array(this.space.priorSize) : undefined;
    this.mean = options.mean ?? this.space.centre;
    this.directions = options.directions ?? [];
    this.checkShapes();
    this.cur = new Motion(size, this.space);
    this.prev = new Motion(size, this.space);
    this.jitter = new SmoothDrift(this.mapped ? 0 : size);
    this.mappedJitter = this.mapped ? new MappedDrift(this.space) : undefined;
    this.raw = new Float32Array(size);
    this.walked = new Float32Array(size);
    this.out = new Float32Array(size);
    this.curOut = new Float32Array(size);
    this.prevOut = new Float32Array(size);
    this.offset = new Float64Array(size);
    this.siblings = new SiblingLatents(size, this.space);
  }

  setDirections(directions: readonly LatentDirection[]): void {
    this.directions = directions;
    this.checkShapes();
  }

  setMean(mean: Float32Array | undefined): void {
    this.mean = mean ?? this.space.centre;
    this.checkShapes();
  }

  /** Reads the walk's parameters from the bus and advances by dt seconds. Returns the walker's own buffer. */
  tick(dt: number, bus: SitterBus): Float32Array {
    return this.step(dt, readWalkSettings(bus, this.settings));
  }

  /** Advances by dt seconds under `s`. Returns the walker's own buffer (valid until the next step). */
  step(dt: number, s: WalkSettings): Float32Array {
    if (s !== this.settings) copyWalkSettings(s, this.settings);
    const d = Number.isFinite(dt) && dt > 0 ? dt : 0;
    if (!this.started) {
      this.space.sampleInto(s.seed, 0, this.raw);
      this.cur.start(s, this.raw);
      this.started = true;
    } else if (!this.cur.matches(s)) {
      const interrupted = this.blending;
      if (interrupted) {
        // A change during a blend: freeze where the blend is now and blend from there (no jump; the velocity
        // restarts), so the walker never holds more than two motions.
        this.prev.freeze(this.raw);
      } else {
        const t = this.prev;
        this.prev = this.cur;
        this.cur = t;
      }
      if (s.mode === 'hold' && !interrupted) {
        // Hold where the motion being left will be half a blend from now: the blend then glides to a stop
        // (overshooting a little, then settling) instead of rewinding to the moment hold was pressed.
        const ahead = (this.scratch ??= new Motion(this.size, this.space));
        ahead.copyFrom(this.prev);
        ahead.advance(s.blendSeconds / 2, s);
        this.cur.start(s, ahead.writeInto(this.curOut));
      } else {
        this.cur.start(s, this.raw);
      }
      this.blending = true;
      this.blendProgress = 0;
    }
    this.cur.advance(d, s);
    this.cur.writeInto(this.curOut);
    if (this.blending) {
      this.prev.advance(d, s);
      this.blendProgress += s.blendSeconds > 0 ? d / s.blendSeconds : Infinity;
      if (this.blendProgress >= 1) this.blending = false;
    }
    if (this.blending) {
      this.prev.writeInto(this.prevOut);
      // w is affine: a straight blend; z blends on the shell.
      if (this.mapped) lerpInto(this.prevOut, this.curOut, blendCurve(this.blendProgress), this.raw);
      else slerpInto(this.prevOut, this.curOut, blendCurve(this.blendProgress), this.raw);
    } else {
      this.raw.set(this.curOut);
    }
    this.siblings.advance(d, s.speed / s.keyframeSeconds);
    this.applyJitter(d, s);
    this.updateSteering(s);
    this.finish(this.walked, s, this.out);
    return this.out;
  }

  /** The latent of the last tick (the walker's own buffer). */
  latent(): Float32Array {
    return this.out;
  }

  /**
   * The latents of the next n ticks of dt seconds each, into out ([n × size]), as if tick() were called n times
   * with the same parameters — without changing this walker (a pure preview, for batched generation ahead of
   * display). The parameters are those of the last tick unless `source` (the bus, or settings) is given.
   */
  lookahead(n: number, dt: number, out: Float32Array, source?: SitterBus | WalkSettings): Float32Array {
    if (out.length < n * this.size) throw new RangeError(`lookahead: out holds ${out.length} numbers, need ${n * this.size}`);
    const shadow = (this.shadow ??= new Walker({ size: this.size, space: this.space }));
    shadow.copyStateFrom(this);
    const s = shadow.settings;
    if (source === undefined) copyWalkSettings(this.settings, s);
    else if (isSettings(source)) copyWalkSettings(source, s);
    else readWalkSettings(source, s);
    for (let i = 0; i < n; i++) out.set(shadow.step(dt, s), i * this.size);
    return out;
  }

  /**
   * The layout/grid wall: N² sibling latents of the last tick ([N² × size] into out), each truncated and steered
   * like the walk itself. For odd N the middle cell equals latent().
   */
  siblingsInto(out: Float32Array, truncation = this.settings.truncation): Float32Array {
    const s = this.settings;
    const count = s.grid * s.grid;
    this.siblings.writeInto(this.walked, s.grid, s.gridSpread, out);
    for (let c = 0; c < count; c++) {
      const cell = out.subarray(c * this.size, (c + 1) * this.size);
      this.finishInto(cell, truncation, cell);
    }
    return out;
  }

  /** The current motion's position in keyframes (see Motion.position), for tempo sync; null before the first tick. */
  position(): number | null {
    return this.started ? this.cur.position() : null;
  }

  /** ψ of the last tick. */
  get truncation(): number {
    return this.settings.truncation;
  }

  /** The last tick's latent before truncation and steering (the walker's own buffer). */
  walkedLatent(): Float32Array {
    return this.walked;
  }

  /**
   * What the walker does to its own latent, done to any vector v of this space: truncation by ψ toward the mean,
   * then the current steering. For the StyleGAN rows that need another ψ (layers past a truncation cutoff) or
   * another portrait (style mixing). `out` may alias v.
   */
  finishInto(v: Float32Array, truncation: number, out: Float32Array): Float32Array {
    truncateInto(v, truncation, this.mean, out);
    if (this.steered) addOffsetInto(out, this.offset, out);
    return out;
  }

  /** True while a change of motion is still blending in. */
  isBlending(): boolean {
    return this.blending;
  }

  /** Keyframe vectors held now: bounded by two motions' caches, however long the walk runs. */
  keyframeCount(): number {
    return this.cur.keyframeCount() + this.prev.keyframeCount();
  }

  /**
   * The walker's whole state, as copies (z spaces only): restore() on a walker built with the same size, mean and
   * directions continues bit for bit as this one would. Keyframe caches and the look-ahead shadow are not state
   * (recomputed on demand / copied before use).
   */
  snapshot(): WalkerState {
    if (this.mapped) throw new Error('Walker.snapshot: only z walkers are snapshotted (the screens lane walks z)');
    return {
      size: this.size, started: this.started, blending: this.blending, blendProgress: this.blendProgress,
      cur: this.cur.snapshot(), prev: this.prev.snapshot(), jitter: this.jitter.snapshot(), jitterSeeded: this.jitterSeeded,
      raw: this.raw.slice(), walked: this.walked.slice(), out: this.out.slice(), offset: this.offset.slice(), steered: this.steered,
      offsetWeights: this.offsetWeights.slice(), offsetComputed: this.offsetFor !== undefined, siblingsTheta: this.siblings.theta,
      settings: copyWalkSettings(this.settings, createWalkSettings()),
    };
  }

  /** Puts back a snapshot() (the steering offset is taken as computed for this walker's own directions). */
  restore(s: WalkerState): void {
    if (this.mapped) throw new Error('Walker.restore: only z walkers are snapshotted');
    const n = this.size;
    if (s.size !== n || s.raw.length !== n || s.walked.length !== n || s.out.length !== n || s.offset.length !== n) {
      throw new RangeError(`Walker.restore: the snapshot is of a ${s.size}-number walk, this walker's is ${n}`);
    }
    if (s.offsetWeights.length !== STEER_SLOTS || s.settings.steer.length !== STEER_SLOTS) throw new RangeError(`Walker.restore: expected ${STEER_SLOTS} steering weights`);
    this.cur.restore(s.cur);
    this.prev.restore(s.prev);
    this.jitter.restore(s.jitter);
    this.started = s.started;
    this.blending = s.blending;
    this.blendProgress = s.blendProgress;
    this.jitterSeeded = s.jitterSeeded;
    this.raw.set(s.raw);
    this.walked.set(s.walked);
    this.out.set(s.out);
    this.offset.set(s.offset);
    this.steered = s.steered;
    this.offsetWeights.set(s.offsetWeights);
    this.offsetFor = s.offsetComputed ? this.directions : undefined;
    this.siblings.theta = s.siblingsTheta;
    copyWalkSettings(s.settings, this.settings);
  }

  /** Makes this walker an exact copy of `other`'s state (caches excepted: they are recomputed on demand). */
  copyStateFrom(other: Walker): void {
    if (other.size !== this.size) throw new RangeError(`copyStateFrom: sizes differ (${other.size} vs ${this.size})`);
    // Every z space of one size is the same space; a w space is its mapping's own.
    if (other.space !== this.space && (other.space.kind === 'w' || this.space.kind === 'w')) throw new RangeError('copyStateFrom: the walkers walk different spaces');
    this.mean = other.mean;
    this.directions = other.directions;
    this.cur.copyFrom(other.cur);
    this.prev.copyFrom(other.prev);
    this.started = other.started;
    this.blending = other.blending;
    this.blendProgress = other.blendProgress;
    this.jitter.copyFrom(other.jitter);
    if (this.mappedJitter && other.mappedJitter) this.mappedJitter.copyFrom(other.mappedJitter);
    this.jitterSeeded = other.jitterSeeded;
    this.raw.set(other.raw);
    this.walked.set(other.walked);
    this.out.set(other.out);
    this.offset.set(other.offset);
    this.steered = other.steered;
    this.offsetWeights.set(other.offsetWeights);
    this.offsetFor = other.offsetFor;
    this.siblings.theta = other.siblings.theta;
    copyWalkSettings(other.settings, this.settings);
  }

  private applyJitter(dt: number, s: WalkSettings): void {
    if (!this.jitterSeeded) {
      if (this.mappedJitter && this.prior) this.mappedJitter.reset(latentFromSeed(s.seed, this.space.priorSize, this.prior, JITTER_STREAM), s.seed, JITTER_STREAM);
      else this.jitter.reset(latentFromSeed(s.seed, this.size, this.prevOut, JITTER_STREAM), s.seed, JITTER_STREAM);
      this.jitterSeeded = true;
    }
    if (!(s.jitter > 0)) {
      this.walked.set(this.raw);
      return;
    }
    // The drift only runs while jitter is on: deterministic all the same, and free when unused.
    const a = s.jitter * MAX_JITTER_ANGLE;
    const ca = Math.cos(a);
    const sa = Math.sin(a);
    const c = this.mapped ? this.space.centre : undefined;
    if (this.mappedJitter && c) {
      // w: the jitter drift runs in z and is mapped as it goes; the turn is about the centre.
      this.mappedJitter.advance(dt, 1 / JITTER_SECONDS);
      this.mappedJitter.writeInto(this.prevOut);
      for (let i = 0; i < this.size; i++) {
        const m = c[i] as number;
        this.walked[i] = m + ((this.raw[i] as number) - m) * ca + ((this.prevOut[i] as number) - m) * sa;
      }
      return;
    }
    this.jitter.advance(dt, 1 / JITTER_SECONDS);
    this.jitter.writeInto(this.prevOut);
    for (let i = 0; i < this.size; i++) this.walked[i] = (this.raw[i] as number) * ca + (this.prevOut[i] as number) * sa;
  }

  /** Recomputes the steering offset only when a weight (or the direction set) changed: usually a no-op. */
  private updateSteering(s: WalkSettings): void {
    let same = this.offsetFor === this.directions;
    for (let i = 0; same && i < s.steer.length; i++) same = s.steer[i] === this.offsetWeights[i];
    if (same) return;
    this.offsetWeights.set(s.steer);
    this.offsetFor = this.directions;
    this.steered = this.directions.length > 0 && steeringOffsetInto(this.directions, s.steer, this.offset);
  }

  /** Truncation, then steering. `out` may alias z. */
  private finish(z: Float32Array, s: WalkSettings, out: Float32Array): void {
    this.finishInto(z, s.truncation, out);
  }

  private checkShapes(): void {
    if (this.mean && this.mean.length !== this.size) throw new RangeError(`Walker: mean has ${this.mean.length} numbers, latent ${this.size}`);
    this.directions.forEach((d, i) => {
      if (d.vector.length !== this.size) throw new RangeError(`Walker: directions[${i}] ("${d.name}") has ${d.vector.length} numbers, latent ${this.size}`);
    });
  }
}

function isSettings(x: SitterBus | WalkSettings): x is WalkSettings {
  return 'steer' in x && x.steer instanceof Float64Array;
}
