import type { ParamValue } from '../params/types.ts';
import { tempoFromWire } from '../screens/checkpoint-wire.ts';
import type { TempoState } from '../tempo/tempo.ts';

/**
 * The small protocol between the page (which owns the bus) and the kiosk bridge, on one WebSocket:
 *   binary frames  raw OSC packets — bridge → page: what desks sent; page → bridge: feedback for the desk (UDP out)
 *   text frames    JSON, one of the messages below
 * The page reports bus values so the bridge can answer OSCQuery (VALUE, LISTEN) without owning any state.
 */
export const WS_PROTOCOL_VERSION = 1;

export type PageToBridge =
  | { readonly type: 'hello'; readonly role: 'page'; readonly protocol: number }
  /** Bus targets: `full` replaces the bridge's mirror (sent on every connect), otherwise a delta. */
  | { readonly type: 'values'; readonly full: boolean; readonly values: Readonly<Record<string, ParamValue>> }
  /** Several screens: the leading page's cue- or pose-layer changes (null: released), for the followers' walk lanes. */
  | { readonly type: 'layers'; readonly source: 'cue' | 'pose'; readonly values: Readonly<Record<string, ParamValue | null>> }
  /** Several screens: the leading page's tempo, sent when a beat, tap, MIDI clock or bpm corrected it. */
  | { readonly type: 'tempo'; readonly tempo: TempoState };

/** The bridge's own counters, sent to the page once a second for the HUD (the same figures as /health's `osc`). */
export interface BridgeCounters {
  /** Packets in from desks since start, and per second over the last ~10 s. */
  readonly received: number;
  readonly receivedPerSecond: number;
  /** Packets sent on to the page(s), likewise. */
  readonly forwarded: number;
  readonly forwardedPerSecond: number;
  /** Packets the bridge dropped, by reason (only reasons seen). */
  readonly dropped: Readonly<Record<string, number>>;
  /** Datagrams the kernel dropped before the bridge could read them (receive buffer full); null where unknown. */
  readonly kernelDrops: number | null;
  /** 'socket': our sockets' own count; 'system': every UDP socket on the machine; 'none': unknown. */
  readonly kernelDropsSource: 'socket' | 'system' | 'none';
}

export type BridgeToPage =
  | {
      readonly type: 'welcome';
      readonly protocol: number;
      /** UDP port the bridge listens on, for the HUD ("desk → 192.168.1.20:9000"). */
      readonly udpPort: number;
      readonly feedback: { readonly host: string; readonly port: number } | null;
    }
  | { readonly type: 'stats'; readonly stats: BridgeCounters }
  /** Several screens: a leader's state or a clock sample for the page's walk lane (src/core/screens/protocol.ts text). */
  | { readonly type: 'screens'; readonly message: string };

function isParamValue(v: unknown): v is ParamValue {
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v === 'boolean' || typeof v === 'string') return true;
  return Array.isArray(v) && v.length <= 64 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
}

/** `type`: a refused message's own type, when it named one the protocol knows (so a receiver can count it by kind). */
export type Parsed<T> = { readonly ok: true; readonly message: T } | { readonly ok: false; readonly error: string; readonly type?: PageToBridge['type'] };

function parseObject(text: string): Parsed<Record<string, unknown>> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  if (typeof raw !== 'object' || raw === null) return { ok: false, error: 'expected an object' };
  return { ok: true, message: raw as Record<string, unknown> };
}

/** Validates a text frame from the page (the bridge trusts nothing it did not check). */
export function parsePageMessage(text: string): Parsed<PageToBridge> {
  const parsed = parseObject(text);
  if (!parsed.ok) return parsed;
  const o = parsed.message;
  if (o.type === 'hello') {
    if (o.role !== 'page' || typeof o.protocol !== 'number') return { ok: false, error: 'hello: expected role "page" and a protocol number' };
    return { ok: true, message: { type: 'hello', role: 'page', protocol: o.protocol } };
  }
  if (o.type === 'values') {
    if (typeof o.values !== 'object' || o.values === null || Array.isArray(o.values)) return { ok: false, error: 'values.values: expected an object' };
    const values: Record<string, ParamValue> = {};
    for (const [k, v] of Object.entries(o.values as Record<string, unknown>)) {
      if (!isParamValue(v)) return { ok: false, error: `values.values.${k}: expected a number, bool, string or numbers` };
      values[k] = v;
    }
    return { ok: true, message: { type: 'values', full: o.full === true, values } };
  }
  if (o.type === 'layers') {
    if (o.source !== 'cue' && o.source !== 'pose') return { ok: false, error: 'layers.source: expected "cue" or "pose"', type: 'layers' };
    const source = o.source;
    if (typeof o.values !== 'object' || o.values === null || Array.isArray(o.values)) return { ok: false, error: 'layers.values: expected an object', type: 'layers' };
    const values: Record<string, ParamValue | null> = {};
    for (const [k, v] of Object.entries(o.values as Record<string, unknown>)) {
      if (v !== null && !isParamValue(v)) return { ok: false, error: `layers.values.${k.slice(0, 64)}: expected a number, bool, string, numbers or null`, type: 'layers' };
      values[k] = v;
    }
    return { ok: true, message: { type: 'layers', source, values } };
  }
  if (o.type === 'tempo') {
    const t = tempoFromWire(o.tempo, 'tempo.tempo');
    if (!t.ok) return { ok: false, error: t.error };
    return { ok: true, message: { type: 'tempo', tempo: t.tempo } };
  }
  return { ok: false, error: `unknown type ${JSON.stringify(o.type)}` };
}

export function parseBridgeMessage(text: string): Parsed<BridgeToPage> {
  const parsed = parseObject(text);
  if (!parsed.ok) return parsed;
  const o = parsed.message;
  if (o.type === 'welcome' && typeof o.protocol === 'number' && typeof o.udpPort === 'number') {
    const f = o.feedback as { host?: unknown; port?: unknown } | null;
    const feedback = f && typeof f.host === 'string' && typeof f.port === 'number' ? { host: f.host, port: f.port } : null;
    return { ok: true, message: { type: 'welcome', protocol: o.protocol, udpPort: o.udpPort, feedback } };
  }
  if (o.type === 'screens' && typeof o.message === 'string') return { ok: true, message: { type: 'screens', message: o.message } };
  if (o.type === 'stats' && typeof o.stats === 'object' && o.stats !== null) {
    const st = o.stats as Record<string, unknown>;
    const num = (k: string): number => (typeof st[k] === 'number' && Number.isFinite(st[k]) ? (st[k] as number) : 0);
    const dropped: Record<string, number> = {};
    if (typeof st.dropped === 'object' && st.dropped !== null) {
      for (const [k, v] of Object.entries(st.dropped as Record<string, unknown>)) if (typeof v === 'number' && Number.isFinite(v)) dropped[k] = v;
    }
    const source = st.kernelDropsSource === 'socket' || st.kernelDropsSource === 'system' ? st.kernelDropsSource : 'none';
    const kernelDrops = typeof st.kernelDrops === 'number' && Number.isFinite(st.kernelDrops) ? st.kernelDrops : null;
    return {
      ok: true,
      message: {
        type: 'stats',
        stats: {
          received: num('received'), receivedPerSecond: num('receivedPerSecond'), forwarded: num('forwarded'),
          forwardedPerSecond: num('forwardedPerSecond'), dropped, kernelDrops, kernelDropsSource: source,
        },
      },
    };
  }
  return { ok: false, error: `unknown type ${JSON.stringify(o.type)}` };
}
