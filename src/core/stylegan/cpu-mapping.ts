import type { AttrValue, NetworkModule, StyleGanNetwork } from './network.ts';

/** normalize_2nd_moment's ε (both code bases). */
const EPS = 1e-8;
/** bias_act's lrelu: slope 0.2, then the default gain √2 (Karras et al. 2018, equalized learning rate). */
const LRELU_SLOPE = 0.2;

interface FcLayer {
  readonly inF: number;
  readonly outF: number;
  /** [out, in], row-major, weight_gain folded in. */
  readonly weight: Float32Array;
  /** bias_gain folded in; null for a bias-less layer. */
  readonly bias: Float32Array | null;
  readonly lrelu: boolean;
}

function attr(m: NetworkModule, name: string, where: string): AttrValue {
  const v = name in m.attrs ? m.attrs[name] : m.initKwargs[name];
  if (v === undefined) throw new Error(`${where}.${name}: missing`);
  return v;
}

function num(m: NetworkModule, name: string, where: string): number {
  const v = attr(m, name, where);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${where}.${name}: expected a number, got ${JSON.stringify(v)}`);
  return v;
}

function fcLayer(net: StyleGanNetwork, m: NetworkModule | undefined, path: string): FcLayer {
  if (m === undefined) throw new Error(`${path}: missing submodule`);
  const w = net.tensors.get(`${path}.weight`);
  if (w === undefined || w.shape.length !== 2) throw new Error(`${path}.weight: expected a 2-d tensor`);
  const [outF, inF] = w.shape as [number, number];
  const act = attr(m, 'activation', path);
  if (act !== 'linear' && act !== 'lrelu') throw new Error(`${path}.activation: expected "linear" or "lrelu", got ${JSON.stringify(act)}`);
  const wg = num(m, 'weight_gain', path);
  const weight = new Float32Array(w.data.length);
  for (let i = 0; i < weight.length; i++) weight[i] = (w.data[i] as number) * wg;
  const b = net.tensors.get(`${path}.bias`);
  let bias: Float32Array | null = null;
  if (b !== undefined) {
    if (b.data.length !== outF) throw new Error(`${path}.bias: expected ${outF} values, got ${b.data.length}`);
    const bg = num(m, 'bias_gain', path);
    bias = new Float32Array(outF);
    for (let i = 0; i < outF; i++) bias[i] = (b.data[i] as number) * bg;
  }
  return { inF, outF, weight, bias, lrelu: act === 'lrelu' };
}

/**
 * A StyleGAN mapping network (MappingNetwork.forward of stylegan2-ada-pytorch and stylegan3 at inference) on the
 * CPU in plain TypeScript, for the walker: it turns a keyframe's z into its w once per keyframe, and for the
 * directions tool it samples w without tfjs. z is normalised to unit second moment; for a conditional network the
 * class's embedding (a linear layer of a one-hot label, normalised the same way) is concatenated after it; then
 * the FC stack (weight and bias gains folded in once, lrelu with gain √2). Broadcasting to num_ws and truncation are
 * the caller's (the walker lerps toward w_avg itself). Sums run in float64 and are stored as float32, so the same
 * z gives the same w on every machine. Holds only the mapping's weights (a copy), never the synthesis network's.
 */
export class CpuMapping {
  readonly zDim: number;
  readonly cDim: number;
  readonly wDim: number;
  /** mapping.w_avg (the running mean of w during training), or null when the network tracks none. */
  readonly wAvg: Float32Array | null;
  private readonly layers: FcLayer[] = [];
  private readonly embed: FcLayer | null;
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  /** Normalised embedding of the current class (cDim > 0). */
  private classEmbedding: Float64Array | null = null;
  private classIndexValue = -1;
  private labelEmbedding: Float64Array | null = null;
  /** The embedding the next mapInto uses: the class's, or an explicit label's. */
  private current: Float64Array | null = null;

  constructor(net: StyleGanNetwork) {
    const m = net.root.children['mapping'];
    if (m === undefined) throw new Error('mapping: the network has no mapping submodule');
    this.zDim = num(m, 'z_dim', 'mapping');
    this.cDim = num(m, 'c_dim', 'mapping');
    this.wDim = num(m, 'w_dim', 'mapping');
    const numLayers = num(m, 'num_layers', 'mapping');
    if (this.zDim + this.cDim === 0) throw new Error('mapping: a network with z_dim 0 and c_dim 0 has no input');
    this.embed = this.cDim > 0 ? fcLayer(net, m.children['embed'], 'mapping.embed') : null;
    let width = this.zDim + (this.embed?.outF ?? 0);
    for (let i = 0; i < numLayers; i++) {
      const l = fcLayer(net, m.children[`fc${i}`], `mapping.fc${i}`);
      if (l.inF !== width) throw new Error(`mapping.fc${i}.weight: takes ${l.inF} inputs, the layer before gives ${width}`);
      width = l.outF;
      this.layers.push(l);
    }
    if (width !== this.wDim) throw new Error(`mapping: the last layer gives ${width} features, w_dim is ${this.wDim}`);
    const avg = net.tensors.get('mapping.w_avg');
    this.wAvg = avg === undefined ? null : Float32Array.from(avg.data);
    if (this.wAvg !== null && this.wAvg.length !== this.wDim) throw new Error(`mapping.w_avg: expected ${this.wDim} values, got ${this.wAvg.length}`);
    const widest = Math.max(width, this.zDim + (this.embed?.outF ?? 0), ...this.layers.map((l) => l.outF));
    this.a = new Float64Array(widest);
    this.b = new Float64Array(widest);
    if (this.cDim > 0) this.setClass(0);
  }

  /**
   * The class a conditional network maps for (clamped to 0 … c_dim − 1); ignored when c_dim is 0. True when the
   * class changed (so every w it gives changes).
   */
  setClass(index: number): boolean {
    if (this.embed === null) return false;
    const k = Math.max(0, Math.min(this.cDim - 1, Math.round(Number.isFinite(index) ? index : 0)));
    if (k === this.classIndexValue && this.classEmbedding !== null) {
      this.current = this.classEmbedding;
      return false;
    }
    this.classIndexValue = k;
    // embed(one_hot(k)) is column k of the weight plus the bias.
    const e = this.embed;
    const y = new Float64Array(e.outF);
    let ms = 0;
    for (let o = 0; o < e.outF; o++) {
      const v = (e.weight[o * e.inF + k] as number) + (e.bias === null ? 0 : (e.bias[o] as number));
      y[o] = v;
      ms += v * v;
    }
    const s = 1 / Math.sqrt(ms / e.outF + EPS);
    for (let o = 0; o < e.outF; o++) y[o] = (y[o] as number) * s;
    this.classEmbedding = y;
    this.current = y;
    return true;
  }

  /** The normalised embedding of an arbitrary label into the class slot (the next setClass() recomputes its own). */
  private embedLabel(c: ArrayLike<number>): void {
    const e = this.embed as FcLayer;
    if (c.length !== this.cDim) throw new RangeError(`mapping: c has ${c.length} numbers, expected ${this.cDim}`);
    const y = (this.labelEmbedding ??= new Float64Array(e.outF));
    let ms = 0;
    for (let o = 0; o < e.outF; o++) {
      let v = e.bias === null ? 0 : (e.bias[o] as number);
      for (let i = 0; i < e.inF; i++) v += (e.weight[o * e.inF + i] as number) * (c[i] as number);
      y[o] = v;
      ms += v * v;
    }
    const s = 1 / Math.sqrt(ms / e.outF + EPS);
    for (let o = 0; o < e.outF; o++) y[o] = (y[o] as number) * s;
    this.current = y;
  }

  get classIndex(): number {
    return Math.max(0, this.classIndexValue);
  }

  /**
   * w = mapping(z) for one z (zDim numbers) into out (wDim numbers), for the class set by setClass() — or for the
   * label `c` (cDim numbers, any values, as G.mapping takes them) when given. No allocation.
   */
  mapInto(z: ArrayLike<number>, out: Float32Array, c?: ArrayLike<number>): Float32Array {
    if (z.length !== this.zDim) throw new RangeError(`mapping: z has ${z.length} numbers, expected ${this.zDim}`);
    if (out.length !== this.wDim) throw new RangeError(`mapping: out holds ${out.length} numbers, expected ${this.wDim}`);
    if (c !== undefined && this.embed !== null) this.embedLabel(c);
    else if (c !== undefined) throw new RangeError('mapping: this network is unconditional (c_dim 0); it takes no label');
    else if (this.classEmbedding !== null) this.current = this.classEmbedding;
    let x = this.a;
    let y = this.b;
    let ms = 0;
    for (let i = 0; i < this.zDim; i++) ms += (z[i] as number) * (z[i] as number);
    const s = this.zDim > 0 ? 1 / Math.sqrt(ms / this.zDim + EPS) : 0;
    for (let i = 0; i < this.zDim; i++) x[i] = (z[i] as number) * s;
    if (this.current !== null) x.set(this.current, this.zDim);
    for (const l of this.layers) {
      const w = l.weight;
      for (let o = 0; o < l.outF; o++) {
        const row = o * l.inF;
        // Four partial sums: about 20 % faster in V8 than one, and still the same order on every machine.
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        let i = 0;
        for (; i + 3 < l.inF; i += 4) {
          a0 += (w[row + i] as number) * (x[i] as number);
          a1 += (w[row + i + 1] as number) * (x[i + 1] as number);
          a2 += (w[row + i + 2] as number) * (x[i + 2] as number);
          a3 += (w[row + i + 3] as number) * (x[i + 3] as number);
        }
        for (; i < l.inF; i++) a0 += (w[row + i] as number) * (x[i] as number);
        let acc = (l.bias === null ? 0 : (l.bias[o] as number)) + (a0 + a1 + a2 + a3);
        if (l.lrelu) acc = (acc < 0 ? acc * LRELU_SLOPE : acc) * Math.SQRT2;
        // Rounded to float32 between layers, like the network run in float32.
        y[o] = Math.fround(acc);
      }
      const t = x;
      x = y;
      y = t;
    }
    for (let j = 0; j < this.wDim; j++) out[j] = x[j] as number;
    return out;
  }
}
