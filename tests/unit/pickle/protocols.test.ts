import { describe, expect, it } from 'vitest';
import { PickleError, PyDict, unpickle } from '../../../src/core/pickle/index.ts';
import { dict, float, glob, pickle, PReduce, PRaw, PSet, tuple, type PNode } from '../../support/pickle-writer/pickler.ts';
import { fixture } from './cpython-fixtures.ts';
import { get, plain } from './plain.ts';

/** What make-fixtures.py's tree() holds, as plain() renders it. */
const TREE = {
  ints: [0, 1, 255, 256, 65535, 65536, -1, -(2 ** 31), 2 ** 31, `${2n ** 70n}n`, -(2 ** 40)],
  floats: [3.5, -0, 1e300],
  consts: [null, true, false],
  text: { tuple: ['x', 'ü€', 'line\nbreak', ''] },
  bytes: { bytes: [0, 255, 16] },
  nested: { a: [[1], [2, [3, { deep: { tuple: ['yes'] } }]]] },
  shared: [[7, 8], [7, 8]],
  set: { set: [1, 2, 3] },
  frozen: { frozenset: ['f'] },
  tuple1: { tuple: [1] },
  tuple2: { tuple: [1, 2] },
  tuple3: { tuple: [1, 2, 3] },
  tuple4: { tuple: [1, 2, 3, 4] },
  empty: { tuple: [] },
};

describe('unpickle: every protocol CPython writes', () => {
  for (const p of [0, 1, 2, 3, 4, 5]) {
    it(`reads CPython's protocol ${p} pickle of a nested container tree`, () => {
      const v = unpickle(fixture(`tree_p${p}`));
      expect(plain(v)).toEqual(TREE);
    });
  }

  it('keeps shared references shared (memo PUT/GET gives the same object, not a copy)', () => {
    for (const p of [0, 2, 4]) {
      const shared = get(unpickle(fixture(`tree_p${p}`)), 'shared') as unknown[];
      expect(shared[0]).toBe(shared[1]);
    }
  });

  it('keeps the sign of -0.0 and the exact value of 2**70', () => {
    const v = unpickle(fixture('tree_p4'));
    expect(Object.is((get(v, 'floats') as number[])[1], -0)).toBe(true);
    expect((get(v, 'ints') as unknown[])[9]).toBe(2n ** 70n);
  });
});

describe('unpickle: the test writer (framing, memo, batching)', () => {
  it('reads a protocol 4 pickle whose 200 KiB string sits outside the frames', () => {
    const big = 'ab'.repeat(100_000);
    const bytes = pickle(dict([['big', big], ['again', big], ['after', [1, 2, 3]]]), { protocol: 4 });
    expect(Array.from(bytes.subarray(0, 3))).toEqual([0x80, 4, 0x95]);
    const v = unpickle(bytes);
    expect(get(v, 'big')).toBe(big);
    expect(get(v, 'again')).toBe(big);
    expect(plain(get(v, 'after'))).toEqual([1, 2, 3]);
  });

  it('reads lists and dicts longer than one APPENDS / SETITEMS batch, and more than 256 memo entries (LONG_BINPUT)', () => {
    const items: PNode[] = Array.from({ length: 2500 }, (_, i) => `s${i}`);
    const entries = Array.from({ length: 1200 }, (_, i) => [`k${i}`, float(i + 0.5)] as const);
    for (const protocol of [2, 4] as const) {
      const v = unpickle(pickle(tuple(items, dict(entries)), { protocol }));
      const [list, d] = (v as unknown as { items: [string[], PyDict] }).items;
      expect(list).toHaveLength(2500);
      expect(list[2499]).toBe('s2499');
      expect(d.size).toBe(1200);
      expect(d.get('k1199')).toBe(1199.5);
    }
  });

  it('reads a set and an OrderedDict built with REDUCE and SETITEMS', () => {
    const od = new PReduce(glob('collections', 'OrderedDict'), [], { dictItems: [['b', 1], ['a', 2]] });
    const v = unpickle(pickle(tuple(new PSet([3, 1, 2]), od), { protocol: 4 }));
    expect(plain(v)).toEqual({ tuple: [{ set: [1, 2, 3] }, { b: 1, a: 2 }] });
    const d = (v as unknown as { items: [unknown, PyDict] }).items[1];
    expect(d.kind).toBe('OrderedDict');
    expect(d.keys()).toEqual(['b', 'a']);
  });

  it('ignores bytes after STOP, as pickle.load does', () => {
    const bytes = pickle([1, 2], { protocol: 2 });
    const tail = new Uint8Array([...bytes, 0xde, 0xad, 0xbe, 0xef]);
    expect(plain(unpickle(tail))).toEqual([1, 2]);
  });

  it('refuses a memo GET of an entry never PUT', () => {
    const bytes = new Uint8Array([0x80, 2, 0x68, 5, 0x2e]);
    expect(() => unpickle(bytes)).toThrow(/memo entry 5 is read before it is written/);
  });

  it('refuses a protocol higher than 5 and an unknown opcode', () => {
    expect(() => unpickle(new Uint8Array([0x80, 6, 0x4e, 0x2e]))).toThrow(/unsupported pickle protocol 6/);
    expect(() => unpickle(new Uint8Array([0x80, 2, 0xff]))).toThrow(/unknown opcode 0xff/);
  });

  it('refuses STOP with values left on the stack, and an opcode on an empty stack', () => {
    expect(() => unpickle(new Uint8Array([0x80, 2, 0x4e, 0x4e, 0x2e]))).toThrow(PickleError);
    expect(() => unpickle(new Uint8Array([0x80, 2, 0x61, 0x2e]))).toThrow(/stack is empty/);
  });

  it('refuses out-of-band buffers (protocol 5 NEXT_BUFFER): their data is not in the file', () => {
    expect(() => unpickle(new Uint8Array([0x80, 5, 0x97, 0x2e]))).toThrow(/out-of-band buffers/);
  });

  it('says a zip archive is a torch.save checkpoint, not a pickle', () => {
    expect(() => unpickle(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]))).toThrow(/zip archive/);
  });

  it('raw opcodes from the writer pass through unchanged', () => {
    const v = unpickle(pickle(tuple(new PRaw(new Uint8Array([0x4b, 42]))), { protocol: 2 }));
    expect(plain(v)).toEqual({ tuple: [42] });
  });
});
