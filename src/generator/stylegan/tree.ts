import type { AttrValue, NamedTensor, NetworkModule, StyleGanNetwork } from '../../core/stylegan/network.ts';

/**
 * Reading the contract's module tree while building the runtime: a module, its full state_dict prefix and typed
 * attribute access whose errors name the module path and attribute (`synthesis.b8.conv0.up: expected a number`).
 */
export class ModuleView {
  constructor(
    readonly net: StyleGanNetwork,
    readonly module: NetworkModule,
    /** Dotted path ('' for the root, 'synthesis.b8.conv0' below it). */
    readonly path: string,
  ) {}

  static root(net: StyleGanNetwork): ModuleView {
    return new ModuleView(net, net.root, '');
  }

  private where(name: string): string {
    return this.path === '' ? name : `${this.path}.${name}`;
  }

  has(name: string): boolean {
    return this.module.children[name] !== undefined;
  }

  child(name: string): ModuleView {
    const c = this.module.children[name];
    if (c === undefined) throw new Error(`${this.where(name)}: missing submodule (${this.module.className} has ${Object.keys(this.module.children).join(', ') || 'none'})`);
    return new ModuleView(this.net, c, this.where(name));
  }

  /** An attribute, falling back to the init kwargs (some attributes are only kwargs in one code base). */
  raw(name: string): AttrValue | undefined {
    return name in this.module.attrs ? this.module.attrs[name] : this.module.initKwargs[name];
  }

  num(name: string, fallback?: number): number {
    const v = this.raw(name);
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${this.where(name)}: expected a number, got ${JSON.stringify(v)}`);
    return v;
  }

  numOrNull(name: string): number | null {
    const v = this.raw(name);
    if (v === undefined || v === null) return null;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${this.where(name)}: expected a number or None, got ${JSON.stringify(v)}`);
    return v;
  }

  bool(name: string, fallback?: boolean): boolean {
    const v = this.raw(name);
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'boolean') throw new Error(`${this.where(name)}: expected a boolean, got ${JSON.stringify(v)}`);
    return v;
  }

  str(name: string, fallback?: string): string {
    const v = this.raw(name);
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'string') throw new Error(`${this.where(name)}: expected a string, got ${JSON.stringify(v)}`);
    return v;
  }

  /** A number or a list of numbers whose first entry is wanted (numpy `size` arrays are [w, h]). */
  first(name: string): number {
    const v = this.raw(name);
    const x = Array.isArray(v) ? v[0] : v;
    if (typeof x !== 'number') throw new Error(`${this.where(name)}: expected a number or a list of numbers, got ${JSON.stringify(v)}`);
    return x;
  }

  numList(name: string): number[] {
    const v = this.raw(name);
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) throw new Error(`${this.where(name)}: expected a list of numbers, got ${JSON.stringify(v)}`);
    return v as number[];
  }

  strList(name: string): string[] {
    const v = this.raw(name);
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error(`${this.where(name)}: expected a list of names, got ${JSON.stringify(v)}`);
    return v as string[];
  }

  /** A parameter or buffer of this module, by local name. */
  tensor(name: string): NamedTensor {
    const t = this.net.tensors.get(this.where(name));
    if (t === undefined) throw new Error(`${this.where(name)}: missing tensor`);
    return t;
  }

  optTensor(name: string): NamedTensor | null {
    return this.net.tensors.get(this.where(name)) ?? null;
  }
}
