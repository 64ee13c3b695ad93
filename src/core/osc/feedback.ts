import type { ParameterBus } from '../params/bus.ts';
import { toNormalised } from '../params/coerce.ts';
import type { ParamSpec, ParamValue } from '../params/types.ts';
import { DEFAULT_PREFIX, NORM_SEGMENT } from './address-space.ts';
import { EchoGuard, type AddressForm } from './echo-guard.ts';
import type { OscOutArg, OscOutMessage } from './types.ts';

export interface FeedbackOptions {
  readonly specs: readonly ParamSpec[];
  readonly prefix?: string;
  /** Minimum milliseconds between two messages for one control parameter: 20 Hz keeps a fader smooth on Wi-Fi. */
  readonly intervalMs?: number;
  /** The same for status values (fps changes every frame; a desk label needs a few updates a second). */
  readonly statusIntervalMs?: number;
  /** Which address forms to send: 'unit' (/sitter/x in its own unit) and/or 'norm' (/sitter/norm/x, 0..1). */
  readonly forms?: readonly AddressForm[];
  /** Messages per tick at most; the rest wait for the next tick (a cue moving 40 parameters at once). */
  readonly maxPerTick?: number;
  /** Shared with the router, so a desk's own change is not bounced back to it. */
  readonly echoGuard?: EchoGuard;
}

interface Dirty {
  value: ParamValue;
  lastSentMs: number;
  dirty: boolean;
}

/**
 * Feedback to the desk, from bus changes: throttled per parameter (leading and trailing edge, so the last value
 * always goes out), guarded against echoing a desk's own moves, and bounded per tick. Pure: tick(now) returns the
 * messages; the transport sends them.
 */
export class Feedback {
  readonly guard: EchoGuard;
  private readonly specs: ReadonlyMap<string, ParamSpec>;
  private readonly prefix: string;
  private readonly intervalMs: number;
  private readonly statusIntervalMs: number;
  private readonly forms: readonly AddressForm[];
  private readonly maxPerTick: number;
  private readonly state = new Map<string, Dirty>();

  constructor(options: FeedbackOptions) {
    this.specs = new Map(options.specs.map((s) => [s.name, s]));
    this.prefix = options.prefix ?? DEFAULT_PREFIX;
    this.intervalMs = options.intervalMs ?? 50;
    this.statusIntervalMs = options.statusIntervalMs ?? 250;
    this.forms = options.forms ?? ['unit', 'norm'];
    this.maxPerTick = options.maxPerTick ?? 64;
    this.guard = options.echoGuard ?? new EchoGuard();
  }

  /** Follows a bus; returns the unsubscribe. */
  attach(bus: ParameterBus): () => void {
    return bus.subscribe((change) => this.note(change.name, change.target));
  }

  note(name: string, value: ParamValue): void {
    if (!this.specs.has(name)) return;
    const s = this.state.get(name);
    if (s) {
      s.value = value;
      s.dirty = true;
    } else {
      this.state.set(name, { value, lastSentMs: Number.NEGATIVE_INFINITY, dirty: true });
    }
  }

  /** Parameters changed and not yet sent. */
  get pendingCount(): number {
    let n = 0;
    for (const s of this.state.values()) if (s.dirty) n++;
    return n;
  }

  tick(nowMs: number): OscOutMessage[] {
    const out: OscOutMessage[] = [];
    for (const [name, s] of this.state) {
      if (!s.dirty) continue;
      if (out.length >= this.maxPerTick) break;
      const spec = this.specs.get(name) as ParamSpec;
      const interval = spec.access === 'r' ? this.statusIntervalMs : this.intervalMs;
      if (nowMs - s.lastSentMs < interval && nowMs >= s.lastSentMs) continue;
      // The desk is moving this one: wait until it lets go, then send the settled value if it differs.
      if (this.guard.held(name, nowMs)) continue;
      s.dirty = false;
      let sent = false;
      for (const form of this.forms) {
        const m = this.message(spec, s.value, form);
        if (!m) continue;
        // What the desk will show: the one argument as encoded (bools as 1/0), none for vectors.
        const shown = m.args.length === 1 ? (m.args[0] as OscOutArg).value : null;
        if (shown !== null && this.guard.deskShows(name, form, shown)) continue;
        out.push(m);
        if (shown !== null) this.guard.shown(name, form, shown);
        sent = true;
      }
      if (sent) {
        s.lastSentMs = nowMs;
        // Re-queue at the end, so with maxPerTick reached the parameters not yet sent go first next tick.
        this.state.delete(name);
        this.state.set(name, s);
      }
    }
    return out;
  }

  /** Every parameter's value at once, for a desk that has just connected (it knows nothing yet). Unthrottled. */
  full(values: Readonly<Record<string, ParamValue>>): OscOutMessage[] {
    const out: OscOutMessage[] = [];
    for (const [name, spec] of this.specs) {
      const v = values[name];
      if (v === undefined) continue;
      for (const form of this.forms) {
        const m = this.message(spec, v, form);
        if (m) out.push(m);
      }
    }
    return out;
  }

  /** The message for one parameter in one form, or null when the form does not exist for it. */
  message(spec: ParamSpec, value: ParamValue, form: AddressForm): OscOutMessage | null {
    if (form === 'norm') {
      if (spec.access !== 'rw' || spec.type === 'vec') return null;
      return { address: `${this.prefix}/${NORM_SEGMENT}/${spec.name}`, args: [{ type: 'f', value: toNormalised(spec, value) }] };
    }
    return { address: `${this.prefix}/${spec.name}`, args: unitArgs(spec, value) };
  }
}

/** Desk-friendly encoding: bools as int 1/0 (TouchOSC mk1 and many desks ignore T/F), enums as their name. */
export function unitArgs(spec: ParamSpec, value: ParamValue): OscOutArg[] {
  switch (spec.type) {
    case 'float':
      return [{ type: 'f', value: value as number }];
    case 'int':
      return [{ type: 'i', value: value as number }];
    case 'bool':
      return [{ type: 'i', value: value ? 1 : 0 }];
    case 'enum':
      return [{ type: 's', value: value as string }];
    case 'vec':
      return (value as readonly number[]).map((v) => ({ type: 'f' as const, value: v }));
  }
}
