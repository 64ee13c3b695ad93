import type { ParamSpec } from '../../params/types.ts';
import { PULSE_EVERY, type BeatPulse } from '../../tempo/pulse.ts';
import { joinIndex, joinKey, type Reporter } from '../issues.ts';
import { readArray, readEnum, readNumber, readObject } from '../read.ts';
import { resolveParam, type ParamScope } from '../read-params.ts';
import { coerce, describeExpected, describeGot } from '../../params/coerce.ts';
import type { TempoConfig } from '../types.ts';

const PULSE_KEYS = ['param', 'every', 'range', 'attack', 'decay'];
const PULSABLE: ParamScope = { accepts: (s) => s.access === 'rw' && (s.type === 'float' || s.type === 'int'), what: 'a writable float or int parameter' };

/**
 * tempo.pulses: parameters that pulse on the beat. They write the pose layer (a visitor's mapping of the same
 * parameter would fight them, so that is refused); cues and the desk override them as they override the visitors.
 */
export function readTempo(r: Reporter, raw: unknown, path: string, specs: readonly ParamSpec[], poseMapped: readonly string[]): TempoConfig {
  const o = readObject(r, raw, path, ['pulses']) ?? {};
  const list = readArray(r, o.pulses, joinKey(path, 'pulses'), 'a list of pulses') ?? [];
  const pulses: BeatPulse[] = [];
  const seen = new Map<string, number>();
  list.forEach((item, i) => {
    const at = joinIndex(joinKey(path, 'pulses'), i);
    const p = readObject(r, item, at, PULSE_KEYS);
    if (p === undefined) return;
    const before = r.issues.length;
    let spec: ParamSpec | undefined;
    if (typeof p.param === 'string') spec = resolveParam(r, p.param, joinKey(at, 'param'), specs, PULSABLE);
    else r.expected(joinKey(at, 'param'), 'a parameter name', p.param);
    if (spec) {
      const earlier = seen.get(spec.name);
      if (earlier !== undefined) r.add(joinKey(at, 'param'), `"${spec.name}" already pulses by ${joinIndex(joinKey(path, 'pulses'), earlier)}`);
      else if (poseMapped.includes(spec.name)) r.add(joinKey(at, 'param'), `"${spec.name}" is driven by a pose mapping; a pulse and a visitor would fight over it`);
      seen.set(spec.name, i);
    }
    const every = readEnum(r, p.every, joinKey(at, 'every'), PULSE_EVERY, 'beat');
    const attack = readNumber(r, p.attack, joinKey(at, 'attack'), { expected: 'a number of seconds ≥ 0.001', min: 0.001 }, 0.01);
    const decay = readNumber(r, p.decay, joinKey(at, 'decay'), { expected: 'a number of seconds ≥ 0', min: 0 }, 0.2);
    let range: readonly [number, number] | null = null;
    if (p.range === undefined) r.add(joinKey(at, 'range'), 'missing; expected [rest, peak] in the parameter\'s units');
    else if (!Array.isArray(p.range) || p.range.length !== 2) r.expected(joinKey(at, 'range'), 'two numbers [rest, peak]', p.range);
    else if (spec) {
      const ends = p.range as unknown[];
      let ok = true;
      ends.forEach((end, k) => {
        const c = coerce(spec, end);
        if (typeof end !== 'number' || !c.ok || c.clamped) {
          r.add(joinIndex(joinKey(at, 'range'), k), `expected ${describeExpected(spec)}, got ${describeGot(end)}`);
          ok = false;
        }
      });
      if (ok) range = [ends[0] as number, ends[1] as number];
    }
    if (r.issues.length === before && spec && range) pulses.push({ param: spec.name, every, range, attack, decay });
  });
  return { pulses };
}
