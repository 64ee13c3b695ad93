import { startBackend, type DeviceLoss, type TfBackend } from './backend.ts';
import { DEFAULT_BACKEND_ORDER, type GeneratorBackend } from './backend-preference.ts';
import { Generator } from './generator.ts';
import { loadModel, loadModelCard, ModelLoadError, type FetchLike } from './model-loader.ts';
import { loadUpscaler, type Upscaler } from './upscale/upscaler.ts';
import { errorMessage } from '../core/error-message.ts';

export type LoadPhase = 'card' | 'backend' | 'weights' | 'warmup' | 'ready';

export interface LoadProgress {
  readonly phase: LoadPhase;
  /** 0..1 within the phase (weights: bytes fetched; warmup: batches compiled). */
  readonly fraction: number;
}

export interface CreateGeneratorOptions {
  /** The model folder, e.g. 'models/default/' (card.json inside names the weights). */
  readonly modelUrl: string;
  /** Backends to try in order (backendPreference(location.search, show.backends).order). */
  readonly backends?: readonly GeneratorBackend[];
  /** three's context (`renderer.getContext()`): frames then stay on the GPU as textures on it. */
  readonly gl?: WebGL2RenderingContext;
  /** `() => renderer.resetState()`, called around tfjs work on the shared context. */
  readonly resetRendererState?: () => void;
  /** Batch sizes to compile at load (WebGL compiles shaders per shape); default [1]. */
  readonly warmupBatches?: readonly number[];
  readonly onProgress?: (progress: LoadProgress) => void;
  readonly onDeviceLost?: (loss: DeviceLoss) => void;
  readonly fetch?: FetchLike;
  /**
   * The learned upscaler's folder ('models/upscale-x4/'); it runs after the model when layout/upscale asks. If it
   * cannot load, the generator runs without it (logged): the portrait matters more than its sharpness.
   */
  readonly upscalerUrl?: string;
  /** layout/upscale, read at every generate(): `() => bus.string('layout/upscale')`. */
  readonly upscaleMode?: () => string;
  readonly wasmPaths?: string;
  readonly log?: (message: string) => void;
}

/**
 * The one way the app makes a generator: validate the card (before any GPU work), start the first backend that
 * works, load the weights, check them against the card, warm up. If a backend starts but cannot run the model
 * (a shader that fails to compile, say), the next one in the list is tried. Card and model errors are not retried:
 * they are ModelLoadErrors naming the file and field.
 */
export async function createGenerator(options: CreateGeneratorOptions): Promise<Generator> {
  const progress = options.onProgress ?? (() => {});
  const log = options.log ?? ((m: string) => console.info(`[generator] ${m}`));
  progress({ phase: 'card', fraction: 0 });
  const card = await loadModelCard(options.modelUrl, options.fetch);
  progress({ phase: 'card', fraction: 1 });

  let order = [...(options.backends ?? DEFAULT_BACKEND_ORDER)];
  const failures: string[] = [];
  while (order.length > 0) {
    progress({ phase: 'backend', fraction: 0 });
    const backend: TfBackend = await startBackend({
      order,
      ...(options.gl ? { gl: options.gl } : {}),
      ...(options.wasmPaths ? { wasmPaths: options.wasmPaths } : {}),
      ...(options.onDeviceLost ? { onLost: options.onDeviceLost } : {}),
      log,
    });
    progress({ phase: 'backend', fraction: 1 });
    let generator: Generator | null = null;
    try {
      // Weights may be uploaded while loading: keep the renderer's view of the shared context honest.
      options.resetRendererState?.();
      const model = await loadModel(card, options.modelUrl, {
        ...(options.fetch ? { fetch: options.fetch } : {}),
        onProgress: (fraction) => progress({ phase: 'weights', fraction }),
      }).finally(() => options.resetRendererState?.());
      const upscaler = options.upscalerUrl ? await loadOptionalUpscaler(options.upscalerUrl, options.fetch, log).finally(() => options.resetRendererState?.()) : undefined;
      generator = new Generator(model, backend, {
        ownsBackend: true,
        ...(upscaler ? { upscaler } : {}),
        ...(options.upscaleMode ? { upscaleMode: options.upscaleMode } : {}),
        ...(options.resetRendererState ? { resetRendererState: options.resetRendererState } : {}),
      });
      await warmUp(generator, options.warmupBatches ?? [1], (fraction) => progress({ phase: 'warmup', fraction }));
      progress({ phase: 'ready', fraction: 1 });
      log(`model "${card.id}" ready on ${backend.kind} (${generator.handoff})`);
      return generator;
    } catch (e) {
      if (generator) generator.dispose();
      else backend.dispose();
      if (e instanceof ModelLoadError) throw e;
      const reason = errorMessage(e);
      failures.push(`${backend.kind}: ${reason}`);
      log(`backend ${backend.kind} could not run the model: ${reason}; trying the next`);
      order = order.slice(order.indexOf(backend.kind) + 1);
    }
  }
  throw new Error(`no backend could run model "${card.id}": ${failures.join('; ')}`);
}

async function loadOptionalUpscaler(url: string, fetchFn: FetchLike | undefined, log: (m: string) => void): Promise<Upscaler | undefined> {
  try {
    const upscaler = await loadUpscaler(url, fetchFn);
    log(`upscaler "${upscaler.card.id}" ready (×${upscaler.card.factor}, inputs up to ${upscaler.maxSide} px)`);
    return upscaler;
  } catch (e) {
    log(`upscaler at ${url} not loaded, portraits stay at the model's size: ${errorMessage(e)}`);
    return undefined;
  }
}

/** The first inference of each batch shape compiles shaders (WebGL ~250 ms, WebGPU ~1 s on SwiftShader). */
async function warmUp(generator: Generator, batches: readonly number[], onFraction: (f: number) => void): Promise<void> {
  onFraction(0);
  for (let i = 0; i < batches.length; i++) {
    const n = batches[i] as number;
    const frames = await generator.generate(new Float32Array(n * generator.latentSize), n);
    for (const f of frames) f.release();
    onFraction((i + 1) / batches.length);
  }
}
