import { describe, expect, it } from 'vitest';
import { SiblingLatents } from '../../../src/core/latent/siblings.ts';
import { latentFromSeed } from '../../../src/core/latent/seed-latent.ts';
import { createWalkSettings } from '../../../src/core/latent/walk-settings.ts';
import { Walker } from '../../../src/core/latent/walker.ts';
import { DT, SIZE, dist, normOf } from './helpers.ts';

const cell = (buf: Float32Array, i: number): Float32Array => buf.subarray(i * SIZE, (i + 1) * SIZE);

describe('sibling latents for the grid wall', () => {
  const z = latentFromSeed(8, SIZE);
  const sib = new SiblingLatents(SIZE);

  it('a 1×1 grid is the latent itself; a 3×3 grid has it in the middle', () => {
    expect(sib.writeInto(z, 1, 0.5, new Float32Array(SIZE))).toEqual(z);
    const nine = sib.writeInto(z, 3, 0.5, new Float32Array(9 * SIZE));
    expect(cell(nine, 4)).toEqual(z);
    expect(dist(cell(nine, 0), z)).toBeGreaterThan(1);
  });

  it('spread 0 gives copies, and the distance grows with spread; siblings stay on the shell', () => {
    const copies = sib.writeInto(z, 2, 0, new Float32Array(4 * SIZE));
    for (let i = 0; i < 4; i++) expect(cell(copies, i)).toEqual(z);
    const near = sib.writeInto(z, 2, 0.2, new Float32Array(4 * SIZE));
    const far = sib.writeInto(z, 2, 0.8, new Float32Array(4 * SIZE));
    for (let i = 0; i < 4; i++) {
      expect(dist(cell(far, i), z)).toBeGreaterThan(dist(cell(near, i), z));
      expect(normOf(cell(far, i)) / Math.sqrt(SIZE)).toBeGreaterThan(0.75);
      expect(normOf(cell(far, i)) / Math.sqrt(SIZE)).toBeLessThan(1.25);
    }
  });

  it('is deterministic, and its partners turn with time so even spread 1 moves', () => {
    const a = sib.writeInto(z, 4, 1, new Float32Array(16 * SIZE));
    const b = new SiblingLatents(SIZE).writeInto(z, 4, 1, new Float32Array(16 * SIZE));
    expect(b).toEqual(a);
    const turned = new SiblingLatents(SIZE);
    turned.advance(1, 1); // one keyframe interval: a quarter turn
    const c = turned.writeInto(z, 4, 1, new Float32Array(16 * SIZE));
    expect(dist(cell(a, 0), cell(c, 0))).toBeGreaterThan(0.5 * Math.sqrt(2 * SIZE));
  });

  it('the walker\'s grid follows the walk smoothly, through a seed change, and its middle cell is the walk', () => {
    const w = new Walker({ size: SIZE });
    const s = createWalkSettings({ grid: 3, gridSpread: 0.4, truncation: 0.7 });
    const grid = new Float32Array(9 * SIZE);
    const last = new Float32Array(9 * SIZE);
    let maxStep = 0;
    for (let t = 0; t < 120; t++) {
      if (t === 60) s.seed = 9;
      w.step(DT, s);
      w.siblingsInto(grid);
      expect(cell(grid, 4)).toEqual(w.latent());
      if (t > 0) for (let i = 0; i < 9; i++) maxStep = Math.max(maxStep, dist(cell(grid, i), cell(last, i)));
      last.set(grid);
    }
    expect(maxStep).toBeLessThan(0.5);
  });

  it('the look-ahead walker carries the grid\'s turn too', () => {
    const w = new Walker({ size: SIZE });
    const s = createWalkSettings({ grid: 2, gridSpread: 0.6 });
    for (let t = 0; t < 30; t++) w.step(DT, s);
    const shadow = new Walker({ size: SIZE });
    shadow.copyStateFrom(w);
    const a = w.siblingsInto(new Float32Array(4 * SIZE));
    const b = shadow.siblingsInto(new Float32Array(4 * SIZE));
    expect(b).toEqual(a);
  });
});
