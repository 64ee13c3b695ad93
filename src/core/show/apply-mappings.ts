import type { ParameterBus } from '../params/bus.ts';
import type { PoseFeature } from '../pose/feature-names.ts';
import { applyCurve } from './curves.ts';
import type { Mapping } from './types.ts';

export type FeatureValues = Readonly<Partial<Record<PoseFeature, number>>>;

/** Values within ±deadzone of 0 (the feature's rest: centred, still, nobody) become 0; the rest is rescaled from
 *  the deadzone's edge so the output moves on continuously instead of jumping when a visitor leaves it. */
export function applyDeadzone(x: number, deadzone: number): number {
  if (deadzone <= 0) return x;
  const a = Math.abs(x);
  if (a <= deadzone) return 0;
  return (Math.sign(x) * (a - deadzone)) / (1 - deadzone);
}

/**
 * The mapping's line before smoothing: deadzone on the raw feature, position within inputRange (clamped), invert,
 * curve, then onto outputRange. Returns a value in the parameter's own units for floats and ints, and a 0..1
 * position for bools and enums (which the bus steps through evenly via setNormalised). Allocates nothing: it runs
 * per mapping per camera frame.
 */
export function mapFeature(m: Mapping, x: number, low: number, high: number): number {
  const [i0, i1] = m.inputRange;
  let t = (applyDeadzone(x, m.deadzone) - i0) / (i1 - i0);
  t = t <= 0 ? 0 : t >= 1 ? 1 : t;
  if (m.invert) t = 1 - t;
  const c = applyCurve(m.curve, t);
  const o0 = m.outputRange ? m.outputRange[0] : low;
  const o1 = m.outputRange ? m.outputRange[1] : high;
  return o0 + c * (o1 - o0);
}

/**
 * Turns this frame's pose features into 'pose'-source writes on the bus; returns how many parameters it wrote.
 * A feature missing this frame (nobody, or a joint out of view) leaves its parameter where it is. Smoothing keeps
 * no state of its own: the pose layer's previous value on the bus is the filter's state, so a restart or a
 * release (attract mode) simply starts the filter again from what the bus holds.
 */
export function applyMappings(features: FeatureValues, mappings: readonly Mapping[], bus: ParameterBus, dt: number): number {
  let written = 0;
  for (const m of mappings) {
    const x = features[m.feature];
    if (x === undefined || !Number.isFinite(x)) continue;
    const spec = bus.spec(m.param);
    if (spec === undefined) continue;
    if (spec.type === 'float' || spec.type === 'int') {
      let y = mapFeature(m, x, spec.min, spec.max);
      const previous = bus.layer(m.param, 'pose');
      if (m.smoothing > 0 && typeof previous === 'number' && dt > 0) {
        y = previous + (y - previous) * (1 - Math.exp(-dt / m.smoothing));
      }
      if (bus.set(m.param, y, 'pose').ok) written++;
    } else if (spec.type === 'bool' || spec.type === 'enum') {
      if (bus.setNormalised(m.param, mapFeature(m, x, 0, 1), 'pose').ok) written++;
    }
  }
  return written;
}
