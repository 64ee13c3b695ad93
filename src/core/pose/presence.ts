/**
 * Presence with hysteresis: someone must be seen for `enterSeconds` before the show engages, and be gone for
 * `leaveSeconds` before it returns to attract mode, so a visitor who blinks out of detection for a few frames (a
 * turn, an occluding passer-by) does not flip the piece back and forth. Time is passed in, never read.
 */
export type PresenceMode = 'attract' | 'engage';

export interface PresenceOptions {
  /** Seconds someone must be seen continuously before engage mode. */
  readonly enterSeconds?: number;
  /** Seconds nobody may be seen before attract mode. */
  readonly leaveSeconds?: number;
}

export const PRESENCE_DEFAULTS: Required<PresenceOptions> = { enterSeconds: 0.5, leaveSeconds: 3 };

export class PresenceHysteresis {
  private readonly enter: number;
  private readonly leave: number;
  private current: PresenceMode = 'attract';
  /** Since when the raw observation has disagreed with the mode; undefined while it agrees. */
  private since: number | undefined;

  constructor(options: PresenceOptions = {}) {
    const o = { ...PRESENCE_DEFAULTS, ...options };
    for (const k of ['enterSeconds', 'leaveSeconds'] as const) {
      if (!(o[k] >= 0)) throw new RangeError(`PresenceHysteresis.${k}: expected seconds ≥ 0, got ${o[k]}`);
    }
    this.enter = o.enterSeconds;
    this.leave = o.leaveSeconds;
  }

  /** Feeds one observation (someone seen or not) at time t (seconds); returns the mode after it. */
  update(seen: boolean, t: number): PresenceMode {
    const wantsEngage = seen;
    if (wantsEngage === (this.current === 'engage')) {
      this.since = undefined;
      return this.current;
    }
    if (this.since === undefined) this.since = t;
    const needed = wantsEngage ? this.enter : this.leave;
    if (t - this.since >= needed) {
      this.current = wantsEngage ? 'engage' : 'attract';
      this.since = undefined;
    }
    return this.current;
  }

  mode(): PresenceMode {
    return this.current;
  }

  reset(): void {
    this.current = 'attract';
    this.since = undefined;
  }
}
