import { ByteCursor, decodeLong, decodeUtf8, latin1 } from './bytes.ts';
import { PickleError, PyDict, PyGlobal, PySet, PyTuple, describePy, type PyValue } from './values.ts';

/**
 * What the machine may do with globals. It has no other way to reach code: GLOBAL / STACK_GLOBAL / INST ask
 * `resolve` (which refuses anything off the whitelist), REDUCE / NEWOBJ / OBJ / INST hand a resolved global and
 * plain data to `call` / `construct`, and persistent ids go to `persistentLoad`, when the caller gives one.
 */
export interface PickleHost {
  resolve(module: string, name: string, at: number): PyGlobal;
  call(fn: PyGlobal, args: readonly PyValue[], at: number): PyValue;
  construct(cls: PyGlobal, args: readonly PyValue[], kwargs: PyDict | null, at: number): PyValue;
  persistentLoad?(pid: PyValue, at: number): PyValue;
}

/** The highest protocol CPython writes (3.8+: 5). */
const HIGHEST_PROTOCOL = 5;

/**
 * Runs one pickle (up to and including its STOP) starting at `cur.pos` and returns the object it builds; the cursor
 * is left just after STOP, so concatenated pickles (torch's legacy format) can be read one after another.
 * Iterative: nesting depth costs heap, not JS stack.
 */
