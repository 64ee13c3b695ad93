import type { AttrValue, NamedTensor, NetworkModule, StyleGanNetwork } from '../../../src/core/stylegan/network.ts';

/**
 * Reading a StyleGanNetwork the way the Python forward passes read `self`: a module by its attribute path, its
 * tensors by state_dict name and its plain attributes by Python name, each failing with a message that names what is
 * missing and where.
 */
export class ModuleView {
  constructor(
    readonly net: StyleGanNetwork,
    readonly module: NetworkModule,
    /** Dotted path from the root ('' for the Generator itself). */
    readonly path: string,
  ) {}

  static root(net: StyleGanNetwork): ModuleView {
    return new ModuleView(net, net.root, '');
  }

  private where(name: string): string {
    return this.path === '' ? name : `${this.path}.${name}`;
  }

  child(name: string): ModuleView {
    const m = this.module.children[name];
    if (m === undefined) {
      throw new Error(`stylegan reference: ${this.module.className} '${this.path}' has no submodule '${name}' (has: ${Object.keys(this.module.children).join(', ') || 'none'})`);
    }
    return new ModuleView(this.net, m, this.where(name));
  }

  hasChild(name: string): boolean {
    return this.module.children[name] !== undefined;
  }

  tensor(name: string, shape?: readonly number[]): NamedTensor {
    const full = this.where(name);
    const t = this.net.tensors.get(full);
    if (t === undefined) throw new Error(`stylegan reference: missing tensor '${full}'`);
    if (shape !== undefined && (shape.length !== t.shape.length || shape.some((d, i) => d !== t.shape[i]))) {
      throw new Error(`stylegan reference: '${full}' has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}]`);
    }
    return t;
  }

  hasTensor(name: string): boolean {
    return this.net.tensors.has(this.where(name));
  }

  attr(name: string): AttrValue {
    const v = this.module.attrs[name];
    if (v === undefined) throw new Error(`stylegan reference: ${this.module.className} '${this.path}' has no attribute '${name}'`);
    return v;
  }

  num(name: string): number {
    const v = this.attr(name);
    if (typeof v !== 'number') throw new Error(`stylegan reference: '${this.where(name)}': expected a number, got ${JSON.stringify(v)}`);
    return v;
  }

  numOrNull(name: string): number | null {
    const v = this.attr(name);
    if (v !== null && typeof v !== 'number') throw new Error(`stylegan reference: '${this.where(name)}': expected a number or None, got ${JSON.stringify(v)}`);
    return v;
  }

  bool(name: string): boolean {
    const v = this.attr(name);
    if (typeof v !== 'boolean') throw new Error(`stylegan reference: '${this.where(name)}': expected a boolean, got ${JSON.stringify(v)}`);
    return v;
  }

  str(name: string): string {
    const v = this.attr(name);
    if (typeof v !== 'string') throw new Error(`stylegan reference: '${this.where(name)}': expected a string, got ${JSON.stringify(v)}`);
    return v;
  }

  nums(name: string): number[] {
    const v = this.attr(name);
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) throw new Error(`stylegan reference: '${this.where(name)}': expected a list of numbers, got ${JSON.stringify(v)}`);
    return v as number[];
  }

  strs(name: string): string[] {
    const v = this.attr(name);
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error(`stylegan reference: '${this.where(name)}': expected a list of strings, got ${JSON.stringify(v)}`);
    return v as string[];
  }
}

/**
 * FullyConnectedLayer.forward on one vector: x·(W·weight_gain)ᵀ + b·bias_gain, then the activation through bias_act
 * (lrelu: slope 0.2, gain √2). Both code bases share this arithmetic.
 */
export function fullyConnected(fc: ModuleView, x: Float64Array): Float64Array {
  const weight = fc.tensor('weight');
  const [outF, inF] = weight.shape as [number, number];
  if (weight.shape.length !== 2 || inF !== x.length) throw new Error(`stylegan reference: '${fc.path}.weight' [${weight.shape.join(', ')}] cannot take ${x.length} inputs`);
  const wg = fc.num('weight_gain');
  const bg = fc.num('bias_gain');
  const act = fc.str('activation');
  if (act !== 'linear' && act !== 'lrelu') throw new Error(`stylegan reference: '${fc.path}': activation '${act}' is not one a generator uses`);
  const bias = fc.hasTensor('bias') ? fc.tensor('bias', [outF]).data : null;
  const y = new Float64Array(outF);
  for (let o = 0; o < outF; o++) {
    let s = 0;
    for (let i = 0; i < inF; i++) s += (weight.data[o * inF + i] as number) * wg * (x[i] as number);
    if (bias !== null) s += (bias[o] as number) * bg;
    if (act === 'lrelu') s = (s < 0 ? 0.2 * s : s) * Math.SQRT2;
    y[o] = s;
  }
  return y;
}
