import { PARAMS, isParamName } from '../params/catalogue.ts';
import { coerce } from '../params/coerce.ts';
import type { ParamSpec } from '../params/types.ts';
import { checkpointFromWire, checkpointToWire, tempoFromWire, tempoToWire } from './checkpoint-wire.ts';
import { MAX_WALK_TICKS, validTickRate, type LaneCheckpoint, type LaneSource, type StampedChange } from './lane.ts';

/**
 * Leader ⇄ follower messages: JSON text frames on the bridge's WebSocket (kiosk/bridge, path SCREENS_WS_PATH),
 * beside the page's. Layer changes, the walk's epoch, clock samples and, to join, the lane's newest checkpoint
 * travel; never pictures. Version 2: hello and full state carry a checkpoint and only the changes after it (version 1
 * sent the whole log from tick 0, which grew with the show). Version 3: the leader's tempo is lane state (a `t` change
 * when it is corrected, the tempo in every checkpoint), and every screen computes the walk's tempo pulses from it (2
 * carried them as pose values at 20 Hz). Peers of different versions refuse each other.
 */
export const SCREENS_PROTOCOL_VERSION = 3;
export const SCREENS_WS_PATH = '/screens';
/**
 * The largest `/screens` frame either side reads (the ws library closes the socket, 1009, on a larger one). A full
 * state or hello is one checkpoint (~37 kB at 512-d) and at most one interval of changes (~49 bytes each). 16 MiB is
 * ~340 000 changes: room for a busy desk and cue fades (each layer and parameter at most 20/s), while a socket cannot
 * make a kiosk buffer more.
 */
export const SCREENS_MAX_MESSAGE_BYTES = 16 << 20;

/**
 * [tick, source (desk, cue, pose), parameter, value or null to release], or [tick, 't', 'tempo', tempo] for the
 * leader's tempo: the compact form of a StampedChange on the wire.
 */
export type WireChange = readonly [number, 'd' | 'c' | 'p', string, unknown] | readonly [number, 't', 'tempo', unknown];

export type FollowerToLeader =
  | {
      readonly type: 'screen-hello';
      readonly protocol: number;
      readonly screen: string;
      /** The walk the follower is already showing (after a leader restart, the leader may take it over). */
      readonly epoch: number | null;
      readonly tickRate: number | null;
      /** The newest checkpoint of that walk (null: `changes` start at tick 0); `changes` are the log from its tick on. */
      readonly checkpoint: LaneCheckpoint | null;
      readonly changes: readonly StampedChange[];
    }
  | { readonly type: 'screen-ping'; readonly id: number; readonly sent: number };

export type LeaderToFollower =
  | {
      readonly type: 'screen-state';
      readonly protocol: number;
      readonly leader: string;
      readonly epoch: number;
      readonly tickRate: number;
      /** Leader's clock and tick when sent (followers check their own estimate against these). */
      readonly time: number;
      readonly tick: number;
      /**
       * true (sent on connect and after an adoption): `checkpoint` is the lane's newest and `changes` the log from its
       * tick on (null: the whole log from tick 0, a show younger than one checkpoint interval); false: only what is new.
       */
      readonly full: boolean;
      readonly checkpoint: LaneCheckpoint | null;
      readonly changes: readonly StampedChange[];
      /** The cue the leader's engine stands on (for the HUD); null before the first GO. */
      readonly cue: number | null;
    }
  | { readonly type: 'screen-pong'; readonly id: number; readonly sent: number; readonly leader: number }
  /** A leader's answer to a hello of another protocol version (read by every version: no version check). */
  | { readonly type: 'screen-refused'; readonly protocol: number; readonly reason: string };

/** `mismatch`: the peer speaks another protocol version (say so once per connection, not per message). */
export type Parsed<T> = { readonly ok: true; readonly message: T } | { readonly ok: false; readonly error: string; readonly mismatch?: true };

/** What a leader sends a follower of another version (`error`: the parser's, naming both) before ignoring it. */
export function refusal(error: string): LeaderToFollower {
  return { type: 'screen-refused', protocol: SCREENS_PROTOCOL_VERSION, reason: `refused by the leader: ${error}; run the same Sitter on every screen` };
}

const SPECS = new Map<string, ParamSpec>(PARAMS.map((s) => [s.name, s]));

export function toWire(c: StampedChange): WireChange {
  if (c.source === 'tempo') return [c.tick, 't', 'tempo', tempoToWire(c.tempo)];
  return [c.tick, c.source === 'desk' ? 'd' : c.source === 'cue' ? 'c' : 'p', c.name, c.value];
}

