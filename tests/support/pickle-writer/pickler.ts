/**
 * A pickle WRITER for tests, emitting what CPython's `pickle.Pickler` emits (Lib/pickle.py semantics, our own
 * code): PROTO, protocol-4 FRAMEs of ~64 KiB with large bytes written outside frames, MEMOIZE (protocol 4) or
 * BINPUT (protocol 2) after every memoisable object, BINGET for repeats, batched APPENDS / SETITEMS, STACK_GLOBAL
 * (4) or GLOBAL (2), and `save_reduce`'s REDUCE / NEWOBJ + items + BUILD.
 */
export type PNode =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PNode[]
  | PFloat
  | PTuple
  | PDict
  | PSet
  | PGlobal
  | PReduce
  | PPersId
  | PRaw;

export class PFloat {
  constructor(readonly value: number) {}
}
export class PTuple {
  constructor(readonly items: readonly PNode[]) {}
}
export class PDict {
  constructor(readonly entries: readonly (readonly [PNode, PNode])[]) {}
}
export class PSet {
  constructor(readonly items: readonly PNode[]) {}
}
export class PGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
}
/** `obj.__reduce__()` = (func, args, state, listitems, dictitems); `newobj` saves it as NEWOBJ (copyreg.__newobj__). */
export class PReduce {
  constructor(
    readonly func: PGlobal,
    readonly args: readonly PNode[],
    readonly opts: { state?: PNode; listItems?: readonly PNode[]; dictItems?: readonly (readonly [PNode, PNode])[]; newobj?: boolean } = {},
  ) {}
}
/** An object the pickler's persistent_id() names (torch's legacy save: a storage). */
export class PPersId {
  constructor(readonly pid: PNode) {}
}
/** Raw opcode bytes, for hostile pickles. */
export class PRaw {
  constructor(readonly bytes: Uint8Array) {}
}

export const tuple = (...items: PNode[]): PTuple => new PTuple(items);
export const dict = (entries: readonly (readonly [PNode, PNode])[]): PDict => new PDict(entries);
export const glob = (module: string, name: string): PGlobal => new PGlobal(module, name);
export const float = (v: number): PFloat => new PFloat(v);

const FRAME_TARGET = 64 * 1024;
const BATCH = 1000;

