import * as tf from '@tensorflow/tfjs';
import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import { backendPreference } from '../../src/generator/backend-preference.ts';
import type { DeviceLoss } from '../../src/generator/backend.ts';
import { createGenerator, type CreateGeneratorOptions } from '../../src/generator/create.ts';
import type { GeneratedFrame } from '../../src/generator/frame.ts';
import { buildTinyModelFiles, memoryFetch, seededLatents, TINY } from '../fixtures/models/tiny.ts';
import { errorMessage } from '../../src/core/error-message.ts';

const BASE = '/mem/tiny/';

async function tinyOptions(extra: Partial<CreateGeneratorOptions>): Promise<CreateGeneratorOptions> {
  return { modelUrl: BASE, fetch: memoryFetch(BASE, await buildTinyModelFiles()), log: () => {}, ...extra };
}

function bytes(frames: GeneratedFrame[]): Uint8ClampedArray[] {
  return frames.map((f) => {
    if (f.kind !== 'pixels') throw new Error(`expected pixels, got ${f.kind}`);
    const d = f.data.slice();
    f.release();
    return d;
  });
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return m;
}

function until(check: () => boolean, ms = 5000): Promise<void> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      if (check()) resolve();
      else if (performance.now() - t0 > ms) reject(new Error('timed out'));
      else setTimeout(poll, 10);
    };
    poll();
  });
}

describe('backendPreference', () => {
  it('uses webgpu ▸ webgl ▸ wasm ▸ cpu by default and the show\'s list when given', () => {
    expect(backendPreference('')).toEqual({ order: ['webgpu', 'webgl', 'wasm', 'cpu'], warnings: [] });
    expect(backendPreference('?x=1', ['webgl', 'cpu']).order).toEqual(['webgl', 'cpu']);
  });

  it('puts the URL\'s choice first and keeps the rest as fallback', () => {
    expect(backendPreference('?backend=webgl').order).toEqual(['webgl', 'webgpu', 'wasm', 'cpu']);
    expect(backendPreference(new URLSearchParams('backend=cpu,WebGL'), ['webgpu', 'webgl']).order).toEqual(['cpu', 'webgl', 'webgpu']);
  });

  it('ignores unknown names with a warning naming them', () => {
    const p = backendPreference('?backend=metal', ['webgl', 'tpu']);
    expect(p.order).toEqual(['webgl']);
    expect(p.warnings).toEqual([
      '?backend: unknown backend "metal" ignored (expected webgpu, webgl, wasm, cpu)',
      'show backends: unknown backend "tpu" ignored (expected webgpu, webgl, wasm, cpu)',
    ]);
  });
});

