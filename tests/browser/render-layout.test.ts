import { afterEach, describe, expect, it } from 'vitest';
import type { ParameterBus } from '../../src/core/params/bus.ts';
import { SitterRenderer } from '../../src/render/renderer.ts';
import { expectClose, makeRenderer, neutralBus, pixelAt, pixelsFrame, solid, type Rgb } from './render-support.ts';

const RED: Rgb = [230, 20, 20];
const BLUE: Rgb = [20, 20, 230];
const BLACK: Rgb = [0, 0, 0];
let r: SitterRenderer | null = null;
afterEach(() => {
  r?.dispose();
  r = null;
});

/** A square portrait, red on its left half and blue on its right. */
const leftRight = () => pixelsFrame(8, 8, (x) => (x < 4 ? RED : BLUE));

function draw(set: (bus: ParameterBus) => void, w: number, h: number): SitterRenderer {
  const bus = neutralBus();
  set(bus);
  r = makeRenderer(bus, w, h);
  r.present(0, leftRight().frame, 0);
  r.render(0);
  return r;
}

describe('layout on the gallery screen', () => {
  it('letterboxes a square portrait on a portrait screen with bars above and below', () => {
    const s = draw(() => {}, 32, 64);
    expectClose(pixelAt(s, 16, 4), BLACK, 0, 'top bar');
    expectClose(pixelAt(s, 16, 60), BLACK, 0, 'bottom bar');
    expectClose(pixelAt(s, 4, 32), RED, 2, 'picture left');
    expectClose(pixelAt(s, 28, 32), BLUE, 2, 'picture right');
    expectClose(pixelAt(s, 16, 17), pixelAt(s, 16, 46), 60, 'picture spans rows 16…47');
    expect(pixelAt(s, 16, 15)).toEqual(BLACK);
    expect(pixelAt(s, 16, 16)).not.toEqual(BLACK);
    expect(pixelAt(s, 16, 47)).not.toEqual(BLACK);
    expect(pixelAt(s, 16, 48)).toEqual(BLACK);
  });

  it('keeps the aspect across a resize from landscape to portrait', () => {
    const s = draw(() => {}, 64, 32);
    expectClose(pixelAt(s, 4, 16), BLACK, 0, 'left bar (landscape)');
    expectClose(pixelAt(s, 20, 16), RED, 2, 'picture (landscape)');
    s.resize(32, 64);
    s.render(0);
    expect(s.getContext().drawingBufferWidth).toBe(32);
    expectClose(pixelAt(s, 16, 4), BLACK, 0, 'top bar (portrait)');
    expectClose(pixelAt(s, 4, 32), RED, 2, 'picture (portrait)');
  });

  it('fill crops to cover the screen: no bars', () => {
    const s = draw((b) => b.set('layout/fit', 'fill', 'show'), 32, 64);
    expectClose(pixelAt(s, 2, 2), RED, 2, 'top-left');
    expectClose(pixelAt(s, 30, 62), BLUE, 2, 'bottom-right');
  });

  it('rotation 90 turns the picture clockwise for a portrait-mounted screen', () => {
    // The framebuffer is landscape; the visitor sees it turned to portrait, so the picture's left (red) is at the top.
    const s = draw((b) => b.set('layout/rotation', '90', 'show'), 64, 32);
    expectClose(pixelAt(s, 32, 4), RED, 2, 'top is the left of the picture');
    expectClose(pixelAt(s, 32, 28), BLUE, 2, 'bottom is its right');
    expectClose(pixelAt(s, 4, 16), BLACK, 0, 'bars left and right (letterbox of the virtual portrait screen)');
    const bus = neutralBus();
    s.setBus(bus);
    bus.set('layout/rotation', '270', 'show');
    s.render(0);
    expectClose(pixelAt(s, 32, 4), BLUE, 2, '270: top is the right of the picture');
    expectClose(pixelAt(s, 32, 28), RED, 2, '270: bottom is its left');
    bus.set('layout/rotation', '180', 'show');
    s.render(0);
    expectClose(pixelAt(s, 20, 16), BLUE, 2, '180: left is the right of the picture');
    expectClose(pixelAt(s, 44, 16), RED, 2, '180: right is its left');
  });

  it('resolution-scale shrinks the drawing buffer, devicePixelRatio grows it', () => {
    const s = draw((b) => b.set('layout/resolution-scale', 0.5, 'show'), 32, 32);
    expect(s.getContext().drawingBufferWidth).toBe(16);
    s.resize(32, 32, 2);
    s.render(0);
    expect(s.getContext().drawingBufferWidth).toBe(32);
  });

  it('sizes itself to its container and follows its resizes', async () => {
    const box = document.createElement('div');
    Object.assign(box.style, { position: 'fixed', left: '0', top: '0', width: '40px', height: '24px' });
    document.body.append(box);
    r = new SitterRenderer({ bus: neutralBus(), container: box, pixelRatio: 1 });
    expect(r.canvas.parentElement).toBe(box);
    expect(r.getContext().drawingBufferWidth).toBe(40);
    box.style.width = '20px';
    box.style.height = '44px';
    const deadline = performance.now() + 5000;
    while (r.getContext().drawingBufferHeight !== 44 && performance.now() < deadline) await new Promise((f) => setTimeout(f, 20));
    expect([r.getContext().drawingBufferWidth, r.getContext().drawingBufferHeight]).toEqual([20, 44]);
    r.dispose();
    r = null;
    expect(box.children.length, 'dispose takes its own canvas off the page').toBe(0);
    box.remove();
  });

  it('a 2×2 grid shows each cell its own frame; a cell outside the grid is refused and released', () => {
    const bus = neutralBus();
    bus.set('layout/grid', 2, 'show');
    r = makeRenderer(bus, 32, 32);
    const colours: Rgb[] = [RED, [20, 200, 20], BLUE, [200, 200, 20]];
    colours.forEach((c, i) => r?.present(i, solid(c).frame, 0));
    const outside = solid(RED);
    expect(r.present(4, outside.frame, 0)).toBe(false);
    expect(outside.released()).toBe(1);
    r.render(0);
    expectClose(pixelAt(r, 8, 8), colours[0] as Rgb, 2, 'top-left');
    expectClose(pixelAt(r, 24, 8), colours[1] as Rgb, 2, 'top-right');
    expectClose(pixelAt(r, 8, 24), colours[2] as Rgb, 2, 'bottom-left');
    expectClose(pixelAt(r, 24, 24), colours[3] as Rgb, 2, 'bottom-right');
    // Back to one cell: the others' frames are released.
    bus.set('layout/grid', 1, 'show');
    r.render(0.001);
    expect(r.heldFrames()).toBe(1);
  });
});
