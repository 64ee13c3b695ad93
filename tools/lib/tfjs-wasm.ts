/**
 * tfjs's wasm backend in Node, the one setup every tool shares. The plain SIMD build: the threaded one needs worker
 * blob URLs that Node lacks, and in Node it gave no speed-up here, so a tool on wasm runs on exactly one core.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface WasmOptions {
  /** Fall back to the pure-JS cpu backend (same results, slower) when wasm cannot start; else throw. */
  readonly cpuFallback?: boolean;
}

let ready: Promise<string> | undefined;

export function wasmDistDir(): string {
  return dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
}

/** Starts the backend once per process (the first call's options apply); resolves to the backend in use ('wasm', or
 * 'cpu' after a fallback). */
export function startWasmBackend(options: WasmOptions = {}): Promise<string> {
  ready ??= (async () => {
    const dir = wasmDistDir();
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths({
      'tfjs-backend-wasm.wasm': join(dir, 'tfjs-backend-wasm.wasm'),
      'tfjs-backend-wasm-simd.wasm': join(dir, 'tfjs-backend-wasm-simd.wasm'),
      'tfjs-backend-wasm-threaded-simd.wasm': join(dir, 'tfjs-backend-wasm-threaded-simd.wasm'),
    });
    const ok = await tf.setBackend('wasm').catch(() => false);
    if (!ok) {
      if (!options.cpuFallback) throw new Error('tfjs wasm backend failed to initialise');
      await tf.setBackend('cpu');
    }
    await tf.ready();
    return tf.getBackend();
  })();
  return ready;
}
