import type { ParamSpec, ParamValue } from '../../params/types.ts';
import { joinKey, type Reporter } from '../issues.ts';
import { readObject } from '../read.ts';
import { ANY_WRITABLE, readParamMap } from '../read-params.ts';
import type { IdleConfig } from '../types.ts';
import { WALK_SCOPE } from './initial.ts';

/**
 * Attract mode: what holds while nobody is in front of the camera. Same shapes as the top-level walk and params
 * sections (`"idle": { "walk": { "mode": "random" }, "params": { "grade/saturation": 0.6 } }`).
 */
export function readIdle(r: Reporter, raw: unknown, path: string, specs: readonly ParamSpec[]): IdleConfig {
  const o = readObject(r, raw, path, ['walk', 'params']) ?? {};
  const walk = readParamMap(r, o.walk, joinKey(path, 'walk'), specs, WALK_SCOPE);
  const params = readParamMap(r, o.params, joinKey(path, 'params'), specs, ANY_WRITABLE);
  const values: Record<string, ParamValue> = { ...walk };
  for (const [name, value] of Object.entries(params)) {
    if (name in values) r.add(joinKey(joinKey(path, 'params'), name), `"${name}" is already set in ${path}.walk; set it in one place only`);
    else values[name] = value;
  }
  return { values };
}
