import { describe, expect, it } from 'vitest';
import { latentFromSeed } from '../../../src/core/latent/seed-latent.ts';
import { Walker } from '../../../src/core/latent/walker.ts';
import { DT, SIZE, busWith, maxAbs, setAll } from './helpers.ts';

/** A show: mode changes, seed changes, jitter and random walks, driven through the bus at 30 ticks/s. */
function perform(w: Walker, seed: number): Float32Array[] {
  const bus = busWith({ 'walk/seed': seed });
  const script: [number, Record<string, unknown>][] = [
    [0, {}],
    [60, { 'walk/mode': 'random', 'walk/speed': 3 }],
    [150, { 'walk/jitter': 0.7 }],
    [200, { 'walk/mode': 'noise-loop' }],
    [260, { 'walk/seed': seed + 1 }],
    [300, { 'walk/mode': 'loop', 'walk/loop-keyframes': 3 }],
  ];
  const out: Float32Array[] = [];
  let next = 0;
  for (let tick = 0; tick < 400; tick++) {
    const cue = script[next];
    if (cue && cue[0] === tick) {
      for (const [k, v] of Object.entries(cue[1])) bus.set(k, v, 'cue');
      next++;
    }
    bus.tick(DT);
    out.push(Float32Array.from(w.tick(DT, bus)));
  }
  return out;
}

describe('walker determinism', () => {
  it('same seed and same ticks give identical latents, frame for frame', () => {
    const a = perform(new Walker({ size: SIZE }), 42);
    const b = perform(new Walker({ size: SIZE }), 42);
    expect(b.length).toBe(400);
    for (let i = 0; i < a.length; i++) expect(b[i]).toEqual(a[i]);
  });

  it('another seed gives another walk', () => {
    const a = perform(new Walker({ size: SIZE }), 42);
    const b = perform(new Walker({ size: SIZE }), 43);
    expect(maxAbs(a[10] as Float32Array, b[10] as Float32Array)).toBeGreaterThan(0.5);
  });

  it('starts on portrait #seed and restarts from the new seed after a seed change', () => {
    const bus = busWith({ 'walk/seed': 1234, 'walk/truncation': 1, 'walk/speed': 0, 'walk/blend-seconds': 1 });
    const w = new Walker({ size: SIZE });
    expect(w.tick(DT, bus)).toEqual(latentFromSeed(1234, SIZE));
    setAll(bus, { 'walk/seed': 99 });
    for (let i = 0; i < 40; i++) w.tick(DT, bus);
    expect(w.latent()).toEqual(latentFromSeed(99, SIZE));
  });
});
