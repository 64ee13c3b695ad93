import type { ParamSpec } from '../../params/types.ts';
import { joinIndex, joinKey, type Reporter } from '../issues.ts';
import {
  COMMENT_KEY, isPlainObject, POSITIVE_SECONDS, readArray, readNullableNumber, readNumber, readObject, readString, SECONDS, type NumberRule,
} from '../read.ts';
import { ANY_WRITABLE, readParamValue, resolveParam } from '../read-params.ts';
import type { Cue, CueTarget } from '../types.ts';

const CUE_KEYS = ['number', 'name', 'fade', 'targets', 'follow'];
const CUE_NUMBER: NumberRule = { expected: 'a cue number > 0', above: 0 };

/**
 * A target is either a bare value (`"grade/contrast": 1.2`, faded over the cue's time) or
 * `{ "value": 1.2, "fade": 8 }` with its own time, as lighting desks allow per-channel times.
 */
function readTargets(r: Reporter, raw: unknown, path: string, specs: readonly ParamSpec[], cueFade: number): readonly CueTarget[] {
  if (raw === undefined) return [];
  if (!isPlainObject(raw)) {
    r.expected(path, 'an object of parameter names and values', raw);
    return [];
  }
  const out: CueTarget[] = [];
  for (const [key, item] of Object.entries(raw)) {
    if (key === COMMENT_KEY) continue;
    const at = joinKey(path, key);
    const spec = resolveParam(r, key, at, specs, ANY_WRITABLE);
    let rawValue = item;
    let fade = cueFade;
    if (isPlainObject(item)) {
      const o = readObject(r, item, at, ['value', 'fade']) ?? {};
      if (o.value === undefined) r.add(joinKey(at, 'value'), 'missing; expected the value to fade to');
      rawValue = o.value;
      fade = readNumber(r, o.fade, joinKey(at, 'fade'), SECONDS, cueFade);
    }
    if (spec === undefined || rawValue === undefined) continue;
    const value = readParamValue(r, spec, rawValue, isPlainObject(item) ? joinKey(at, 'value') : at);
    if (value !== undefined) out.push({ param: spec.name, value, fade });
  }
  return out;
}

/** `follow`: seconds (a number), bars of the tempo (`{ "bars": 4 }`), or null. */
function readFollow(r: Reporter, raw: unknown, path: string): { follow: number | null; followBars: number | null } {
  if (isPlainObject(raw)) {
    const o = readObject(r, raw, path, ['bars']) ?? {};
    if (o.bars === undefined) r.add(joinKey(path, 'bars'), 'missing; expected a number of bars > 0');
    const bars = readNumber(r, o.bars, joinKey(path, 'bars'), { expected: 'a number of bars > 0', above: 0 }, 1);
    return { follow: null, followBars: bars };
  }
  return { follow: readNullableNumber(r, raw, path, POSITIVE_SECONDS, null), followBars: null };
}

export function readCues(r: Reporter, raw: unknown, path: string, specs: readonly ParamSpec[]): readonly Cue[] {
  const list = readArray(r, raw, path, 'a list of cues');
  if (list === undefined) return [];
  const out: Cue[] = [];
  const numbered = new Map<number, number>();
  list.forEach((item, i) => {
    const at = joinIndex(path, i);
    const o = readObject(r, item, at, CUE_KEYS);
    if (o === undefined) return;
    const number = readNumber(r, o.number, joinKey(at, 'number'), CUE_NUMBER, i + 1);
    const earlier = numbered.get(number);
    if (earlier !== undefined) {
      r.add(joinKey(at, 'number'), `expected a cue number not used by ${joinIndex(path, earlier)}, got ${number}`);
    } else numbered.set(number, i);
    const fade = readNumber(r, o.fade, joinKey(at, 'fade'), SECONDS, 0);
    out.push({
      number,
      name: readString(r, o.name, joinKey(at, 'name'), 'a text', `Cue ${number}`),
      fade,
      targets: readTargets(r, o.targets, joinKey(at, 'targets'), specs, fade),
      ...readFollow(r, o.follow, joinKey(at, 'follow')),
    });
  });
  return out;
}
