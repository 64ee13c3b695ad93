import { describe, expect, it } from 'vitest';
import { KEYFRAME_CACHE_SLOTS } from '../../../src/core/latent/keyframe-cache.ts';
import { createWalkSettings } from '../../../src/core/latent/walk-settings.ts';
import { Walker } from '../../../src/core/latent/walker.ts';
import { DT, SIZE, maxAbs, normOf, randomDirections } from './helpers.ts';

const TICKS_PER_HOUR = 3600 * 30;
const MODES = ['tour', 'loop', 'noise-loop', 'random'] as const;

describe('a day in the gallery', () => {
  it('walks 24 hours at 30 ticks/s in seconds, on the shell, with bounded memory', () => {
    const w = new Walker({ size: SIZE, directions: randomDirections(8) });
    const s = createWalkSettings({ keyframeSeconds: 2, speed: 1.5, truncation: 0.8 });
    s.steer[0] = 1;
    const shell = Math.sqrt(SIZE) * 0.8;
    let lo = Infinity;
    let hi = 0;
    let prev = new Float32Array(SIZE);
    let maxStep = 0;
    const started = performance.now();
    const heapBefore = process.memoryUsage().heapUsed;
    let keyframesAfterFirstHour = 0;
    for (let hour = 0; hour < 24; hour++) {
      s.mode = MODES[hour % MODES.length] as (typeof MODES)[number];
      if (hour % 6 === 5) s.seed += 1;
      // A visitor fidgets in the evening: jitter on for the last hours.
      s.jitter = hour >= 20 ? 0.3 : 0;
      for (let i = 0; i < TICKS_PER_HOUR; i++) {
        const z = w.step(DT, s);
        // Sample the path (checking every tick would cost more than the walk itself).
        if ((i & 1023) === 0) {
          const n = normOf(z);
          lo = Math.min(lo, n);
          hi = Math.max(hi, n);
          prev = Float32Array.from(z);
        } else if ((i & 1023) === 1) {
          maxStep = Math.max(maxStep, maxAbs(z, prev));
        }
      }
      if (hour === 0) keyframesAfterFirstHour = w.keyframeCount();
    }
    const seconds = (performance.now() - started) / 1000;
    const heapGrowthMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    // Memory: a fixed number of keyframe vectors however long it runs (count-based: no GC control in vitest).
    expect(keyframesAfterFirstHour).toBeGreaterThan(0);
    expect(w.keyframeCount()).toBeLessThanOrEqual(2 * KEYFRAME_CACHE_SLOTS);
    // …and a loose heap check on top: the day's 2.6 M ticks may not leave more than a few MiB behind.
    expect(heapGrowthMiB).toBeLessThan(32);
    expect(lo).toBeGreaterThan(0.6 * shell);
    expect(hi).toBeLessThan(1.5 * shell);
    expect(maxStep).toBeLessThan(1);
    // Seconds, not hours; generous because this machine is shared.
    expect(seconds).toBeLessThan(90);
    console.log(`24 h walk: ${(TICKS_PER_HOUR * 24).toLocaleString()} ticks in ${seconds.toFixed(1)} s, heap ${heapGrowthMiB.toFixed(1)} MiB, ${w.keyframeCount()} keyframes held`);
  }, 180_000);
});
