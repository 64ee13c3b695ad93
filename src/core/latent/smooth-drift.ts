import { Rng } from './rng.ts';

/** A SmoothDrift's whole state (its RNG's four words included). */
export interface DriftState {
  readonly drive: Float32Array;
  readonly state: Float32Array;
  readonly rng: readonly number[];
}

/** Low-pass rate relative to the drift's mean-reversion rate: the velocity decorrelates 4× faster than the path. */
const SMOOTHING_RATIO = 4;

/**
 * A smooth, mean-reverting random walk. An Ornstein–Uhlenbeck process u (Uhlenbeck & Ornstein 1930),
 * du = −θu dt + √(2θ) dW, has N(0, I) as its stationary law, so it never wanders off the Gaussian's shell; its
 * exact discretisation u' = e^{−θdt}u + √(1 − e^{−2θdt}) ξ stays right for any tick length. A raw OU path is
 * Brownian (visibly shaky at 30 ticks/s), so the output follows it through a first-order low-pass of rate
 * β = 4θ, which makes the path's velocity continuous; the low-pass shrinks the stationary variance to β/(β+θ),
 * undone by the gain √((β+θ)/β). Speed 0 (θ = 0) stops it dead.
 */
export class SmoothDrift {
  private readonly drive: Float32Array;
  private readonly state: Float32Array;
  private readonly rng = new Rng();
  static readonly GAIN = Math.sqrt((SMOOTHING_RATIO + 1) / SMOOTHING_RATIO);

  constructor(readonly size: number) {
    this.drive = new Float32Array(size);
    this.state = new Float32Array(size);
  }

  /** Starts at `start` (output equals it exactly) with noise drawn from (seed, stream). */
  reset(start: Float32Array, seed: number, stream: number): void {
    const inv = 1 / SmoothDrift.GAIN;
    for (let i = 0; i < this.size; i++) {
      const v = (start[i] as number) * inv;
      this.drive[i] = v;
      this.state[i] = v;
    }
    this.rng.reseed(seed, stream);
  }

  /** Advances by dt seconds with mean-reversion rate θ = `rate` per second. */
  advance(dt: number, rate: number): void {
    if (!(rate > 0) || !(dt > 0)) return;
    const decay = Math.exp(-rate * dt);
    const kick = Math.sqrt(Math.max(0, 1 - decay * decay));
    const follow = 1 - Math.exp(-SMOOTHING_RATIO * rate * dt);
    const drive = this.drive;
    const state = this.state;
    for (let i = 0; i < this.size; i++) {
      const u = (drive[i] as number) * decay + kick * this.rng.normal();
      drive[i] = u;
      const z = state[i] as number;
      state[i] = z + (u - z) * follow;
    }
  }

  writeInto(out: Float32Array): Float32Array {
    const g = SmoothDrift.GAIN;
    for (let i = 0; i < this.size; i++) out[i] = (this.state[i] as number) * g;
    return out;
  }

  /** Everything that decides the drift's future: copies, so the snapshot stays valid while the drift runs on. */
  snapshot(): DriftState {
    return { drive: this.drive.slice(), state: this.state.slice(), rng: this.rng.getState() };
  }

  restore(s: DriftState): void {
    if (s.drive.length !== this.size || s.state.length !== this.size) throw new RangeError(`SmoothDrift.restore: expected ${this.size} numbers per vector`);
    this.rng.setState(s.rng);
    this.drive.set(s.drive);
    this.state.set(s.state);
  }

  copyFrom(other: SmoothDrift): void {
    this.drive.set(other.drive);
    this.state.set(other.state);
    this.rng.copyFrom(other.rng);
  }
}
