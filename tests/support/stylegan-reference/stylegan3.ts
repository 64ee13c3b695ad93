import type { NamedTensor } from '../../../src/core/stylegan/network.ts';
import { ModuleView, fullyConnected } from './access.ts';
import { biasAct, conv2d, fmap, upfirdn2d, type Filter, type Fmap, type Padding } from './ops.ts';

/**
 * StyleGAN3's synthesis network (stylegan3 `training/networks_stylegan3.py`) at inference, in float64.
 * StyleGAN3 has no noise inputs (noise_mode is accepted and ignored by the code).
 */

function asFilter(t: NamedTensor | null): Filter | null {
  return t === null ? null : { shape: t.shape, data: t.data };
}

/**
 * SynthesisInput.forward for one w: the affine layer gives (r_c, r_s, t_x, t_y), normalised by |(r_c, r_s)|; the
 * fixed Fourier features (freqs, phases) are rotated and shifted by the inverse transform
 * T = R(r) · Tr(−t) · transform (the user-specified buffer), out-of-band frequencies are faded out, and the features
 * are sampled on the size×size pixel-centre grid at `sampling_rate` (x = (i + ½ − size/2) / sampling_rate, as
 * affine_grid with align_corners=False gives), then mixed by weight / sqrt(channels).
 */
export function synthesisInput(input: ModuleView, w: Float64Array): Fmap {
  const channels = input.num('channels');
  const [sw, sh] = input.nums('size') as [number, number];
  const samplingRate = input.num('sampling_rate');
  const bandwidth = input.num('bandwidth');
  const freqs = input.tensor('freqs', [channels, 2]).data;
  const phases = input.tensor('phases', [channels]).data;
  const user = input.tensor('transform', [3, 3]).data;
  const weight = input.tensor('weight', [channels, channels]).data;

  const t = fullyConnected(input.child('affine'), w);
  const norm = Math.hypot(t[0] as number, t[1] as number);
  const [rc, rs, tx, ty] = [(t[0] as number) / norm, (t[1] as number) / norm, (t[2] as number) / norm, (t[3] as number) / norm];
  const mR = [rc, -rs, 0, rs, rc, 0, 0, 0, 1];
  const mT = [1, 0, -tx, 0, 1, -ty, 0, 0, 1];
  const mul = (a: ArrayLike<number>, b: ArrayLike<number>): number[] => {
    const out = new Array<number>(9).fill(0);
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) out[r * 3 + c] = (out[r * 3 + c] as number) + (a[r * 3 + k] as number) * (b[k * 3 + c] as number);
    return out;
  };
  const T = mul(mul(mR, mT), user);

  // Row-vector frequencies: f' = f · T[:2, :2]; phases' = phases + f · T[:2, 2].
  const f2 = new Float64Array(channels * 2);
  const ph = new Float64Array(channels);
  const amp = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const fx = freqs[2 * c] as number;
    const fy = freqs[2 * c + 1] as number;
    ph[c] = (phases[c] as number) + fx * (T[2] as number) + fy * (T[5] as number);
    const gx = fx * (T[0] as number) + fy * (T[3] as number);
    const gy = fx * (T[1] as number) + fy * (T[4] as number);
    f2[2 * c] = gx;
    f2[2 * c + 1] = gy;
    amp[c] = Math.min(Math.max(1 - (Math.hypot(gx, gy) - bandwidth) / (samplingRate / 2 - bandwidth), 0), 1);
  }

  const feat = new Float64Array(channels);
  const out = fmap(channels, sh, sw);
  const plane = sh * sw;
  const wscale = 1 / Math.sqrt(channels);
  for (let yy = 0; yy < sh; yy++) {
    const gy = (0.5 * sh) / samplingRate * ((2 * yy + 1) / sh - 1);
    for (let xx = 0; xx < sw; xx++) {
      const gx = (0.5 * sw) / samplingRate * ((2 * xx + 1) / sw - 1);
      for (let c = 0; c < channels; c++) {
        feat[c] = Math.sin((gx * (f2[2 * c] as number) + gy * (f2[2 * c + 1] as number) + (ph[c] as number)) * 2 * Math.PI) * (amp[c] as number);
      }
      for (let o = 0; o < channels; o++) {
        let s = 0;
        for (let c = 0; c < channels; c++) s += (feat[c] as number) * (weight[o * channels + c] as number);
        out.data[o * plane + yy * sw + xx] = s * wscale;
      }
    }
  }
  return out;
}

/**
 * SynthesisLayer.forward for the whole batch (the style pre-normalisation takes one mean over the batch):
 * 1. styles = affine(w) (× 1/sqrt(in·k²) for ToRGB);
 * 2. unless ToRGB: weight / rms(weight[o]) per output channel, styles / rms(all styles of the batch), modulate,
 *    demodulate (1/sqrt(Σ + 1e-8)); then every layer scales the weight by input_gain = 1/sqrt(magnitude_ema)
 *    (the buffer as stored: it is only updated in training);
 * 3. conv with padding k−1 (a "full" correlation: the map grows by k−1);
 * 4. filtered_lrelu: + bias, upfirdn2d(up_filter, up, padding, gain up²), lrelu (slope 0.2, or 1 = none for ToRGB)
 *    × gain (√2, 1 for ToRGB), clamp to conv_clamp, upfirdn2d(down_filter, down).
 */