export function unpickleOne(cur: ByteCursor, host: PickleHost): PyValue {
  const what = cur.what;
  const stack: PyValue[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PyValue>();
  let at = cur.pos;

  const fail = (msg: string): never => {
    throw new PickleError(`${what}: ${msg} at byte ${at}`);
  };
  const pop = (): PyValue => {
    const base = marks.length > 0 ? (marks[marks.length - 1] as number) : 0;
    if (stack.length <= base) fail(`opcode 0x${op.toString(16)} needs a value but the stack is empty`);
    return stack.pop() as PyValue;
  };
  const top = (): PyValue => {
    const base = marks.length > 0 ? (marks[marks.length - 1] as number) : 0;
    if (stack.length <= base) fail(`opcode 0x${op.toString(16)} needs a value but the stack is empty`);
    return stack[stack.length - 1] as PyValue;
  };
  const popMark = (): PyValue[] => {
    const m = marks.pop();
    if (m === undefined) fail(`opcode 0x${op.toString(16)} needs a MARK but there is none`);
    return stack.splice(m as number);
  };
  const memoGet = (i: number): PyValue => {
    const v = memo.get(i);
    if (v === undefined) fail(`memo entry ${i} is read before it is written`);
    return v as PyValue;
  };
  const memoPut = (i: number): void => {
    memo.set(i, top());
  };
  const setItems = (target: PyValue, items: PyValue[]): void => {
    if (!(target instanceof PyDict)) fail(`SETITEM(S) on ${describePy(target)}, expected a dict`);
    if (items.length % 2 !== 0) fail('SETITEMS with an odd number of items');
    for (let i = 0; i < items.length; i += 2) (target as PyDict).set(items[i] as PyValue, items[i + 1] as PyValue, at);
  };
  const appendItems = (target: PyValue, items: PyValue[]): void => {
    if (!Array.isArray(target)) fail(`APPEND(S) on ${describePy(target)}, expected a list`);
    for (const it of items) (target as PyValue[]).push(it);
  };
  const asGlobal = (v: PyValue, role: string): PyGlobal => {
    if (!(v instanceof PyGlobal)) fail(`${role} of ${describePy(v)}, expected a whitelisted global`);
    return v as PyGlobal;
  };
  const asArgs = (v: PyValue, role: string): readonly PyValue[] => {
    if (!(v instanceof PyTuple)) fail(`${role} arguments are ${describePy(v)}, expected a tuple`);
    return (v as PyTuple).items;
  };
  const str = (b: Uint8Array): string => decodeUtf8(b, what, at);

  let op = 0;
  for (;;) {
    at = cur.pos;
    op = cur.u8('opcode');
    switch (op) {
      // ---- framing and protocol (protocol 2 / 4)
      case 0x80: {
        const p = cur.u8('PROTO version');
        if (p > HIGHEST_PROTOCOL) fail(`unsupported pickle protocol ${p} (this reader knows 0–${HIGHEST_PROTOCOL})`);
        break;
      }
      case 0x95: // FRAME: a length prefix for buffering; the length must still fit in the file
        cur.need(cur.u64('FRAME length'), 'FRAME contents');
        break;
      case 0x2e: // STOP
        if (marks.length > 0 || stack.length !== 1) fail(`STOP with ${stack.length} values and ${marks.length} marks left`);
        return stack[0] as PyValue;

      // ---- constants and numbers
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4a: stack.push(cur.i32('BININT')); break;
      case 0x4b: stack.push(cur.u8('BININT1')); break;
      case 0x4d: stack.push(cur.u16('BININT2')); break;
      case 0x8a: stack.push(decodeLong(cur.take(cur.u8('LONG1 length'), 'LONG1'))); break;
      case 0x8b: {
        const n = cur.i32('LONG4 length');
        if (n < 0) fail('LONG4 with a negative length');
        stack.push(decodeLong(cur.take(n, 'LONG4')));
        break;
      }
      case 0x47: stack.push(cur.f64be('BINFLOAT')); break;
      case 0x49: { // INT (protocol 0): also the old spelling of True/False
        const s = cur.line('INT');
        if (s === '01') stack.push(true);
        else if (s === '00') stack.push(false);
        else stack.push(parseTextInt(s, fail));
        break;
      }
      case 0x4c: stack.push(parseTextInt(cur.line('LONG').replace(/L$/, ''), fail)); break;
      case 0x46: {
        const v = Number(cur.line('FLOAT'));
        if (Number.isNaN(v)) fail('FLOAT that is not a number');
        stack.push(v);
        break;
      }

      // ---- strings and bytes
      case 0x58: stack.push(str(cur.take(cur.u32('BINUNICODE length'), 'BINUNICODE'))); break;
      case 0x8c: stack.push(str(cur.take(cur.u8('SHORT_BINUNICODE length'), 'SHORT_BINUNICODE'))); break;
      case 0x8d: stack.push(str(cur.take(cur.u64('BINUNICODE8 length'), 'BINUNICODE8'))); break;
      case 0x56: stack.push(decodeRawUnicodeEscape(cur.line('UNICODE'), fail)); break;
      case 0x43: stack.push(cur.take(cur.u8('SHORT_BINBYTES length'), 'SHORT_BINBYTES')); break;
      case 0x42: stack.push(cur.take(cur.u32('BINBYTES length'), 'BINBYTES')); break;
      case 0x8e: stack.push(cur.take(cur.u64('BINBYTES8 length'), 'BINBYTES8')); break;
      case 0x96: stack.push(cur.take(cur.u64('BYTEARRAY8 length'), 'BYTEARRAY8').slice()); break;
      // Python 2 str: torch.load decodes these as UTF-8, so do we.
      case 0x55: stack.push(str(cur.take(cur.u8('SHORT_BINSTRING length'), 'SHORT_BINSTRING'))); break;
      case 0x54: {
        const n = cur.i32('BINSTRING length');
        if (n < 0) fail('BINSTRING with a negative length');
        stack.push(str(cur.take(n, 'BINSTRING')));
        break;
      }
      case 0x53: stack.push(decodeQuoted(cur.line('STRING'), fail)); break;
      case 0x97: // NEXT_BUFFER
      case 0x98: // READONLY_BUFFER
        fail('out-of-band buffers (pickle protocol 5 NEXT_BUFFER) are not supported: the data is not in the file');
        break;

      // ---- containers
      case 0x28: marks.push(stack.length); break; // MARK
      case 0x29: stack.push(new PyTuple([])); break; // EMPTY_TUPLE
      case 0x85: stack.push(new PyTuple([pop()])); break; // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); stack.push(new PyTuple([a, b])); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); stack.push(new PyTuple([a, b, c])); break; } // TUPLE3
      case 0x74: stack.push(new PyTuple(popMark())); break; // TUPLE
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x6c: stack.push(popMark()); break; // LIST
      case 0x7d: stack.push(new PyDict()); break; // EMPTY_DICT
      case 0x64: { // DICT
        const items = popMark();
        const d = new PyDict();
        setItems(d, items);
        stack.push(d);
        break;
      }
      case 0x8f: stack.push(new PySet()); break; // EMPTY_SET
      case 0x91: { // FROZENSET
        const s = new PySet(true);
        for (const v of popMark()) s.add(v, at);
        stack.push(s);
        break;
      }
      case 0x61: { const v = pop(); appendItems(top(), [v]); break; } // APPEND
      case 0x65: { const items = popMark(); appendItems(top(), items); break; } // APPENDS
      case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items); break; } // SETITEMS
      case 0x90: { // ADDITEMS
        const items = popMark();
        const s = top();
        if (!(s instanceof PySet) || s.frozen) fail(`ADDITEMS on ${describePy(s)}, expected a set`);
        for (const v of items) (s as PySet).add(v, at);
        break;
      }

      // ---- stack and memo
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP
      case 0x70: memoPut(parseTextInt(cur.line('PUT'), fail) as number); break;
      case 0x71: memoPut(cur.u8('BINPUT index')); break;
      case 0x72: memoPut(cur.u32('LONG_BINPUT index')); break;
      case 0x94: memoPut(memo.size); break; // MEMOIZE
      case 0x67: stack.push(memoGet(parseTextInt(cur.line('GET'), fail) as number)); break;
      case 0x68: stack.push(memoGet(cur.u8('BINGET index'))); break;
      case 0x6a: stack.push(memoGet(cur.u32('LONG_BINGET index'))); break;

      // ---- globals and calls: only through the host's whitelist
      case 0x63: { // GLOBAL module\nname\n
        const module = cur.line('GLOBAL module');
        const name = cur.line('GLOBAL name');
        stack.push(host.resolve(module, name, at));
        break;
      }
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL with a module or name that is not a str');
        stack.push(host.resolve(module as string, name as string, at));
        break;
      }
      case 0x52: { // REDUCE
        const args = asArgs(pop(), 'REDUCE');
        const fn = asGlobal(pop(), 'REDUCE');
        stack.push(host.call(fn, args, at));
        break;
      }
      case 0x81: { // NEWOBJ
        const args = asArgs(pop(), 'NEWOBJ');
        const cls = asGlobal(pop(), 'NEWOBJ');
        stack.push(host.construct(cls, args, null, at));
        break;
      }
      case 0x92: { // NEWOBJ_EX
        const kwargs = pop();
        const args = asArgs(pop(), 'NEWOBJ_EX');
        const cls = asGlobal(pop(), 'NEWOBJ_EX');
        if (!(kwargs instanceof PyDict)) fail(`NEWOBJ_EX keyword arguments are ${describePy(kwargs)}, expected a dict`);
        stack.push(host.construct(cls, args, kwargs as PyDict, at));
        break;
      }
      case 0x69: { // INST module\nname\n (protocol 0 instance creation)
        const module = cur.line('INST module');
        const name = cur.line('INST name');
        const cls = host.resolve(module, name, at);
        stack.push(host.construct(cls, popMark(), null, at));
        break;
      }
      case 0x6f: { // OBJ
        const items = popMark();
        if (items.length === 0) fail('OBJ without a class');
        const cls = asGlobal(items[0] as PyValue, 'OBJ');
        stack.push(host.construct(cls, items.slice(1), null, at));
        break;
      }
      case 0x62: { // BUILD
        const state = pop();
        const obj = top();
        if (obj instanceof PyDict) break; // attributes of a dict subclass (EasyDict): nothing we read
        if (typeof obj === 'object' && obj !== null && 'pyKind' in obj && typeof obj.build === 'function') {
          obj.build(state, at);
          break;
        }
        fail(`BUILD (setstate) on ${describePy(obj)}, which takes no state`);
        break;
      }
      case 0x82: case 0x83: case 0x84: // EXT1/2/4
        fail('copyreg extension codes (EXT1/EXT2/EXT4) are not supported');
        break;
      case 0x50: { // PERSID
        const pid = cur.line('PERSID');
        if (!host.persistentLoad) fail('a persistent id (PERSID) outside a torch storage blob');
        stack.push(host.persistentLoad!(pid, at));
        break;
      }
      case 0x51: { // BINPERSID
        const pid = pop();
        if (!host.persistentLoad) fail('a persistent id (BINPERSID) outside a torch storage blob');
        stack.push(host.persistentLoad!(pid, at));
        break;
      }
      default:
        fail(`unknown opcode 0x${op.toString(16).padStart(2, '0')} (not a pickle, or a corrupt one)`);
    }
  }
}

