import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildGenerator } from '../../src/core/stylegan/architecture.ts';
import { setupFilter } from '../../src/core/stylegan/filters.ts';
import { tinyStyleGan2, tinyStyleGan3 } from '../../src/core/stylegan/presets.ts';
import { makeFir, makePolyphaseUp, polyphaseUpsample, upfirdn2d, type Padding4 } from '../../src/generator/stylegan/fir.ts';
import { createStyleGanRuntime, type StyleGanRuntime } from '../../src/generator/stylegan/runtime.ts';
import { seededLatents } from '../fixtures/models/tiny.ts';

/**
 * The runtime's building blocks against the definitions written out as loops, and its whole-network behaviour
 * (truncation, noise modes, labels, memory). Parity with the independent CPU reference is in
 * stylegan-parity.test.ts.
 */

let runtime: StyleGanRuntime | null = null;
afterEach(() => {
  runtime?.dispose();
  runtime = null;
});
beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** upfirdn2d written from its definition, one channel, [h][w] arrays: zero-insert, pad/crop, true convolution with
 * f (2-D) scaled by gain, keep every down-th sample. */
function naiveUpfirdn(x: number[][], f: number[][], up: number, down: number, [x0, x1, y0, y1]: Padding4, gain: number): number[][] {
  const h = x.length * up;
  const w = (x[0] as number[]).length * up;
  const at = (r: number, c: number): number => {
    // r, c in padded coordinates → upsampled coordinates
    const ur = r - y0;
    const uc = c - x0;
    if (ur < 0 || uc < 0 || ur >= h || uc >= w || ur % up !== 0 || uc % up !== 0) return 0;
    return (x[ur / up] as number[])[uc / up] as number;
  };
  const ph = h + y0 + y1;
  const pw = w + x0 + x1;
  const fh = f.length;
  const fw = (f[0] as number[]).length;
  const out: number[][] = [];
  for (let r = 0; r + fh <= ph; r += down) {
    const row: number[] = [];
    for (let c = 0; c + fw <= pw; c += down) {
      let s = 0;
      // true convolution: output at (r, c) with the flipped filter over the window
      for (let i = 0; i < fh; i++) for (let j = 0; j < fw; j++) s += at(r + i, c + j) * ((f[fh - 1 - i] as number[])[fw - 1 - j] as number);
      row.push(s * gain);
    }
    out.push(row);
  }
  return out;
}

