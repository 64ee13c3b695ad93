// UnsortedSegmentSum is missing in wasm and is the gradient of Gather (used by
// tf.gather in data pipelines). Small sizes only, so a plain JS loop is enough.
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

const unsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs['x'];
  const ids = inputs['segmentIds'];
  if (!x || !ids || !attrs) throw new Error('UnsortedSegmentSum: missing inputs');
  const n = Number(attrs['numSegments']);
  const wasm = backend as BackendWasm;
  const xv = wasm.readSync(x.dataId) as Float32Array;
  const iv = wasm.readSync(ids.dataId) as Int32Array;
  const inner = x.shape.slice(ids.shape.length).reduce((a, v) => a * v, 1);
  const out = new Float32Array(n * inner);
  for (let i = 0; i < iv.length; i++) {
    const s = iv[i]!;
    if (s < 0 || s >= n) continue;
    for (let k = 0; k < inner; k++) out[s * inner + k]! += xv[i * inner + k]!;
  }
  const outShape = [n, ...x.shape.slice(ids.shape.length)];
  const res = wasm.makeOutput(outShape, 'float32');
  const view = wasm.typedArrayFromHeap(res) as Float32Array;
  view.set(out);
  return res;
};

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum,
};
