import type { ParamSpec } from './types.ts';

/** The direction a steering slider moves (`steer/3` → 3), or null for any other parameter. */
export function steerIndex(name: string): number | null {
  const m = /^steer\/(\d+)$/.exec(name);
  return m ? Number(m[1]) : null;
}

/**
 * The catalogue with the model's direction names written into the steering sliders' descriptions, so a desk that
 * reads OSCQuery (TouchOSC, Chataigne, Vezér) shows `steer/0` as "colour-to-ink" rather than a bare number. The
 * names come from the model's directions.json; sliders beyond them say they do nothing with this model.
 */
export function nameSteering(specs: readonly ParamSpec[], names: readonly string[], model: string): ParamSpec[] {
  return specs.map((spec) => {
    const i = steerIndex(spec.name);
    if (i === null) return spec;
    const name = names[i];
    const description = name === undefined
      ? `No direction ${i} in models/${model}/directions.json: this slider does nothing with this model.`
      : `Steers "${name}" (direction ${i} of models/${model}), in standard deviations.`;
    return { ...spec, description };
  });
}