function parseTextInt(s: string, fail: (m: string) => never): number | bigint {
  if (!/^[+-]?\d+$/.test(s)) fail(`text integer ${JSON.stringify(s.slice(0, 20))} is not a number`);
  const b = BigInt(s);
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

/** Protocol 0 UNICODE: raw-unicode-escape (only \uXXXX and \UXXXXXXXX are escapes). */
function decodeRawUnicodeEscape(s: string, fail: (m: string) => never): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, a: string | undefined, b: string | undefined) => {
    const code = parseInt((a ?? b) as string, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : fail(`UNICODE: \\U${b ?? ''} is beyond the last code point`);
  });
}

/** Protocol 0 STRING: a Python 2 repr in quotes. */
function decodeQuoted(s: string, fail: (m: string) => never): string {
  const q = s[0];
  if (s.length < 2 || (q !== '"' && q !== "'") || s[s.length - 1] !== q) fail('STRING that is not quoted');
  const body = s.slice(1, -1);
  const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
  const bytes = body.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_m, e: string) => (e.startsWith('x') && e.length === 3 ? String.fromCharCode(parseInt(e.slice(1), 16)) : (simple[e] ?? `\\${e}`)));
  return latin1(Uint8Array.from(bytes, (c) => c.charCodeAt(0) & 0xff));
}
