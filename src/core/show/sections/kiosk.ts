import { joinKey, type Reporter } from '../issues.ts';
import { DEFAULT_GOVERNOR_ORDER, GOVERNOR_KNOBS, type GovernorKnob } from '../../governor/governor.ts';
import { suggest } from '../did-you-mean.ts';
import { describeChoices, readArray, readNullableString, readNumber, readObject } from '../read.ts';
import type { KioskConfig } from '../types.ts';

/**
 * Watchdog defaults: the page beats every second or so, so 10 s of silence is a hang, not a hiccup; below 5 fps
 * the piece no longer reads as moving; heap and tensor ceilings catch slow leaks long before the browser dies.
 */
export const DEFAULT_KIOSK: KioskConfig = {
  dailyRestart: null,
  watchdog: { heartbeatTimeoutSeconds: 10, minFps: 5, maxHeapMb: 2048, maxTensors: 5000 },
  targetFps: 60,
  governor: { order: DEFAULT_GOVERNOR_ORDER },
};

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export function readKiosk(r: Reporter, raw: unknown, path: string): KioskConfig {
  const o = readObject(r, raw, path, ['dailyRestart', 'watchdog', 'targetFps', 'governor']) ?? {};
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
    targetFps: readNumber(r, o.targetFps, joinKey(path, 'targetFps'), { expected: 'a frame rate from 0 (off) to 240', min: 0, max: 240 }, DEFAULT_KIOSK.targetFps),
    governor: { order: readOrder(r, o.governor, joinKey(path, 'governor')) },
  };
}

/** kiosk.governor.order: distinct knob names; a misspelt one gets a suggestion, and the default order stands. */
function readOrder(r: Reporter, raw: unknown, path: string): readonly GovernorKnob[] {
  const g = readObject(r, raw, path, ['order']) ?? {};
  const at = joinKey(path, 'order');
  const list = readArray(r, g.order, at, `a list of knobs, each ${describeChoices(GOVERNOR_KNOBS)}`);
  if (!list) return DEFAULT_GOVERNOR_ORDER;
  const out: GovernorKnob[] = [];
  let ok = true;
  list.forEach((item, i) => {
    const found = GOVERNOR_KNOBS.find((k) => k === item);
    if (found === undefined) {
      const near = typeof item === 'string' ? suggest(item, GOVERNOR_KNOBS) : undefined;
      r.expected(`${at}[${i}]`, `${describeChoices(GOVERNOR_KNOBS)}${near !== undefined ? ` (did you mean ${JSON.stringify(near)}?)` : ''}`, item);
      ok = false;
    } else if (out.includes(found)) {
      r.add(`${at}[${i}]`, `"${found}" is already in the list; each knob once`);
      ok = false;
    } else {
      out.push(found);
    }
  });
  return ok ? out : DEFAULT_GOVERNOR_ORDER;
}
