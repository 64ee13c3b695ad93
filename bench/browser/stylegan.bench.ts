import { errorMessage } from '../../src/core/error-message.ts';
import * as tf from '@tensorflow/tfjs';
import type { BenchResult, CaseResult } from '../harness.ts';
import { buildGenerator, type GeneratorSpec } from '../../src/core/stylegan/architecture.ts';
import type { NetworkModule, StyleGanNetwork } from '../../src/core/stylegan/network.ts';
import { officialPreset, stylegan2AdaConfig, stylegan3Config, type OfficialPresetName } from '../../src/core/stylegan/presets.ts';
import { startBackend, type TfBackend } from '../../src/generator/backend.ts';
import type { GeneratorBackend } from '../../src/generator/backend-preference.ts';
import { createStyleGanRuntime, type RuntimeOptions } from '../../src/generator/stylegan/runtime.ts';
import { seededLatents } from '../../tests/fixtures/models/tiny.ts';
import { referenceGenerate } from '../../tests/support/stylegan-reference/index.ts';

/**
 * `npm run bench -- stylegan`: ms per frame of the StyleGAN runtime (z → image in hand: mapping, synthesis and the
 * readback of the output, batch 1, const noise, ψ 0.7) for the official configs' layer shapes with random
 * 'trained-like' weights, at 256, 512 and 1024 px, on every backend this browser has; and the independent CPU
 * reference (plain float64 loops, tests/support/stylegan-reference) on the smallest config that fits, as a ratio.
 *
 * Frames on a software rasteriser take seconds to minutes, so every backend first times a small calibration net,
 * predicts each config's frame time from its multiply-accumulate count, and skips (recording why) what would not
 * fit the per-frame cap or the time left. On a real GPU nothing is skipped and the same file runs unchanged.
 * Each result: ours = the runtime, baseline = the CPU reference on the same network when it was measured.
 */

/** The bench runner gives a page 600 s; leave room for page load and JSON. */
const BUDGET_MS = Number(new URLSearchParams(location.search).get('budgetMs') ?? 420_000);
const FRAME_CAP_MS = 90_000;
const FRAMES = 5;
const CAL_FRAMES = 3;
const PRESETS: readonly OfficialPresetName[] = ['stylegan2-256', 'stylegan3-t-256', 'stylegan2-512', 'stylegan3-t-512', 'stylegan2-1024', 'stylegan3-t-1024'];
/** Small nets with the official structure (10 / 15 layers), for calibration and the reference ratio. */
const CALIBRATION: Record<'stylegan2' | 'stylegan3', GeneratorSpec> = {
  stylegan2: stylegan2AdaConfig({ resolution: 64, channelBase: 2048, channelMax: 64, zDim: 64, wDim: 64 }),
  stylegan3: stylegan3Config({ resolution: 64, channelBase: 1024, channelMax: 64, zDim: 64, wDim: 64, extra: { margin_size: 4 } }),
};

/** Multiply-accumulates of one frame (convolutions and FIR passes; the mapping is negligible). */
export function frameMacs(net: StyleGanNetwork): number {
  let macs = 0;
  const shape = (name: string): readonly number[] => net.tensors.get(name)?.shape ?? [];
  const walk = (m: NetworkModule, path: string): void => {
    const at = (k: string): number => m.attrs[k] as number;
    if (m.className === 'SynthesisLayer' && net.generation === 'stylegan2') {
      const [o = 0, i = 0, k = 0] = shape(`${path}weight`);
      const res = at('resolution');
      macs += ((res * res) / (at('up') * at('up'))) * i * o * k * k + (at('up') > 1 ? res * res * o * 16 : 0);
    } else if (m.className === 'ToRGBLayer') {
      const [o = 0, i = 0] = shape(`${path}weight`);
      const res = (net.root.children['synthesis']?.children[path.split('.')[1] ?? '']?.attrs['resolution'] as number) ?? 0;
      macs += res * res * i * o;
    } else if (m.className === 'SynthesisLayer') {
      const [o = 0, i = 0, k = 0] = shape(`${path}weight`);
      const inSize = (m.attrs['in_size'] as number[])[0] as number;
      const outSize = (m.attrs['out_size'] as number[])[0] as number;
      const conv = inSize + k - 1;
      const tmp = conv * at('up_factor');
      macs += conv * conv * i * o * k * k;
      macs += tmp * tmp * o * at('up_taps') * 2;
      const down = at('down_factor');
      macs += at('down_radial') ? outSize * outSize * o * at('down_taps') ** 2 : (tmp * tmp * o * at('down_taps') * (1 + 1 / down)) / down;
    }
    for (const [k, c] of Object.entries(m.children)) walk(c, `${path}${k}.`);
  };
  walk(net.root, '');
  return macs;
}