function synthesisLayer(layer: ModuleView, xs: Fmap[], ws: Float64Array[]): Fmap[] {
  const isTorgb = layer.bool('is_torgb');
  const weight = layer.tensor('weight');
  const [oc, ic, kh, kw] = weight.shape as [number, number, number, number];
  const k = layer.num('conv_kernel');
  if (kh !== k || kw !== k) throw new Error(`stylegan reference: '${layer.path}.weight' is ${kh}×${kw}, conv_kernel is ${k}`);
  const [inW, inH] = layer.nums('in_size') as [number, number];
  const [outW, outH] = layer.nums('out_size') as [number, number];
  const inputGain = 1 / Math.sqrt(layer.tensor('magnitude_ema').data[0] as number);

  const styles = ws.map((w) => {
    const s = fullyConnected(layer.child('affine'), w);
    if (isTorgb) {
      const wg = 1 / Math.sqrt(ic * k * k);
      for (let i = 0; i < s.length; i++) s[i] = (s[i] as number) * wg;
    }
    return s;
  });

  let wBase = Float64Array.from(weight.data);
  let styleScale = 1;
  if (!isTorgb) {
    const per = ic * k * k;
    wBase = wBase.slice();
    for (let o = 0; o < oc; o++) {
      let ms = 0;
      for (let j = 0; j < per; j++) ms += (wBase[o * per + j] as number) ** 2;
      const r = 1 / Math.sqrt(ms / per);
      for (let j = 0; j < per; j++) wBase[o * per + j] = (wBase[o * per + j] as number) * r;
    }
    let ms = 0;
    for (const s of styles) for (const v of s) ms += v * v;
    styleScale = 1 / Math.sqrt(ms / (styles.length * ic));
  }

  const upFilter = layer.hasTensor('up_filter') ? layer.tensor('up_filter') : null;
  const downFilter = layer.hasTensor('down_filter') ? layer.tensor('down_filter') : null;
  const padding = layer.nums('padding') as unknown as Padding;
  const up = layer.num('up_factor');
  const down = layer.num('down_factor');
  const clamp = layer.numOrNull('conv_clamp');
  const bias = layer.tensor('bias', [oc]).data;

  return xs.map((x, b) => {
    if (x.c !== ic || x.h !== inH || x.w !== inW) throw new Error(`stylegan reference: '${layer.path}' expects [${ic}, ${inH}, ${inW}], got [${x.c}, ${x.h}, ${x.w}]`);
    const s = styles[b] as Float64Array;
    const per = ic * k * k;
    const wm = new Float64Array(oc * per);
    for (let o = 0; o < oc; o++) {
      let ss = 0;
      for (let i = 0; i < ic; i++) {
        const si = (s[i] as number) * styleScale;
        for (let j = 0; j < k * k; j++) {
          const v = (wBase[o * per + i * k * k + j] as number) * si;
          wm[o * per + i * k * k + j] = v;
          ss += v * v;
        }
      }
      const d = isTorgb ? 1 : 1 / Math.sqrt(ss + 1e-8);
      for (let j = 0; j < per; j++) wm[o * per + j] = (wm[o * per + j] as number) * d * inputGain;
    }
    let y = conv2d(x, wm, oc, k, k, k - 1, false);
    biasAct(y.data, oc, y.h * y.w, bias, { act: 'linear' });
    y = upfirdn2d(y, asFilter(upFilter), { up, padding, gain: up * up });
    biasAct(y.data, oc, y.h * y.w, null, { act: 'lrelu', alpha: isTorgb ? 1 : 0.2, gain: isTorgb ? 1 : Math.SQRT2, clamp });
    y = upfirdn2d(y, asFilter(downFilter), { down });
    if (y.h !== outH || y.w !== outW) throw new Error(`stylegan reference: '${layer.path}' produced ${y.h}×${y.w}, expected ${outH}×${outW}`);
    return y;
  });
}

/** SynthesisNetwork.forward: ws[0] drives the input, ws[1 + i] layer i; the result × output_scale. */
export function synthesizeStyleGan3(synthesis: ModuleView, ws: Float32Array, n: number): Fmap[] {
  const numWs = synthesis.num('num_ws');
  const wDim = synthesis.num('w_dim');
  const names = synthesis.strs('layer_names');
  if (names.length + 1 !== numWs) throw new Error(`stylegan reference: ${names.length} layers need ${names.length + 1} ws, num_ws is ${numWs}`);
  const wAt = (b: number, k: number): Float64Array => Float64Array.from(ws.subarray((b * numWs + k) * wDim, (b * numWs + k + 1) * wDim));
  const input = synthesis.child('input');
  let xs = Array.from({ length: n }, (_, b) => synthesisInput(input, wAt(b, 0)));
  names.forEach((name, i) => {
    xs = synthesisLayer(synthesis.child(name), xs, Array.from({ length: n }, (_, b) => wAt(b, i + 1)));
  });
  const scale = synthesis.num('output_scale');
  if (scale !== 1) for (const x of xs) for (let j = 0; j < x.data.length; j++) x.data[j] = (x.data[j] as number) * scale;
  return xs;
}
