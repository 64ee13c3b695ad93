import { Rng } from '../../../src/core/latent/rng.ts';
import type { NamedTensor } from '../../../src/core/stylegan/network.ts';
import { ModuleView, fullyConnected } from './access.ts';
import { biasAct, conv2d, filterSize, fmap, upfirdn2d, type Filter, type Fmap } from './ops.ts';

/**
 * StyleGAN2's synthesis network (stylegan2-ada-pytorch `training/networks.py`; stylegan3's
 * `training/networks_stylegan2.py` computes the same) at inference, one sample at a time, in float64.
 *
 * Layers marked use_fp16 are computed in full precision: the fp16 path only pre-scales weight and styles by
 * constants that demodulation divides out again, and rounds.
 */

export type NoiseMode = 'const' | 'random' | 'none';

export interface Sg2SynthesisOptions {
  readonly noiseMode: NoiseMode;
  /** Extra factor on every layer's learned noise_strength. */
  readonly noiseStrength: number;
  /** Draws for noiseMode 'random': torch.randn([N, 1, res, res]) per layer in execution order, row-major. */
  readonly rng: Rng;
}

const SQRT_HALF = Math.SQRT1_2;

function asFilter(t: NamedTensor): Filter {
  return { shape: t.shape, data: t.data };
}

/** The up = 2 branch of conv2d_resample (the generic reference path, which the transposed fast path equals): the
 * input zero-stuffed and FIR-filtered with gain 4, padded so that the following conv gives exactly 2× the size, then
 * the conv with its kernel flipped (modulated_conv2d and Conv2dLayer pass flip_weight = (up == 1)). */
function convUp2(x: Fmap, weight: ArrayLike<number>, outChannels: number, k: number, padding: number, f: Filter): Fmap {
  const [fw, fh] = filterSize(f);
  const up = 2;
  const pad: [number, number, number, number] = [
    padding + Math.floor((fw + up - 1) / 2),
    padding + Math.floor((fw - up) / 2),
    padding + Math.floor((fh + up - 1) / 2),
    padding + Math.floor((fh - up) / 2),
  ];
  const u = upfirdn2d(x, f, { up, padding: pad, gain: up * up });
  return conv2d(u, weight, outChannels, k, k, 0, true);
}

/** SynthesisLayer.forward: modulate (styles = affine(w)), conv (optionally ×2 up), demodulate, add noise, then
 * bias + lrelu × act_gain·gain, clamped to conv_clamp·gain. */
function synthesisLayer(layer: ModuleView, x: Fmap, w: Float64Array, opts: Sg2SynthesisOptions, gain = 1): Fmap {
  const weight = layer.tensor('weight');
  const [oc, ic, kh, kw] = weight.shape as [number, number, number, number];
  if (x.c !== ic) throw new Error(`stylegan reference: '${layer.path}' takes ${ic} channels, got ${x.c}`);
  const up = layer.num('up');
  const resolution = layer.num('resolution');
  const padding = layer.num('padding');
  const styles = fullyConnected(layer.child('affine'), w);

  // Demodulation coefficients of the style-modulated weight: 1/sqrt(Σ_{i,k} (w·s_i)² + 1e-8) per output channel.
  const dcoefs = new Float64Array(oc);
  for (let o = 0; o < oc; o++) {
    let s = 0;
    for (let i = 0; i < ic; i++) {
      const si = styles[i] as number;
      for (let k = 0; k < kh * kw; k++) {
        const v = (weight.data[(o * ic + i) * kh * kw + k] as number) * si;
        s += v * v;
      }
    }
    dcoefs[o] = 1 / Math.sqrt(s + 1e-8);
  }

  // Non-fused execution: scale the activations by the styles, convolve with the shared weight, scale by dcoefs.
  const xs = fmap(x.c, x.h, x.w, x.data.slice());
  const plane = x.h * x.w;
  for (let i = 0; i < ic; i++) for (let k = i * plane; k < (i + 1) * plane; k++) xs.data[k] = (xs.data[k] as number) * (styles[i] as number);
  let y: Fmap;
  if (up === 1) y = conv2d(xs, weight.data, oc, kh, kw, padding, false);
  else if (up === 2) y = convUp2(xs, weight.data, oc, kh, padding, asFilter(layer.tensor('resample_filter')));
  else throw new Error(`stylegan reference: '${layer.path}'.up = ${up}; the generator only upsamples by 2`);
  if (y.h !== resolution || y.w !== resolution) throw new Error(`stylegan reference: '${layer.path}' produced ${y.h}×${y.w}, expected ${resolution}²`);

  let noise: Float64Array | null = null;
  if (layer.bool('use_noise') && opts.noiseMode !== 'none') {
    const strength = (layer.tensor('noise_strength').data[0] as number) * opts.noiseStrength;
    noise = new Float64Array(resolution * resolution);
    if (opts.noiseMode === 'const') {
      const nc = layer.tensor('noise_const', [resolution, resolution]).data;
      for (let k = 0; k < noise.length; k++) noise[k] = (nc[k] as number) * strength;
    } else {
      for (let k = 0; k < noise.length; k++) noise[k] = opts.rng.normal() * strength;
    }
  }
  const yplane = resolution * resolution;
  for (let o = 0; o < oc; o++) {
    const d = dcoefs[o] as number;
    for (let k = 0; k < yplane; k++) {
      y.data[o * yplane + k] = (y.data[o * yplane + k] as number) * d + (noise === null ? 0 : (noise[k] as number));
    }
  }
  const clamp = layer.numOrNull('conv_clamp');
  biasAct(y.data, oc, yplane, layer.tensor('bias', [oc]).data, {
    act: 'lrelu',
    gain: layer.num('act_gain') * gain,
    clamp: clamp === null ? null : clamp * gain,
  });
  return y;
}

