import { suggest } from './did-you-mean.ts';
import { joinKey, type Reporter } from './issues.ts';

/**
 * Small readers over untrusted JSON. Each one returns a typed value, falling back to the default after reporting
 * a problem, so that validation goes on and one run lists every mistake in a file. `undefined` (key absent) means
 * "use the default" and is never an error; required keys are checked by the caller.
 */

/** Keys every object may hold for notes, following JSON Schema's "$comment" convention (plain JSON has none). */
export const COMMENT_KEY = '$comment';

export type JsonObject = Readonly<Record<string, unknown>>;

export function isPlainObject(raw: unknown): raw is JsonObject {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw);
}

export function unknownKey(r: Reporter, path: string, key: string, known: readonly string[]): void {
  const near = suggest(key, known);
  const hint = near !== undefined
    ? `did you mean ${JSON.stringify(near)}?`
    : `expected one of ${known.map((k) => JSON.stringify(k)).join(', ')}`;
  r.add(joinKey(path, key), `unknown key; ${hint}`);
}

/** An object whose keys are all known (or "$comment"). Returns undefined when raw is absent or not an object. */
export function readObject(r: Reporter, raw: unknown, path: string, known: readonly string[]): JsonObject | undefined {
  if (raw === undefined) return undefined;
  if (!isPlainObject(raw)) {
    r.expected(path, 'an object', raw);
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (key !== COMMENT_KEY && !known.includes(key)) unknownKey(r, path, key, known);
  }
  return raw;
}

export interface NumberRule {
  /** Words for the message: "a number of seconds ≥ 0". */
  readonly expected: string;
  readonly min?: number;
  readonly max?: number;
  /** min itself is not allowed (durations that divide, rates). */
  readonly above?: number;
  readonly integer?: boolean;
}

export const SECONDS: NumberRule = { expected: 'a number of seconds ≥ 0', min: 0 };
export const POSITIVE_SECONDS: NumberRule = { expected: 'a number of seconds > 0', above: 0 };
export const PORT: NumberRule = { expected: 'a port number from 1 to 65535', min: 1, max: 65535, integer: true };

export function numberOk(x: unknown, rule: NumberRule): x is number {
  if (typeof x !== 'number' || !Number.isFinite(x)) return false;
  if (rule.integer === true && !Number.isInteger(x)) return false;
  if (rule.min !== undefined && x < rule.min) return false;
  if (rule.above !== undefined && x <= rule.above) return false;
  return rule.max === undefined || x <= rule.max;
}

export function readNumber(r: Reporter, raw: unknown, path: string, rule: NumberRule, fallback: number): number {
  if (raw === undefined) return fallback;
  if (numberOk(raw, rule)) return raw;
  r.expected(path, rule.expected, raw);
  return fallback;
}

/** A number or null (null meaning "off"), e.g. credits or a daily restart. */
export function readNullableNumber(
  r: Reporter, raw: unknown, path: string, rule: NumberRule, fallback: number | null,
): number | null {
  if (raw === null) return null;
  if (raw === undefined) return fallback;
  if (numberOk(raw, rule)) return raw;
  r.expected(path, `${rule.expected} or null`, raw);
  return fallback;
}

export function readBool(r: Reporter, raw: unknown, path: string, fallback: boolean): boolean {
  if (raw === undefined) return fallback;
  if (typeof raw === 'boolean') return raw;
  r.expected(path, 'true or false', raw);
  return fallback;
}

export function readString(
  r: Reporter, raw: unknown, path: string, expected: string, fallback: string, test: (s: string) => boolean = () => true,
): string {
  if (raw === undefined) return fallback;
  if (typeof raw === 'string' && test(raw)) return raw;
  r.expected(path, expected, raw);
  return fallback;
}

export function readNullableString(
  r: Reporter, raw: unknown, path: string, expected: string, fallback: string | null,
  test: (s: string) => boolean = () => true,
): string | null {
  if (raw === null) return null;
  if (raw === undefined) return fallback;
  if (typeof raw === 'string' && test(raw)) return raw;
  r.expected(path, `${expected} or null`, raw);
  return fallback;
}

export function describeChoices(values: readonly string[]): string {
  return `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
}

/** One of a fixed list of words; a near miss ("gpu" for "GPU") gets a suggestion. */
export function readEnum<T extends string>(
  r: Reporter, raw: unknown, path: string, values: readonly T[], fallback: T,
): T {
  if (raw === undefined) return fallback;
  const found = values.find((v) => v === raw);
  if (found !== undefined) return found;
  const near = typeof raw === 'string' ? suggest(raw, values) : undefined;
  r.expected(path, `${describeChoices(values)}${near !== undefined ? ` (did you mean ${JSON.stringify(near)}?)` : ''}`, raw);
  return fallback;
}

export function readArray(r: Reporter, raw: unknown, path: string, expected: string): readonly unknown[] | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) return raw as readonly unknown[];
  r.expected(path, expected, raw);
  return undefined;
}

/** A [low, high] pair of finite numbers with low ≠ high (a range that maps somewhere). */
export function readRange(
  r: Reporter, raw: unknown, path: string, fallback: readonly [number, number],
): readonly [number, number] {
  if (raw === undefined) return fallback;
  if (Array.isArray(raw) && raw.length === 2 && raw.every((x) => typeof x === 'number' && Number.isFinite(x)) && raw[0] !== raw[1]) {
    return [raw[0] as number, raw[1] as number];
  }
  r.expected(path, 'two different numbers [from, to]', raw);
  return fallback;
}
