import type { PageVitals } from '../server/vitals.ts';

export interface WatchdogLimits {
  /** Restart when no heartbeat came for this long (s). */
  readonly heartbeatTimeout: number;
  /** Restart when fps stays below this for `lowFpsSeconds` (0 disables). */
  readonly minFps: number;
  readonly lowFpsSeconds: number;
  /** Restart when the page's JS heap passes this (MB; 0 disables). */
  readonly maxHeapMB: number;
  /** Restart when live tensors pass this (0 disables): a leak, since a healthy page stays flat. */
  readonly maxTensors: number;
  /** Seconds after a (re)start during which the page may be silent or slow (loading, warm-up). */
  readonly bootGrace: number;
  /** At most this many restarts within `restartWindow` seconds; past it the watchdog waits (no restart loop). */
  readonly maxRestarts: number;
  readonly restartWindow: number;
  /** Daily restart at "HH:MM" local time, or null. */
  readonly dailyRestart: string | null;
}

export const DEFAULT_LIMITS: WatchdogLimits = {
  heartbeatTimeout: 15,
  minFps: 5,
  lowFpsSeconds: 30,
  maxHeapMB: 2048,
  maxTensors: 5000,
  bootGrace: 60,
  maxRestarts: 3,
  restartWindow: 600,
  dailyRestart: null,
};

export type RestartCause = 'heartbeat-lost' | 'low-fps' | 'heap-limit' | 'tensor-limit' | 'daily' | 'browser-exited';

export type Verdict =
  | { readonly action: 'ok' }
  | { readonly action: 'restart'; readonly cause: RestartCause; readonly detail: string }
  /** A restart is due but the rate limit holds it back until `untilS`. */
  | { readonly action: 'hold'; readonly cause: RestartCause; readonly untilS: number };

/**
 * The watchdog's decisions as plain state + time, so a week of faults is tested in milliseconds.
 * Times are seconds on one monotonic clock (the caller's); `localMinutes` is minutes since local midnight,
 * used only for the daily restart.
 */
export class WatchdogPolicy {
  private startedS = 0;
  private lastBeatS: number | null = null;
  private lowFpsSinceS: number | null = null;
  private lastVitals: PageVitals | null = null;
  private readonly restartsS: number[] = [];
  private lastDailyDay = -1;
  private browserExited = false;

  constructor(private readonly limits: WatchdogLimits) {}

  /** The browser was (re)started now. */
  started(nowS: number, day = -1): void {
    this.startedS = nowS;
    this.lastBeatS = null;
    this.lowFpsSinceS = null;
    this.lastVitals = null;
    this.browserExited = false;
    if (day >= 0) this.lastDailyDay = Math.max(this.lastDailyDay, day);
  }

  heartbeat(vitals: PageVitals, nowS: number): void {
    this.lastBeatS = nowS;
    this.lastVitals = vitals;
    if (this.limits.minFps > 0 && vitals.fps < this.limits.minFps && vitals.phase === 'running') {
      this.lowFpsSinceS ??= nowS;
    } else {
      this.lowFpsSinceS = null;
    }
  }

  exited(): void {
    this.browserExited = true;
  }

  /** Whether the page is alive: systemd's watchdog is fed only while this is true. */
  alive(nowS: number): boolean {
    return this.lastBeatS !== null && nowS - this.lastBeatS < this.limits.heartbeatTimeout;
  }

  check(nowS: number, localMinutes = -1, day = -1): Verdict {
    const cause = this.dueCause(nowS, localMinutes, day);
    if (!cause) return { action: 'ok' };
    while (this.restartsS.length > 0 && (this.restartsS[0] as number) <= nowS - this.limits.restartWindow) this.restartsS.shift();
    if (this.restartsS.length >= this.limits.maxRestarts && cause.cause !== 'daily') {
      return { action: 'hold', cause: cause.cause, untilS: (this.restartsS[0] as number) + this.limits.restartWindow };
    }
    this.restartsS.push(nowS);
    if (cause.cause === 'daily') this.lastDailyDay = day;
    return { action: 'restart', ...cause };
  }

  private dueCause(nowS: number, localMinutes: number, day: number): { cause: RestartCause; detail: string } | null {
    const L = this.limits;
    if (this.browserExited) return { cause: 'browser-exited', detail: 'the browser process ended' };
    if (L.dailyRestart && localMinutes >= 0 && day > this.lastDailyDay) {
      const [h, m] = L.dailyRestart.split(':').map(Number) as [number, number];
      if (localMinutes >= h * 60 + m && localMinutes < h * 60 + m + 30) return { cause: 'daily', detail: `daily restart at ${L.dailyRestart}` };
    }
    const inGrace = nowS - this.startedS < L.bootGrace;
    const silentFor = nowS - (this.lastBeatS ?? this.startedS);
    if (!inGrace && silentFor >= L.heartbeatTimeout) {
      return { cause: 'heartbeat-lost', detail: `no heartbeat for ${silentFor.toFixed(0)} s` };
    }
    const v = this.lastVitals;
    if (!v) return null;
    if (L.maxHeapMB > 0 && v.heapBytes > L.maxHeapMB * 2 ** 20) {
      return { cause: 'heap-limit', detail: `heap ${(v.heapBytes / 2 ** 20).toFixed(0)} MB > ${L.maxHeapMB} MB` };
    }
    if (L.maxTensors > 0 && v.tensors > L.maxTensors) return { cause: 'tensor-limit', detail: `${v.tensors} tensors > ${L.maxTensors}` };
    if (!inGrace && this.lowFpsSinceS !== null && nowS - this.lowFpsSinceS >= L.lowFpsSeconds) {
      return { cause: 'low-fps', detail: `fps ${v.fps.toFixed(1)} < ${L.minFps} for ${(nowS - this.lowFpsSinceS).toFixed(0)} s` };
    }
    return null;
  }
}
