import { describe, expect, it } from 'vitest';
import { Walker } from '../../../src/core/latent/walker.ts';
import { DT, SIZE, busWith, randomDirections, setAll } from './helpers.ts';

describe('look-ahead', () => {
  for (const mode of ['tour', 'loop', 'noise-loop', 'random', 'towards', 'hold'] as const) {
    it(`${mode}: the preview equals the ticks actually taken later, and changes nothing`, () => {
      const bus = busWith({ 'walk/jitter': 0.4, 'steer/1': 1.2, 'walk/keyframe-seconds': 1 });
      const w = new Walker({ size: SIZE, directions: randomDirections(3) });
      for (let i = 0; i < 20; i++) w.tick(DT, bus);
      // Switch mode right before the preview, so it covers a blend too.
      setAll(bus, { 'walk/mode': mode, 'walk/target': 7 });
      w.tick(DT, bus);
      const before = Float32Array.from(w.latent());
      const n = 90;
      const preview = new Float32Array(n * SIZE);
      w.lookahead(n, DT, preview, bus);
      expect(w.latent()).toEqual(before);
      for (let i = 0; i < n; i++) {
        expect(w.tick(DT, bus)).toEqual(preview.subarray(i * SIZE, (i + 1) * SIZE));
      }
    });
  }

  it('a preview taken twice is the same preview (the second from the last tick\'s parameters)', () => {
    const bus = busWith({ 'walk/mode': 'random' });
    const w = new Walker({ size: SIZE });
    w.tick(DT, bus);
    const a = w.lookahead(16, DT, new Float32Array(16 * SIZE), bus);
    const b = w.lookahead(16, DT, new Float32Array(16 * SIZE));
    expect(b).toEqual(a);
  });
});
