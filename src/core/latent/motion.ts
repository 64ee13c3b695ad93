import type { WalkMode } from '../params/catalogue.ts';
import { catmullRomInto } from './catmull-rom.ts';
import { KeyframeCache } from './keyframe-cache.ts';
import { gaussianSpace, type LatentSpace } from './latent-space.ts';
import { MappedDrift } from './mapped-drift.ts';
import { latentFromSeed } from './seed-latent.ts';
import { SmoothDrift, type DriftState } from './smooth-drift.ts';
import type { WalkSettings } from './walk-settings.ts';

/** A Motion's whole state, for a checkpoint. */
export interface MotionState {
  readonly mode: WalkMode;
  readonly seed: number;
  readonly loopKeyframes: number;
  readonly target: number;
  readonly index: number;
  readonly t: number;
  readonly theta: number;
  readonly held: Float32Array;
  readonly drift: DriftState;
}

/** Harmonics of the noise loop; H = 1 would be a single great-ellipse, more give a less obvious circle. */
const NOISE_HARMONICS = 3;
const NOISE_STREAM_BASE = -1000;
const RANDOM_STREAM = -3000;
const TAU = 2 * Math.PI;

/** w_h ∝ 1/h (slower harmonics dominate), normalised so Σ w_h² = 1: each point of the loop is then N(0, I). */
const NOISE_WEIGHTS: readonly number[] = (() => {
  const raw = Array.from({ length: NOISE_HARMONICS }, (_, h) => 1 / (h + 1));
  const n = Math.sqrt(raw.reduce((s, w) => s + w * w, 0));
  return raw.map((w) => w / n);
})();

/**
 * One walk mode's motion through latent space, with all of its state in fields that copyFrom() duplicates, so
 * the walker can run a copy ahead for a preview. Keyframe k of seed s is latentFromSeed(s, size, _, k): keyframe 0
 * is portrait #s itself, so a tour, a loop or a random walk restarted from seed s starts on that portrait.
 */
export class Motion {
  mode: WalkMode = 'hold';
  seed = 0;
  loopKeyframes = 0;
  target = 0;
  /** tour: keyframe index of the segment start (unbounded); loop: 0 … K−1. */
  index = 0;
  /** Fraction of the way through the current segment, [0, 1). */
  t = 0;
  /** noise-loop angle, [0, 2π). */
  theta = 0;
  private readonly held: Float32Array;
  /** The random walk in z. */
  private readonly drift: SmoothDrift;
  /** 'w' only: the same drift run on the prior, mapped a few times per correlation time (mapped-drift.ts). */
  private readonly mappedDrift: MappedDrift | undefined;
  private readonly keyframes: KeyframeCache;
  private readonly mapped: boolean;
  /** 'w' only: a prior vector (the drift's start). */
  private readonly prior: Float32Array | undefined;

  constructor(
    readonly size: number,
    readonly space: LatentSpace = gaussianSpace(size),
  ) {
    if (space.size !== size) throw new RangeError(`Motion: the space walks ${space.size} numbers, not ${size}`);
    this.mapped = space.kind === 'w';
    this.held = new Float32Array(size);
    this.drift = new SmoothDrift(this.mapped ? 0 : size);
    this.mappedDrift = this.mapped ? new MappedDrift(space) : undefined;
    this.keyframes = new KeyframeCache(space);
    this.prior = this.mapped ? new Float32Array(space.priorSize) : undefined;
  }

  /** True when the settings ask for this same motion (only rates differ): no restart, no blend needed. */
  matches(s: WalkSettings): boolean {
    if (s.mode !== this.mode) return false;
    switch (this.mode) {
      case 'hold':
        return true;
      case 'towards':
        return s.target === this.target;
      case 'loop':
        return s.seed === this.seed && s.loopKeyframes === this.loopKeyframes;
      default:
        return s.seed === this.seed;
    }
  }