export function encode(m: FollowerToLeader | LeaderToFollower): string {
  if (m.type === 'screen-state' || m.type === 'screen-hello') {
    return JSON.stringify({ ...m, checkpoint: m.checkpoint === null ? null : checkpointToWire(m.checkpoint), changes: m.changes.map(toWire) });
  }
  return JSON.stringify(m);
}

/** The type (and full flag) of a leader message without checking the rest: what a queue needs before the lane exists. */
export function peekLeaderMessage(text: string): { readonly type: string; readonly full: boolean } | null {
  const p = object(text);
  if (!p.ok || typeof p.message.type !== 'string') return null;
  return { type: p.message.type, full: p.message.full === true };
}

function versionRefused(what: string, protocol: unknown): Parsed<never> {
  return { ok: false, error: `${what}: protocol ${JSON.stringify(protocol)}, this kiosk speaks ${SCREENS_PROTOCOL_VERSION}`, mismatch: true };
}

/**
 * The checkpoint and the changes after it, as a joiner takes them: the checkpoint checked field by field for a lane
 * of `size` numbers, every change stamped at or after its tick (one before it could not be replayed exactly).
 */
function readStart(o: Record<string, unknown>, size: number): Parsed<{ checkpoint: LaneCheckpoint | null; changes: StampedChange[] }> {
  let checkpoint: LaneCheckpoint | null = null;
  if (o.checkpoint !== null) {
    if (o.checkpoint === undefined) return { ok: false, error: 'checkpoint: expected a checkpoint or null' };
    const c = checkpointFromWire(o.checkpoint, size);
    if (!c.ok) return c;
    checkpoint = c.checkpoint;
  }
  const ch = readChanges(o.changes);
  if (!ch.ok) return ch;
  const from = checkpoint?.tick ?? 0;
  const early = ch.message.findIndex((c) => c.tick < from);
  if (early >= 0) return { ok: false, error: `changes[${early}][0]: stamped before the checkpoint's tick ${from}` };
  return { ok: true, message: { checkpoint, changes: ch.message } };
}

/** Every change checked as the desk path checks a value (catalogue name, type and range): a peer is not trusted. */
function readChanges(raw: unknown): Parsed<StampedChange[]> {
  if (!Array.isArray(raw)) return { ok: false, error: 'changes: expected a list' };
  const out: StampedChange[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c: unknown = raw[i];
    if (!Array.isArray(c) || c.length !== 4) return { ok: false, error: `changes[${i}]: expected [tick, "d"|"c"|"p"|"t", name, value]` };
    const [tick, src, name, value] = c as unknown[];
    // A change stamped beyond any walk's reach would sit in every log and every joiner's state for ever.
    if (typeof tick !== 'number' || !Number.isInteger(tick) || tick < 0 || tick > MAX_WALK_TICKS) return { ok: false, error: `changes[${i}][0]: expected a tick from 0 to 2^48` };
    if (src === 't') {
      if (name !== 'tempo') return { ok: false, error: `changes[${i}][2]: expected "tempo"` };
      const t = tempoFromWire(value, `changes[${i}][3]`);
      if (!t.ok) return t;
      out.push({ tick, source: 'tempo', tempo: t.tempo });
      continue;
    }
    if (src !== 'd' && src !== 'c' && src !== 'p') return { ok: false, error: `changes[${i}][1]: expected "d", "c", "p" or "t"` };
    if (typeof name !== 'string' || !isParamName(name)) return { ok: false, error: `changes[${i}][2]: expected a parameter name, got ${JSON.stringify(name)}` };
    const source: LaneSource = src === 'd' ? 'desk' : src === 'c' ? 'cue' : 'pose';
    if (value === null) {
      out.push({ tick, source, name, value: null });
      continue;
    }
    const spec = SPECS.get(name) as ParamSpec;
    const v = coerce(spec, value);
    if (!v.ok) return { ok: false, error: `changes[${i}] ${name}: expected ${v.expected}, got ${v.got}` };
    out.push({ tick, source, name, value: v.value });
  }
  return { ok: true, message: out };
}

