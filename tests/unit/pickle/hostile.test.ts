import { describe, expect, it } from 'vitest';
import { PickleError, unpickle } from '../../../src/core/pickle/index.ts';
import { PReduce, PRaw, dict, glob, pickle, tuple } from '../../support/pickle-writer/pickler.ts';
import { legacyStorageBlob, tensorNode } from '../../support/pickle-writer/torch.ts';
import { fixture } from './cpython-fixtures.ts';
import { bytesToText, textToBytes } from './plain.ts';

const enc = new TextEncoder();
const bytes = (...parts: (number[] | string)[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? Array.from(enc.encode(p)) : p)));

/** Runs the pickle and returns the PickleError message; fails the test if anything else happens. */
function refusal(b: Uint8Array): string {
  try {
    unpickle(b);
  } catch (e) {
    expect(e).toBeInstanceOf(PickleError);
    return (e as Error).message;
  }
  throw new Error('the pickle was accepted');
}

describe('hostile pickles are refused, naming the global they reach for', () => {
  it('CPython\'s own pickle of os.system (posix.system on Linux), protocol 4', () => {
    expect(refusal(fixture('os_system'))).toMatch(/refusing global "posix\.system"/);
  });

  it('os.system("…") through GLOBAL + REDUCE, protocol 0', () => {
    expect(refusal(bytes("cos\nsystem\n(S'touch /tmp/pwned'\ntR."))).toMatch(/refusing global "os\.system"/);
  });

  it('builtins.eval (CPython\'s protocol 2 pickle, __builtin__ name) and builtins.eval via STACK_GLOBAL', () => {
    expect(refusal(fixture('eval_p2'))).toMatch(/refusing global "__builtin__\.eval"/);
    const p = pickle(new PReduce(glob('builtins', 'eval'), ['__import__("os").system("id")']), { protocol: 4 });
    expect(refusal(p)).toMatch(/refusing global "builtins\.eval"/);
  });

  it('builtins.exec and subprocess.Popen (NEWOBJ), even nested deep inside a StyleGAN-looking dict', () => {
    const exec = new PReduce(glob('builtins', 'exec'), ['import os']);
    expect(refusal(pickle(dict([['G_ema', dict([['state', [exec]]])]])))).toMatch(/refusing global "builtins\.exec"/);
    const popen = new PReduce(glob('subprocess', 'Popen'), [['sh', '-c', 'id']], { newobj: true });
    expect(refusal(pickle(popen, { protocol: 2 }))).toMatch(/refusing global "subprocess\.Popen"/);
  });

  it('posix.system inside a torch storage blob (the nested legacy pickle)', () => {
    const blob = legacyStorageBlob([1, 2], 'float32');
    const text = bytesToText(blob).replace('ctorch\nFloatStorage\n', 'cposix\nsystem\n');
    const evil = textToBytes(text);
    const p = pickle(new PReduce(glob('torch.storage', '_load_from_bytes'), [evil]));
    expect(refusal(p)).toMatch(/refusing global "posix\.system"/);
  });

  it('a REDUCE of a whitelisted name that is only a type (torch.Tensor, torch.FloatStorage) is not called', () => {
    expect(refusal(pickle(new PReduce(glob('torch', 'Tensor'), [1])))).toMatch(/refusing to call "torch\.Tensor"/);
    expect(refusal(pickle(new PReduce(glob('torch', 'FloatStorage'), [3])))).toMatch(/refusing to call "torch\.FloatStorage"/);
  });

  it('a REDUCE whose callable is not a global at all (a string) is refused', () => {
    expect(refusal(bytes([0x80, 2, 0x58, 6, 0, 0, 0], 'system', [0x4e, 0x85, 0x52, 0x2e]))).toMatch(/REDUCE of a str, expected a whitelisted global/);
  });

  it('the persistence wrapper with something other than its meta dict', () => {
    const p = pickle(new PReduce(glob('torch_utils.persistence', '_reconstruct_persistent_obj'), ['print(1)']));
    expect(refusal(p)).toMatch(/_reconstruct_persistent_obj takes one meta dict/);
  });
});