  /** Restarts as the motion `s` asks for, from its beginning; hold freezes `current`. */
  start(s: WalkSettings, current: Float32Array): void {
    this.mode = s.mode;
    this.seed = s.seed;
    this.loopKeyframes = s.loopKeyframes;
    this.target = s.target;
    this.index = 0;
    this.t = 0;
    this.theta = 0;
    if (s.mode === 'hold') this.held.set(current);
    if (s.mode === 'towards') this.space.sampleInto(s.target, 0, this.held);
    if (s.mode === 'random') {
      // In w the drift starts from keyframe 0's z, so its first point maps to portrait #seed all the same.
      if (this.mappedDrift && this.prior) this.mappedDrift.reset(latentFromSeed(s.seed, this.space.priorSize, this.prior), s.seed, RANDOM_STREAM);
      else this.drift.reset(this.keyframes.get(s.seed, 0), s.seed, RANDOM_STREAM);
    }
  }

  /** Freezes on `latent` (used to end a blend that is interrupted by another change). */
  freeze(latent: Float32Array): void {
    this.mode = 'hold';
    this.held.set(latent);
  }

  /** Advances by dt seconds; `s` supplies the rates (speed, keyframe-seconds), which may change any tick. */
  advance(dt: number, s: WalkSettings): void {
    const rate = (dt * s.speed) / s.keyframeSeconds; // keyframes per tick
    if (!(rate > 0) || !Number.isFinite(rate)) return;
    switch (this.mode) {
      case 'tour': {
        const p = this.t + rate;
        const whole = Math.floor(p);
        this.index += whole;
        this.t = p - whole;
        break;
      }
      case 'loop': {
        const k = this.loopKeyframes;
        const p = this.index + this.t + rate;
        const wrapped = p - Math.floor(p / k) * k;
        this.index = Math.floor(wrapped);
        this.t = wrapped - this.index;
        if (this.index >= k) {
          this.index = 0;
          this.t = 0;
        }
        break;
      }
      case 'noise-loop': {
        // One lap takes as long as a loop through walk/loop-keyframes keyframes would.
        const th = this.theta + (TAU * rate) / s.loopKeyframes;
        this.theta = th - Math.floor(th / TAU) * TAU;
        break;
      }
      case 'random':
        if (this.mappedDrift) this.mappedDrift.advance(dt, s.speed / s.keyframeSeconds);
        else this.drift.advance(dt, s.speed / s.keyframeSeconds);
        break;
      case 'hold':
      case 'towards':
        break;
    }
  }

  writeInto(out: Float32Array): Float32Array {
    switch (this.mode) {
      case 'tour': {
        const c = this.keyframes;
        const i = this.index;
        return catmullRomInto(c.get(this.seed, i - 1), c.get(this.seed, i), c.get(this.seed, i + 1), c.get(this.seed, i + 2), this.t, out, !this.mapped);
      }
      case 'loop': {
        const c = this.keyframes;
        const k = this.loopKeyframes;
        const i = this.index;
        // Indices wrap around the loop (i is already in 0 … K−1), so the spline's tangents match across the seam.
        return catmullRomInto(
          c.get(this.seed, (i + k - 1) % k),
          c.get(this.seed, i),
          c.get(this.seed, (i + 1) % k),
          c.get(this.seed, (i + 2) % k),
          this.t,
          out,
          !this.mapped,
        );
      }
      case 'noise-loop':
        return this.writeNoiseLoop(out);
      case 'random':
        return this.mappedDrift ? this.mappedDrift.writeInto(out) : this.drift.writeInto(out);
      case 'hold':
      case 'towards':
        out.set(this.held);
        return out;
    }
  }

