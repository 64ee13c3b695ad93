import * as tf from '@tensorflow/tfjs';
import type { GeneratorBackend } from './backend-preference.ts';
import { BUNDLED_WASM_FILES } from './wasm-files.ts';
import { errorMessage } from '../core/error-message.ts';

/**
 * Starting a tfjs backend, falling back down the preference list, and telling the app when its GPU is gone.
 * tfjs has one active backend per page, so one TfBackend is live at a time; a rebuild after a device loss is
 * dispose() then startBackend() again (tfjs has no recovery of its own).
 */

/** tfjs registers kernels per backend name: the shared-context backend borrows the 'webgl' ones under this name. */
export const SHARED_WEBGL = 'webgl-shared';

export interface DeviceLoss {
  readonly backend: GeneratorBackend;
  readonly reason: string;
}

export interface BackendOptions {
  readonly order: readonly GeneratorBackend[];
  /**
   * The renderer's WebGL2 context (three: `renderer.getContext()`). 'webgl' then runs on it, so generated frames
   * are textures the renderer can sample without a copy. Without it 'webgl' gets a canvas of its own.
   */
  readonly gl?: WebGL2RenderingContext;
  /** Where tfjs-backend-wasm's .wasm files are served (a setWasmPaths prefix); the bundled copies when absent. */
  readonly wasmPaths?: string;
  readonly log?: (message: string) => void;
  /** The device or context is gone: frames stop; the app disposes the generator and builds a new one. */
  readonly onLost?: (loss: DeviceLoss) => void;
}

export interface BackendAttempt {
  readonly backend: GeneratorBackend;
  readonly error: string;
}

export interface TfBackend {
  readonly kind: GeneratorBackend;
  /** The tfjs registry name (differs from kind for the shared-context WebGL backend). */
  readonly tfName: string;
  /** Set when tfjs runs on the renderer's context: frames can then be handed over as textures. */
  readonly sharedGl: WebGL2RenderingContext | null;
  /** Backends that failed before this one, with why. */
  readonly failed: readonly BackendAttempt[];
  isLost(): boolean;
  /** Settles when the device or context is lost (never, if it is not): lets pending work stop waiting. */
  readonly lost: Promise<DeviceLoss>;
  dispose(): void;
}

let live: TfBackend | null = null;

function message(e: unknown): string {
  return errorMessage(e);
}

/** Re-registers a backend factory that an earlier dispose() removed (removeBackend drops the factory too). */
function ensureFactory(name: string, factory: () => tf.KernelBackend | Promise<tf.KernelBackend>, priority: number): void {
  if (tf.findBackendFactory(name) == null) tf.registerBackend(name, factory, priority);
}

async function webgpuFactory(): Promise<tf.KernelBackend> {
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('navigator.gpu.requestAdapter() returned null');
  // The same limits tfjs asks for in its own factory (tfjs-backend-webgpu base.ts): large models need them.
  const l = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    },
  });
  return new WebGPUBackend(device, adapter.info);
}

/** Registers the backend's factory if needed and returns its tfjs name. */
async function prepare(kind: GeneratorBackend, options: BackendOptions): Promise<string> {
  switch (kind) {
    case 'webgpu':
      if (!('gpu' in navigator)) throw new Error('navigator.gpu is missing (no WebGPU in this browser)');
      // The import registers tfjs's own factory and the kernels under 'webgpu'.
      await import('@tensorflow/tfjs-backend-webgpu');
      ensureFactory('webgpu', webgpuFactory, 3);
      return 'webgpu';
    case 'webgl': {
      const gl = options.gl;
      if (!gl) {
        ensureFactory('webgl', () => new tf.MathBackendWebGL(), 2);
        return 'webgl';
      }
      if (gl.isContextLost()) throw new Error('the renderer\'s WebGL context is lost');
      tf.env().set('WEBGL_VERSION', 2);
      // Kernels stay registered after removeBackend, so a rebuild finds them already there.
      const have = new Set(tf.getKernelsForBackend(SHARED_WEBGL).map((k) => k.kernelName));
      for (const k of tf.getKernelsForBackend('webgl')) {
        if (!have.has(k.kernelName)) tf.registerKernel({ ...k, backendName: SHARED_WEBGL });
      }
      ensureFactory(SHARED_WEBGL, () => new tf.MathBackendWebGL(new tf.GPGPUContext(gl)), 0);
      return SHARED_WEBGL;
    }
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      wasm.setWasmPaths(options.wasmPaths ?? BUNDLED_WASM_FILES);
      return 'wasm';
    }
    case 'cpu':
      return 'cpu';
  }
}

