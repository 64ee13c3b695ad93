import { describe, expect, it } from 'vitest';
import { createWalkSettings } from '../../../src/core/latent/walk-settings.ts';
import { Walker } from '../../../src/core/latent/walker.ts';
import { DT, PathRecorder, SIZE, maxAbs, normOf } from './helpers.ts';

describe('loops return exactly to their start', () => {
  for (const mode of ['loop', 'noise-loop'] as const) {
    it(`${mode}: one lap later the latent is the same within 1e-6`, () => {
      // K keyframes × 8 s at speed 1 = 48 s = 1440 ticks per lap.
      const s = createWalkSettings({ mode, loopKeyframes: 6, keyframeSeconds: 8, speed: 1 });
      const w = new Walker({ size: SIZE });
      const first = Float32Array.from(w.step(DT, s));
      const path = new PathRecorder();
      path.push(first);
      let halfway = 0;
      for (let i = 1; i <= 1440; i++) {
        const z = w.step(DT, s);
        path.push(z);
        if (i === 720) halfway = maxAbs(z, first);
        if (i === 1440 - 1) expect(maxAbs(z, first)).toBeGreaterThan(1e-3); // not stuck
      }
      expect(maxAbs(w.latent(), first)).toBeLessThan(1e-6);
      expect(halfway).toBeGreaterThan(0.5); // the lap went somewhere
      // Closing the lap is as smooth as the rest of it.
      expect(path.maxBend()).toBeLessThan(0.1 * path.maxStep());
    });
  }

  it('loop passes through its keyframes and keeps its shell radius', () => {
    const s = createWalkSettings({ mode: 'loop', loopKeyframes: 4, keyframeSeconds: 1 });
    const w = new Walker({ size: SIZE });
    let lo = Infinity;
    for (let i = 0; i < 30 * 8; i++) lo = Math.min(lo, normOf(w.step(DT, s)));
    expect(lo).toBeGreaterThan(0.7 * Math.sqrt(SIZE));
  });

  it('noise-loop is on the shell at every angle (a mix of independent Gaussians)', () => {
    const s = createWalkSettings({ mode: 'noise-loop', loopKeyframes: 2, keyframeSeconds: 1 });
    const w = new Walker({ size: SIZE });
    for (let i = 0; i < 60; i++) {
      const n = normOf(w.step(DT, s));
      expect(n).toBeGreaterThan(0.7 * Math.sqrt(SIZE));
      expect(n).toBeLessThan(1.3 * Math.sqrt(SIZE));
    }
  });

  for (const mode of ['loop', 'noise-loop'] as const) {
    it(`${mode} still closes after a whole day of 30 ticks/s (no phase drift)`, () => {
      // A tiny latent: this checks the phase bookkeeping over 2.6 M ticks, not the vector maths.
      const s = createWalkSettings({ mode, loopKeyframes: 6, keyframeSeconds: 8 });
      const w = new Walker({ size: 4 });
      const first = Float32Array.from(w.step(DT, s));
      for (let i = 1; i <= 24 * 3600 * 30; i++) w.step(DT, s); // 1800 laps of 1440 ticks
      expect(maxAbs(w.latent(), first)).toBeLessThan(1e-6);
    }, 60_000);
  }

  it('loop closes at other speeds and loop lengths too', () => {
    // 3 keyframes × 2 s / speed 2.5 = 2.4 s = 72 ticks.
    const s = createWalkSettings({ mode: 'loop', loopKeyframes: 3, keyframeSeconds: 2, speed: 2.5 });
    const w = new Walker({ size: SIZE });
    const first = Float32Array.from(w.step(DT, s));
    for (let lap = 0; lap < 50; lap++) for (let i = 0; i < 72; i++) w.step(DT, s);
    expect(maxAbs(w.latent(), first)).toBeLessThan(1e-6);
  });
});
