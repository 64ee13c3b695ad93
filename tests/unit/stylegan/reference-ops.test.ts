import { describe, expect, it } from 'vitest';
import { biasAct, conv2d, fmap, upfirdn2d, type Fmap } from '../../support/stylegan-reference/ops.ts';

/** A 1-channel map from rows. */
function plane(rows: number[][]): Fmap {
  return fmap(1, rows.length, (rows[0] as number[]).length, Float64Array.from(rows.flat()));
}

function rows(x: Fmap, ch = 0): number[][] {
  const out: number[][] = [];
  for (let y = 0; y < x.h; y++) out.push(Array.from(x.data.subarray((ch * x.h + y) * x.w, (ch * x.h + y + 1) * x.w)));
  return out;
}

describe('upfirdn2d (the semantics of torch_utils.ops.upfirdn2d)', () => {
  it('with no filter only zero-stuffs, pads and crops', () => {
    const x = plane([
      [1, 2],
      [3, 4],
    ]);
    expect(rows(upfirdn2d(x, null, { up: 2 }))).toEqual([
      [1, 0, 2, 0],
      [0, 0, 0, 0],
      [3, 0, 4, 0],
      [0, 0, 0, 0],
    ]);
    // Padding order is [x0, x1, y0, y1]; negative values crop.
    expect(rows(upfirdn2d(x, null, { padding: [1, 0, 0, -1] }))).toEqual([[0, 1, 2]]);
  });

  it('convolves (the filter is flipped) unless flipFilter asks for correlation', () => {
    const impulse = plane([[0, 0, 1, 0, 0]]);
    const f = { shape: [1, 3], data: [1, 2, 5] };
    // A true convolution of an impulse reproduces the filter in order; a correlation reverses it.
    expect(rows(upfirdn2d(impulse, f, { padding: [1, 1, 0, 0] }))[0]).toEqual([0, 1, 2, 5, 0]);
    expect(rows(upfirdn2d(impulse, f, { padding: [1, 1, 0, 0], flipFilter: true }))[0]).toEqual([0, 5, 2, 1, 0]);
  });

  it('treats a [taps] filter as separable, equal to its outer product, with √gain per axis', () => {
    const x = fmap(2, 5, 6, Float64Array.from({ length: 60 }, (_, i) => Math.sin(i * 0.7) + (i % 4)));
    const taps = [0.1, 0.5, 0.3, 0.2];
    const sep = upfirdn2d(x, { shape: [4], data: taps }, { up: 2, padding: [2, 1, 2, 1], gain: 4, down: 1 });
    const outer = upfirdn2d(x, { shape: [4, 4], data: taps.flatMap((a) => taps.map((b) => a * b)) }, { up: 2, padding: [2, 1, 2, 1], gain: 4 });
    expect(sep.h).toBe(outer.h);
    for (let i = 0; i < sep.data.length; i++) expect(sep.data[i]).toBeCloseTo(outer.data[i] as number, 12);
  });

  it('upsamples a constant to the same constant away from the border (gain up² restores the level)', () => {
    const x = fmap(1, 4, 4, new Float64Array(16).fill(3));
    const k = [1, 3, 3, 1].flatMap((a) => [1, 3, 3, 1].map((b) => (a * b) / 64));
    const y = upfirdn2d(x, { shape: [4, 4], data: k }, { up: 2, padding: [2, 1, 2, 1], gain: 4 });
    expect([y.h, y.w]).toEqual([8, 8]);
    for (let yy = 2; yy < 6; yy++) for (let xx = 2; xx < 6; xx++) expect(y.data[yy * 8 + xx]).toBeCloseTo(3, 12);
  });

  it('downsamples by keeping every down-th output from the first', () => {
    const x = plane([[0, 1, 2, 3, 4, 5, 6]]);
    expect(rows(upfirdn2d(x, null, { down: 2 }))).toEqual([[0, 2, 4, 6]]);
  });

  it('refuses a filter larger than the padded input', () => {
    expect(() => upfirdn2d(plane([[1, 2]]), { shape: [3], data: [1, 1, 1] })).toThrow(/smaller than the 3×3 filter/);
  });
});

describe('conv2d', () => {
  const impulse = plane([
    [0, 0, 0],
    [0, 1, 0],
    [0, 0, 0],
  ]);
  const k = [1, 2, 3, 4, 5, 6, 7, 8, 9];

  it('correlates like torch.nn.functional.conv2d: an impulse gives the kernel rotated by 180°', () => {
    expect(rows(conv2d(impulse, k, 1, 3, 3, 1))).toEqual([
      [9, 8, 7],
      [6, 5, 4],
      [3, 2, 1],
    ]);
  });

  it('with flipWeight convolves: an impulse gives the kernel as stored', () => {
    expect(rows(conv2d(impulse, k, 1, 3, 3, 1, true))).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
  });

  it('sums over input channels per output channel and grows by k−1 with padding k−1', () => {
    const x = fmap(2, 2, 2, Float64Array.from([1, 1, 1, 1, 2, 2, 2, 2]));
    // Two outputs: o0 = ch0·1 + ch1·10, o1 = ch0·(−1).
    const y = conv2d(x, [1, 10, -1, 0], 2, 1, 1, 0);
    expect(rows(y, 0)).toEqual([
      [21, 21],
      [21, 21],
    ]);
    expect(rows(y, 1)).toEqual([
      [-1, -1],
      [-1, -1],
    ]);
    expect(conv2d(x, new Array(2 * 9).fill(1), 1, 3, 3, 2)).toMatchObject({ h: 4, w: 4 });
  });
});

describe('biasAct', () => {
  it('adds the bias, applies lrelu, then the gain, then clamps — in that order', () => {
    const d = Float64Array.from([-1, 3, 10]);
    biasAct(d, 1, 3, [0.5], { act: 'lrelu', gain: 2, clamp: 5 });
    // −1 + 0.5 = −0.5 → ×0.2 = −0.1 → ×2 = −0.2; 3.5 → 7 → clamp 5; 10.5 → 21 → 5.
    expect(d[0]).toBeCloseTo(-0.2, 15);
    expect(Array.from(d.subarray(1))).toEqual([5, 5]);
  });

  it('defaults to gain √2 for lrelu and 1 for linear', () => {
    const a = Float64Array.from([2]);
    biasAct(a, 1, 1, null, { act: 'lrelu' });
    expect(a[0]).toBeCloseTo(2 * Math.SQRT2, 15);
    const b = Float64Array.from([-2]);
    biasAct(b, 1, 1, null, { act: 'linear' });
    expect(b[0]).toBe(-2);
  });
});