/** ToRGBLayer.forward: styles = affine(w)·weight_gain, a 1×1 modulated conv without demodulation, bias, clamp. */
function toRgb(layer: ModuleView, x: Fmap, w: Float64Array): Fmap {
  const weight = layer.tensor('weight');
  const [oc, ic, kh, kw] = weight.shape as [number, number, number, number];
  const styles = fullyConnected(layer.child('affine'), w);
  const wg = layer.num('weight_gain');
  const xs = fmap(x.c, x.h, x.w, x.data.slice());
  const plane = x.h * x.w;
  for (let i = 0; i < ic; i++) {
    const s = (styles[i] as number) * wg;
    for (let k = i * plane; k < (i + 1) * plane; k++) xs.data[k] = (xs.data[k] as number) * s;
  }
  // modulated_conv2d's default padding is 0 whatever the kernel size.
  const y = conv2d(xs, weight.data, oc, kh, kw, 0, false);
  biasAct(y.data, oc, y.h * y.w, layer.tensor('bias', [oc]).data, { act: 'linear', clamp: layer.numOrNull('conv_clamp') });
  return y;
}

/** Conv2dLayer.forward as the resnet skip uses it (1×1, no bias, up = 2, linear): weight·weight_gain, then bias_act
 * with gain act_gain·gain. */
function conv2dLayer(layer: ModuleView, x: Fmap, gain: number): Fmap {
  const weight = layer.tensor('weight');
  const [oc, , kh, kw] = weight.shape as [number, number, number, number];
  if (kh !== kw) throw new Error(`stylegan reference: '${layer.path}' has a non-square kernel`);
  const wg = layer.num('weight_gain');
  const scaled = Float64Array.from(weight.data, (v) => v * wg);
  const up = layer.num('up');
  const down = layer.num('down');
  if (down !== 1) throw new Error(`stylegan reference: '${layer.path}': downsampling convs belong to the discriminator`);
  let y: Fmap;
  if (up === 1) y = conv2d(x, scaled, oc, kh, kw, layer.num('padding'), false);
  else if (up === 2) y = convUp2(x, scaled, oc, kh, layer.num('padding'), asFilter(layer.tensor('resample_filter')));
  else throw new Error(`stylegan reference: '${layer.path}'.up = ${up} unsupported`);
  const clamp = layer.numOrNull('conv_clamp');
  const act = layer.str('activation');
  if (act !== 'linear' && act !== 'lrelu') throw new Error(`stylegan reference: '${layer.path}': activation '${act}' unsupported`);
  biasAct(y.data, oc, y.h * y.w, layer.hasTensor('bias') ? layer.tensor('bias').data : null, {
    act,
    gain: layer.num('act_gain') * gain,
    clamp: clamp === null ? null : clamp * gain,
  });
  return y;
}

