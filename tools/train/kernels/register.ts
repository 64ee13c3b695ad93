// Registers the kernels training needs that tfjs-backend-wasm 4.22 lacks or
// implements slowly. Must run before tf.setBackend('wasm').
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter.ts';
import { makeConv2dBackpropInputConfig } from './conv2dBackpropInput.ts';
import { unsortedSegmentSumConfig } from './unsortedSegmentSum.ts';

let done = false;

export function registerTrainingKernels(): void {
  if (done) return;
  done = true;
  tf.registerKernel(conv2dBackpropFilterConfig);
  if (tf.getKernel('Conv2DBackpropInput', 'wasm')) tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel(makeConv2dBackpropInputConfig());
  if (!tf.getKernel('UnsortedSegmentSum', 'wasm')) tf.registerKernel(unsortedSegmentSumConfig);
}
