import { joinKey, type Reporter } from '../issues.ts';
import { readNullableString, readNumber, readObject } from '../read.ts';
import type { KioskConfig } from '../types.ts';

/**
 * Watchdog defaults: the page beats every second or so, so 10 s of silence is a hang, not a hiccup; below 5 fps
 * the piece no longer reads as moving; heap and tensor ceilings catch slow leaks long before the browser dies.
 */
export const DEFAULT_KIOSK: KioskConfig = {
  dailyRestart: null,
  watchdog: { heartbeatTimeoutSeconds: 10, minFps: 5, maxHeapMb: 2048, maxTensors: 5000 },
};

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export function readKiosk(r: Reporter, raw: unknown, path: string): KioskConfig {
  const o = readObject(r, raw, path, ['dailyRestart', 'watchdog']) ?? {};
  const w = readObject(r, o.watchdog, joinKey(path, 'watchdog'), ['heartbeatTimeoutSeconds', 'minFps', 'maxHeapMb', 'maxTensors']) ?? {};
  const at = (key: string): string => joinKey(joinKey(path, 'watchdog'), key);
  const d = DEFAULT_KIOSK.watchdog;
  return {
    dailyRestart: readNullableString(r, o.dailyRestart, joinKey(path, 'dailyRestart'), 'a local time "HH:MM" (00:00 to 23:59)', null, (s) => HH_MM.test(s)),
    watchdog: {
      heartbeatTimeoutSeconds: readNumber(r, w.heartbeatTimeoutSeconds, at('heartbeatTimeoutSeconds'), { expected: 'a number of seconds from 1 to 600', min: 1, max: 600 }, d.heartbeatTimeoutSeconds),
      minFps: readNumber(r, w.minFps, at('minFps'), { expected: 'a frame rate from 0 (off) to 240', min: 0, max: 240 }, d.minFps),
      maxHeapMb: readNumber(r, w.maxHeapMb, at('maxHeapMb'), { expected: 'a number of megabytes ≥ 64', min: 64 }, d.maxHeapMb),
      maxTensors: readNumber(r, w.maxTensors, at('maxTensors'), { expected: 'a whole number ≥ 1', min: 1, integer: true }, d.maxTensors),
    },
  };
}
