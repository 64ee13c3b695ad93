/** One round trip: our clock when the ping left and when the pong came back, and the leader's clock in between. */
export interface ClockSample {
  readonly sent: number;
  readonly leader: number;
  readonly received: number;
}

export interface ClockSyncOptions {
  /** Samples kept; the one with the shortest round trip wins (NTP's clock filter, RFC 5905 §10). */
  readonly window?: number;
  /**
   * Fastest correction once locked, in seconds per second. 0.05 shifts the walk by 5 % of its speed at most: a
   * 100 ms error is gone in 2 s and no frame moves more than 1.05 frames' worth (chrony's default maxslewrate is
   * 83 ms/s, for the same reason).
   */
  readonly maxSlewRate?: number;
}

/**
 * The follower's estimate of leader clock − own clock. System clocks on the kiosks are disciplined by chrony, so the
 * true offset is usually under a millisecond; this is the check on it, and the fallback where chrony is missing.
 * The first estimate is taken as is (acquire: nothing is shown yet); after that the applied offset only slews
 * towards the estimate at a bounded rate, so a rejoin or a noisy round trip never steps the walk. Time is passed in.
 */
export class ClockSync {
  private readonly samples: ClockSample[] = [];
  private readonly window: number;
  private readonly maxSlewRate: number;
  private applied: number | null = null;
  private lastUpdate: number | null = null;

  constructor(options: ClockSyncOptions = {}) {
    this.window = options.window ?? 8;
    this.maxSlewRate = options.maxSlewRate ?? 0.05;
    if (!(this.window >= 1)) throw new RangeError(`ClockSync: window must be ≥ 1, got ${this.window}`);
    if (!(this.maxSlewRate > 0 && this.maxSlewRate < 1)) throw new RangeError(`ClockSync: maxSlewRate must be in (0, 1), got ${this.maxSlewRate}`);
  }

  /** Adds a round trip; impossible ones (pong before ping) are ignored. */
  addSample(s: ClockSample): void {
    if (!(s.received >= s.sent) || !Number.isFinite(s.leader)) return;
    this.samples.push(s);
    if (this.samples.length > this.window) this.samples.shift();
    if (this.applied === null) {
      this.applied = this.estimate();
      this.lastUpdate = s.received;
    }
  }

  /** Offset of the shortest round trip in the window (its error is at most half that round trip); null before any. */
  estimate(): number | null {
    let best: ClockSample | undefined;
    for (const s of this.samples) if (!best || s.received - s.sent < best.received - best.sent) best = s;
    return best ? best.leader - (best.sent + best.received) / 2 : null;
  }

  /** Half the best round trip: the most the estimate can be wrong by (when paths are symmetric). */
  uncertainty(): number | null {
    let best = Infinity;
    for (const s of this.samples) best = Math.min(best, s.received - s.sent);
    return Number.isFinite(best) ? best / 2 : null;
  }

  /** Moves the applied offset towards the estimate by at most maxSlewRate × (now − last update); returns it. */
  update(localNow: number): number {
    const target = this.estimate();
    if (this.applied === null || target === null) return this.applied ?? 0;
    const dt = this.lastUpdate === null ? 0 : Math.max(0, localNow - this.lastUpdate);
    this.lastUpdate = localNow;
    const step = this.maxSlewRate * dt;
    const err = target - this.applied;
    this.applied += Math.abs(err) <= step ? err : Math.sign(err) * step;
    return this.applied;
  }

  /** The offset in use (0 before the first sample: the system clock, as chrony keeps it). */
  offset(): number {
    return this.applied ?? 0;
  }

  locked(): boolean {
    return this.applied !== null;
  }

  /** Forget the samples (a new leader may sit behind another path) but keep the applied offset: no step on rejoin. */
  forgetSamples(): void {
    this.samples.length = 0;
  }
}
