// Calls already-registered wasm kernels from inside a custom kernel. Inside a
// kernel the engine does not record gradients, and intermediates must be
// freed by hand with the backend's disposeData (refcounted per dataId).
import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';

export function callKernel(
  name: string,
  /** Concat takes its inputs as an array, other kernels as a named map. */
  inputs: NamedTensorInfoMap | TensorInfo[],
  attrs: NamedAttrMap,
  backend: unknown,
): TensorInfo {
  const config = tf.getKernel(name, 'wasm');
  if (!config) throw new Error(`wasm kernel ${name} is not registered`);
  const out = config.kernelFunc({ inputs: inputs as NamedTensorInfoMap, attrs, backend: backend as KernelBackend });
  if (Array.isArray(out)) throw new Error(`kernel ${name} returned several outputs`);
  return out;
}

export function free(backend: unknown, ...infos: TensorInfo[]): void {
  for (const t of infos) (backend as KernelBackend).disposeData(t.dataId);
}

export type Conv4 = [number, number, number, number];

export function pair(v: unknown): [number, number] {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'number') return [v[0], v[1]];
  throw new Error(`expected a number or [number, number], got ${String(v)}`);
}

export function shape4(shape: number[], what: string): Conv4 {
  if (shape.length !== 4) throw new Error(`${what}: expected rank 4, got [${shape.join(',')}]`);
  return shape as Conv4;
}

/** The padding attr as tfjs-core's computeConv2DInfo accepts it. */
export type PadAttr = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

export function padAttr(v: unknown): PadAttr {
  if (v === 'same' || v === 'valid' || typeof v === 'number') return v;
  if (Array.isArray(v)) return v as tf.backend_util.ExplicitPadding;
  throw new Error(`unsupported conv padding ${String(v)}`);
}

export function roundingAttr(v: unknown): 'floor' | 'round' | 'ceil' | undefined {
  return v === 'floor' || v === 'round' || v === 'ceil' ? v : undefined;
}