  /**
   * z(θ) = Σ_h w_h (a_h cos hθ + b_h sin hθ): exactly 2π-periodic, and N(0, I) at every θ. In w the same sum runs
   * about the centre c, w(θ) = c + Σ_h w_h ((a_h − c) cos hθ + (b_h − c) sin hθ), with a_h, b_h mapped keyframes:
   * still exactly periodic, and with Σ w_h² = 1 its covariance about c is the w samples' at every θ.
   */
  private writeNoiseLoop(out: Float32Array): Float32Array {
    const c = this.mapped ? this.space.centre : undefined;
    if (c) return this.writeNoiseLoopAbout(c, out);
    out.fill(0);
    for (let h = 0; h < NOISE_HARMONICS; h++) {
      const w = NOISE_WEIGHTS[h] as number;
      const ca = w * Math.cos((h + 1) * this.theta);
      const sb = w * Math.sin((h + 1) * this.theta);
      const a = this.keyframes.get(this.seed, NOISE_STREAM_BASE - 2 * h);
      const b = this.keyframes.get(this.seed, NOISE_STREAM_BASE - 2 * h - 1);
      for (let i = 0; i < this.size; i++) out[i] = (out[i] as number) + (a[i] as number) * ca + (b[i] as number) * sb;
    }
    return out;
  }

  private writeNoiseLoopAbout(c: Float32Array, out: Float32Array): Float32Array {
    out.set(c);
    for (let h = 0; h < NOISE_HARMONICS; h++) {
      const w = NOISE_WEIGHTS[h] as number;
      const ca = w * Math.cos((h + 1) * this.theta);
      const sb = w * Math.sin((h + 1) * this.theta);
      const a = this.keyframes.get(this.seed, NOISE_STREAM_BASE - 2 * h);
      const b = this.keyframes.get(this.seed, NOISE_STREAM_BASE - 2 * h - 1);
      for (let i = 0; i < this.size; i++) {
        const m = c[i] as number;
        out[i] = (out[i] as number) + ((a[i] as number) - m) * ca + ((b[i] as number) - m) * sb;
      }
    }
    return out;
  }

  /** The whole state (z spaces: a 'w' motion's mapped drift is not snapshotted). Keyframes are recomputed on demand. */
  snapshot(): MotionState {
    if (this.mapped) throw new Error('Motion.snapshot: only z motions are snapshotted (the screens lane walks z)');
    return {
      mode: this.mode, seed: this.seed, loopKeyframes: this.loopKeyframes, target: this.target, index: this.index, t: this.t,
      theta: this.theta, held: this.held.slice(), drift: this.drift.snapshot(),
    };
  }

  restore(s: MotionState): void {
    if (this.mapped) throw new Error('Motion.restore: only z motions are snapshotted');
    if (s.held.length !== this.size) throw new RangeError(`Motion.restore: held has ${s.held.length} numbers, expected ${this.size}`);
    this.drift.restore(s.drift);
    this.mode = s.mode;
    this.seed = s.seed;
    this.loopKeyframes = s.loopKeyframes;
    this.target = s.target;
    this.index = s.index;
    this.t = s.t;
    this.theta = s.theta;
    this.held.set(s.held);
  }

  copyFrom(other: Motion): void {
    this.mode = other.mode;
    this.seed = other.seed;
    this.loopKeyframes = other.loopKeyframes;
    this.target = other.target;
    this.index = other.index;
    this.t = other.t;
    this.theta = other.theta;
    this.held.set(other.held);
    this.drift.copyFrom(other.drift);
    if (this.mappedDrift && other.mappedDrift) this.mappedDrift.copyFrom(other.mappedDrift);
  }

  /**
   * Where the motion stands, in keyframes from its start: tour unbounded, loop and noise-loop within 0 … K
   * (the noise-loop's angle counted in keyframe intervals); null for motions without keyframes. Tempo sync reads it.
   */
  position(): number | null {
    switch (this.mode) {
      case 'tour':
      case 'loop':
        return this.index + this.t;
      case 'noise-loop':
        return (this.theta / TAU) * this.loopKeyframes;
      default:
        return null;
    }
  }

  /** Keyframe vectors this motion holds (bounded, see KeyframeCache). */
  keyframeCount(): number {
    return this.keyframes.allocated();
  }
}