/** Removes a backend and its instance (device, context, programs); kernels stay registered for a rebuild. */
function teardown(tfName: string): void {
  // cpu holds no device; wasm's factory is private to its package, so removing it would forbid a rebuild.
  if (tfName === 'cpu' || tfName === 'wasm' || tf.findBackendFactory(tfName) == null) return;
  const instance = tf.engine().registry[tfName];
  tf.removeBackend(tfName);
  // MathBackendWebGL leaves a context it did not create alone; ours holds tfjs's framebuffer and buffers.
  if (tfName === SHARED_WEBGL && instance instanceof tf.MathBackendWebGL) {
    try {
      instance.gpgpu.program = null;
      instance.gpgpu.dispose();
    } catch {
      // A lost context cannot delete anything; the objects died with it.
    }
  }
}

function watchLoss(kind: GeneratorBackend, tfName: string, report: (reason: string) => void): () => void {
  const instance = tf.engine().registry[tfName];
  if (instance instanceof tf.MathBackendWebGL) {
    const canvas = instance.gpgpu.gl.canvas;
    const onLost = (): void => report('WebGL context lost');
    canvas.addEventListener('webglcontextlost', onLost);
    return () => canvas.removeEventListener('webglcontextlost', onLost);
  }
  if (kind === 'webgpu' && instance && 'device' in instance) {
    const device = (instance as { device: GPUDevice }).device;
    let active = true;
    void device.lost.then((info) => {
      if (active) report(`WebGPU device lost (${info.reason}): ${info.message}`);
    });
    return () => {
      active = false;
    };
  }
  return () => {};
}

/**
 * Starts the first backend in `order` that initialises, logging each failure, and makes it tfjs's active backend.
 * Throws (listing every attempt) when none does.
 */
export async function startBackend(options: BackendOptions): Promise<TfBackend> {
  if (live) throw new Error(`a tfjs backend ("${live.tfName}") is already live: dispose it first (tfjs has one active backend per page)`);
  const log = options.log ?? ((m: string) => console.info(`[generator] ${m}`));
  const failed: BackendAttempt[] = [];
  for (const kind of options.order) {
    let tfName = kind as string;
    try {
      tfName = await prepare(kind, options);
      const ok = await tf.setBackend(tfName);
      if (!ok || tf.getBackend() !== tfName) throw new Error('tf.setBackend() failed (see the warning above)');
      await tf.ready();
    } catch (e) {
      failed.push({ backend: kind, error: message(e) });
      log(`backend ${kind} failed to start: ${message(e)}; trying the next`);
      teardown(tfName);
      continue;
    }
    let lost = false;
    let disposed = false;
    let signalLoss: (loss: DeviceLoss) => void = () => {};
    const lostPromise = new Promise<DeviceLoss>((resolve) => {
      signalLoss = resolve;
    });
    const unwatch = watchLoss(kind, tfName, (reason) => {
      if (lost || disposed) return;
      lost = true;
      log(`backend ${kind}: ${reason}`);
      signalLoss({ backend: kind, reason });
      options.onLost?.({ backend: kind, reason });
    });
    const backend: TfBackend = {
      kind,
      tfName,
      sharedGl: tfName === SHARED_WEBGL ? (options.gl ?? null) : null,
      failed,
      isLost: () => lost,
      lost: lostPromise,
      dispose: () => {
        if (disposed) return;
        disposed = true;
        unwatch();
        teardown(tfName);
        if (live === backend) live = null;
      },
    };
    live = backend;
    log(`backend ${kind} started${tfName !== kind ? ` (${tfName}: on the renderer's WebGL context)` : ''}`);
    return backend;
  }
  throw new Error(`no tfjs backend could start: ${failed.map((f) => `${f.backend}: ${f.error}`).join('; ') || 'the preference list is empty'}`);
}