function toNhwc(x: number[][]): tf.Tensor4D {
  return tf.tensor4d(x.flat(), [1, x.length, (x[0] as number[]).length, 1]);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

describe('StyleGAN runtime: FIR resampling (upfirdn2d)', () => {
  const x = [
    [1, -2, 3, 0.5],
    [0, 4, -1, 2],
    [2, 1, 0, -3],
  ];
  const keep: tf.Tensor[] = [];
  afterEach(() => {
    for (const t of keep.splice(0)) t.dispose();
  });

  it('upsamples ×2 through an asymmetric 2-D filter with the padding and gain of upsample2d', () => {
    const f = [
      [1, 2, 0],
      [0, 3, -1],
    ];
    const fir = makeFir({ shape: [2, 3], data: Float32Array.from(f.flat()) }, 1, 4, (t) => keep.push(t));
    const pad: Padding4 = [2, 1, 1, 0];
    const got = tf.tidy(() => upfirdn2d(toNhwc(x), fir, 2, 1, pad));
    const want = naiveUpfirdn(x, f, 2, 1, pad, 4);
    expect(got.shape).toEqual([1, want.length, (want[0] as number[]).length, 1]);
    expect(maxAbsDiff(got.dataSync(), want.flat())).toBeLessThan(1e-5);
    got.dispose();
  });

  it('filters separably (≥ 8 taps) and downsamples ×2, cropping with negative padding', () => {
    const taps = [1, 2, 3, 4, 5, 6, 7, 9];
    const fir = makeFir({ shape: [8], data: Float32Array.from(taps) }, 1, 1, (t) => keep.push(t));
    const big = Array.from({ length: 12 }, (_, r) => Array.from({ length: 11 }, (_, c) => Math.sin(r * 1.3 + c * 0.7) + (r === c ? 1 : 0)));
    const pad: Padding4 = [3, -1, 4, 2];
    const got = tf.tidy(() => upfirdn2d(toNhwc(big), fir, 1, 2, pad));
    const outer = taps.map((a) => taps.map((b) => a * b));
    const want = naiveUpfirdn(big, outer, 1, 2, pad, 1);
    expect(got.shape).toEqual([1, want.length, (want[0] as number[]).length, 1]);
    expect(maxAbsDiff(got.dataSync(), want.flat())).toBeLessThan(1e-3);
    got.dispose();
  });

  for (const [up, pad] of [
    [2, [9, 8, 9, 8]],
    [4, [-6, -9, -6, -9]],
    [2, [-11, -12, 3, 1]],
  ] as const) {
    it(`upsamples ×${up} without zeros (polyphase) exactly as zero-insert-then-filter, padding [${pad.join(', ')}]`, async () => {
      const taps = Float32Array.from({ length: 6 * up }, (_, i) => Math.sin(i * 0.9) + 0.3 * i);
      const x4 = tf.tidy(() => tf.randomNormal([2, 31, 29, 3], 0, 1, 'float32', 7) as tf.Tensor4D);
      for (const backend of ['cpu', 'webgl']) {
        await tf.setBackend(backend);
        const x = tf.tensor4d(x4.dataSync(), x4.shape);
        const fir = makeFir({ shape: [taps.length], data: taps }, 3, up * up, (t) => keep.push(t));
        const poly = makePolyphaseUp({ shape: [taps.length], data: taps }, 3, up, pad, (t) => keep.push(t));
        expect(poly).not.toBeNull();
        const [a, b] = tf.tidy(() => [upfirdn2d(x, fir, up, 1, pad), polyphaseUpsample(x, poly!)]);
        expect(b!.shape, backend).toEqual(a!.shape);
        const va = await a!.data();
        const scale = Math.max(...Array.from(va, Math.abs));
        expect(maxAbsDiff(await b!.data(), va) / scale, backend).toBeLessThan(1e-5);
        tf.dispose([a!, b!, x]);
        for (const t of keep.splice(0)) t.dispose();
      }
      x4.dispose();
      await tf.setBackend('cpu');
    });
  }

  it('makes StyleGAN2\'s [1,3,3,1] upsampling preserve a constant image (DC gain 1 after the ×4 gain)', () => {
    const f = setupFilter([1, 3, 3, 1]);
    const fir = makeFir({ shape: f.shape, data: Float32Array.from(f.values) }, 2, 4, (t) => keep.push(t));
    const got = tf.tidy(() => upfirdn2d(tf.fill([1, 6, 6, 2], 0.75) as tf.Tensor4D, fir, 2, 1, [2, 1, 2, 1]));
    expect(got.shape).toEqual([1, 12, 12, 2]);
    // Away from the zero-padded border every output is exactly the constant.
    const v = got.arraySync()[0] as number[][][];
    for (let r = 2; r < 10; r++) for (let c = 2; c < 10; c++) expect((v[r] as number[][])[c]).toEqual([0.75, 0.75].map((a) => expect.closeTo(a, 6)));
    got.dispose();
  });
});

describe('StyleGAN runtime: mapping', () => {
  it('normalises z (scaling a latent changes nothing) and broadcasts one w to every layer', () => {
    runtime = createStyleGanRuntime(buildGenerator(tinyStyleGan2(), { seed: 3 }));
    const rt = runtime;
    const z = seededLatents(2, rt.zDim, 5);
    const [a, b] = tf.tidy(() => [rt.mapping(tf.tensor2d(z, [2, rt.zDim])), rt.mapping(tf.tensor2d(z.map((v) => v * 3), [2, rt.zDim]))]) as [tf.Tensor3D, tf.Tensor3D];
    expect(a.shape).toEqual([2, rt.numWs, rt.wDim]);
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBeLessThan(1e-4);
    const ws = a.arraySync();
    for (const sample of ws) for (const w of sample) expect(w).toEqual(sample[0]);
    expect(maxAbsDiff(ws[0]?.[0] ?? [], ws[1]?.[0] ?? [])).toBeGreaterThan(1e-3);
    tf.dispose([a, b]);
  });

  it('truncates toward w_avg: ψ = 0 gives w_avg, and a cutoff leaves the later ws untouched', () => {
    runtime = createStyleGanRuntime(buildGenerator(tinyStyleGan2(), { seed: 3 }));
    const rt = runtime;
    const wAvg = Array.from(rt.wAvg ?? []);
    expect(wAvg.some((v) => v !== 0)).toBe(true);
    const z = tf.tensor2d(seededLatents(1, rt.zDim, 9), [1, rt.zDim]);
    const free = rt.mapping(z).arraySync()[0] as number[][];
    const zero = rt.mapping(z, null, { truncationPsi: 0 }).arraySync()[0] as number[][];
    for (const w of zero) expect(maxAbsDiff(w, wAvg)).toBeLessThan(1e-5);
    const half = rt.mapping(z, null, { truncationPsi: 0.5, truncationCutoff: 2 }).arraySync()[0] as number[][];
    const lerp = (free[0] as number[]).map((v, i) => (wAvg[i] as number) + 0.5 * (v - (wAvg[i] as number)));
    expect(maxAbsDiff(half[0] as number[], lerp)).toBeLessThan(1e-5);
    expect(maxAbsDiff(half[1] as number[], lerp)).toBeLessThan(1e-5);
    for (let k = 2; k < rt.numWs; k++) expect(maxAbsDiff(half[k] as number[], free[k] as number[])).toBe(0);
    z.dispose();
  });

  it('takes a label for a conditional model, different classes giving different ws, and refuses a missing one', () => {
    runtime = createStyleGanRuntime(buildGenerator(tinyStyleGan2({ cDim: 3 }), { seed: 4 }));
    const rt = runtime;
    const z = tf.tensor2d(seededLatents(1, rt.zDim, 2), [1, rt.zDim]);
    const c0 = tf.tensor2d([1, 0, 0], [1, 3]);
    const c2 = tf.tensor2d([0, 0, 1], [1, 3]);
    const [a, b] = [rt.mapping(z, c0), rt.mapping(z, c2)];
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBeGreaterThan(1e-3);
    expect(() => rt.mapping(z)).toThrow(/conditional \(c_dim 3\).*\[n, 3\]/);
    tf.dispose([z, c0, c2, a, b]);
  });
});

describe('StyleGAN runtime: synthesis', () => {
  it('StyleGAN2 noise: const is repeatable, random differs per call, strength 0 equals none', () => {
    runtime = createStyleGanRuntime(buildGenerator(tinyStyleGan2(), { seed: 5 }));
    const rt = runtime;
    const ws = rt.mapping(tf.tidy(() => tf.tensor2d(seededLatents(1, rt.zDim, 1), [1, rt.zDim])));
    const run = (o: Parameters<StyleGanRuntime['synthesis']>[1]): Float32Array => {
      const img = rt.synthesis(ws, o);
      const d = img.dataSync() as Float32Array;
      img.dispose();
      return d;
    };
    const c1 = run({ noiseMode: 'const' });
    const c2 = run({ noiseMode: 'const' });
    const r1 = run({ noiseMode: 'random' });
    const r2 = run({ noiseMode: 'random' });
    const none = run({ noiseMode: 'none' });
    const zeroStrength = run({ noiseMode: 'random', noiseStrength: 0 });
    expect(maxAbsDiff(c1, c2)).toBe(0);
    expect(maxAbsDiff(r1, r2)).toBeGreaterThan(1e-4);
    expect(maxAbsDiff(c1, none)).toBeGreaterThan(1e-4);
    expect(maxAbsDiff(none, zeroStrength)).toBe(0);
    ws.dispose();
  });

  for (const [label, spec, size] of [
    ['StyleGAN2 orig', tinyStyleGan2({ architecture: 'orig' }), 16],
    ['StyleGAN2 resnet', tinyStyleGan2({ architecture: 'resnet' }), 16],
    ['StyleGAN3-T', tinyStyleGan3(), 32],
    ['StyleGAN3-R', tinyStyleGan3({ rotation: true }), 32],
  ] as const) {
    it(`${label}: images of the right size that depend on z, and no tensor left behind`, () => {
      runtime = createStyleGanRuntime(buildGenerator(spec, { seed: 6 }));
      const rt = runtime;
      const z = tf.tensor2d(seededLatents(2, rt.zDim, 8), [2, rt.zDim]);
      const before = tf.memory().numTensors;
      const img = rt.generate(z);
      expect(img.shape).toEqual([2, size, size, 3]);
      const v = img.dataSync();
      expect(v.every(Number.isFinite)).toBe(true);
      expect(maxAbsDiff(v.subarray(0, v.length / 2), v.subarray(v.length / 2))).toBeGreaterThan(1e-3);
      img.dispose();
      expect(tf.memory().numTensors).toBe(before);
      z.dispose();
    });
  }

  it('StyleGAN3: polyphase upsampling gives the same images as zero-insert (T and R)', () => {
    for (const spec of [tinyStyleGan3(), tinyStyleGan3({ rotation: true })]) {
      const net = buildGenerator(spec, { seed: 13 });
      const zs = seededLatents(2, 8, 10);
      const out = (['polyphase', 'zero-insert'] as const).map((upsample) => {
        const rt = createStyleGanRuntime(net, { upsample });
        const img = rt.generate(tf.tidy(() => tf.tensor2d(zs, [2, 8])));
        const v = img.dataSync() as Float32Array;
        img.dispose();
        rt.dispose();
        return v;
      });
      const scale = Math.max(...Array.from(out[0] as Float32Array, Math.abs));
      expect(maxAbsDiff(out[0] as Float32Array, out[1] as Float32Array) / scale).toBeLessThan(1e-5);
    }
  });

  it('StyleGAN2 up-conv: the polyphase conv2d + depthToSpace equals the transposed conv (cpu and WebGL)', async () => {
    const net = buildGenerator(tinyStyleGan2({ architecture: 'resnet', resolution: 32 }), { seed: 12 });
    const zs = seededLatents(2, 8, 9);
    for (const backend of ['cpu', 'webgl']) {
      await tf.setBackend(backend);
      const out: Float32Array[] = [];
      for (const upConv of ['polyphase', 'transposed'] as const) {
        const rt = createStyleGanRuntime(net, { upConv });
        const img = rt.generate(tf.tidy(() => tf.tensor2d(zs, [2, 8])));
        out.push((await img.data()) as Float32Array);
        img.dispose();
        rt.dispose();
      }
      const scale = Math.max(...Array.from(out[0] as Float32Array, Math.abs));
      expect(maxAbsDiff(out[0] as Float32Array, out[1] as Float32Array) / scale, backend).toBeLessThan(1e-5);
    }
    await tf.setBackend('cpu');
  });

  it('holds its tensor count flat over repeated generate() and frees every weight on dispose()', () => {
    const baseline = tf.memory().numTensors;
    runtime = createStyleGanRuntime(buildGenerator(tinyStyleGan3(), { seed: 2 }));
    const rt = runtime;
    const loaded = tf.memory().numTensors;
    expect(loaded - baseline).toBe(rt.tensorCount);
    const z = tf.tensor2d(seededLatents(1, rt.zDim, 3), [1, rt.zDim]);
    for (let i = 0; i < 4; i++) rt.generate(z, null, { truncationPsi: 0.7 }).dispose();
    expect(tf.memory().numTensors).toBe(loaded + 1);
    z.dispose();
    rt.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
    expect(() => rt.generate(z)).toThrow(/disposed/);
    runtime = null;
  });

  it('agrees between the cpu and WebGL backends (StyleGAN2 skip and StyleGAN3-T)', async () => {
    for (const spec of [tinyStyleGan2(), tinyStyleGan3()]) {
      const net = buildGenerator(spec, { seed: 11 });
      const zs = seededLatents(2, 8, 4);
      const out: Float32Array[] = [];
      for (const backend of ['cpu', 'webgl']) {
        await tf.setBackend(backend);
        const rt = createStyleGanRuntime(net);
        const img = rt.generate(tf.tidy(() => tf.tensor2d(zs, [2, 8])), null, { truncationPsi: 0.8 });
        out.push((await img.data()) as Float32Array);
        img.dispose();
        rt.dispose();
      }
      await tf.setBackend('cpu');
      const scale = Math.max(...Array.from(out[0] as Float32Array, Math.abs));
      expect(maxAbsDiff(out[0] as Float32Array, out[1] as Float32Array) / scale).toBeLessThan(1e-3);
    }
  });
});
