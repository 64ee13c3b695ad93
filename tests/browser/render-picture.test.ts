import { afterEach, describe, expect, it } from 'vitest';
import type { ParameterBus } from '../../src/core/params/bus.ts';
import type { SitterRenderer } from '../../src/render/renderer.ts';
import { allPixels, expectClose, makeRenderer, neutralBus, pixelAt, pixelsFrame, solid, toLinear, toSrgb, type CountedFrame, type Rgb } from './render-support.ts';

const C: Rgb = [180, 90, 40];
let r: SitterRenderer | null = null;
afterEach(() => {
  r?.dispose();
  r = null;
});

function draw(set: (bus: ParameterBus) => void, frame: CountedFrame = solid(C), w = 16, h = 16, now = 0): SitterRenderer {
  const bus = neutralBus();
  set(bus);
  r = makeRenderer(bus, w, h);
  r.present(0, frame.frame, 0);
  r.render(now);
  return r;
}

const luma709 = (c: Rgb): number => 0.2126 * toLinear(c[0]) + 0.7152 * toLinear(c[1]) + 0.0722 * toLinear(c[2]);

describe('grading and film look', () => {
  it('neutral grading leaves the picture as generated', () => {
    expectClose(pixelAt(draw(() => {}), 5, 5), C, 1, 'neutral');
  });

  it('saturation 0 gives the grey of the Rec. 709 luma', () => {
    const y = toSrgb(luma709(C));
    expectClose(pixelAt(draw((b) => b.set('grade/saturation', 0, 'show', { immediate: true })), 5, 5), [y, y, y], 2, 'grey');
  });

  it('exposure +1 EV doubles the light', () => {
    const got = pixelAt(draw((b) => b.set('grade/exposure', 1, 'show', { immediate: true }), solid([100, 60, 30])), 5, 5);
    expectClose(got, [100, 60, 30].map((v) => toSrgb(2 * toLinear(v))) as unknown as Rgb, 2, 'exposure +1');
    expect(toLinear(got[0]) / toLinear(100)).toBeCloseTo(2, 1);
  });

  it('contrast pivots on middle grey and spreads the rest', () => {
    const grey = Math.round(toSrgb(0.18));
    expectClose(pixelAt(draw((b) => b.set('grade/contrast', 1.6, 'show', { immediate: true }), solid([grey, grey, grey])), 5, 5), [grey, grey, grey], 2, 'mid grey stays');
    r?.dispose();
    const dark = pixelAt(draw((b) => b.set('grade/contrast', 1.6, 'show', { immediate: true }), solid([60, 60, 60])), 5, 5);
    expect(dark[0]).toBeLessThan(55);
  });

  it('temperature warms grey without changing its luma', () => {
    const got = pixelAt(draw((b) => b.set('grade/temperature', 1, 'show', { immediate: true }), solid([128, 128, 128])), 5, 5);
    expect(got[0] - got[2]).toBeGreaterThan(20);
    expect(Math.abs(toSrgb(luma709(got)) - 128)).toBeLessThan(3);
  });

  it('grain is seeded: same time gives the same grain, another time another', () => {
    const grainy = (b: ParameterBus) => {
      b.set('grain/amount', 0.6, 'show', { immediate: true });
      b.set('grain/size', 1, 'show', { immediate: true });
    };
    const g1 = allPixels(draw(grainy, solid([128, 128, 128]), 32, 32, 5)).data;
    r?.render(5);
    const g2 = allPixels(r as SitterRenderer).data;
    r?.render(6);
    const g3 = allPixels(r as SitterRenderer).data;
    expect([...g2]).toEqual([...g1]);
    let spread = 0;
    let changed = 0;
    for (let i = 0; i < g1.length; i += 4) {
      spread = Math.max(spread, Math.abs((g1[i] as number) - 128));
      if (g1[i] !== g3[i]) changed++;
    }
    expect(spread).toBeGreaterThan(20);
    expect(changed).toBeGreaterThan(32 * 32 * 0.5);
  });

  it('vignette darkens the corners and leaves the centre', () => {
    const s = draw((b) => b.set('vignette/amount', 0.8, 'show', { immediate: true }), solid([200, 200, 200]), 32, 32);
    expectClose(pixelAt(s, 16, 16), [200, 200, 200], 2, 'centre');
    expect(pixelAt(s, 0, 0)[0]).toBeLessThan(200 * (1 - 0.8 * 0.7));
  });

  it('master level 0 is black and 0.5 halves the picture', () => {
    expectClose(pixelAt(draw((b) => b.set('master/level', 0, 'show', { immediate: true })), 5, 5), [0, 0, 0], 0, 'blackout');
    r?.dispose();
    expectClose(pixelAt(draw((b) => b.set('master/level', 0.5, 'show', { immediate: true })), 5, 5), [90, 45, 20], 1, 'half');
  });
});