class Out {
  chunks: Uint8Array[] = [];
  frame: number[] = [];
  constructor(readonly framing: boolean) {}
  byte(b: number): void {
    this.frame.push(b);
  }
  bytes(b: Uint8Array | readonly number[]): void {
    for (const x of b) this.frame.push(x);
  }
  commit(force = false): void {
    if (this.frame.length === 0) return;
    if (!force && this.frame.length < FRAME_TARGET) return;
    if (this.framing && this.frame.length >= 4) {
      this.chunks.push(Uint8Array.of(0x95, ...u64(this.frame.length)));
    }
    this.chunks.push(Uint8Array.from(this.frame));
    this.frame = [];
  }
  /** pickle's _write_large_bytes: the frame so far is committed and the payload goes outside any frame. */
  large(header: readonly number[], payload: Uint8Array): void {
    if (this.framing) {
      this.commit(true);
      this.chunks.push(Uint8Array.from(header), payload);
    } else {
      this.bytes(header);
      this.bytes(payload);
    }
  }
  result(): Uint8Array {
    this.commit(true);
    const n = this.chunks.reduce((a, c) => a + c.length, 0);
    const out = new Uint8Array(n);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

function u32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}
function u64(n: number): number[] {
  return [...u32(n >>> 0), ...u32(Math.floor(n / 2 ** 32))];
}
const enc = new TextEncoder();

function encodeLong(v: bigint): number[] {
  if (v === 0n) return [];
  const out: number[] = [];
  let x = v;
  for (;;) {
    out.push(Number(x & 0xffn));
    x >>= 8n;
    const top = (out[out.length - 1] as number) & 0x80;
    if ((x === 0n && top === 0) || (x === -1n && top !== 0)) break;
  }
  return out;
}

export interface PickleOptions {
  protocol?: 2 | 3 | 4;
  persistentId?: (node: PNode) => PNode | undefined;
}

/** Pickles one value as `pickle.dumps(obj, protocol)` would. */
export function pickle(root: PNode, options: PickleOptions = {}): Uint8Array {
  const proto = options.protocol ?? 4;
  const out = new Out(proto >= 4);
  const memo = new Map<unknown, number>();
  const strMemo = new Map<string, number>();

  let next = 0;
  const put = (key: unknown): void => {
    const idx = next++;
    if (typeof key === 'string') strMemo.set(key, idx);
    else memo.set(key, idx);
    if (proto >= 4) out.byte(0x94);
    else if (idx < 256) out.bytes([0x71, idx]);
    else out.bytes([0x72, ...u32(idx)]);
  };
  const get = (idx: number): void => {
    if (idx < 256) out.bytes([0x68, idx]);
    else out.bytes([0x6a, ...u32(idx)]);
  };

  const save = (v: PNode): void => {
    out.commit();
    if (options.persistentId && !(v instanceof PPersId)) {
      const pid = options.persistentId(v);
      if (pid !== undefined) {
        save(pid);
        out.byte(0x51);
        return;
      }
    }
    if (v === null) return out.byte(0x4e);
    if (v === true) return out.byte(0x88);
    if (v === false) return out.byte(0x89);
    if (typeof v === 'number' || typeof v === 'bigint') {
      if (typeof v === 'number' && !Number.isInteger(v)) return save(new PFloat(v));
      const b = BigInt(v);
      if (b >= 0n && b < 256n) return out.bytes([0x4b, Number(b)]);
      if (b >= 0n && b < 65536n) return out.bytes([0x4d, Number(b) & 0xff, Number(b) >> 8]);
      if (b >= -(2n ** 31n) && b < 2n ** 31n) return out.bytes([0x4a, ...u32(Number(b) >>> 0)]);
      const e = encodeLong(b);
      return out.bytes([0x8a, e.length, ...e]);
    }
    if (v instanceof PFloat) {
      const d = new DataView(new ArrayBuffer(8));
      d.setFloat64(0, v.value, false);
      return out.bytes([0x47, ...new Uint8Array(d.buffer)]);
    }
    if (typeof v === 'string') {
      const m = strMemo.get(v);
      if (m !== undefined) return get(m);
      const b = enc.encode(v);
      if (proto >= 4 && b.length < 256) out.bytes([0x8c, b.length, ...b]);
      else if (b.length >= FRAME_TARGET) out.large([0x58, ...u32(b.length)], b);
      else out.bytes([0x58, ...u32(b.length), ...b]);
      return put(v);
    }
    const m = memo.get(v);
    if (m !== undefined) return get(m);
    if (v instanceof Uint8Array) {
      if (proto < 3) {
        // Python 3 under protocol 2: bytes are _codecs.encode(latin-1 text, 'latin1').
        save(new PReduce(glob('_codecs', 'encode'), [String.fromCharCode(...v), 'latin1']));
        memo.set(v, next - 1);
        return;
      }
      if (v.length < 256) out.bytes([0x43, v.length, ...v]);
      else if (v.length >= FRAME_TARGET) out.large([0x42, ...u32(v.length)], v);
      else out.bytes([0x42, ...u32(v.length), ...v]);
      return put(v);
    }
    if (v instanceof PRaw) return out.bytes(v.bytes);
    if (Array.isArray(v)) {
      out.byte(0x5d);
      put(v);
      return batchAppends(v);
    }
    if (v instanceof PTuple) {
      if (v.items.length === 0) return out.byte(0x29);
      if (v.items.length <= 3) {
        for (const it of v.items) save(it);
        out.byte(0x84 + v.items.length);
      } else {
        out.byte(0x28);
        for (const it of v.items) save(it);
        out.byte(0x74);
      }
      return put(v);
    }
    if (v instanceof PDict) {
      out.byte(0x7d);
      put(v);
      return batchSetItems(v.entries);
    }
    if (v instanceof PSet) {
      out.byte(0x8f);
      put(v);
      for (let i = 0; i < v.items.length; i += BATCH) {
        out.byte(0x28);
        for (const it of v.items.slice(i, i + BATCH)) save(it);
        out.byte(0x90);
      }
      return;
    }
    if (v instanceof PGlobal) {
      if (proto >= 4) {
        save(v.module);
        save(v.name);
        out.byte(0x93);
      } else {
        out.bytes([0x63, ...enc.encode(`${v.module}\n${v.name}\n`)]);
      }
      return put(v);
    }
    if (v instanceof PReduce) {
      save(v.func);
      if (v.opts.newobj) {
        save(new PTuple(v.args));
        out.byte(0x81);
      } else {
        save(new PTuple(v.args));
        out.byte(0x52);
      }
      put(v);
      if (v.opts.listItems) batchAppends(v.opts.listItems);
      if (v.opts.dictItems) batchSetItems(v.opts.dictItems);
      if (v.opts.state !== undefined) {
        save(v.opts.state);
        out.byte(0x62);
      }
      return;
    }
    if (v instanceof PPersId) {
      save(v.pid);
      out.byte(0x51);
      return;
    }
    throw new Error('pickle writer: unknown node');
  };
  const batchAppends = (items: readonly PNode[]): void => {
    for (let i = 0; i < items.length; i += BATCH) {
      const batch = items.slice(i, i + BATCH);
      if (batch.length === 1) {
        save(batch[0] as PNode);
        out.byte(0x61);
      } else {
        out.byte(0x28);
        for (const it of batch) save(it);
        out.byte(0x65);
      }
    }
  };
  const batchSetItems = (entries: readonly (readonly [PNode, PNode])[]): void => {
    for (let i = 0; i < entries.length; i += BATCH) {
      const batch = entries.slice(i, i + BATCH);
      if (batch.length === 1) {
        save(batch[0]![0]);
        save(batch[0]![1]);
        out.byte(0x73);
      } else {
        out.byte(0x28);
        for (const [k, val] of batch) {
          save(k);
          save(val);
        }
        out.byte(0x75);
      }
    }
  };

  // PROTO comes before the first frame (pickle.py writes it, then starts framing).
  out.chunks.push(Uint8Array.of(0x80, proto));
  save(root);
  out.byte(0x2e);
  return out.result();
}
