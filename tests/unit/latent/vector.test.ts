import { describe, expect, it } from 'vitest';
import { addScaledInto, combineInto, distance, dot, lerpInto, maxAbsDifference, norm, scaleInto } from '../../../src/core/latent/vector.ts';

describe('vector helpers', () => {
  const a = Float32Array.of(1, 2, 2);
  const b = Float32Array.of(0, 3, -4);

  it('measure', () => {
    expect(dot(a, b)).toBe(-2);
    expect(norm(a)).toBe(3);
    expect(distance(a, b)).toBeCloseTo(Math.sqrt(1 + 1 + 36), 6);
    expect(maxAbsDifference(a, b)).toBe(6);
  });

  it('write into the output they are given, aliasing allowed', () => {
    const out = new Float32Array(3);
    expect(scaleInto(a, 2, out)).toBe(out);
    expect(Array.from(out)).toEqual([2, 4, 4]);
    expect(Array.from(addScaledInto(a, b, 2, new Float32Array(3)))).toEqual([1, 8, -6]);
    expect(Array.from(combineInto(a, 2, b, 1, new Float32Array(3)))).toEqual([2, 7, 0]);
    const c = Float32Array.from(a);
    lerpInto(c, b, 0.5, c);
    expect(Array.from(c)).toEqual([0.5, 2.5, -1]);
  });
});
