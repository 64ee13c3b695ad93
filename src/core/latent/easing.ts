/**
 * Easing curves on [0, 1] → [0, 1] with f(0) = 0 and f(1) = 1. Blends use smootherstep (Perlin 2002, "Improving
 * noise"): zero first and second derivative at both ends, so a blend starts and ends without a velocity or
 * acceleration kick. `slope` gives each curve's largest derivative, which bounds how far a blend can move per tick.
 */
export type EasingName = 'linear' | 'smoothstep' | 'smootherstep' | 'sine';

export interface Easing {
  (t: number): number;
}

const clamp01 = (t: number): number => (t <= 0 ? 0 : t >= 1 ? 1 : t);

export const EASINGS: Readonly<Record<EasingName, Easing>> = {
  linear: (t) => clamp01(t),
  smoothstep: (t) => {
    const x = clamp01(t);
    return x * x * (3 - 2 * x);
  },
  smootherstep: (t) => {
    const x = clamp01(t);
    return x * x * x * (x * (6 * x - 15) + 10);
  },
  sine: (t) => 0.5 - 0.5 * Math.cos(Math.PI * clamp01(t)),
};

/** max |f'(t)| on [0, 1]. */
export const EASING_MAX_SLOPE: Readonly<Record<EasingName, number>> = {
  linear: 1,
  smoothstep: 1.5,
  smootherstep: 1.875,
  sine: Math.PI / 2,
};
