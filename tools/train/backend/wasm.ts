// Sets up the tfjs wasm backend in Node for training. The plain SIMD build is
// used because the threaded build needs worker blob URLs and gives no speed-up
// in Node (see FIELD-NOTES); training therefore runs on exactly one core.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { registerTrainingKernels } from '../kernels/register.ts';

let ready: Promise<void> | null = null;

export function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
}

export function initWasm(): Promise<void> {
  if (ready) return ready;
  ready = (async () => {
    const dir = wasmDistDir();
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths({
      'tfjs-backend-wasm.wasm': path.join(dir, 'tfjs-backend-wasm.wasm'),
      'tfjs-backend-wasm-simd.wasm': path.join(dir, 'tfjs-backend-wasm-simd.wasm'),
      'tfjs-backend-wasm-threaded-simd.wasm': path.join(dir, 'tfjs-backend-wasm-threaded-simd.wasm'),
    });
    registerTrainingKernels();
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error('tfjs wasm backend failed to initialise');
    await tf.ready();
  })();
  return ready;
}
