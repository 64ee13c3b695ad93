import type { ParamSpec } from '../params/types.ts';
import type { DropReason, OscMessage } from './types.ts';

/**
 * Turns OSC arguments into the plain value a parameter spec's coerce() accepts, or says why not.
 * Accepted per spec type (the type tags desks actually send):
 *   float/int  i, f, d, h, t (64-bit, within ±2^53), T/F (1/0), s holding a plain decimal number ("0.5")
 *   bool       T/F, any number (≥ 0.5 is on), s "true"/"false"/"on"/"off"/"1"/"0"
 *   enum       s naming a value, or a whole number (i, or f/d holding one) selecting the nth value
 *   vec        exactly `length` numbers
 * NaN, ±Infinity and the Infinitum tag I are 'not-finite'; nil N, blobs b and other tags are 'wrong-type'.
 */
export type ArgValue = { readonly ok: true; readonly value: number | boolean | string | readonly number[] } | { readonly ok: false; readonly reason: DropReason; readonly detail: string };

const DECIMAL = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** The type-tag letters of a message, without osc-js's leading comma. */
export function typeTags(msg: OscMessage): string {
  return msg.types.startsWith(',') ? msg.types.slice(1) : msg.types;
}

type Scalar = { ok: true; value: number | boolean | string } | { ok: false; reason: DropReason; detail: string };

/** Reads one argument by its tag into number | boolean | string. */
export function readArg(tag: string | undefined, value: unknown): Scalar {
  switch (tag) {
    case 'i':
    case 'f':
    case 'd':
      if (typeof value !== 'number') return { ok: false, reason: 'wrong-type', detail: `tag ${tag} without a number` };
      if (!Number.isFinite(value)) return { ok: false, reason: 'not-finite', detail: String(value) };
      return { ok: true, value };
    case 'h':
    case 't': {
      // osc-js reads 64-bit integers as BigInt.
      const n = typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
      if (!Number.isFinite(n)) return { ok: false, reason: 'wrong-type', detail: `tag ${tag} without an integer` };
      if (!Number.isSafeInteger(n)) return { ok: false, reason: 'not-finite', detail: `64-bit ${String(value)} beyond ±2^53` };
      return { ok: true, value: n };
    }
    case 'T':
      return { ok: true, value: true };
    case 'F':
      return { ok: true, value: false };
    case 's':
    case 'S':
      if (typeof value !== 'string') return { ok: false, reason: 'wrong-type', detail: 'tag s without a string' };
      return { ok: true, value };
    case 'I':
      return { ok: false, reason: 'not-finite', detail: 'Infinitum (I)' };
    case undefined:
      return { ok: false, reason: 'missing-arg', detail: 'no argument' };
    default:
      return { ok: false, reason: 'wrong-type', detail: `type tag "${tag}"` };
  }
}

function asNumber(s: Scalar): Scalar {
  if (!s.ok || typeof s.value !== 'string') return s;
  if (!DECIMAL.test(s.value)) return { ok: false, reason: 'wrong-type', detail: `string ${JSON.stringify(s.value)} is not a number` };
  return { ok: true, value: Number(s.value) };
}

const TRUE_WORDS = new Set(['true', 'on', '1', 'yes']);
const FALSE_WORDS = new Set(['false', 'off', '0', 'no']);

/** Reads the argument(s) of a message for a parameter, in the parameter's own unit. */
export function argsForSpec(spec: ParamSpec, msg: OscMessage, argIndex = 0): ArgValue {
  const tags = typeTags(msg);
  if (spec.type === 'vec') {
    if (tags.length === 0) return { ok: false, reason: 'missing-arg', detail: `expected ${spec.length} numbers` };
    const out: number[] = [];
    for (let i = 0; i < tags.length; i++) {
      const s = asNumber(readArg(tags[i], msg.args[i]));
      if (!s.ok) return s;
      if (typeof s.value !== 'number') return { ok: false, reason: 'wrong-type', detail: `argument ${i} is not a number` };
      out.push(s.value);
    }
    if (out.length !== spec.length) return { ok: false, reason: 'wrong-type', detail: `expected ${spec.length} numbers, got ${out.length}` };
    return { ok: true, value: out };
  }
  const s = readArg(tags[argIndex], msg.args[argIndex]);
  if (!s.ok) return s;
  switch (spec.type) {
    case 'float':
    case 'int': {
      const n = asNumber(s);
      if (!n.ok) return n;
      return { ok: true, value: n.value };
    }
    case 'bool': {
      if (typeof s.value !== 'string') return { ok: true, value: s.value };
      const w = s.value.trim().toLowerCase();
      if (TRUE_WORDS.has(w)) return { ok: true, value: true };
      if (FALSE_WORDS.has(w)) return { ok: true, value: false };
      return { ok: false, reason: 'wrong-type', detail: `string ${JSON.stringify(s.value)} is not on/off` };
    }
    case 'enum': {
      if (typeof s.value === 'boolean') return { ok: false, reason: 'wrong-type', detail: 'T/F for a choice' };
      if (typeof s.value === 'string') {
        if (spec.values.includes(s.value)) return { ok: true, value: s.value };
        // A string holding a whole number is an index too (Max and Pd often send every atom as a symbol).
        const n = asNumber(s);
        if (n.ok && typeof n.value === 'number' && Number.isInteger(n.value)) return { ok: true, value: n.value };
        return { ok: false, reason: 'wrong-type', detail: `${JSON.stringify(s.value)} is not one of ${spec.values.join(', ')}` };
      }
      if (!Number.isInteger(s.value)) return { ok: false, reason: 'wrong-type', detail: `${s.value} is not a whole index` };
      if (s.value < 0 || s.value >= spec.values.length) {
        return { ok: false, reason: 'out-of-range', detail: `index ${s.value} outside 0..${spec.values.length - 1}` };
      }
      return { ok: true, value: s.value };
    }
  }
}

/** Reads one number (a 0..1 fader, a learned foreign value, a command argument). */
export type NumberResult = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly reason: DropReason; readonly detail: string };

export function numberArg(msg: OscMessage, argIndex = 0): NumberResult {
  const s = asNumber(readArg(typeTags(msg)[argIndex], msg.args[argIndex]));
  if (!s.ok) return s;
  if (typeof s.value === 'boolean') return { ok: true, value: s.value ? 1 : 0 };
  if (typeof s.value !== 'number') return { ok: false, reason: 'wrong-type', detail: 'expected a number' };
  return { ok: true, value: s.value };
}

/**
 * Trigger semantics for buttons: no argument, T, a non-zero number or a string fires; 0 or F is the release a
 * TouchOSC button sends after its press, and is ignored (not a drop).
 */
export function isPress(msg: OscMessage): boolean | { reason: DropReason; detail: string } {
  const tags = typeTags(msg);
  if (tags.length === 0) return true;
  const s = readArg(tags[0], msg.args[0]);
  if (!s.ok) return s.reason === 'wrong-type' && tags[0] === 'N' ? true : { reason: s.reason, detail: s.detail };
  if (typeof s.value === 'number') return s.value !== 0;
  if (typeof s.value === 'boolean') return s.value;
  return true;
}