describe('upscaling small outputs', () => {
  // A 4×1 step (0, 0, 255, 255) drawn 16 px wide: pixel x samples texel coordinate (x + 0.5) / 4 − 0.5.
  const step = () => pixelsFrame(4, 1, (x) => (x < 2 ? [0, 0, 0] : [255, 255, 255]));
  const catmullRom = (t: number): number => -1.5 * t ** 3 + 2 * t ** 2 + 0.5 * t + (0.5 * t ** 3 - 0.5 * t ** 2);

  it('Catmull-Rom bicubic by default: sharper than bilinear, interpolating the texels', () => {
    const s = draw(() => {}, step(), 16, 4);
    for (const x of [6, 7, 8, 9]) {
      const t = (x + 0.5) / 4 - 0.5 - 1;
      const want = 255 * Math.min(1, Math.max(0, catmullRom(t)));
      expectClose(pixelAt(s, x, 2), [want, want, want], 2, `bicubic x=${x}`);
    }
  });

  it('bilinear when asked', () => {
    const s = draw(() => {}, step(), 16, 4);
    s.setUpscale('bilinear');
    s.render(0);
    for (const x of [6, 7]) {
      const t = (x + 0.5) / 4 - 0.5 - 1;
      expectClose(pixelAt(s, x, 2), [255 * t, 255 * t, 255 * t], 2, `bilinear x=${x}`);
    }
  });
});

describe('painterly filter', () => {
  const paint = (radius: number) => (b: ParameterBus) => {
    b.set('paint/amount', 1, 'show', { immediate: true });
    b.set('paint/radius', radius, 'show', { immediate: true });
  };

  it('keeps a flat picture flat and an edge sharp (Kuwahara is edge-preserving)', () => {
    const half = pixelsFrame(32, 32, (x) => (x < 16 ? [30, 30, 30] : [220, 220, 220]));
    const s = draw(paint(4), half, 32, 32);
    s.setUpscale('bilinear');
    s.render(0);
    expectClose(pixelAt(s, 4, 16), [30, 30, 30], 2, 'flat dark');
    expectClose(pixelAt(s, 28, 16), [220, 220, 220], 2, 'flat light');
    expectClose(pixelAt(s, 14, 16), [30, 30, 30], 3, 'two px left of the edge');
    expectClose(pixelAt(s, 17, 16), [220, 220, 220], 3, 'one px right of the edge');
  });

  it.each([
    ['at one screen pixel per portrait pixel', 32],
    ['at the portrait\'s scale when it is upscaled 4×', 8],
  ])('smooths texture into flat strokes %s', (_name, side) => {
    // Noise of ±40 around grey: the filter's output varies much less than its input.
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const noisy = pixelsFrame(side, side, () => {
      const v = 128 + Math.round((rnd() - 0.5) * 80);
      return [v, v, v];
    });
    // Roughness: mean difference between neighbours one portrait pixel apart (total variation at its pitch).
    const pitch = 32 / side;
    const spread = (d: Uint8Array) => {
      let sum = 0;
      let n = 0;
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x + pitch < 32; x++) {
          sum += Math.abs((d[(y * 32 + x) * 4] as number) - (d[(y * 32 + x + pitch) * 4] as number));
          n++;
        }
      }
      return sum / n;
    };
    const s = draw(() => {}, noisy, 32, 32);
    s.setUpscale('bilinear');
    s.render(0);
    const before = spread(allPixels(s).data);
    s.dispose();
    const p = draw(paint(side === 32 ? 3 : 2), noisy, 32, 32);
    p.setUpscale('bilinear');
    p.render(0);
    const after = spread(allPixels(p).data);
    expect(before).toBeGreaterThan(15);
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThan(before * 0.6);
  });
});