function caseResult(name: string, times: readonly number[], baselineMs: number | null): CaseResult {
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted.length > 0 ? (sorted[sorted.length >> 1] as number) : Number.NaN;
  const p90 = sorted.length > 0 ? (sorted[Math.min(sorted.length - 1, Math.round(0.9 * (sorted.length - 1)))] as number) : Number.NaN;
  const r = (x: number): number => Math.round(x * 10) / 10;
  return {
    name,
    runs: times.length,
    medianMs: r(median),
    p90Ms: r(p90),
    unitsPerSecond: sorted.length > 0 ? Math.round((1000 / median) * 1000) / 1000 : null,
    speedupVsBaseline: baselineMs !== null && sorted.length > 0 ? Math.round((baselineMs / median) * 100) / 100 : Number.NaN,
  };
}

/** One frame, timed until the image's values are in hand (so GPU work is included). */
async function frameMs(generate: () => tf.Tensor): Promise<number> {
  const t0 = performance.now();
  const img = generate();
  await img.data();
  const ms = performance.now() - t0;
  img.dispose();
  return ms;
}

interface Measured {
  readonly times: number[];
  readonly firstMs: number;
  readonly macs: number;
}

async function measureRuntime(spec: GeneratorSpec, deadline: number, predictedMs: number, options: RuntimeOptions = {}, frames = FRAMES): Promise<Measured> {
  const net = buildGenerator(spec, { seed: 1, init: 'trained-like' });
  const rt = createStyleGanRuntime(net, options);
  try {
    const z = tf.tensor2d(seededLatents(1, rt.zDim, 1), [1, rt.zDim]);
    const gen = (): tf.Tensor => rt.generate(z, null, { truncationPsi: 0.7, noiseMode: 'const' });
    // The first frame compiles shaders / allocates: reported apart.
    const firstMs = await frameMs(gen);
    const times: number[] = [];
    let last = Math.max(predictedMs, 1);
    while (times.length < frames && (times.length === 0 || performance.now() + last < deadline)) {
      last = await frameMs(gen);
      times.push(last);
    }
    z.dispose();
    return { times, firstMs, macs: frameMacs(net) };
  } finally {
    rt.dispose();
  }
}

function measureReference(spec: GeneratorSpec): { ms: number; macs: number } {
  const net = buildGenerator(spec, { seed: 1, init: 'trained-like' });
  const z = seededLatents(1, net.root.attrs['z_dim'] as number, 1);
  const t0 = performance.now();
  referenceGenerate(net, z, undefined, { truncationPsi: 0.7, noiseMode: 'const' });
  return { ms: performance.now() - t0, macs: frameMacs(net) };
}

const macsCache = new Map<OfficialPresetName, number>();
function presetMacs(p: OfficialPresetName): number {
  let m = macsCache.get(p);
  if (m === undefined) {
    m = frameMacs(buildGenerator(officialPreset(p), { seed: 1, init: 'pristine' }));
    macsCache.set(p, m);
  }
  return m;
}

