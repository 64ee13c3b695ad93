import { afterEach, describe, expect, it } from 'vitest';
import { MorphTimeline } from '../../src/render/morph-timeline.ts';
import type { SitterRenderer } from '../../src/render/renderer.ts';
import { allPixels, expectClose, glTextureFrame, makeRenderer, mix, neutralBus, pixelAt, pixelsFrame, solid, type Rgb } from './render-support.ts';

const A: Rgb = [200, 40, 100];
const B: Rgb = [20, 180, 240];
let r: SitterRenderer | null = null;
afterEach(() => {
  r?.dispose();
  r = null;
});

/** Present A at t = 0 s and B at t = 1 s (the measured interval is then 1 s) and draw at 1 + p. */
function drawPair(mode: string, a = solid(A), b = solid(B), p: number, size = 16) {
  const bus = neutralBus();
  bus.set('morph/mode', mode, 'show');
  r = makeRenderer(bus, size, size);
  r.present(0, a.frame, 0);
  r.present(0, b.frame, 1);
  r.render(1 + p);
  return { r, bus, a, b };
}

describe('morph between generated frames', () => {
  it('crossfade at progress 0.25 gives 0.75·A + 0.25·B', () => {
    const { r } = drawPair('crossfade', undefined, undefined, 0.25);
    for (const [x, y] of [[1, 1], [8, 8], [14, 3]] as const) expectClose(pixelAt(r, x, y), mix(A, B, 0.25), 2, `pixel ${x},${y}`);
  });

  it('progress follows the measured generation interval and clamps at 1', () => {
    const { r } = drawPair('crossfade', undefined, undefined, 0.6);
    expectClose(pixelAt(r, 8, 8), mix(A, B, 0.6), 2, 'at 0.6');
    r.render(5);
    expectClose(pixelAt(r, 8, 8), B, 2, 'long after');
  });

  it('flow is A at 0, B at 1, and a plain crossfade where the picture is flat', () => {
    const stripes = (c1: Rgb, c2: Rgb) => pixelsFrame(8, 8, (x) => (x < 4 ? c1 : c2));
    let s = drawPair('flow', stripes(A, B), stripes(B, A), 0).r;
    expectClose(pixelAt(s, 2, 8), A, 2, 'flow p=0 left');
    expectClose(pixelAt(s, 13, 8), B, 2, 'flow p=0 right');
    s.render(2);
    expectClose(pixelAt(s, 2, 8), B, 2, 'flow p=1 left');
    s.dispose();
    s = drawPair('flow', undefined, undefined, 0.25).r;
    expectClose(pixelAt(s, 8, 8), mix(A, B, 0.25), 2, 'flow flat p=0.25');
  });

  it('flow moves an edge instead of ghosting it', () => {
    // A bright bar moves right by 2 texels; halfway, the flow picture near the moving edge differs from the crossfade.
    const bar = (x0: number) => pixelsFrame(16, 16, (x) => (x >= x0 && x < x0 + 6 ? [230, 230, 230] : [20, 20, 20]));
    const flow = drawPair('flow', bar(4), bar(6), 0.5, 32).r;
    const f = allPixels(flow);
    flow.dispose();
    const cross = drawPair('crossfade', bar(4), bar(6), 0.5, 32).r;
    const c = allPixels(cross);
    let diff = 0;
    for (let i = 0; i < f.data.length; i += 4) diff = Math.max(diff, Math.abs((f.data[i] as number) - (c.data[i] as number)));
    expect(diff).toBeGreaterThan(20);
  });

  it('dissolve switches each point from A to B as progress passes its noise threshold', () => {
    const count = (r: SitterRenderer) => {
      const { data } = allPixels(r);
      let a = 0;
      let b = 0;
      for (let i = 0; i < data.length; i += 4) {
        const px: Rgb = [data[i] as number, data[i + 1] as number, data[i + 2] as number];
        if (Math.abs(px[0] - A[0]) <= 2 && Math.abs(px[2] - A[2]) <= 2) a++;
        if (Math.abs(px[0] - B[0]) <= 2 && Math.abs(px[2] - B[2]) <= 2) b++;
      }
      return { a, b, n: data.length / 4 };
    };
    const d = drawPair('dissolve', undefined, undefined, 0.5, 32).r;
    const half = count(d);
    expect(half.a + half.b).toBeGreaterThan(half.n * 0.6); // mostly hard A or hard B, not a blend
    expect(half.a).toBeGreaterThan(half.n * 0.15);
    expect(half.b).toBeGreaterThan(half.n * 0.15);
    d.render(1);
    expect(count(d).a).toBe(half.n);
    d.render(1.999);
    expect(count(d).b).toBe(half.n);
  });

  it('samples a webgl-texture frame from the shared context without a copy, row 0 at the top', () => {
    const bus = neutralBus();
    r = makeRenderer(bus, 16, 16);
    const top: Rgb = [250, 10, 10];
    const bottom: Rgb = [10, 10, 250];
    const g = glTextureFrame(r, 4, 4, (_x, y) => (y < 2 ? top : bottom));
    r.present(0, g.frame, 0);
    r.render(0);
    expectClose(pixelAt(r, 8, 1), top, 2, 'top row');
    expectClose(pixelAt(r, 8, 14), bottom, 2, 'bottom row');
    // Crossfade from the GPU frame to a pixels frame.
    const p = solid(A);
    r.present(0, p.frame, 1);
    r.render(1.25);
    expectClose(pixelAt(r, 8, 1), mix(top, A, 0.25), 2, 'gpu → pixels at 0.25');
    r.render(2);
    expect(g.released()).toBe(1);
    r.getContext().deleteTexture(g.texture);
  });
});

describe('morph timing', () => {
  it('a morph lasts one measured generation interval and follows a change of pace', () => {
    const t = new MorphTimeline();
    t.arrive(0);
    t.arrive(0.2); // 5 frames a second
    t.begin(0.2);
    expect(t.progress(0.3)).toBeCloseTo(0.5, 6);
    for (let k = 11; k <= 100; k++) t.arrive(k * 0.02); // now 50 a second
    expect(t.intervalSeconds()).toBeGreaterThan(0.0199);
    expect(t.intervalSeconds()).toBeLessThan(0.021);
    t.begin(2);
    expect(t.progress(2.01)).toBeCloseTo(0.5, 1);
    expect(t.progress(1.99)).toBe(0);
    expect(t.progress(9.999)).toBe(1);
  });

  it('a pause does not make the following morphs crawl, a lasting slow-down is still learnt', () => {
    const t = new MorphTimeline();
    for (let k = 0; k <= 10; k++) t.arrive(k * 0.2);
    t.arrive(2 + 30); // the generator stalled for 30 s
    expect(t.intervalSeconds()).toBeLessThan(0.2 + 0.2 * (4 * 0.2 - 0.2) + 1e-9);
    let at = 32;
    for (let k = 0; k < 40; k++) t.arrive((at += 2)); // now really 2 s a frame
    expect(t.intervalSeconds()).toBeGreaterThan(1.9);
  });
});
