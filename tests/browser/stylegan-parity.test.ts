import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGenerator } from '../../src/core/stylegan/architecture.ts';
import { tinyStyleGan2, tinyStyleGan3 } from '../../src/core/stylegan/presets.ts';
import { startBackend } from '../../src/generator/backend.ts';
import { createStyleGanRuntime, type StyleGanRuntime } from '../../src/generator/stylegan/runtime.ts';
import type { NoiseMode } from '../../src/generator/stylegan/noise.ts';
import { seededLatents } from '../fixtures/models/tiny.ts';
import { referenceGenerate, referenceMap } from '../support/stylegan-reference/index.ts';
import golden from '../unit/stylegan/fixtures/nvidia-golden.json';
import { goldenNetwork, relativeError, type GoldenCase, type GoldenConfig, type GoldenFile } from '../support/stylegan-golden.ts';

/**
 * The TF.js runtime against what it must equal:
 * - NVIDIA's own code: tests/unit/stylegan/fixtures/nvidia-golden.json (nine tiny generators built and run by
 *   stylegan2-ada-pytorch and stylegan3 on CPU in float32; see its README) — ws and images for every case;
 * - the independent CPU reference (tests/support/stylegan-reference/) on networks our builder makes with
 *   trained-like weights: each architecture, labels, truncation, the noise modes and strengths.
 * Error is max |runtime − expected| / max |expected| (StyleGAN3 images are small: output_scale 0.25).
 */

const configs = (golden as unknown as GoldenFile).configs;

/** The runtime's ws and images (images as NCHW, like the reference and NVIDIA). */
function run(rt: StyleGanRuntime, z: Float32Array, c: Float32Array | null, n: number, o: { truncationPsi?: number; truncationCutoff?: number | null; noiseMode?: NoiseMode; noiseStrength?: number }): { ws: Float32Array; img: Float32Array } {
  return tf.tidy(() => {
    const ws = rt.mapping(tf.tensor2d(z, [n, rt.zDim]), c === null ? null : tf.tensor2d(c, [n, rt.cDim]), o);
    const img = rt.synthesis(ws, o);
    return { ws: ws.dataSync() as Float32Array, img: tf.transpose(img, [0, 3, 1, 2]).dataSync() as Float32Array };
  });
}

/** Worst errors seen, printed at the end for the README. */
const worst = new Map<string, number>();
function note(key: string, err: number): void {
  worst.set(key, Math.max(worst.get(key) ?? 0, err));
}
afterAll(() => {
  console.info(`stylegan parity (max rel err): ${JSON.stringify(Object.fromEntries([...worst].map(([k, v]) => [k, Number(v.toExponential(2))])))}`);
});

describe('StyleGAN runtime vs NVIDIA golden fixture (cpu backend)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  for (const cfg of configs) {
    it(`${cfg.name}: ws and images of every case`, () => {
      const rt = createStyleGanRuntime(goldenNetwork(cfg));
      try {
        for (const cs of cfg.cases) {
          const got = run(rt, Float32Array.from(cfg.z), cfg.c === null ? null : Float32Array.from(cfg.c), cfg.n, cs);
          const ew = relativeError(got.ws, cs.ws);
          // Synthesis alone, from NVIDIA's ws, so a mapping error cannot hide or cause a synthesis one.
          const img = tf.tidy(() => tf.transpose(rt.synthesis(tf.tensor3d(cs.ws, cs.wsShape as [number, number, number]), cs), [0, 3, 1, 2]).dataSync());
          const ei = relativeError(img, cs.img);
          const eg = relativeError(got.img, cs.img);
          note(`golden cpu ${cfg.name} ws`, ew);
          note(`golden cpu ${cfg.name} img`, Math.max(ei, eg));
          expect(ew, `${cfg.name} ψ ${cs.truncationPsi} ws`).toBeLessThan(1e-5);
          expect(ei, `${cfg.name} ${cs.noiseMode} synthesis`).toBeLessThan(1e-4);
          expect(eg, `${cfg.name} ψ ${cs.truncationPsi} generate`).toBeLessThan(1e-4);
        }
      } finally {
        rt.dispose();
      }
    });
  }
});

describe('StyleGAN runtime vs NVIDIA golden fixture (WebGL)', () => {
  beforeAll(async () => {
    await tf.setBackend('webgl');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });
  for (const name of ['sg2-resnet', 'sg3-r', 'sg3-t-cond-clamp']) {
    it(`${name}: images of the first case`, async () => {
      const cfg = configs.find((c) => c.name === name) as GoldenConfig;
      const cs = cfg.cases[0] as GoldenCase;
      const rt = createStyleGanRuntime(goldenNetwork(cfg));
      const img = tf.tidy(() => tf.transpose(rt.synthesis(tf.tensor3d(cs.ws, cs.wsShape as [number, number, number]), cs), [0, 3, 1, 2]));
      const err = relativeError(await img.data(), cs.img);
      img.dispose();
      rt.dispose();
      note(`golden webgl ${name} img`, err);
      // SwiftShader's WebGL computes in float32 with its own transcendental approximations (sin in the Fourier input).
      expect(err).toBeLessThan(1e-3);
    });
  }
});

