/**
 * The Python values an unpickled file can hold, as plain TypeScript data. Nothing here is callable: a whitelisted
 * global becomes a PyGlobal token, and only the handlers in globals.ts decide what calling one produces.
 *
 * Lists are JS arrays (mutable, like Python lists: APPEND fills them after they are memoised); tuples, dicts and sets
 * are small classes so that a tuple is never mistaken for a list and dict keys keep their Python identity.
 */
export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyValue[]
  | PyTuple
  | PyDict
  | PySet
  | PyGlobal
  | PyObject;

/** Anything a whitelisted handler builds (a tensor, a storage, a numpy array, a persistent module…). */
export interface PyObject {
  readonly pyKind: string;
  /** BUILD (`__setstate__`) on this object; absent when the object takes no state. */
  build?(state: PyValue, at: number): void;
}

export class PyTuple {
  constructor(readonly items: readonly PyValue[]) {}
}

/** A whitelisted module-level name met by GLOBAL / STACK_GLOBAL (a callable or a class token). */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

/** Which Python type a dict came from: plain, `collections.OrderedDict` or `dnnlib.util.EasyDict` (all dicts). */
export type DictKind = 'dict' | 'OrderedDict' | 'EasyDict';

/**
 * A Python dict in insertion order. Keys are hashed by value for the hashable kinds pickles use as keys
 * (str, int, float, bool, None, bytes, tuples of those).
 */
export class PyDict {
  private readonly index = new Map<string, number>();
  private readonly keyList: PyValue[] = [];
  private readonly valueList: PyValue[] = [];
  constructor(public kind: DictKind = 'dict') {}

  set(key: PyValue, value: PyValue, at: number): void {
    const h = hashKey(key, at);
    const i = this.index.get(h);
    if (i !== undefined) {
      this.valueList[i] = value;
      return;
    }
    this.index.set(h, this.keyList.length);
    this.keyList.push(key);
    this.valueList.push(value);
  }

  get(key: string): PyValue | undefined {
    const i = this.index.get(hashKey(key, -1));
    return i === undefined ? undefined : this.valueList[i];
  }

  has(key: string): boolean {
    return this.index.has(hashKey(key, -1));
  }

  get size(): number {
    return this.keyList.length;
  }

  *entries(): IterableIterator<[PyValue, PyValue]> {
    for (let i = 0; i < this.keyList.length; i++) yield [this.keyList[i] as PyValue, this.valueList[i] as PyValue];
  }

  keys(): readonly PyValue[] {
    return this.keyList;
  }
}

export class PySet {
  private readonly seen = new Set<string>();
  readonly items: PyValue[] = [];
  constructor(readonly frozen = false) {}
  add(v: PyValue, at: number): void {
    const h = hashKey(v, at);
    if (this.seen.has(h)) return;
    this.seen.add(h);
    this.items.push(v);
  }
}

export class PickleError extends Error {
  override name = 'PickleError';
}

/** Tuples nested deeper than this as a dict key or set item are refused (no real pickle comes close). */
const MAX_KEY_DEPTH = 64;

/** Nodes one dict key or set item may have (counting shared sub-tuples each time they are reached): a 93-byte file
 * of tuples that share their parts would otherwise make a key of 2^40 nodes. */
const MAX_KEY_NODES = 4096;

/** Python's equal-hash rule for the key kinds above: 1, 1.0 and True are one key. */
function hashKey(key: PyValue, at: number, depth = 0, budget = { left: MAX_KEY_NODES }): string {
  const where = at >= 0 ? ` at byte ${at}` : '';
  if (depth > MAX_KEY_DEPTH) throw new PickleError(`pickle: a dict key or set item nested more than ${MAX_KEY_DEPTH} tuples deep${where}`);
  if (--budget.left < 0) throw new PickleError(`pickle: a dict key or set item of more than ${MAX_KEY_NODES} parts${where}`);
  if (key === null) return 'N';
  if (typeof key === 'string') return `s${key}`;
  if (typeof key === 'boolean') return `n${key ? 1 : 0}`;
  if (typeof key === 'number') return `n${key}`;
  if (typeof key === 'bigint') return `n${key.toString()}`;
  if (key instanceof Uint8Array) return `b${Array.from(key).join(',')}`;
  if (key instanceof PyTuple) return `t(${key.items.map((k) => hashKey(k, at, depth + 1, budget)).join('|')})`;
  if (key instanceof PyGlobal) return `g${key.qualified}`;
  throw new PickleError(`pickle: unhashable ${describePy(key)} used as a dict key or set item${where}`);
}

/** A short name of a value's Python type, for error messages. */
export function describePy(v: PyValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'None';
  if (typeof v === 'boolean') return 'a bool';
  if (typeof v === 'number' || typeof v === 'bigint') return 'a number';
  if (typeof v === 'string') return 'a str';
  if (v instanceof Uint8Array) return 'bytes';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof PyTuple) return `a ${v.items.length}-tuple`;
  if (v instanceof PyDict) return v.kind === 'dict' ? 'a dict' : `an ${v.kind}`;
  if (v instanceof PySet) return v.frozen ? 'a frozenset' : 'a set';
  if (v instanceof PyGlobal) return `the global ${v.qualified}`;
  return `a ${v.pyKind}`;
}

export function isPyObject(v: PyValue | undefined, kind: string): v is PyObject {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !Array.isArray(v) && 'pyKind' in v && v.pyKind === kind;
}

/** A Python int as a JS number, or undefined when it is not an int (bools count, as in Python). */
export function pyInt(v: PyValue | undefined): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  return undefined;
}