describe('forged sizes are refused before anything is allocated', () => {
  it('BINUNICODE8 claiming 2^60 bytes', () => {
    const n = 2n ** 60n;
    const len = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
    expect(refusal(bytes([0x80, 4, 0x8d, ...len], 'abc.'))).toMatch(/BINUNICODE8 length|BINUNICODE8.*claims 1152921504606846976 bytes/);
  });

  it('BINBYTES claiming 4 GiB and a FRAME longer than the file', () => {
    expect(refusal(bytes([0x80, 3, 0x42, 0xff, 0xff, 0xff, 0xff, 0x2e]))).toMatch(/claims 4294967295 bytes/);
    expect(refusal(bytes([0x80, 4, 0x95, 0, 0, 0, 0, 0, 0, 0, 1, 0x4e, 0x2e]))).toMatch(/FRAME contents/);
  });

  it('a storage whose element count is far beyond the file', () => {
    const blob = legacyStorageBlob([1, 2, 3], 'float32');
    // The int64 element count sits just before the 12 data bytes: make it 2^40 (and the persistent id agrees).
    const forged = blob.slice();
    new DataView(forged.buffer).setBigInt64(forged.length - 12 - 8, 2n ** 40n, true);
    const text = bytesToText(forged).replace('K\x03N', '\x8a\x06\x00\x00\x00\x00\x00\x01N');
    const p = pickle(new PReduce(glob('torch.storage', '_load_from_bytes'), [textToBytes(text)]));
    expect(refusal(p)).toMatch(/data of storage .* claims 4398046511104 bytes|claims \d+ bytes but only 12 remain/);
  });

  it('a storage whose header count disagrees with its persistent id', () => {
    const blob = legacyStorageBlob([1, 2, 3], 'float32');
    new DataView(blob.buffer).setBigInt64(blob.length - 12 - 8, 2n, true);
    expect(refusal(pickle(new PReduce(glob('torch.storage', '_load_from_bytes'), [blob])))).toMatch(/holds 2 elements but its persistent id says 3/);
  });

  it('a tensor shape of 2^31 × 2^31 elements', () => {
    const storage = new PReduce(glob('torch.storage', '_load_from_bytes'), [legacyStorageBlob([1], 'float32')]);
    const t = new PReduce(glob('torch._utils', '_rebuild_tensor_v2'), [storage, 0, tuple(2 ** 31, 2 ** 31), tuple(0, 0), false, null]);
    expect(refusal(pickle(t))).toMatch(/larger than the \d+ this reader allows/);
  });
});

describe('a truncated file is an error at every length, never a hang or a crash', () => {
  it('every prefix of a small tensor pickle throws PickleError', () => {
    const full = pickle(dict([['w', tensorNode({ shape: [2, 2], data: [1, 2, 3, 4] })], ['n', 3]]));
    expect(() => unpickle(full)).not.toThrow();
    for (let n = 0; n < full.length; n++) {
      const msg = refusal(full.subarray(0, n));
      expect(msg.length).toBeGreaterThan(10);
    }
  });

  it('every prefix of CPython\'s protocol 0 and protocol 5 pickles throws PickleError', () => {
    for (const name of ['tree_p0', 'tree_p5', 'torch_p2']) {
      const full = fixture(name);
      for (let n = 0; n < full.length; n++) refusal(full.subarray(0, n));
    }
  });
});

describe('deep nesting costs heap, not the JS stack', () => {
  it('a list nested 200,000 deep is read', () => {
    const depth = 200_000;
    const b = new Uint8Array(2 + depth + (depth - 1) + 1);
    b.set([0x80, 2]);
    b.fill(0x5d, 2, 2 + depth); // EMPTY_LIST × depth
    b.fill(0x61, 2 + depth, 2 + depth + depth - 1); // APPEND × (depth − 1)
    b[b.length - 1] = 0x2e;
    let v = unpickle(b) as unknown[];
    let d = 1;
    while (v.length > 0) {
      v = v[0] as unknown[];
      d++;
    }
    expect(d).toBe(depth);
  });

  it('a million MARKs without their closing opcode are refused at STOP', () => {
    const b = new Uint8Array(1_000_003);
    b.set([0x80, 2]);
    b.fill(0x28, 2, b.length - 1);
    b[b.length - 1] = 0x2e;
    expect(refusal(b)).toMatch(/STOP with 0 values and 1000000 marks left/);
  });

  it('raw opcodes that pop past a MARK are refused', () => {
    expect(refusal(pickle(new PRaw(bytes([0x28, 0x30]))))).toMatch(/stack is empty/);
  });
});

describe('deep keys', () => {
  it('a dict key nested 100,000 tuples deep is refused, not a stack overflow', () => {
    const b: number[] = [0x80, 2, 0x7d, 0x4e];
    for (let i = 0; i < 100_000; i++) b.push(0x85); // TUPLE1
    b.push(0x4b, 1, 0x73, 0x2e); // value 1, SETITEM, STOP
    expect(refusal(Uint8Array.from(b))).toMatch(/dict key or set item nested more than 64 tuples deep/);
  });

  it('refuses a dict key whose tuples share their parts (93 bytes that would make 2^40 nodes) at once', () => {
    const b = [0x80, 0x02, 0x7d, 0x4b, 0x00]; // PROTO 2, EMPTY_DICT, BININT1 0
    for (let i = 0; i < 40; i++) b.push(0x32, 0x86); // DUP, TUPLE2: each level holds the previous one twice
    b.push(0x4b, 0x01, 0x73, 0x2e); // value 1, SETITEM, STOP
    expect(refusal(Uint8Array.from(b))).toMatch(/dict key or set item of more than 4096 parts/);
  });

  it('refuses a protocol-0 \\U escape beyond the last code point with a PickleError', () => {
    const text = 'V\\UFFFFFFFF\n.';
    expect(refusal(Uint8Array.from(text, (c) => c.charCodeAt(0)))).toMatch(/beyond the last code point/);
  });
});
