import { PyDict, PyGlobal, PySet, PyTuple, type PyValue } from '../../../src/core/pickle/index.ts';

/** A PyValue as plain JS for toEqual: tuples as {tuple: [...]}, dicts as objects, sets as sorted {set: [...]}, bigints as strings. */
export function plain(v: PyValue): unknown {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Uint8Array) return { bytes: Array.from(v) };
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof PyTuple) return { tuple: v.items.map(plain) };
  if (v instanceof PyDict) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v.entries()) o[typeof k === 'string' ? k : JSON.stringify(plain(k))] = plain(x);
    return o;
  }
  if (v instanceof PySet) return { [v.frozen ? 'frozenset' : 'set']: v.items.map(plain).sort() };
  if (v instanceof PyGlobal) return { global: v.qualified };
  return v;
}

export function get(d: PyValue, key: string): PyValue {
  if (!(d instanceof PyDict)) throw new Error(`expected a dict, got ${String(d)}`);
  const v = d.get(key);
  if (v === undefined) throw new Error(`no key ${key}`);
  return v;
}

/** Bytes ↔ a string of one char per byte (true ISO-8859-1; TextDecoder's 'latin1' is windows-1252). */
export const bytesToText = (b: Uint8Array): string => Array.from(b, (x) => String.fromCharCode(x)).join('');
export const textToBytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
