import { describe, expect, it } from 'vitest';
import { EASINGS, EASING_MAX_SLOPE, type EasingName } from '../../../src/core/latent/easing.ts';
import { latentFromSeed } from '../../../src/core/latent/seed-latent.ts';
import { slerp, slerpInto } from '../../../src/core/latent/slerp.ts';
import { normOf } from './helpers.ts';

function angle(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += (a[i] as number) * (b[i] as number);
  return Math.acos(Math.max(-1, Math.min(1, d / (normOf(a) * normOf(b)))));
}

function scaledTo(v: Float32Array, length: number): Float32Array {
  const n = normOf(v);
  return v.map((x) => (x * length) / n);
}

describe('slerp', () => {
  const a = scaledTo(latentFromSeed(1, 512), 22);
  const b = scaledTo(latentFromSeed(2, 512), 22);

  it('keeps the norm of equal-norm latents all the way (a lerp dips by ~30%)', () => {
    for (let t = 0; t <= 1.0001; t += 0.05) expect(normOf(slerp(a, b, t))).toBeCloseTo(22, 3);
  });

  it('hits both ends and moves at constant angular speed', () => {
    expect(slerp(a, b, 0)).toEqual(expect.objectContaining({ length: 512 }));
    expect(angle(slerp(a, b, 0), a)).toBeLessThan(1e-3);
    expect(angle(slerp(a, b, 1), b)).toBeLessThan(1e-3);
    const total = angle(a, b);
    expect(angle(a, slerp(a, b, 0.25))).toBeCloseTo(total * 0.25, 4);
    expect(angle(a, slerp(a, b, 0.7))).toBeCloseTo(total * 0.7, 4);
  });

  it('interpolates the length linearly between latents of different norms', () => {
    const c = scaledTo(b, 11);
    expect(normOf(slerp(a, c, 0.5))).toBeCloseTo(16.5, 3);
  });

  it('stays finite and on the shell for nearly parallel and exactly opposite inputs', () => {
    const near = a.map((x, i) => x + (i === 0 ? 1e-6 : 0));
    const mid = slerp(a, near, 0.5);
    expect(mid.every(Number.isFinite)).toBe(true);
    expect(normOf(mid)).toBeCloseTo(22, 3);
    const opposite = a.map((x) => -x);
    const half = slerp(a, opposite, 0.5);
    expect(half.every(Number.isFinite)).toBe(true);
    expect(normOf(half)).toBeCloseTo(22, 3);
    expect(angle(a, half)).toBeCloseTo(Math.PI / 2, 4);
  });

  it('writes into an aliased output without corrupting the result', () => {
    const expected = slerp(a, b, 0.3);
    const out = Float32Array.from(a);
    slerpInto(out, b, 0.3, out);
    for (let i = 0; i < 512; i++) expect(out[i]).toBeCloseTo(expected[i] as number, 5);
  });
});

describe('easing', () => {
  for (const name of Object.keys(EASINGS) as EasingName[]) {
    it(`${name} runs from 0 to 1, monotonic, within its slope bound`, () => {
      const f = EASINGS[name];
      expect(f(0)).toBe(0);
      expect(f(1)).toBe(1);
      let prev = 0;
      for (let i = 1; i <= 1000; i++) {
        const y = f(i / 1000);
        expect(y).toBeGreaterThanOrEqual(prev);
        expect((y - prev) * 1000).toBeLessThanOrEqual(EASING_MAX_SLOPE[name] + 1e-6);
        prev = y;
      }
    });
  }
});
