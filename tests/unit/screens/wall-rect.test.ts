import { describe, expect, it } from 'vitest';
import { cellRect, wallAspect, wallRect } from '../../../src/render/layout.ts';
import { tileViewport, type WallTile } from '../../../src/core/screens/index.ts';

const tile = (column: number, row: number, bezel = 0): WallTile => ({ columns: 2, rows: 2, column, row, bezel: { unit: 'fraction', x: bezel, y: bezel }, screenPx: null });

describe('a wall tile on the renderer (wallRect)', () => {
  it('draws the whole picture across four screens: each screen sees its quarter, edges meeting at the seams', () => {
    const whole = [0, 0, 0, 0];
    cellRect(0, 1, whole); // the full picture: −1…1
    const tl = [...whole];
    wallRect(tl, tileViewport(tile(0, 0)));
    // x0, y0 (bottom), x1, y1 (top) in the top-left screen's NDC: the picture runs off to the right and down.
    expect(tl).toEqual([-1, -3, 3, 1]);
    const br = [...whole];
    wallRect(br, tileViewport(tile(1, 1)));
    expect(br).toEqual([-3, -1, 1, 3]);
  });

  it('with bezels, the picture continues behind the gap: a point on the seam lands just off both screens', () => {
    const v0 = tileViewport(tile(0, 0, 0.1));
    const v1 = tileViewport(tile(1, 0, 0.1));
    // The wall's middle (x = 0 in wall NDC) as each screen sees it.
    const mid0 = [0, 0, 0, 0];
    const mid1 = [0, 0, 0, 0];
    wallRect(mid0, v0);
    wallRect(mid1, v1);
    // 0.05 of a screen behind each bezel half: 0.1 NDC past the edge on both sides.
    expect(mid0[0]).toBeCloseTo(1.1, 12);
    expect(mid1[0]).toBeCloseTo(-1.1, 12);
  });

  it('fits the portrait to the wall\'s aspect, not the screen\'s', () => {
    expect(wallAspect(16 / 9, tileViewport(tile(0, 0)))).toBeCloseTo(16 / 9, 12);
    const wide = tileViewport({ columns: 2, rows: 1, column: 0, row: 0, bezel: { unit: 'fraction', x: 0, y: 0 }, screenPx: null });
    expect(wallAspect(16 / 9, wide)).toBeCloseTo(32 / 9, 12);
    expect(wallAspect(1.5, null)).toBe(1.5);
  });
});
