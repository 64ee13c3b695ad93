// Conv2DBackpropFilter for the wasm backend, which registers none.
// dW[kh,kw,ci,co] = Σ_{b,y,x} xpad[b, y·s+kh, x·s+kw, ci] · dy[b,y,x,co]
// is itself a stride-1 convolution with dilation = stride: treat the input
// channels as the batch (x → [ci,H,W,b]) and dy as the filter (→ [oh,ow,b,co]),
// so XNNPACK's fast Conv2D does the work. Output [ci,kh,kw,co] → [kh,kw,ci,co].
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { callKernel, free, pair, padAttr, roundingAttr, shape4 } from './call.ts';

const conv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs['x'];
  const dy = inputs['dy'];
  if (!x || !dy || !attrs) throw new Error('Conv2DBackpropFilter: missing x or dy');
  if (attrs['dataFormat'] !== undefined && attrs['dataFormat'] !== 'NHWC') {
    throw new Error('Conv2DBackpropFilter (wasm): only NHWC is supported');
  }
  const filterShape = shape4(attrs['filterShape'] as number[], 'filterShape');
  const [sh, sw] = pair(attrs['strides']);
  const info = tf.backend_util.computeConv2DInfo(
    shape4(x.shape, 'x'),
    filterShape,
    [sh, sw],
    1,
    padAttr(attrs['pad']),
    roundingAttr(attrs['dimRoundingMode']),
  );
  const { padInfo, filterHeight: kh, filterWidth: kw, outHeight: oh, outWidth: ow, inHeight: h, inWidth: w } = info;
  // Rows/cols of the padded input that the forward pass actually read.
  const needH = (oh - 1) * sh + kh;
  const needW = (ow - 1) * sw + kw;
  const temps: TensorInfo[] = [];
  let xp: TensorInfo = x;
  const padBottom = Math.max(0, needH - h - padInfo.top);
  const padRight = Math.max(0, needW - w - padInfo.left);
  if (padInfo.top > 0 || padInfo.left > 0 || padBottom > 0 || padRight > 0) {
    xp = callKernel(
      'PadV2',
      { x: xp },
      { paddings: [[0, 0], [padInfo.top, padBottom], [padInfo.left, padRight], [0, 0]], constantValue: 0 },
      backend,
    );
    temps.push(xp);
  }
  if (xp.shape[1] !== needH || xp.shape[2] !== needW) {
    xp = callKernel('Slice', { x: xp }, { begin: [0, 0, 0, 0], size: [-1, needH, needW, -1] }, backend);
    temps.push(xp);
  }
  const xt = callKernel('Transpose', { x: xp }, { perm: [3, 1, 2, 0] }, backend);
  const dyt = callKernel('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }, backend);
  temps.push(xt, dyt);
  const dw = callKernel(
    'Conv2D',
    { x: xt, filter: dyt },
    { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [sh, sw] },
    backend,
  );
  temps.push(dw);
  const out = callKernel('Transpose', { x: dw }, { perm: [1, 2, 0, 3] }, backend);
  free(backend, ...temps);
  return out;
};

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter,
};
