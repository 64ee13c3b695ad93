import type { ParamSpec, ParamValue } from './types.ts';

export type Coerced =
  | { readonly ok: true; readonly value: ParamValue; readonly clamped: boolean }
  | { readonly ok: false; readonly expected: string; readonly got: string };

/** Describes what a spec accepts, in the words error messages use ("a number from 0 to 4 (×)"). */
export function describeExpected(spec: ParamSpec): string {
  switch (spec.type) {
    case 'float':
      return `a number from ${spec.min} to ${spec.max}${spec.unit ? ` (${spec.unit})` : ''}`;
    case 'int':
      return `a whole number from ${spec.min} to ${spec.max}${spec.unit ? ` (${spec.unit})` : ''}`;
    case 'bool':
      return 'true or false (or 1/0)';
    case 'enum':
      return `one of ${spec.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'vec':
      return `${spec.length} numbers from ${spec.min} to ${spec.max}`;
  }
}

/**
 * Short description of an untrusted value for messages. Bounded in depth and length: a show file can hold a value
 * nested thousands deep or a list of a million items, and the message about it must neither recurse without end
 * nor fill the screen.
 */
export function describeGot(value: unknown): string {
  const s = describeBounded(value, 0);
  return s.length > 80 ? `${s.slice(0, 79)}…` : s;
}

const DESCRIBE_DEPTH = 3;
const DESCRIBE_ITEMS = 8;

function describeBounded(value: unknown, depth: number): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 59)}…` : value);
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    if (depth >= DESCRIBE_DEPTH) return value.length === 0 ? '[]' : '[…]';
    const items = value.slice(0, DESCRIBE_ITEMS).map((v: unknown) => describeBounded(v, depth + 1));
    if (value.length > DESCRIBE_ITEMS) items.push(`… ${value.length - DESCRIBE_ITEMS} more`);
    return `[${items.join(', ')}]`;
  }
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function clampNumber(x: number, min: number, max: number): { value: number; clamped: boolean } {
  if (x < min) return { value: min, clamped: true };
  if (x > max) return { value: max, clamped: true };
  return { value: x, clamped: false };
}

/**
 * Turns an untrusted value (from OSC, a show file, a mapping) into a value the spec holds.
 * Out-of-range numbers are clamped (and say so); NaN, Infinity and wrong types are refused: a desk
 * sending garbage must never move a parameter to a surprising place.
 */
export function coerce(spec: ParamSpec, input: unknown): Coerced {
  const fail = (): Coerced => ({ ok: false, expected: describeExpected(spec), got: describeGot(input) });
  switch (spec.type) {
    case 'float':
    case 'int': {
      let x: number;
      if (typeof input === 'number') x = input;
      else if (typeof input === 'boolean') x = input ? 1 : 0;
      else return fail();
      if (!Number.isFinite(x)) return fail();
      if (spec.type === 'int') x = Math.round(x);
      const c = clampNumber(x, spec.min, spec.max);
      return { ok: true, value: c.value, clamped: c.clamped };
    }
    case 'bool': {
      if (typeof input === 'boolean') return { ok: true, value: input, clamped: false };
      if (typeof input === 'number' && Number.isFinite(input)) return { ok: true, value: input >= 0.5, clamped: false };
      return fail();
    }
    case 'enum': {
      if (typeof input === 'string' && spec.values.includes(input)) return { ok: true, value: input, clamped: false };
      // Desks send numbers: an integer index selects the nth value.
      if (typeof input === 'number' && Number.isInteger(input) && input >= 0 && input < spec.values.length) {
        return { ok: true, value: spec.values[input] as string, clamped: false };
      }
      return fail();
    }
    case 'vec': {
      if (!Array.isArray(input) || input.length !== spec.length) return fail();
      let clamped = false;
      const out: number[] = [];
      for (const item of input as unknown[]) {
        if (typeof item !== 'number' || !Number.isFinite(item)) return fail();
        const c = clampNumber(item, spec.min, spec.max);
        clamped ||= c.clamped;
        out.push(c.value);
      }
      return { ok: true, value: out, clamped };
    }
  }
}

/** Maps a desk's 0..1 fader onto the spec's range (enums: evenly spaced steps; bools: ≥ 0.5). */
export function fromNormalised(spec: ParamSpec, x: number): Coerced {
  if (!Number.isFinite(x)) return { ok: false, expected: 'a number from 0 to 1', got: describeGot(x) };
  const c = clampNumber(x, 0, 1);
  switch (spec.type) {
    case 'float':
      return { ok: true, value: spec.min + c.value * (spec.max - spec.min), clamped: c.clamped };
    case 'int':
      return { ok: true, value: Math.round(spec.min + c.value * (spec.max - spec.min)), clamped: c.clamped };
    case 'bool':
      return { ok: true, value: c.value >= 0.5, clamped: c.clamped };
    case 'enum': {
      const i = Math.min(spec.values.length - 1, Math.floor(c.value * spec.values.length));
      return { ok: true, value: spec.values[i] as string, clamped: c.clamped };
    }
    case 'vec':
      return { ok: false, expected: `${spec.length} numbers (vectors have no single fader)`, got: describeGot(x) };
  }
}

/** The inverse of fromNormalised, for feedback to faders. Vectors report their first element. */
export function toNormalised(spec: ParamSpec, value: ParamValue): number {
  switch (spec.type) {
    case 'float':
    case 'int':
      return spec.max === spec.min ? 0 : ((value as number) - spec.min) / (spec.max - spec.min);
    case 'bool':
      return value ? 1 : 0;
    case 'enum': {
      const i = spec.values.indexOf(value as string);
      return spec.values.length <= 1 ? 0 : Math.max(0, i) / (spec.values.length - 1);
    }
    case 'vec': {
      const first = (value as readonly number[])[0] ?? spec.min;
      return spec.max === spec.min ? 0 : (first - spec.min) / (spec.max - spec.min);
    }
  }
}
