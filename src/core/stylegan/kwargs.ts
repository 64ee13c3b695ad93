import type { AttrValue } from './network.ts';

export type KwargsRecord = Record<string, AttrValue>;

/**
 * A Python call's keyword arguments as the builder consumes them: each named parameter is taken (with the
 * signature's default when absent), and what is left is the `**kwargs` passed on to the next constructor — or,
 * where the signature has no `**kwargs`, an unexpected keyword, refused as Python would refuse it.
 * Errors name the class and the argument: `SynthesisNetwork.channel_base: expected a number, got "wide"`.
 */
export class Kwargs {
  private readonly left: Map<string, AttrValue>;

  constructor(
    private readonly where: string,
    args: KwargsRecord,
  ) {
    this.left = new Map(Object.entries(args));
  }

  private take(name: string): AttrValue | undefined {
    const v = this.left.get(name);
    this.left.delete(name);
    return v;
  }

  private fail(name: string, expected: string, got: AttrValue): never {
    throw new Error(`${this.where}.${name}: expected ${expected}, got ${JSON.stringify(got)}`);
  }

  /** A required argument (no default in the signature). */
  required(name: string): AttrValue {
    const v = this.take(name);
    if (v === undefined) throw new Error(`${this.where}: missing required argument '${name}'`);
    return v;
  }

  num(name: string, def?: number): number {
    const v = def === undefined ? this.required(name) : (this.take(name) ?? def);
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(name, 'a number', v);
    return v;
  }

  int(name: string, def?: number): number {
    const v = this.num(name, def);
    if (!Number.isInteger(v)) this.fail(name, 'a whole number', v);
    return v;
  }

  /** A number or None (e.g. conv_clamp, w_avg_beta, num_ws). */
  numOrNull(name: string, def: number | null): number | null {
    const v = this.take(name);
    if (v === undefined) return def;
    if (v === null) return null;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(name, 'a number or None', v);
    return v;
  }

  bool(name: string, def: boolean): boolean {
    const v = this.take(name) ?? def;
    if (typeof v !== 'boolean') this.fail(name, 'a boolean', v);
    return v;
  }

  str(name: string, def: string, allowed?: readonly string[]): string {
    const v = this.take(name) ?? def;
    if (typeof v !== 'string' || (allowed !== undefined && !allowed.includes(v))) {
      this.fail(name, allowed ? `one of ${allowed.map((a) => `'${a}'`).join(', ')}` : 'a string', v);
    }
    return v;
  }

  /** Any value, passed through unchecked (e.g. fused_modconv_default: True or 'inference_only'). */
  any(name: string, def: AttrValue): AttrValue {
    return this.take(name) ?? def;
  }

  numList(name: string, def: readonly number[]): number[] {
    const v = this.take(name) ?? def;
    if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      this.fail(name, 'a non-empty list of numbers', v as AttrValue);
    }
    return [...(v as number[])];
  }

  dict(name: string): KwargsRecord {
    const v = this.take(name) ?? {};
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(name, 'a dict', v);
    return { ...(v as KwargsRecord) };
  }

  /** What is left: the `**kwargs` to pass on. */
  rest(): KwargsRecord {
    const out: KwargsRecord = {};
    for (const [k, v] of this.left) out[k] = v;
    this.left.clear();
    return out;
  }

  /** For a signature without `**kwargs`: anything left is an error, as in Python. */
  done(): void {
    const names = [...this.left.keys()];
    if (names.length > 0) throw new Error(`${this.where}: unexpected keyword argument${names.length > 1 ? 's' : ''} ${names.map((n) => `'${n}'`).join(', ')}`);
  }
}
