/**
 * One clock drives the walk and the cues. Core code never reads wall time itself: it is handed a Clock,
 * so tests can run a day-long walk in seconds with a ManualClock.
 */
export interface Clock {
  /** Seconds since an arbitrary origin; never decreases. */
  now(): number;
}

export class ManualClock implements Clock {
  private t: number;

  constructor(start = 0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  advance(seconds: number): number {
    if (!(seconds >= 0)) throw new RangeError(`ManualClock.advance: expected seconds ≥ 0, got ${seconds}`);
    this.t += seconds;
    return this.t;
  }
}

/** Wraps a millisecond source (performance.now, Date.now) into a Clock in seconds. */
export function clockFromMilliseconds(msNow: () => number): Clock {
  return { now: () => msNow() / 1000 };
}