/** upfirdn2d.upsample2d: ×2 with the filter, padded so the output is exactly twice the size, gain 4. */
function upsample2d(img: Fmap, f: Filter): Fmap {
  const [fw, fh] = filterSize(f);
  return upfirdn2d(img, f, {
    up: 2,
    padding: [Math.floor((fw + 1) / 2), Math.floor((fw - 2) / 2), Math.floor((fh + 1) / 2), Math.floor((fh - 2) / 2)],
    gain: 4,
  });
}

function add(a: Fmap, b: Fmap): Fmap {
  if (a.c !== b.c || a.h !== b.h || a.w !== b.w) throw new Error(`stylegan reference: cannot add [${a.c}, ${a.h}, ${a.w}] and [${b.c}, ${b.h}, ${b.w}]`);
  return fmap(a.c, a.h, a.w, a.data.map((v, i) => v + (b.data[i] as number)));
}

/** SynthesisBlock.forward for one sample; `ws` are this block's num_conv + num_torgb vectors. */
function synthesisBlock(block: ModuleView, x: Fmap | null, img: Fmap | null, ws: Float64Array[], opts: Sg2SynthesisOptions): [Fmap, Fmap | null] {
  let wi = 0;
  const next = (): Float64Array => {
    const w = ws[wi++];
    if (w === undefined) throw new Error(`stylegan reference: '${block.path}' ran out of ws`);
    return w;
  };
  const inChannels = block.num('in_channels');
  const architecture = block.str('architecture');
  const resolution = block.num('resolution');
  let h: Fmap;
  if (inChannels === 0) {
    const cst = block.tensor('const');
    const [oc, rh, rw] = cst.shape as [number, number, number];
    h = synthesisLayer(block.child('conv1'), fmap(oc, rh, rw, Float64Array.from(cst.data)), next(), opts);
  } else {
    if (x === null || x.c !== inChannels || x.h !== resolution / 2) throw new Error(`stylegan reference: '${block.path}' expects [${inChannels}, ${resolution / 2}, ${resolution / 2}] features`);
    if (architecture === 'resnet') {
      // The skip branch and the main branch each carry √½ so their sum keeps unit variance.
      const skip = conv2dLayer(block.child('skip'), x, SQRT_HALF);
      h = synthesisLayer(block.child('conv0'), x, next(), opts);
      h = synthesisLayer(block.child('conv1'), h, next(), opts, SQRT_HALF);
      h = add(skip, h);
    } else {
      h = synthesisLayer(block.child('conv0'), x, next(), opts);
      h = synthesisLayer(block.child('conv1'), h, next(), opts);
    }
  }
  let out = img === null ? null : upsample2d(img, asFilter(block.tensor('resample_filter')));
  if (block.bool('is_last') || architecture === 'skip') {
    const y = toRgb(block.child('torgb'), h, next());
    out = out === null ? y : add(out, y);
  }
  return [h, out];
}

/** SynthesisNetwork.forward: ws split per block (block k gets ws[i … i + num_conv + num_torgb), i advancing by
 * num_conv only, so a ToRGB shares its w with the next block's first conv). Returns N images [C, H, W]. */
export function synthesizeStyleGan2(synthesis: ModuleView, ws: Float32Array, n: number, opts: Sg2SynthesisOptions): Fmap[] {
  const numWs = synthesis.num('num_ws');
  const wDim = synthesis.num('w_dim');
  const resolutions = synthesis.nums('block_resolutions');
  const images: Fmap[] = [];
  for (let b = 0; b < n; b++) {
    const wOf = (k: number): Float64Array => Float64Array.from(ws.subarray((b * numWs + k) * wDim, (b * numWs + k + 1) * wDim));
    let x: Fmap | null = null;
    let img: Fmap | null = null;
    let wIdx = 0;
    for (const res of resolutions) {
      const block = synthesis.child(`b${res}`);
      const numConv = block.num('num_conv');
      const count = numConv + block.num('num_torgb');
      if (wIdx + count > numWs) throw new Error(`stylegan reference: '${block.path}' needs ws[${wIdx}…${wIdx + count}), only ${numWs}`);
      const blockWs = Array.from({ length: count }, (_, k) => wOf(wIdx + k));
      [x, img] = synthesisBlock(block, x, img, blockWs, opts);
      wIdx += numConv;
    }
    if (img === null) throw new Error('stylegan reference: the synthesis network produced no image (no ToRGB layer)');
    images.push(img);
  }
  return images;
}