describe('generator: backend choice and device loss', () => {
  it('falls back down the list when a backend cannot start, and logs why', async () => {
    // A renderer whose context is already lost: the shared-WebGL backend refuses it and the next one runs.
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) throw new Error('no WebGL2');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    const log: string[] = [];
    const g = await createGenerator(await tinyOptions({ backends: ['webgl', 'cpu'], gl, log: (m) => log.push(m) }));
    expect(g.backend.kind).toBe('cpu');
    expect(g.backend.failed).toEqual([{ backend: 'webgl', error: "the renderer's WebGL context is lost" }]);
    expect(log[0]).toMatch(/^backend webgl failed to start: the renderer's WebGL context is lost/);
    g.dispose();
  });

  it('runs on wasm from the binaries bundled with the app, agreeing with cpu', async () => {
    const z = seededLatents(2, TINY.latent, 51);
    const cpu = await createGenerator(await tinyOptions({ backends: ['cpu'] }));
    const ref = bytes(await cpu.generate(z, 2));
    cpu.dispose();
    // No wasmPaths: the generator's own Vite-bundled copies (src/generator/wasm-files.ts), as in the kiosk build.
    const g = await createGenerator(await tinyOptions({ backends: ['wasm'] }));
    try {
      expect([g.backend.kind, g.handoff]).toEqual(['wasm', 'pixels']);
      const got = bytes(await g.generate(z, 2));
      for (let i = 0; i < 2; i++) expect(maxDiff(got[i]!, ref[i]!)).toBeLessThanOrEqual(1);
      const fetched = performance.getEntriesByType('resource').map((e) => e.name).filter((u) => u.endsWith('.wasm') && u.includes('tfjs-backend-wasm'));
      expect(fetched.length).toBeGreaterThan(0);
      for (const u of fetched) expect(new URL(u).origin).toBe(location.origin);
    } finally {
      g.dispose();
    }
  });

  it('reports WebGL context loss, and a new generator on the restored context works again', async () => {
    const renderer = new THREE.WebGLRenderer({ canvas: document.createElement('canvas') });
    const gl = renderer.getContext() as WebGL2RenderingContext;
    const losses: DeviceLoss[] = [];
    const options = await tinyOptions({ backends: ['webgl'], gl, resetRendererState: () => renderer.resetState(), onDeviceLost: (l) => losses.push(l) });
    const z = seededLatents(2, TINY.latent, 31);
    const g = await createGenerator(options);
    const before = bytes(await g.generate(z, 2, { readback: true }));
    const lose = gl.getExtension('WEBGL_lose_context');
    if (!lose) throw new Error('WEBGL_lose_context is missing');
    // A download in flight when the context goes must settle (frames or an error), never hang the queue.
    const inFlight = g.generate(z, 2, { readback: true }).then(
      (frames) => {
        for (const f of frames) f.release();
        return 'frames';
      },
      (e: unknown) => (errorMessage(e)),
    );
    lose.loseContext();
    await until(() => losses.length > 0);
    const settled = await Promise.race([inFlight, new Promise((r) => setTimeout(() => r('still waiting after 10 s'), 10_000))]);
    expect(settled).not.toBe('still waiting after 10 s');
    expect(losses).toEqual([{ backend: 'webgl', reason: 'WebGL context lost' }]);
    await expect(g.generate(z, 2)).rejects.toThrow('the webgl device is lost; dispose and create a new generator');
    g.dispose();
    // three prevents the default on webglcontextlost, so the context can come back; the app then rebuilds.
    const restored = new Promise((r) => gl.canvas.addEventListener('webglcontextrestored', r, { once: true }));
    lose.restoreContext();
    await restored;
    const again = await createGenerator(options);
    expect(again.handoff).toBe('webgl-texture');
    const after = bytes(await again.generate(z, 2, { readback: true }));
    for (let i = 0; i < 2; i++) expect(maxDiff(after[i]!, before[i]!)).toBe(0);
    again.dispose();
    renderer.dispose();
  });
});

describe('generator: WebGPU', () => {
  async function gpuAvailable(): Promise<string | null> {
    if (!('gpu' in navigator)) return 'navigator.gpu is missing: this Chromium build has no WebGPU';
    const adapter = await navigator.gpu.requestAdapter();
    return adapter ? null : 'requestAdapter() returned null: WebGPU disabled (needs --enable-unsafe-webgpu) or no adapter';
  }

  it('runs the model on WebGPU, hands frames over as pixels, and agrees with cpu', async (ctx) => {
    const why = await gpuAvailable();
    if (why) {
      ctx.skip(why);
      return;
    }
    const z = seededLatents(3, TINY.latent, 41);
    const cpu = await createGenerator(await tinyOptions({ backends: ['cpu'] }));
    const ref = bytes(await cpu.generate(z, 3));
    cpu.dispose();
    const log: string[] = [];
    const g = await createGenerator(await tinyOptions({ backends: ['webgpu', 'cpu'], log: (m) => log.push(m) }));
    try {
      expect([g.backend.kind, g.handoff], log.join('\n')).toEqual(['webgpu', 'pixels']);
    } catch (e) {
      g.dispose();
      throw e;
    }
    const got = bytes(await g.generate(z, 3));
    for (let i = 0; i < 3; i++) expect(maxDiff(got[i]!, ref[i]!)).toBeLessThanOrEqual(1);
    g.dispose();
  });

  it('reports a lost WebGPU device, and a rebuilt generator gets a new device', async (ctx) => {
    const why = await gpuAvailable();
    if (why) {
      ctx.skip(why);
      return;
    }
    const losses: DeviceLoss[] = [];
    const options = await tinyOptions({ backends: ['webgpu'], onDeviceLost: (l) => losses.push(l) });
    const g = await createGenerator(options);
    const backend = tf.engine().registry['webgpu'];
    if (!backend || !('device' in backend)) throw new Error('no WebGPU backend instance');
    (backend as { device: GPUDevice }).device.destroy();
    await until(() => losses.length > 0);
    expect(losses[0]?.backend).toBe('webgpu');
    expect(losses[0]?.reason).toMatch(/^WebGPU device lost \(destroyed\)/);
    g.dispose();
    const again = await createGenerator(options);
    expect(bytes(await again.generate(seededLatents(1, TINY.latent, 1), 1))[0]).toHaveLength(8 * 8 * 4);
    expect(losses).toHaveLength(1);
    again.dispose();
  });
});
