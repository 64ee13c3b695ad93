import { catmullRomInto } from './catmull-rom.ts';
import type { LatentSpace } from './latent-space.ts';
import { SmoothDrift } from './smooth-drift.ts';

/**
 * Drift progress (in units of the drift's correlation time, rate × seconds) between mapped samples. Four samples per
 * correlation time: neighbours correlate at e^{−1/4} ≈ 0.78, so the spline between them misses little of the drift.
 */
const SAMPLE_SPACING = 0.25;

/**
 * The random walk of a 'w' space: the same smooth Ornstein–Uhlenbeck drift as in z (smooth-drift.ts), run on the
 * prior, but mapped only every SAMPLE_SPACING of progress — not every tick — and followed between those samples by
 * the affine Catmull-Rom spline (C1, like a tour). Every sample is a true w = mapping(z), and the mapping costs one
 * call per quarter correlation time (e.g. two a second for walk/random at 8 s keyframes) instead of one per tick.
 * All state is copied by copyFrom (four w vectors, the drift), so a look-ahead runs it exactly.
 */
export class MappedDrift {
  private readonly drift: SmoothDrift;
  private readonly z: Float32Array;
  /** Samples j − 1, j, j + 1, j + 2 (ring order: ring[(head + k) % 4] is sample j − 1 + k). */
  private readonly ring: Float32Array[];
  private head = 0;
  /** Fraction of the way from sample j to j + 1. */
  private t = 0;

  constructor(private readonly space: LatentSpace) {
    this.drift = new SmoothDrift(space.priorSize);
    this.z = new Float32Array(space.priorSize);
    this.ring = Array.from({ length: 4 }, () => new Float32Array(space.size));
  }

  /** Starts at mapping(start) (the output equals it exactly), drift noise from (seed, stream). */
  reset(start: Float32Array, seed: number, stream: number): void {
    this.drift.reset(start, seed, stream);
    this.head = 0;
    this.t = 0;
    this.space.mapInto(start, this.ring[1] as Float32Array);
    // No past before the start: sample −1 repeats sample 0, so the path leaves it gently.
    (this.ring[0] as Float32Array).set(this.ring[1] as Float32Array);
    this.sampleNext(this.ring[2] as Float32Array);
    this.sampleNext(this.ring[3] as Float32Array);
  }

  /** Advances by dt seconds with mean-reversion rate θ = `rate` per second (as SmoothDrift.advance). */
  advance(dt: number, rate: number): void {
    const step = (dt * rate) / SAMPLE_SPACING;
    if (!(step > 0) || !Number.isFinite(step)) return;
    let p = this.t + step;
    while (p >= 1) {
      // Sample j − 1 falls out; its buffer becomes sample j + 3.
      const oldest = this.ring[this.head] as Float32Array;
      this.head = (this.head + 1) % 4;
      this.sampleNext(oldest);
      p -= 1;
    }
    this.t = p;
  }

  writeInto(out: Float32Array): Float32Array {
    const r = this.ring;
    const h = this.head;
    return catmullRomInto(r[h] as Float32Array, r[(h + 1) % 4] as Float32Array, r[(h + 2) % 4] as Float32Array, r[(h + 3) % 4] as Float32Array, this.t, out, false);
  }

  copyFrom(other: MappedDrift): void {
    this.drift.copyFrom(other.drift);
    for (let k = 0; k < 4; k++) (this.ring[k] as Float32Array).set(other.ring[k] as Float32Array);
    this.head = other.head;
    this.t = other.t;
  }

  private sampleNext(into: Float32Array): void {
    this.drift.advance(SAMPLE_SPACING, 1);
    this.space.mapInto(this.drift.writeInto(this.z), into);
  }
}
