import type { ParamSpec } from './types.ts';

/**
 * The catalogue with the model's direction names written into the steering sliders' descriptions, so a desk that
 * reads OSCQuery (TouchOSC, Chataigne, Vezér) shows `steer/0` as "colour-to-ink" rather than a bare number. The
 * names come from the model's directions.json; sliders beyond them say they do nothing with this model.
 */
export function nameSteering(specs: readonly ParamSpec[], names: readonly string[], model: string): ParamSpec[] {
  return specs.map((spec) => {
    const m = /^steer\/(\d+)$/.exec(spec.name);
    if (!m) return spec;
    const i = Number(m[1]);
    const name = names[i];
    const description = name === undefined
      ? `No direction ${i} in models/${model}/directions.json: this slider does nothing with this model.`
      : `Steers "${name}" (direction ${i} of models/${model}), in standard deviations.`;
    return { ...spec, description };
  });
}
