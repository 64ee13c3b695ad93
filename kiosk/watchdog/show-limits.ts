import type { Show } from '../../src/core/show/index.ts';
import { DEFAULT_LIMITS, type WatchdogLimits } from './policy.ts';

/** The watchdog's limits as the show file sets them (kiosk.watchdog, kiosk.dailyRestart). */
export function limitsFromShow(show: Pick<Show, 'kiosk'>): WatchdogLimits {
  const w = show.kiosk.watchdog;
  return {
    ...DEFAULT_LIMITS,
    heartbeatTimeout: w.heartbeatTimeoutSeconds,
    minFps: w.minFps,
    maxHeapMB: w.maxHeapMb,
    maxTensors: w.maxTensors,
    dailyRestart: show.kiosk.dailyRestart,
  };
}
