// Fast Conv2DBackpropInput for wasm (the stock one is a naive loop).
// dx = correlation of the zero-inserted dy with the 180°-rotated, in/out-
// swapped filter, run on XNNPACK's Conv2D. Zero insertion for stride s is a
// pad + reshape ([b,oh,1,ow,1,c] → [b,oh,s,ow,s,c] → [b,oh·s,ow·s,c]), which
// wastes (s²−1)/s² of the MACs on zeros but needs no custom wasm code.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { callKernel, free, pair, padAttr, roundingAttr, shape4 } from './call.ts';

export function makeConv2dBackpropInputConfig(): KernelConfig {
  const conv2dBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
    const dy = inputs['dy'];
    const filter = inputs['filter'];
    if (!dy || !filter || !attrs) throw new Error('Conv2DBackpropInput: missing dy or filter');
    if (attrs['dataFormat'] !== undefined && attrs['dataFormat'] !== 'NHWC') {
      throw new Error('Conv2DBackpropInput (wasm): only NHWC is supported');
    }
    const inShape = shape4(attrs['inputShape'] as number[], 'inputShape');
    const [sh, sw] = pair(attrs['strides']);
    const info = tf.backend_util.computeConv2DInfo(
      inShape,
      shape4(filter.shape, 'filter'),
      [sh, sw],
      1,
      padAttr(attrs['pad']),
      roundingAttr(attrs['dimRoundingMode']),
    );
    const { padInfo, filterHeight: kh, filterWidth: kw, outHeight: oh, outWidth: ow, inHeight: h, inWidth: w } = info;
    const [b, , , co] = shape4(dy.shape, 'dy');
    const temps: TensorInfo[] = [];
    let d: TensorInfo = dy;
    if (sh > 1 || sw > 1) {
      const r = callKernel('Reshape', { x: d }, { shape: [b, oh, 1, ow, 1, co] }, backend);
      const p = callKernel(
        'PadV2',
        { x: r },
        { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 },
        backend,
      );
      d = callKernel('Reshape', { x: p }, { shape: [b, oh * sh, ow * sw, co] }, backend);
      temps.push(r, p, d);
    }
    // Full correlation needs h+kh−1 rows: kh−1−top zeros before the inserted dy.
    const top = kh - 1 - padInfo.top;
    const left = kw - 1 - padInfo.left;
    const bottom = h + kh - 1 - top - d.shape[1]!;
    const right = w + kw - 1 - left - d.shape[2]!;
    if (top < 0 || left < 0) throw new Error('Conv2DBackpropInput (wasm): padding larger than filter');
    if (top > 0 || left > 0 || bottom > 0 || right > 0) {
      d = callKernel(
        'PadV2',
        { x: d },
        { paddings: [[0, 0], [top, Math.max(0, bottom)], [left, Math.max(0, right)], [0, 0]], constantValue: 0 },
        backend,
      );
      temps.push(d);
    }
    if (bottom < 0 || right < 0) {
      d = callKernel('Slice', { x: d }, { begin: [0, 0, 0, 0], size: [-1, h + kh - 1, w + kw - 1, -1] }, backend);
      temps.push(d);
    }
    const rev = callKernel('Reverse', { x: filter }, { dims: [0, 1] }, backend);
    const wt = callKernel('Transpose', { x: rev }, { perm: [0, 1, 3, 2] }, backend);
    temps.push(rev, wt);
    const out = callKernel(
      'Conv2D',
      { x: d, filter: wt },
      { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] },
      backend,
    );
    free(backend, ...temps);
    return out;
  };
  return { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: conv2dBackpropInput };
}
