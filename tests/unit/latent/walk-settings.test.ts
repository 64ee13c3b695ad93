import { describe, expect, it } from 'vitest';
import { createWalkSettings, readWalkSettings } from '../../../src/core/latent/walk-settings.ts';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS } from '../../../src/core/params/catalogue.ts';

describe('walk settings', () => {
  it('default to exactly what a fresh bus reads, so tools and the page walk alike', () => {
    const fromBus = readWalkSettings(new ParameterBus(PARAMS), createWalkSettings({ truncation: 99, seed: 99, mode: 'hold' }));
    expect(createWalkSettings()).toEqual(fromBus);
    // The catalogue's truncation default (0.8), not a copy kept here.
    expect(createWalkSettings().truncation).toBe(PARAMS.find((p) => p.name === 'walk/truncation')?.default);
  });

  it('take overrides field by field', () => {
    const s = createWalkSettings({ speed: 2, mode: 'loop' });
    expect([s.speed, s.mode, s.keyframeSeconds]).toEqual([2, 'loop', createWalkSettings().keyframeSeconds]);
  });
});
