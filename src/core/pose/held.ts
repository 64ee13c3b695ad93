/**
 * A held pose: the visitor stays still (body speed under a threshold) for `holdSeconds`. Artists use it as a
 * deliberate "freeze" gesture. Speed is in shoulder widths per second, so it does not depend on how far away the
 * visitor stands. Time is passed in, never read.
 */
export interface HeldOptions {
  /** Seconds of stillness before the pose counts as held. */
  readonly holdSeconds?: number;
  /** Body speed (shoulder widths / s) under which the visitor counts as still. */
  readonly stillSpeed?: number;
}

/**
 * 0.25 sw/s: a slow deliberate sway is ~0.5 sw/s, while the lite model's frame-to-frame jitter on a still person,
 * once smoothed over ~0.3 s (PoseFeatureTracker does), sits well under it. Tune per room lighting.
 */
export const HELD_DEFAULTS: Required<HeldOptions> = { holdSeconds: 2, stillSpeed: 0.25 };

export class HeldPoseDetector {
  private readonly hold: number;
  private readonly still: number;
  private stillSince: number | undefined;

  constructor(options: HeldOptions = {}) {
    const o = { ...HELD_DEFAULTS, ...options };
    if (!(o.holdSeconds >= 0)) throw new RangeError(`HeldPoseDetector.holdSeconds: expected seconds ≥ 0, got ${o.holdSeconds}`);
    if (!(o.stillSpeed > 0)) throw new RangeError(`HeldPoseDetector.stillSpeed: expected > 0, got ${o.stillSpeed}`);
    this.hold = o.holdSeconds;
    this.still = o.stillSpeed;
  }

  /** Feeds the body speed at time t; true while the pose has been held for holdSeconds. */
  update(speed: number, t: number): boolean {
    if (!(speed < this.still)) {
      this.stillSince = undefined;
      return false;
    }
    if (this.stillSince === undefined) this.stillSince = t;
    return t - this.stillSince >= this.hold;
  }

  reset(): void {
    this.stillSince = undefined;
  }
}