function object(text: string): Parsed<Record<string, unknown>> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, error: 'expected an object' };
  return { ok: true, message: raw as Record<string, unknown> };
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** `size`: this kiosk's latent size (a checkpoint of another size is refused, naming the field). */
export function parseFollowerMessage(text: string, size: number): Parsed<FollowerToLeader> {
  const p = object(text);
  if (!p.ok) return p;
  const o = p.message;
  if (o.type === 'screen-ping') {
    if (!finite(o.id) || !finite(o.sent)) return { ok: false, error: 'screen-ping: expected id and sent numbers' };
    return { ok: true, message: { type: 'screen-ping', id: o.id, sent: o.sent } };
  }
  if (o.type === 'screen-hello') {
    if (o.protocol !== SCREENS_PROTOCOL_VERSION) return versionRefused('screen-hello', o.protocol);
    if (typeof o.screen !== 'string' || o.screen.length === 0 || o.screen.length > 32) return { ok: false, error: 'screen-hello.screen: expected a screen id' };
    const epoch = o.epoch === null ? null : finite(o.epoch) ? o.epoch : undefined;
    const tickRate = o.tickRate === null ? null : validTickRate(o.tickRate) ? o.tickRate : undefined;
    if (epoch === undefined || tickRate === undefined) return { ok: false, error: 'screen-hello: expected epoch and tickRate (numbers or null)' };
    const start = readStart(o, size);
    if (!start.ok) return { ok: false, error: `screen-hello.${start.error}` };
    if (start.message.checkpoint !== null && epoch === null) return { ok: false, error: 'screen-hello.checkpoint: a checkpoint without a walk (epoch null)' };
    return { ok: true, message: { type: 'screen-hello', protocol: SCREENS_PROTOCOL_VERSION, screen: o.screen, epoch, tickRate, ...start.message } };
  }
  return { ok: false, error: `unknown type ${JSON.stringify(o.type)}` };
}

/** `size`: this screen's latent size (a checkpoint of another size is refused, naming the field). */
export function parseLeaderMessage(text: string, size: number): Parsed<LeaderToFollower> {
  const p = object(text);
  if (!p.ok) return p;
  const o = p.message;
  if (o.type === 'screen-pong') {
    if (!finite(o.id) || !finite(o.sent) || !finite(o.leader)) return { ok: false, error: 'screen-pong: expected id, sent and leader numbers' };
    return { ok: true, message: { type: 'screen-pong', id: o.id, sent: o.sent, leader: o.leader } };
  }
  if (o.type === 'screen-refused') {
    return { ok: true, message: { type: 'screen-refused', protocol: finite(o.protocol) ? o.protocol : -1, reason: typeof o.reason === 'string' ? o.reason.slice(0, 500) : '' } };
  }
  if (o.type === 'screen-state') {
    if (o.protocol !== SCREENS_PROTOCOL_VERSION) return versionRefused('screen-state', o.protocol);
    if (!finite(o.epoch) || !finite(o.time) || !validTickRate(o.tickRate) || !finite(o.tick)) {
      return { ok: false, error: 'screen-state: expected epoch, tickRate, time and tick numbers' };
    }
    const start = readStart(o, size);
    if (!start.ok) return { ok: false, error: `screen-state.${start.error}` };
    if (start.message.checkpoint !== null && o.full !== true) return { ok: false, error: 'screen-state.checkpoint: only a full state carries one' };
    // The leader's lane never runs ahead of its clock: a checkpoint after its tick would freeze the joiner until then.
    if (start.message.checkpoint !== null && start.message.checkpoint.tick > o.tick) {
      return { ok: false, error: `screen-state.checkpoint.tick: expected at most the leader's tick ${o.tick}, got ${start.message.checkpoint.tick}` };
    }
    // A leader sends its tick at its time: one that disagrees with its own epoch, or is past exact ticks, is no walk a
    // screen can follow (an epoch of -1e300 would hold the joiner replaying for ever).
    if (!Number.isInteger(o.tick) || o.tick < 0 || o.tick > MAX_WALK_TICKS || Math.abs((o.time - o.epoch) * o.tickRate - o.tick) > o.tickRate) {
      return { ok: false, error: `screen-state.tick: expected the tick of time − epoch (0 to 2^48), got ${o.tick}` };
    }
    const cue = finite(o.cue) ? o.cue : null;
    return {
      ok: true,
      message: {
        type: 'screen-state', protocol: SCREENS_PROTOCOL_VERSION, leader: typeof o.leader === 'string' ? o.leader : '',
        epoch: o.epoch, tickRate: o.tickRate, time: o.time, tick: o.tick, full: o.full === true, ...start.message, cue,
      },
    };
  }
  return { ok: false, error: `unknown type ${JSON.stringify(o.type)}` };
}
