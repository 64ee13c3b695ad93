import { describe, expect, it } from 'vitest';
import { latentFromSeed } from '../../../src/core/latent/seed-latent.ts';
import { steer } from '../../../src/core/latent/steering.ts';
import { truncateInto } from '../../../src/core/latent/truncation.ts';
import { createWalkSettings } from '../../../src/core/latent/walk-settings.ts';
import { Walker } from '../../../src/core/latent/walker.ts';
import { DT, SIZE, maxAbs, randomDirections } from './helpers.ts';

describe('truncation', () => {
  const z = latentFromSeed(3, SIZE);
  const mean = latentFromSeed(4, SIZE).map((x) => x * 0.1);

  it('ψ = 0 gives the mean (zero, or the card\'s), ψ = 1 leaves the latent unchanged', () => {
    expect(truncateInto(z, 0, undefined, new Float32Array(SIZE)).every((x) => x === 0)).toBe(true);
    expect(truncateInto(z, 0, mean, new Float32Array(SIZE))).toEqual(mean);
    expect(truncateInto(z, 1, undefined, new Float32Array(SIZE))).toEqual(z);
    expect(maxAbs(truncateInto(z, 1, mean, new Float32Array(SIZE)), z)).toBeLessThan(1e-6);
  });

  it('ψ = 0.5 lands half way to the mean', () => {
    const half = truncateInto(z, 0.5, mean, new Float32Array(SIZE));
    for (let i = 0; i < SIZE; i++) expect(half[i]).toBeCloseTo(((z[i] as number) + (mean[i] as number)) / 2, 5);
  });

  it('a walker at ψ = 0 shows the mean portrait on every tick, whatever the mode', () => {
    const w = new Walker({ size: SIZE, mean });
    const s = createWalkSettings({ truncation: 0, mode: 'random', speed: 4 });
    for (let i = 0; i < 50; i++) expect(w.step(DT, s)).toEqual(mean);
  });
});

describe('steering', () => {
  const directions = randomDirections(8);
  const z = latentFromSeed(11, SIZE);

  it('is reversible: +w then −w returns the original within 1e-6', () => {
    const w = [2.5, -1, 0, 3, 0.3, -3, 1, 0.01];
    const there = steer(z, directions, w);
    expect(maxAbs(there, z)).toBeGreaterThan(0.5);
    const back = steer(there, directions, w.map((x) => -x));
    expect(maxAbs(back, z)).toBeLessThan(1e-6);
  });

  it('is linear: the offset of 2w is twice the offset of w, and offsets of two sliders add', () => {
    const a = steer(z, directions, [1]);
    const b = steer(z, directions, [2]);
    const c = steer(z, directions, [0, 1]);
    const ab = steer(z, directions, [1, 1]);
    for (let i = 0; i < SIZE; i++) {
      const da = (a[i] as number) - (z[i] as number);
      expect((b[i] as number) - (z[i] as number)).toBeCloseTo(2 * da, 5);
      expect((ab[i] as number) - (z[i] as number)).toBeCloseTo(da + (c[i] as number) - (z[i] as number), 5);
    }
    // One unit of steer/0 moves the latent by exactly σ₀ along d₀.
    expect(Math.hypot(...Array.from(a, (x, i) => x - (z[i] as number)))).toBeCloseTo(directions[0]!.sigma, 4);
  });

  it('the walker steers after truncation: the offset does not shrink with ψ', () => {
    const plain = new Walker({ size: SIZE, directions });
    const steered = new Walker({ size: SIZE, directions });
    const s0 = createWalkSettings({ truncation: 0.3 });
    const s1 = createWalkSettings({ truncation: 0.3 });
    s1.steer[2] = 1.5;
    for (let i = 0; i < 20; i++) {
      const a = plain.step(DT, s0);
      const b = steered.step(DT, s1);
      for (let j = 0; j < SIZE; j++) {
        expect((b[j] as number) - (a[j] as number)).toBeCloseTo(1.5 * directions[2]!.sigma * (directions[2]!.vector[j] as number), 5);
      }
    }
  });

  it('the walker returns to the unsteered path when the slider goes back to 0', () => {
    const plain = new Walker({ size: SIZE, directions });
    const steered = new Walker({ size: SIZE, directions });
    const s0 = createWalkSettings();
    const s1 = createWalkSettings();
    for (let i = 0; i < 60; i++) {
      s1.steer[0] = i < 30 ? 2 : 0;
      plain.step(DT, s0);
      steered.step(DT, s1);
    }
    expect(steered.latent()).toEqual(plain.latent());
  });
});
