import { coerce, describeExpected, describeGot } from '../params/coerce.ts';
import type { ParamSpec, ParamValue } from '../params/types.ts';
import { suggest } from './did-you-mean.ts';
import { joinKey, type Reporter } from './issues.ts';
import { COMMENT_KEY, describeChoices, isPlainObject } from './read.ts';

/**
 * Parameter names and values in a show are checked against the bus's own specs (the catalogue), with the bus's
 * own coerce(): a show can name exactly what the desk and the HUD can, and nothing the catalogue does not declare.
 */

export type ParamValues = Readonly<Record<string, ParamValue>>;

export interface ParamScope {
  /** Which specs this place in the show may name (e.g. only walk/*, only writable ones). */
  readonly accepts: (spec: ParamSpec) => boolean;
  /** Prefix the file leaves out of its keys: the walk section says "speed" for "walk/speed". */
  readonly prefix?: string;
  /** Words for a name the scope refuses: "a walk parameter". */
  readonly what: string;
}

export const ANY_WRITABLE: ParamScope = { accepts: (s) => s.access === 'rw', what: 'a writable parameter' };

/** Finds the spec a key names, or reports why it names none (with the closest name the scope accepts). */
export function resolveParam(
  r: Reporter, key: string, path: string, specs: readonly ParamSpec[], scope: ParamScope,
): ParamSpec | undefined {
  const prefix = scope.prefix ?? '';
  const spec = specs.find((s) => s.name === prefix + key);
  if (spec !== undefined && scope.accepts(spec)) return spec;
  if (spec !== undefined && spec.access === 'r') {
    r.add(path, `"${spec.name}" is a read-only status the app reports; expected ${scope.what}`);
    return undefined;
  }
  if (spec !== undefined) {
    r.add(path, `"${spec.name}" is not ${scope.what}`);
    return undefined;
  }
  const names = specs.filter(scope.accepts).map((s) => s.name.slice(prefix.length));
  const near = suggest(key, names);
  r.add(path, `unknown parameter${near !== undefined ? `; did you mean ${JSON.stringify(near)}?` : `; expected ${scope.what}`}`);
  return undefined;
}

/**
 * A value for a spec. Unlike the desk's path through the bus, an out-of-range number is an error here, not
 * clamped: a show file that says contrast 5 was written by someone who meant something else.
 */
export function readParamValue(r: Reporter, spec: ParamSpec, raw: unknown, path: string): ParamValue | undefined {
  const c = coerce(spec, raw);
  if (c.ok && !c.clamped) return c.value;
  let expected = describeExpected(spec);
  if (spec.type === 'enum' && typeof raw === 'string') {
    const near = suggest(raw, spec.values);
    if (near !== undefined) expected = `${describeChoices(spec.values)} (did you mean ${JSON.stringify(near)}?)`;
  }
  r.add(path, `expected ${expected}, got ${describeGot(raw)}`);
  return undefined;
}

/** `{ "grade/contrast": 1.1, … }`: names checked in scope, values checked against their specs. */
export function readParamMap(
  r: Reporter, raw: unknown, path: string, specs: readonly ParamSpec[], scope: ParamScope,
): ParamValues {
  const out: Record<string, ParamValue> = {};
  if (raw === undefined) return out;
  if (!isPlainObject(raw)) {
    r.expected(path, 'an object of parameter names and values', raw);
    return out;
  }
  for (const [key, value] of Object.entries(raw)) {
    if (key === COMMENT_KEY) continue;
    const at = joinKey(path, key);
    const spec = resolveParam(r, key, at, specs, scope);
    if (spec === undefined) continue;
    const v = readParamValue(r, spec, value, at);
    if (v !== undefined) out[spec.name] = v;
  }
  return out;
}
