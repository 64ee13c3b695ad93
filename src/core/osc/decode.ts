import type { OscMessage } from './types.ts';
import { errorMessage } from '../error-message.ts';

/**
 * A bounds-checked OSC 1.0 decoder that never throws, for untrusted bytes at the bridge (where a flood must cost
 * little: osc-js builds an object per atom and a Buffer per string, ~10× slower here, see bench/node/osc.bench.ts).
 * Its output has osc-js's shapes, so flattenPacket() and the router read either:
 *   message: { address, types: ",fi…", args }      bundle: { timetag: { value: { seconds, fractions } }, bundleElements }
 * Argument values as osc-js gives them: i f d r → number, h t → bigint, s S c → string, b m → Uint8Array,
 * T → true, F → false, N → null, I → Infinity. Arrays ([ ]) are refused: no Sitter address takes one.
 */
export interface DecodedBundle {
  readonly timetag: { readonly value: { readonly seconds: number; readonly fractions: number } };
  readonly bundleElements: readonly DecodedPacket[];
}

export type DecodedPacket = OscMessage | DecodedBundle;

export type Decoded = { readonly ok: true; readonly packet: DecodedPacket } | { readonly ok: false; readonly error: string };

const MAX_DEPTH = 8;
const utf8 = new TextDecoder('utf-8');

class Malformed extends Error {}

function fail(why: string): never {
  throw new Malformed(why);
}

/** Reads a NUL-terminated, 4-byte padded string at `at`; returns it and the offset after its padding. */
function readString(bytes: Uint8Array, at: number, end: number): [string, number] {
  let i = at;
  let ascii = true;
  while (i < end && bytes[i] !== 0) {
    if ((bytes[i] as number) > 127) ascii = false;
    i++;
  }
  if (i >= end) fail(`unterminated string at byte ${at}`);
  let s: string;
  if (ascii) {
    s = '';
    for (let k = at; k < i; k++) s += String.fromCharCode(bytes[k] as number);
  } else {
    s = utf8.decode(bytes.subarray(at, i));
  }
  const next = (i + 4) & ~3;
  if (next > end) fail(`string padding past the end at byte ${at}`);
  return [s, next];
}

function need(at: number, n: number, end: number, what: string): void {
  if (at + n > end) fail(`${what} at byte ${at} runs past the end`);
}

function readMessage(bytes: Uint8Array, view: DataView, start: number, end: number): OscMessage {
  const [address, afterAddress] = readString(bytes, start, end);
  if (!address.startsWith('/')) fail(`address ${JSON.stringify(address.slice(0, 32))} does not start with "/"`);
  // OSC 1.0 lets very old senders omit the type tags; with nothing after the address that is "no arguments".
  if (afterAddress === end) return { address, types: ',', args: [] };
  const [types, afterTypes] = readString(bytes, afterAddress, end);
  if (!types.startsWith(',')) fail('type tag string does not start with ","');
  const args: unknown[] = [];
  let at = afterTypes;
  for (let k = 1; k < types.length; k++) {
    const tag = types[k];
    switch (tag) {
      case 'i':
        need(at, 4, end, 'int32');
        args.push(view.getInt32(at));
        at += 4;
        break;
      case 'f':
        need(at, 4, end, 'float32');
        args.push(view.getFloat32(at));
        at += 4;
        break;
      case 'r':
        need(at, 4, end, 'rgba');
        args.push(view.getUint32(at));
        at += 4;
        break;
      case 'c':
        need(at, 4, end, 'char');
        args.push(String.fromCharCode(view.getUint32(at) & 0xff));
        at += 4;
        break;
      case 'm':
        need(at, 4, end, 'midi');
        args.push(bytes.slice(at, at + 4));
        at += 4;
        break;
      case 'd':
        need(at, 8, end, 'float64');
        args.push(view.getFloat64(at));
        at += 8;
        break;
      case 'h':
        need(at, 8, end, 'int64');
        args.push(view.getBigInt64(at));
        at += 8;
        break;
      case 't':
        need(at, 8, end, 'timetag');
        args.push(view.getBigUint64(at));
        at += 8;
        break;
      case 's':
      case 'S': {
        const [s, next] = readString(bytes, at, end);
        args.push(s);
        at = next;
        break;
      }
      case 'b': {
        need(at, 4, end, 'blob size');
        const size = view.getInt32(at);
        if (size < 0) fail(`negative blob size at byte ${at}`);
        const padded = (size + 3) & ~3;
        need(at + 4, padded, end, 'blob');
        args.push(bytes.slice(at + 4, at + 4 + size));
        at += 4 + padded;
        break;
      }
      case 'T':
        args.push(true);
        break;
      case 'F':
        args.push(false);
        break;
      case 'N':
        args.push(null);
        break;
      case 'I':
        args.push(Number.POSITIVE_INFINITY);
        break;
      default:
        fail(`unsupported type tag ${JSON.stringify(tag)}`);
    }
  }
  if (at !== end) fail(`${end - at} bytes after the last argument`);
  return { address, types, args };
}

const BUNDLE_HEAD = [35, 98, 117, 110, 100, 108, 101, 0]; // "#bundle\0"

function isBundle(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start < 8) return false;
  for (let k = 0; k < 8; k++) if (bytes[start + k] !== BUNDLE_HEAD[k]) return false;
  return true;
}

function readPacket(bytes: Uint8Array, view: DataView, start: number, end: number, depth: number): DecodedPacket {
  if ((end - start) % 4 !== 0 || end <= start) fail(`packet of ${end - start} bytes is not a positive multiple of 4`);
  if (!isBundle(bytes, start, end)) return readMessage(bytes, view, start, end);
  if (depth >= MAX_DEPTH) fail(`bundles nested deeper than ${MAX_DEPTH}`);
  need(start + 8, 8, end, 'bundle timetag');
  const seconds = view.getUint32(start + 8);
  const fractions = view.getUint32(start + 12);
  const elements: DecodedPacket[] = [];
  let at = start + 16;
  while (at < end) {
    need(at, 4, end, 'bundle element size');
    const size = view.getInt32(at);
    if (size <= 0 || size % 4 !== 0) fail(`bundle element size ${size} at byte ${at}`);
    need(at + 4, size, end, 'bundle element');
    elements.push(readPacket(bytes, view, at + 4, at + 4 + size, depth + 1));
    at += 4 + size;
  }
  return { timetag: { value: { seconds, fractions } }, bundleElements: elements };
}

export function decodePacket(bytes: Uint8Array): Decoded {
  try {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { ok: true, packet: readPacket(bytes, view, 0, bytes.byteLength, 0) };
  } catch (e) {
    if (e instanceof Malformed) return { ok: false, error: e.message };
    return { ok: false, error: errorMessage(e) };
  }
}
