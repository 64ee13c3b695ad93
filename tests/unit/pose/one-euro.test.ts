import { describe, expect, it } from 'vitest';
import { OneEuroFilter } from '../../../src/core/pose/one-euro.ts';

/** A deterministic pseudo-random sequence (mulberry32), so noise tests are reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const std = (xs: readonly number[]): number => {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length);
};

describe('OneEuroFilter (Casiez et al. 2012)', () => {
  it('passes the first sample through and holds a constant signal exactly', () => {
    const f = new OneEuroFilter();
    expect(f.filter(0.3, 0)).toBe(0.3);
    for (let i = 1; i < 50; i++) expect(f.filter(0.3, i / 30)).toBeCloseTo(0.3, 12);
  });

  it('with beta 0 is a first-order low-pass: one step moves by alpha = 1 / (1 + tau/dt)', () => {
    const f = new OneEuroFilter({ minCutoff: 1, beta: 0 });
    f.filter(0, 0);
    const dt = 1 / 30;
    const tau = 1 / (2 * Math.PI);
    expect(f.filter(1, dt)).toBeCloseTo(1 / (1 + tau / dt), 12);
  });

  it('cuts jitter on a still signal by more than half at 30 Hz', () => {
    const r = rng(7);
    const f = new OneEuroFilter();
    const raw: number[] = [];
    const out: number[] = [];
    for (let i = 0; i < 300; i++) {
      const x = 0.2 + (r() - 0.5) * 0.1;
      raw.push(x);
      out.push(f.filter(x, i / 30));
    }
    expect(std(out.slice(30))).toBeLessThan(std(raw.slice(30)) * 0.5);
  });

  it('lags less on a fast move when beta is higher (speed raises the cutoff)', () => {
    const lagAfterRamp = (beta: number): number => {
      const f = new OneEuroFilter({ minCutoff: 1, beta });
      let y = 0;
      for (let i = 0; i <= 15; i++) y = f.filter(i / 15, i / 30); // 0 → 1 in half a second
      return 1 - y;
    };
    expect(lagAfterRamp(2)).toBeLessThan(lagAfterRamp(0) * 0.6);
  });

  it('depends only on the timestamps it is given: the same samples give the same output, late ones change nothing', () => {
    const run = (): number[] => {
      const f = new OneEuroFilter();
      return [0, 0.5, 0.2, 0.9].map((x, i) => f.filter(x, i * 0.05));
    };
    expect(run()).toEqual(run());
    const f = new OneEuroFilter();
    f.filter(0, 1);
    const y = f.filter(1, 1.1);
    expect(f.filter(5, 1.1)).toBe(y);
    expect(f.filter(5, 0.5)).toBe(y);
  });

  it('a slower sample rate smooths less per sample (alpha follows dt), so the result tracks time, not frames', () => {
    const settle = (hz: number): number => {
      const f = new OneEuroFilter({ beta: 0 });
      f.filter(0, 0);
      let y = 0;
      for (let i = 1; i <= hz; i++) y = f.filter(1, i / hz); // one second of a step
      return y;
    };
    // After 1 s at 1 Hz cutoff both rates are close to the continuous 1 − e^(−2π) ≈ 0.998.
    expect(settle(15)).toBeCloseTo(settle(60), 1);
  });

  it('refuses nonsense settings with the name and value', () => {
    expect(() => new OneEuroFilter({ minCutoff: 0 })).toThrow(/minCutoff: expected Hz > 0, got 0/);
    expect(() => new OneEuroFilter({ beta: -1 })).toThrow(/beta/);
  });

  it('reset forgets the past', () => {
    const f = new OneEuroFilter();
    f.filter(0, 0);
    f.filter(1, 0.1);
    f.reset();
    expect(f.value()).toBeUndefined();
    expect(f.filter(0.7, 5)).toBe(0.7);
  });
});
