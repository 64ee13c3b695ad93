import { steerIndex } from '../params/steering-names.ts';
import type { Show } from './types.ts';

/**
 * Where a show moves a steering slider (steer/i) that the model has no direction for: such a slider does nothing,
 * so a visitor stepping sideways sees no change. Returns one line per place, naming the show path, e.g.
 * `pose.mappings[0]: maps x to steer/0, but models/default has 0 directions (directions.json)`, for the log: the
 * show still runs, the walk as usual.
 */
export function unsteerable(show: Show, directionCount: number): string[] {
  const lacks = (param: string): boolean => {
    const i = steerIndex(param);
    return i !== null && i >= directionCount;
  };
  const has = `but models/${show.model} has ${directionCount} direction${directionCount === 1 ? '' : 's'} (directions.json; make them with npm run directions -- models/${show.model})`;
  const out: string[] = [];
  show.pose.mappings.forEach((m, i) => {
    if (show.pose.enabled && lacks(m.param)) out.push(`pose.mappings[${i}]: maps ${m.feature} to ${m.param}, ${has}`);
  });
  show.cues.forEach((c, i) => {
    for (const t of c.targets) if (lacks(t.param) && t.value !== 0) out.push(`cues[${i}] (${c.name}): sets ${t.param}, ${has}`);
  });
  for (const [param, value] of Object.entries(show.initial)) if (lacks(param) && value !== 0) out.push(`start values: set ${param}, ${has}`);
  for (const [param, value] of Object.entries(show.idle.values)) if (lacks(param) && value !== 0) out.push(`idle.params: sets ${param}, ${has}`);
  return out;
}