export async function measure(): Promise<BenchResult[]> {
  const start = performance.now();
  const deadline = start + BUDGET_MS;
  const left = (): number => deadline - performance.now();
  const kinds: GeneratorBackend[] = ['webgl'];
  const adapter = 'gpu' in navigator ? await navigator.gpu.requestAdapter() : null;
  if (adapter) kinds.push('webgpu');
  kinds.push('wasm', 'cpu');
  const gpuName = adapter ? `${adapter.info?.vendor ?? ''} ${adapter.info?.architecture ?? ''} ${adapter.info?.description ?? ''}`.trim() : null;
  const glName = (() => {
    const gl = document.createElement('canvas').getContext('webgl2');
    const ext = gl?.getExtension('WEBGL_debug_renderer_info');
    const name = gl && ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : 'unknown';
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
    return name;
  })();

  // The reference first, on the calibration nets (seconds): its throughput says whether the smallest official
  // config fits too.
  const refCal = { stylegan2: measureReference(CALIBRATION.stylegan2), stylegan3: measureReference(CALIBRATION.stylegan3) };
  const refRows = new Map<string, number>();
  refRows.set('calibration-stylegan2', refCal.stylegan2.ms);
  refRows.set('calibration-stylegan3', refCal.stylegan3.ms);
  const refPredicted = (presetMacs('stylegan2-256') / refCal.stylegan2.macs) * refCal.stylegan2.ms;
  const refNote = refPredicted < Math.min(FRAME_CAP_MS, left() / 4) ? null : `CPU reference on stylegan2-256 skipped: predicted ${Math.round(refPredicted / 1000)} s`;
  if (refNote === null) refRows.set('stylegan2-256', measureReference(officialPreset('stylegan2-256')).ms);

  const results: BenchResult[] = [];
  const push = (name: string, backend: string, times: number[], info: Record<string, unknown>): void => {
    const refMs = refRows.get(name) ?? null;
    const ours = caseResult(`runtime on ${backend}`, times, refMs);
    const baseline = caseResult('CPU reference (float64 loops)', refMs === null ? [] : [refMs], refMs);
    results.push({
      name: `stylegan/${name}/${backend}`,
      description: `StyleGAN runtime, ${name}, batch 1, z → RGB in hand, ms per frame (baseline: the CPU reference on the same net, when measured)`,
      unit: 'frame',
      ours,
      baseline,
      others: [],
      info: { webglRenderer: glName, webgpuAdapter: gpuName, budgetMs: BUDGET_MS, ...info },
    });
  };

  type Gen = 'stylegan2' | 'stylegan3';
  const throughput = new Map<GeneratorBackend, Record<Gen, number>>();
  const started = async (kind: GeneratorBackend): Promise<TfBackend | string> => {
    try {
      return await startBackend({ order: [kind], log: () => {} });
    } catch (e) {
      return `backend did not start: ${errorMessage(e)}`;
    }
  };
  // Pass 1: every backend times the calibration nets (seconds), so each gets figures and a throughput.
  for (const kind of kinds) {
    const backend = await started(kind);
    if (typeof backend === 'string') {
      for (const p of PRESETS) push(p, kind, [], { skipped: backend });
      continue;
    }
    try {
      const t: Record<Gen, number> = { stylegan2: 0, stylegan3: 0 };
      for (const gen of ['stylegan2', 'stylegan3'] as const) {
        // Skip the heavier StyleGAN3 calibration where StyleGAN2's says it would take minutes.
        const guess = gen === 'stylegan3' && t.stylegan2 > 0 ? 0.742e9 / t.stylegan2 : 0;
        if (guess > FRAME_CAP_MS / 3 || left() < 30_000) {
          push(`calibration-${gen}`, kind, [], { skipped: `predicted ${Math.round(guess / 1000)} s per frame, ${Math.round(left() / 1000)} s left` });
          continue;
        }
        const m = await measureRuntime(CALIBRATION[gen], deadline, 1000, {}, CAL_FRAMES);
        const median = m.times[m.times.length >> 1] ?? m.firstMs;
        t[gen] = m.macs / median;
        const info: Record<string, unknown> = { firstFrameMs: Math.round(m.firstMs), gmacs: Math.round(m.macs / 1e6) / 1e3 };
        if (gen === 'stylegan2') {
          // The StyleGAN2 up-conv's alternative (tf.conv2dTranspose), for comparison.
          const tr = await measureRuntime(CALIBRATION[gen], deadline, median, { upConv: 'transposed' }, CAL_FRAMES);
          info['transposedUpConvMedianMs'] = Math.round((tr.times[tr.times.length >> 1] ?? tr.firstMs) * 10) / 10;
        }
        if (gen === 'stylegan3') {
          // StyleGAN3's upsampling by zero-insert-then-filter, for comparison with the polyphase default.
          const zi = await measureRuntime(CALIBRATION[gen], deadline, median, { upsample: 'zero-insert' }, 1);
          info['zeroInsertUpsampleMs'] = Math.round((zi.times[0] ?? zi.firstMs) * 10) / 10;
        }
        push(`calibration-${gen}`, kind, m.times, info);
      }
      throughput.set(kind, t);
    } finally {
      backend.dispose();
    }
  }
  // Pass 2: the official configs, fastest backend first, each only if its predicted frame time fits.
  const ordered = [...throughput.entries()].sort((a, b) => b[1].stylegan2 - a[1].stylegan2).map(([k]) => k);
  for (const kind of ordered) {
    const t = throughput.get(kind) as Record<Gen, number>;
    let backend: TfBackend | string | null = null;
    try {
      for (const p of PRESETS) {
        const gen: Gen = p.startsWith('stylegan3') ? 'stylegan3' : 'stylegan2';
        const macs = presetMacs(p);
        const predicted = t[gen] > 0 ? macs / t[gen] : Infinity;
        // Warm-up + at least one timed frame must fit, and no frame may exceed the cap.
        if (predicted > FRAME_CAP_MS || predicted * 2.5 > left()) {
          push(p, kind, [], {
            skipped: `predicted ${Number.isFinite(predicted) ? Math.round(predicted / 100) / 10 : '∞'} s per frame (from the calibration net) does not fit: cap ${FRAME_CAP_MS / 1000} s, ${Math.round(left() / 1000)} s left`,
            gmacs: Math.round(macs / 1e6) / 1e3,
          });
          continue;
        }
        backend ??= await started(kind);
        if (typeof backend === 'string') {
          push(p, kind, [], { skipped: backend });
          continue;
        }
        try {
          const m = await measureRuntime(officialPreset(p), deadline, predicted);
          t[gen] = m.macs / (m.times[m.times.length >> 1] ?? m.firstMs);
          push(p, kind, m.times, { firstFrameMs: Math.round(m.firstMs), gmacs: Math.round(m.macs / 1e6) / 1e3, predictedMs: Math.round(predicted) });
        } catch (e) {
          push(p, kind, [], { failed: errorMessage(e) });
        }
      }
    } finally {
      if (backend !== null && typeof backend !== 'string') backend.dispose();
    }
  }
  if (refNote !== null) for (const r of results) if (r.name.startsWith('stylegan/stylegan2-256/')) r.info['reference'] = refNote;
  return results;
}

/** Measured by measure() (frames too slow for the interleaved harness on a software rasteriser). */
export default async function styleganBenchmarks(): Promise<[]> {
  return [];
}
