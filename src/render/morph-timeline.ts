/**
 * When a morph between two generated frames starts and how far it has gone. The generator's pace is measured from
 * the arrival times of its frames, so a morph lasts one generation interval and ends about when the next frame
 * arrives: the screen moves at the display's rate whether the generator gives 5 or 50 frames a second.
 * Pure and explicit in time (seconds, like core/clock.ts), so tests drive it with exact numbers.
 */
export class MorphTimeline {
  /** Smoothed seconds between frames; the first interval is taken as is. */
  private interval = 0;
  private lastArrival = Number.NaN;
  private start = 0;

  /** Weight of a new interval in the running average: follows a change of pace within ~5 frames. */
  static readonly SMOOTHING = 0.2;
  static readonly MIN_S = 0.001;
  /** Longest morph: a stalled generator (or a paused page) must not leave the screen mid-blend for minutes. */
  static readonly MAX_S = 60;
  /**
   * A gap counts for at most this many intervals: a pause (tab hidden, model reload) must not make the next morphs
   * crawl, while a real slow-down is still learnt, geometrically, within a few frames.
   */
  static readonly OUTLIER = 4;

  /** A frame arrived at `at`; updates the measured interval. */
  arrive(at: number): void {
    if (Number.isFinite(this.lastArrival)) {
      let dt = Math.min(MorphTimeline.MAX_S, Math.max(MorphTimeline.MIN_S, at - this.lastArrival));
      if (this.interval > 0) dt = Math.min(dt, this.interval * MorphTimeline.OUTLIER);
      this.interval = this.interval === 0 ? dt : this.interval + (dt - this.interval) * MorphTimeline.SMOOTHING;
    }
    this.lastArrival = at;
  }

  /** A morph starts at `at`. */
  begin(at: number): void {
    this.start = at;
  }

  /** When the current morph ends (progress reaches 1). */
  end(): number {
    return this.start + this.intervalSeconds();
  }

  intervalSeconds(): number {
    return this.interval === 0 ? MorphTimeline.MIN_S : this.interval;
  }

  /** (now − start) / interval, clamped to [0, 1]. */
  progress(now: number): number {
    const p = (now - this.start) / this.intervalSeconds();
    return p <= 0 ? 0 : p >= 1 ? 1 : p;
  }

  reset(): void {
    this.interval = 0;
    this.lastArrival = Number.NaN;
    this.start = 0;
  }
}
