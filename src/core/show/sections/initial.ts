import type { ParamSpec, ParamValue } from '../../params/types.ts';
import { joinKey, type Reporter } from '../issues.ts';
import { ANY_WRITABLE, readParamMap, type ParamScope, type ParamValues } from '../read-params.ts';

/** The walk section names walk/* parameters without their prefix: `"walk": { "mode": "loop", "speed": 0.5 }`. */
export const WALK_SCOPE: ParamScope = {
  accepts: (s) => s.access === 'rw' && s.name.startsWith('walk/'),
  prefix: 'walk/',
  what: 'a walk parameter (walk/* without its prefix)',
};

/** Groups of parameters that shape the picture on screen rather than the walk. */
export const RENDER_GROUPS = ['layout', 'morph', 'grade', 'grain', 'vignette', 'paint', 'master', 'hud', 'credits'] as const;

export const RENDER_SCOPE: ParamScope = {
  accepts: (s) => s.access === 'rw' && RENDER_GROUPS.some((g) => s.name.startsWith(`${g}/`)),
  what: `a render parameter (${RENDER_GROUPS.map((g) => `${g}/…`).join(', ')})`,
};

/**
 * Merges the walk, render and params sections into one set of start values. Naming the same parameter in two
 * sections is an error rather than a silent "last one wins": the file would read two ways.
 */
export function readInitial(
  r: Reporter, raw: { walk: unknown; render: unknown; params: unknown }, specs: readonly ParamSpec[],
): ParamValues {
  const sections: readonly (readonly [string, ParamValues])[] = [
    ['walk', readParamMap(r, raw.walk, 'walk', specs, WALK_SCOPE)],
    ['render', readParamMap(r, raw.render, 'render', specs, RENDER_SCOPE)],
    ['params', readParamMap(r, raw.params, 'params', specs, ANY_WRITABLE)],
  ];
  const out: Record<string, ParamValue> = {};
  const from: Record<string, string> = {};
  for (const [section, values] of sections) {
    for (const [name, value] of Object.entries(values)) {
      const earlier = from[name];
      if (earlier !== undefined) {
        const key = section === 'walk' ? name.slice('walk/'.length) : name;
        r.add(joinKey(section, key), `"${name}" is already set in ${earlier}; set it in one place only`);
        continue;
      }
      out[name] = value;
      from[name] = section;
    }
  }
  return out;
}
