import { coerce, describeExpected, describeGot } from '../../params/coerce.ts';
import type { ParamSpec } from '../../params/types.ts';
import { POSE_FEATURES, type PoseFeature } from '../../pose/feature-names.ts';
import { joinIndex, joinKey, type Reporter } from '../issues.ts';
import { readArray, readBool, readEnum, readNumber, readObject, readRange, SECONDS } from '../read.ts';
import { resolveParam, type ParamScope } from '../read-params.ts';
import { CURVES, type Mapping } from '../types.ts';

/** Natural range of each feature (see feature-names.ts), the default inputRange of a mapping that reads it. */
export const FEATURE_RANGES: Readonly<Record<PoseFeature, readonly [number, number]>> = {
  presence: [0, 1],
  people: [0, 4],
  x: [-1, 1],
  y: [-1, 1],
  distance: [0, 1],
  lean: [-1, 1],
  'head-tilt': [-1, 1],
  'head-turn': [-1, 1],
  'left-hand-height': [-1, 1],
  'right-hand-height': [-1, 1],
  'arms-open': [0, 1],
  motion: [0, 1],
  held: [0, 1],
};

const MAPPING_KEYS = ['feature', 'param', 'inputRange', 'outputRange', 'curve', 'deadzone', 'smoothing', 'invert'];

/** A pose can steer one value along a line; vectors have no single line to steer. */
export const MAPPABLE: ParamScope = {
  accepts: (s) => s.access === 'rw' && s.type !== 'vec',
  what: 'a writable float, int, bool or enum parameter',
};

function readOutputRange(r: Reporter, raw: unknown, path: string, spec: ParamSpec): readonly [number, number] | null {
  if (raw === undefined || raw === null) return null;
  if (spec.type !== 'float' && spec.type !== 'int') {
    r.add(path, `outputRange applies to float and int parameters; "${spec.name}" is ${spec.type === 'bool' ? 'a bool' : `an ${spec.type}`} (its values are spread evenly over the input range)`);
    return null;
  }
  if (!Array.isArray(raw) || raw.length !== 2) {
    r.expected(path, `two numbers [from, to], each ${describeExpected(spec)}`, raw);
    return null;
  }
  let ok = true;
  (raw as readonly unknown[]).forEach((end, i) => {
    const c = coerce(spec, end);
    if (!c.ok || c.clamped || typeof end !== 'number') {
      r.add(joinIndex(path, i), `expected ${describeExpected(spec)}, got ${describeGot(end)}`);
      ok = false;
    }
  });
  return ok ? [raw[0] as number, raw[1] as number] : null;
}

/** pose.mappings: feature → parameter lines. A parameter is driven by at most one mapping, so none fight. */
export function readMappings(r: Reporter, raw: unknown, path: string, specs: readonly ParamSpec[]): readonly Mapping[] {
  const list = readArray(r, raw, path, 'a list of mappings');
  if (list === undefined) return [];
  const out: Mapping[] = [];
  const mappedBy = new Map<string, number>();
  list.forEach((item, i) => {
    const at = joinIndex(path, i);
    const o = readObject(r, item, at, MAPPING_KEYS);
    if (o === undefined) return;
    if (o.feature === undefined) r.add(joinKey(at, 'feature'), `missing; expected one of the pose features`);
    if (o.param === undefined) r.add(joinKey(at, 'param'), 'missing; expected a parameter name');
    const feature = o.feature === undefined ? undefined : readEnum<PoseFeature | ''>(r, o.feature, joinKey(at, 'feature'), POSE_FEATURES, '');
    let spec: ParamSpec | undefined;
    if (typeof o.param === 'string') spec = resolveParam(r, o.param, joinKey(at, 'param'), specs, MAPPABLE);
    else if (o.param !== undefined) r.expected(joinKey(at, 'param'), 'a parameter name', o.param);
    if (spec !== undefined) {
      const earlier = mappedBy.get(spec.name);
      if (earlier !== undefined) {
        r.add(joinKey(at, 'param'), `"${spec.name}" is already driven by ${joinIndex(path, earlier)}; a parameter takes one mapping`);
        spec = undefined;
      } else mappedBy.set(spec.name, i);
    }
    const inputRange = readRange(r, o.inputRange, joinKey(at, 'inputRange'), feature ? FEATURE_RANGES[feature] : [0, 1]);
    const outputRange = spec === undefined ? null : readOutputRange(r, o.outputRange, joinKey(at, 'outputRange'), spec);
    const curve = readEnum(r, o.curve, joinKey(at, 'curve'), CURVES, 'linear');
    const deadzone = readNumber(r, o.deadzone, joinKey(at, 'deadzone'),
      { expected: 'a number from 0 to 0.9 (feature units around rest)', min: 0, max: 0.9 }, 0);
    const smoothing = readNumber(r, o.smoothing, joinKey(at, 'smoothing'), SECONDS, 0);
    const invert = readBool(r, o.invert, joinKey(at, 'invert'), false);
    if (feature && spec !== undefined) {
      out.push({ feature, param: spec.name, inputRange, outputRange, curve, deadzone, smoothing, invert });
    }
  });
  return out;
}
