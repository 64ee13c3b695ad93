import type { OscMessage } from './types.ts';

/**
 * Flattens a decoded OSC packet into messages with their bundle's timetag. Decoding itself happens at the edge
 * (osc-js in the page and the bridge); this reads osc-js's shapes structurally, so the core imports no library:
 *   message: { address, types, args }
 *   bundle:  { timetag: { value: { seconds, fractions } }, bundleElements: [...] }
 */
export interface TimedMessage {
  readonly message: OscMessage;
  /** Milliseconds since the Unix epoch, or null for "immediately" (timetag 0x0000000000000001) and plain messages. */
  readonly timetagMs: number | null;
}

export type Flattened = { readonly ok: true; readonly messages: TimedMessage[] } | { readonly ok: false; readonly error: string };

/** Seconds between the NTP epoch (1900) and the Unix epoch (1970), RFC 5905. */
const NTP_UNIX_OFFSET_S = 2208988800;
const TWO_POW_32 = 4294967296;
/** Bundles nest; a hostile packet could nest deeply. Nothing a desk sends goes past a few levels. */
const MAX_DEPTH = 8;

/** NTP 64-bit fixed point → Unix milliseconds; (0, 1) and (0, 0) mean "immediately". */
export function timetagToMs(seconds: number, fractions: number): number | null {
  if (seconds === 0) return null;
  return (seconds - NTP_UNIX_OFFSET_S) * 1000 + (fractions / TWO_POW_32) * 1000;
}

function isMessage(v: unknown): v is OscMessage {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.address === 'string' && typeof o.types === 'string' && Array.isArray(o.args);
}

function readTimetag(v: Record<string, unknown>): number | null | undefined {
  const tt = v.timetag as { value?: { seconds?: unknown; fractions?: unknown } } | undefined;
  const s = tt?.value?.seconds;
  const f = tt?.value?.fractions;
  if (typeof s !== 'number' || typeof f !== 'number') return undefined;
  return timetagToMs(s, f);
}

function walk(v: unknown, outer: number | null, depth: number, out: TimedMessage[]): string | null {
  if (isMessage(v)) {
    out.push({ message: v, timetagMs: outer });
    return null;
  }
  if (typeof v !== 'object' || v === null) return 'not a message or bundle';
  const o = v as Record<string, unknown>;
  if (!Array.isArray(o.bundleElements)) return 'not a message or bundle';
  if (depth >= MAX_DEPTH) return `bundles nested deeper than ${MAX_DEPTH}`;
  const tt = readTimetag(o);
  if (tt === undefined) return 'bundle without a timetag';
  // OSC 1.0: a nested bundle's timetag must not be earlier than its parent's; take the later one if it is.
  const own = tt === null ? outer : outer === null ? tt : Math.max(outer, tt);
  for (const el of o.bundleElements as unknown[]) {
    const err = walk(el, own, depth + 1, out);
    if (err) return err;
  }
  return null;
}

export function flattenPacket(value: unknown): Flattened {
  const messages: TimedMessage[] = [];
  const err = walk(value, null, 0, messages);
  return err ? { ok: false, error: err } : { ok: true, messages };
}
