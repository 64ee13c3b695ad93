// The trainer's backend: tfjs wasm (tools/lib/tfjs-wasm.ts) with the training kernels wasm lacks registered first.
import { startWasmBackend } from '../../lib/tfjs-wasm.ts';
import { registerTrainingKernels } from '../kernels/register.ts';

export async function initWasm(): Promise<void> {
  await startWasmBackend({ beforeStart: registerTrainingKernels });
}