describe('StyleGAN runtime vs NVIDIA golden fixture (WebGPU and wasm, started as the app starts them)', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });
  for (const kind of ['wasm', 'webgpu'] as const) {
    it(`${kind}: sg2-resnet and sg3-t-cond-clamp images of the first case`, async (ctx) => {
      if (kind === 'webgpu' && !('gpu' in navigator && (await navigator.gpu.requestAdapter()))) {
        ctx.skip('no WebGPU adapter (Chromium needs --enable-unsafe-webgpu; tests/support/chromium.ts passes it)');
        return;
      }
      const backend = await startBackend({ order: [kind], log: () => {} });
      try {
        expect(backend.kind).toBe(kind);
        for (const name of ['sg2-resnet', 'sg3-t-cond-clamp']) {
          const cfg = configs.find((c) => c.name === name) as GoldenConfig;
          const cs = cfg.cases[0] as GoldenCase;
          const rt = createStyleGanRuntime(goldenNetwork(cfg));
          const img = tf.tidy(() => tf.transpose(rt.synthesis(tf.tensor3d(cs.ws, cs.wsShape as [number, number, number]), cs), [0, 3, 1, 2]));
          const err = relativeError(await img.data(), cs.img);
          img.dispose();
          rt.dispose();
          note(`golden ${kind} ${name} img`, err);
          expect(err, name).toBeLessThan(1e-3);
        }
      } finally {
        backend.dispose();
      }
    });
  }
});

describe('StyleGAN runtime vs the CPU reference (trained-like networks, cpu backend)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  const cases: Array<{ label: string; spec: ReturnType<typeof tinyStyleGan2>; cDim: number; opts: { truncationPsi?: number; truncationCutoff?: number | null; noiseMode?: NoiseMode; noiseStrength?: number } }> = [
    { label: 'StyleGAN2 skip, const noise', spec: tinyStyleGan2(), cDim: 0, opts: { noiseMode: 'const' } },
    { label: 'StyleGAN2 orig, no noise, ψ 0.7', spec: tinyStyleGan2({ architecture: 'orig' }), cDim: 0, opts: { noiseMode: 'none', truncationPsi: 0.7 } },
    { label: 'StyleGAN2 resnet, noise strength 2.5, ψ 0.5 cutoff 3', spec: tinyStyleGan2({ architecture: 'resnet' }), cDim: 0, opts: { noiseMode: 'const', noiseStrength: 2.5, truncationPsi: 0.5, truncationCutoff: 3 } },
    { label: 'StyleGAN2 conditional (c_dim 4), clamp 0.3', spec: tinyStyleGan2({ cDim: 4, convClamp: 0.3 }), cDim: 4, opts: { noiseMode: 'const' } },
    { label: 'StyleGAN2 32 px skip', spec: tinyStyleGan2({ resolution: 32 }), cDim: 0, opts: { noiseMode: 'const', truncationPsi: 0.8 } },
    { label: 'StyleGAN3-T', spec: tinyStyleGan3(), cDim: 0, opts: {} },
    { label: 'StyleGAN3-T ψ 0.6 cutoff 4', spec: tinyStyleGan3(), cDim: 0, opts: { truncationPsi: 0.6, truncationCutoff: 4 } },
    { label: 'StyleGAN3-R conditional (c_dim 3)', spec: tinyStyleGan3({ rotation: true, cDim: 3 }), cDim: 3, opts: { truncationPsi: 0.9 } },
  ];
  cases.forEach(({ label, spec, cDim, opts }, i) => {
    it(label, () => {
      const net = buildGenerator(spec, { seed: 100 + i, init: 'trained-like' });
      const n = 2;
      const z = seededLatents(n, 8, 30 + i);
      const c = cDim > 0 ? Float32Array.from({ length: n * cDim }, (_, k) => (k === 1 || k === cDim + cDim - 1 ? 1 : 0)) : null;
      const wantWs = referenceMap(net, z, c ?? undefined, opts);
      const wantImg = referenceGenerate(net, z, c ?? undefined, opts);
      const rt = createStyleGanRuntime(net);
      const got = run(rt, z, c, n, opts);
      rt.dispose();
      const ew = relativeError(got.ws, wantWs);
      const ei = relativeError(got.img, wantImg);
      note(`reference ${label} ws`, ew);
      note(`reference ${label} img`, ei);
      expect(ew).toBeLessThan(1e-5);
      expect(ei).toBeLessThan(1e-4);
    });
  });

  it('a wrong runtime would fail: dropping the noise or the truncation moves the image far past the tolerance', () => {
    const net = buildGenerator(tinyStyleGan2(), { seed: 7, init: 'trained-like' });
    const z = seededLatents(1, 8, 1);
    const want = referenceGenerate(net, z, undefined, { noiseMode: 'const', truncationPsi: 0.7 });
    const rt = createStyleGanRuntime(net);
    expect(relativeError(run(rt, z, null, 1, { noiseMode: 'none', truncationPsi: 0.7 }).img, want)).toBeGreaterThan(1e-2);
    expect(relativeError(run(rt, z, null, 1, { noiseMode: 'const' }).img, want)).toBeGreaterThan(1e-2);
    rt.dispose();
  });
});
