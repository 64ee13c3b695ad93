import type { Benchmark, BenchCase } from '../harness.ts';
import { createGenerator, type CreateGeneratorOptions } from '../../src/generator/create.ts';
import type { Generator } from '../../src/generator/generator.ts';
import type { FetchLike } from '../../src/generator/model-loader.ts';
import { buildGanLikeModelFiles, memoryFetch, seededLatents } from '../../tests/fixtures/models/tiny.ts';

/**
 * ms per generated frame, batch 1 and batch 4, on every backend this browser has; on WebGL the GPU hand-off
 * (a texture on the renderer's context) against the readback path (bytes to the CPU), measured in the same run.
 * The real models/default is used when its model.json exists; otherwise an untrained model shaped like it.
 */

const REAL = '/models/default/';
const MEM = '/mem/bench/';
/** tools/train defaultConfig(64, …, base 32): latent 128, G channels 128 → 16 from 4×4 to 64×64 (0.5 M params, 2.0 MB float32). */
const STAND_IN = { latent: 128, channels: [128, 128, 64, 32, 16] };

interface ModelSource {
  readonly modelUrl: string;
  readonly fetch?: FetchLike;
  readonly description: string;
}

async function modelSource(): Promise<ModelSource> {
  const probe = await fetch(`${REAL}model.json`, { method: 'HEAD' }).catch(() => null);
  const card = await fetch(`${REAL}card.json`, { method: 'HEAD' }).catch(() => null);
  if (probe?.ok && card?.ok && (probe.headers.get('content-type') ?? '').includes('json')) {
    return { modelUrl: REAL, description: 'models/default (the trained model)' };
  }
  const files = await buildGanLikeModelFiles(STAND_IN);
  return {
    modelUrl: MEM,
    fetch: memoryFetch(MEM, files),
    description: `stand-in: untrained 64×64 generator shaped like tools/train's default (latent ${STAND_IN.latent}, channels ${STAND_IN.channels.join('/')}); models/default/model.json was absent`,
  };
}

/**
 * Waits until the GPU has finished everything issued so far (a fence, polled without blocking, as a renderer
 * would before sampling): the texture path's time then includes the GPU work, like the readback path's.
 * gl.finish() is no measure in Chromium (it returned in ~25 ms where the fence took ~1.2 s on SwiftShader).
 */
async function gpuDone(gl: WebGL2RenderingContext): Promise<void> {
  const sync = gl.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0);
  if (!sync) return;
  gl.flush();
  for (;;) {
    const r = gl.clientWaitSync(sync, 0, 0);
    if (r === gl.ALREADY_SIGNALED || r === gl.CONDITION_SATISFIED || r === gl.WAIT_FAILED) break;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  gl.deleteSync(sync);
}

type Kind = 'webgl' | 'webgpu' | 'wasm' | 'cpu';

function benchFor(kind: Kind, source: ModelSource): Benchmark {
  let generator: Generator | null = null;
  let gl: WebGL2RenderingContext | null = null;
  const info: Record<string, unknown> = { model: source.description };
  const latents = { 1: seededLatents(1, STAND_IN.latent, 1), 4: seededLatents(4, STAND_IN.latent, 4) };
  const zFor = (n: 1 | 4): Float32Array => {
    const size = generator?.latentSize ?? STAND_IN.latent;
    return size === STAND_IN.latent ? latents[n] : seededLatents(n, size, n);
  };
  /** Main-thread time of each texture-path generate() (issuing the work), kept in info as a median. */
  const dispatchMs: Record<1 | 4, number[]> = { 1: [], 4: [] };
  const run = (n: 1 | 4, readback: boolean) => async (): Promise<void> => {
    if (!generator) throw new Error('setup did not run');
    const t0 = performance.now();
    const frames = await generator.generate(zFor(n), n, { readback });
    if (gl && !readback) {
      dispatchMs[n].push(performance.now() - t0);
      // Every case ends with the GPU idle, so no case pays for the one before it.
      await gpuDone(gl);
    }
    for (const f of frames) f.release();
  };
  const c = (name: string, n: 1 | 4, readback: boolean): BenchCase => ({ name, units: n, run: run(n, readback) });
  const median = (xs: number[]): number => Math.round(([...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN) * 100) / 100;
  const shared = kind === 'webgl';
  return {
    name: `generator/${kind}`,
    description: shared
      ? 'WebGL on the renderer\'s context: texture hand-off (ours) vs readback to bytes (baseline), batch 1 and 4'
      : `${kind}: frames as bytes (the only hand-off here), batch 4 (ours) vs batch 1 (baseline)`,
    unit: 'frame',
    info,
    async setup() {
      const options: CreateGeneratorOptions = {
        modelUrl: source.modelUrl,
        backends: [kind],
        warmupBatches: [1, 4],
        log: () => {},
        ...(source.fetch ? { fetch: source.fetch } : {}),
      };
      if (shared) {
        const canvas = document.createElement('canvas');
        gl = canvas.getContext('webgl2');
        if (!gl) throw new Error('no WebGL2');
      }
      const t0 = performance.now();
      generator = await createGenerator(gl ? { ...options, gl } : options);
      info['loadAndWarmupMs'] = Math.round(performance.now() - t0);
      info['backend'] = generator.backend.kind;
      info['handoff'] = generator.handoff;
      info['output'] = `${generator.card.output.width}×${generator.card.output.height}`;
      if (generator.backend.kind !== kind) throw new Error(`${kind} did not start (got ${generator.backend.kind})`);
    },
    teardown() {
      if (shared) {
        // What the frame loop's thread pays on the texture path: issuing the work, not waiting for it.
        info['textureDispatchMsMedian'] = { batch1: median(dispatchMs[1]), batch4: median(dispatchMs[4]) };
      }
      generator?.dispose();
      generator = null;
      gl?.getExtension('WEBGL_lose_context')?.loseContext();
      gl = null;
    },
    ours: shared ? c('texture hand-off (until GPU done), batch 1', 1, false) : c('bytes, batch 4', 4, true),
    baseline: shared ? c('readback, batch 1', 1, true) : c('bytes, batch 1', 1, true),
    others: shared ? [c('texture hand-off (until GPU done), batch 4', 4, false), c('readback, batch 4', 4, true)] : [],
  };
}

export default async function generatorBenchmarks(): Promise<Benchmark[]> {
  const source = await modelSource();
  const kinds: Kind[] = ['webgl'];
  const adapter = 'gpu' in navigator ? await navigator.gpu.requestAdapter() : null;
  if (adapter) kinds.push('webgpu');
  kinds.push('wasm', 'cpu');
  return kinds.map((k) => benchFor(k, source));
}
