/**
 * Plain data shared by the OSC router, feedback and OSCQuery. Nothing here knows sockets or osc-js: a decoded
 * message is anything with an address, a type-tag string and arguments (osc-js's Message has exactly that shape).
 */

/** A decoded OSC message. `types` may carry osc-js's leading comma (",fi") or not ("fi"). */
export interface OscMessage {
  readonly address: string;
  readonly types: string;
  readonly args: readonly unknown[];
}

/** OSC 1.0 argument type tags Sitter sends (feedback); the same letters as osc-js's MessageArgType. */
export type OscOutType = 'i' | 'f' | 's' | 'T' | 'F';

export interface OscOutArg {
  readonly type: OscOutType;
  readonly value: number | string | boolean;
}

/** A message Sitter sends (feedback to a desk, OSCQuery LISTEN updates); encoded at the edge with osc-js. */
export interface OscOutMessage {
  readonly address: string;
  readonly args: readonly OscOutArg[];
}

/** What the app executes: the router never knows the cue engine, the walk or the renderer. */
export type DeskCommand =
  | { readonly kind: 'cue-go' }
  | { readonly kind: 'cue-back' }
  /** Jump to the cue with this index (the same index /sitter/status/cue reports, 0-based). */
  | { readonly kind: 'cue-goto'; readonly index: number }
  /** Restart the walk from this seed (walk/seed has already been set on the bus with source 'desk'). */
  | { readonly kind: 'walk-seed'; readonly seed: number }
  /** Glide or cut to the portrait with this number (the seed of one latent). */
  | { readonly kind: 'portrait-goto'; readonly portrait: number }
  | { readonly kind: 'hud'; readonly visible: boolean }
  /** Fade master/level to 0 (on) or back (off) over fadeSeconds, read from master/fade-seconds when received. */
  | { readonly kind: 'blackout'; readonly on: boolean; readonly fadeSeconds: number }
  /** Release every desk override and blackout; the show's own state takes over again. */
  | { readonly kind: 'panic' }
  /** Learn mode armed for this parameter (by /sitter/learn or the API); the next foreign address binds to it. */
  | { readonly kind: 'learn-armed'; readonly param: string }
  | { readonly kind: 'learn-bound'; readonly param: string; readonly address: string }
  | { readonly kind: 'learn-cancelled' }
  /** A beat pulse (a desk's or Ableton's beat, every beat) and a tap-tempo tap; their time is when they arrive. */
  | { readonly kind: 'tempo-beat' }
  | { readonly kind: 'tempo-tap' }
  /** Start (on) or stop (off) recording the show's inputs (src/core/record). */
  | { readonly kind: 'record'; readonly on: boolean };

export type DeskCommandKind = DeskCommand['kind'];

/** Why an incoming message did not reach the bus or the app. Every drop is counted under one of these. */
export const DROP_REASONS = [
  /** No parameter, command or learned mapping has this address (or a pattern matched nothing). */
  'unknown-address',
  /** A pattern with an unclosed [ or {, or an address not starting with "/". */
  'bad-pattern',
  /** The arguments have the wrong type for the target (a string for a float, a blob, nil…). */
  'wrong-type',
  /** NaN, +Infinity, −Infinity or the OSC Infinitum tag: never allowed to move a parameter. */
  'not-finite',
  /** The target needs an argument and there was none. */
  'missing-arg',
  /** A status value only the app reports (status/fps…). */
  'read-only',
  /** A command argument outside what it accepts (a negative cue index…); parameters are clamped instead. */
  'out-of-range',
  /** More distinct addresses or scheduled bundles pending than the limiter holds before the next frame. */
  'rate-limit',
  /** Bytes that are not an OSC packet (reported by the transport that parsed them). */
  'malformed',
  /** A packet bigger than the configured limit (reported by the transport). */
  'oversize',
  /** A sender not on the allow-list (reported by the bridge). */
  'not-allowed',
] as const;

export type DropReason = (typeof DROP_REASONS)[number];

export interface DropLogEntry {
  readonly reason: DropReason;
  readonly address: string;
  readonly detail: string;
  /** The sender, where the transport knows it (the bridge: its IP address). */
  readonly from?: string;
  /** How many drops of this reason were not logged since the last entry (log lines are rate-limited). */
  readonly suppressed: number;
}

export type DropLogger = (entry: DropLogEntry) => void;
