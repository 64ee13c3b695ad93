import { afterEach, describe, it } from 'vitest';
import { tileViewport } from '../../src/core/screens/tile.ts';
import type { WallTile } from '../../src/core/screens/types.ts';
import type { SitterRenderer } from '../../src/render/renderer.ts';
import { expectClose, makeRenderer, neutralBus, pixelAt, pixelsFrame, type Rgb } from './render-support.ts';

const RED: Rgb = [230, 20, 20];
const BLUE: Rgb = [20, 20, 230];
const BLACK: Rgb = [0, 0, 0];
let screens: SitterRenderer[] = [];
afterEach(() => {
  for (const s of screens) s.dispose();
  screens = [];
});

const tile = (column: number, bezelX = 0): WallTile => ({ columns: 2, rows: 1, column, row: 0, bezel: { unit: 'fraction', x: bezelX, y: 0 }, screenPx: null });

/** One screen of a two-screen wall showing a square portrait, red on its left half and blue on its right. */
function screen(column: number, bezelX = 0): SitterRenderer {
  const r = makeRenderer(neutralBus(), 32, 32);
  r.setViewport(tileViewport(tile(column, bezelX)));
  r.present(0, pixelsFrame(8, 8, (x) => (x < 4 ? RED : BLUE)).frame, 0);
  r.render(0);
  screens.push(r);
  return r;
}

describe('a wall of two screens shows one picture (several screens, one piece)', () => {
  it('the square portrait is letterboxed on the 2:1 wall: left screen its red half, right screen its blue half', () => {
    // The wall is 64×32: the portrait spans wall columns 16…47, so each screen holds one half and one bar.
    const left = screen(0);
    const right = screen(1);
    expectClose(pixelAt(left, 4, 16), BLACK, 0, 'left screen: bar');
    expectClose(pixelAt(left, 22, 16), RED, 2, 'left screen: the picture\'s left half');
    expectClose(pixelAt(right, 10, 16), BLUE, 2, 'right screen: the picture\'s right half');
    expectClose(pixelAt(right, 28, 16), BLACK, 0, 'right screen: bar');
  });

  it('a bezel hides the picture behind it instead of squeezing it', () => {
    // Bezel 0.5 screen: the wall is 2.5 screens (80 px) wide, the portrait 32 px in its middle (24…56): the left
    // screen (0…32) sees 24…32 of it, red; the gap (32…48) hides 8…24 of the portrait; the right screen (48…80)
    // starts at portrait column 24: blue.
    const left = screen(0, 0.5);
    const right = screen(1, 0.5);
    expectClose(pixelAt(left, 20, 16), BLACK, 0, 'left screen: bar before the picture');
    expectClose(pixelAt(left, 30, 16), RED, 2, 'left screen: the picture starts at wall x 24');
    expectClose(pixelAt(right, 4, 16), BLUE, 2, 'right screen: the picture resumes past the bezel');
    expectClose(pixelAt(right, 12, 16), BLACK, 0, 'right screen: bar after the picture (wall x 56)');
  });
});
