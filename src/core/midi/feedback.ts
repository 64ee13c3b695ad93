import { EchoGuard } from '../osc/echo-guard.ts';
import type { ParameterBus } from '../params/bus.ts';
import type { ParamSpec, ParamValue } from '../params/types.ts';
import { ccBytes, noteBytes, pitchBendBytes } from './message.ts';
import { fullScale, positionOf } from './router.ts';
import type { MidiTable } from './table.ts';
import { mappingKey, type MidiBytes, type MidiMapping } from './types.ts';

export interface MidiFeedbackOptions {
  readonly specs: readonly ParamSpec[];
  readonly table: MidiTable;
  /** Shared with the router: no feedback for a control while it is being moved (the OSC desk's rule). */
  readonly echoGuard?: EchoGuard;
  /** Minimum milliseconds between two updates of one parameter (a motor fader needs ~50 Hz at most). */
  readonly intervalMs?: number;
  /** Parameters sent per tick at most; the rest wait (a cue moving everything at once, on a 31.25 kbaud cable). */
  readonly maxPerTick?: number;
}

interface State {
  value: ParamValue;
  lastSentMs: number;
  dirty: boolean;
}

/**
 * Feedback to the controller for mapped parameters — motor faders, LED rings, pad lights — by the OSC feedback's
 * rules: throttled per parameter with the last value always sent, nothing while the controller itself moves the
 * control (the echo guard's hold), and the settled value sent once afterwards only when it differs from what the
 * controller last sent (clamped, stepped, toggled, or overridden). Pure: tick(now) returns the bytes to send.
 */
export class MidiFeedback {
  readonly guard: EchoGuard;
  private readonly specs: ReadonlyMap<string, ParamSpec>;
  private readonly table: MidiTable;
  private readonly intervalMs: number;
  private readonly maxPerTick: number;
  private readonly state = new Map<string, State>();

  constructor(o: MidiFeedbackOptions) {
    this.specs = new Map(o.specs.map((s) => [s.name, s]));
    this.table = o.table;
    this.guard = o.echoGuard ?? new EchoGuard();
    this.intervalMs = o.intervalMs ?? 20;
    this.maxPerTick = o.maxPerTick ?? 32;
  }

  attach(bus: ParameterBus): () => void {
    return bus.subscribe((c) => this.note(c.name, c.target));
  }

  note(name: string, value: ParamValue): void {
    if (!this.specs.has(name)) return;
    const s = this.state.get(name);
    if (s) {
      s.value = value;
      s.dirty = true;
    } else this.state.set(name, { value, lastSentMs: Number.NEGATIVE_INFINITY, dirty: true });
  }

  tick(nowMs: number): MidiBytes[] {
    const out: MidiBytes[] = [];
    let sentParams = 0;
    for (const [name, s] of this.state) {
      if (!s.dirty) continue;
      if (sentParams >= this.maxPerTick) break;
      if (nowMs - s.lastSentMs < this.intervalMs && nowMs >= s.lastSentMs) continue;
      const mappings = this.table.forParam(name);
      if (mappings.length === 0) {
        s.dirty = false;
        continue;
      }
      if (mappings.some((m) => this.guard.held(mappingKey(m), nowMs))) continue;
      s.dirty = false;
      const spec = this.specs.get(name) as ParamSpec;
      let sent = false;
      for (const m of mappings) {
        const raw = rawFor(m, spec, s.value);
        const key = mappingKey(m);
        if (this.guard.deskShows(key, 'unit', raw)) continue;
        out.push(...bytesFor(m, raw));
        this.guard.shown(key, 'unit', raw);
        sent = true;
      }
      if (sent) {
        sentParams++;
        s.lastSentMs = nowMs;
        this.state.delete(name);
        this.state.set(name, s);
      }
    }
    return out;
  }

  /** Every mapped parameter's value, for a controller just plugged in (its faders stand anywhere). */
  full(values: Readonly<Record<string, ParamValue>>): MidiBytes[] {
    const out: MidiBytes[] = [];
    for (const m of this.table.all()) {
      if (m.param === null) continue;
      const spec = this.specs.get(m.param);
      const v = values[m.param];
      if (!spec || v === undefined) continue;
      const raw = rawFor(m, spec, v);
      out.push(...bytesFor(m, raw));
      this.guard.shown(mappingKey(m), 'unit', raw);
    }
    return out;
  }
}

/** The value the control shows, in the units the router notes for the echo guard. */
export function rawFor(m: MidiMapping, spec: ParamSpec, value: ParamValue): number {
  const x = positionOf(m, spec, value);
  if (m.control === 'note' && m.mode !== 'velocity') return x >= 0.5 ? 127 : 0;
  if (m.encoder !== 'absolute') return Math.round(x * 127);
  return Math.round(x * fullScale(m));
}

/**
 * Encoders get their LED ring as an absolute CC on the same controller (how the Midi Fighter Twister, BCR2000
 * and X-Touch Mini in standard mode take it); 14-bit pairs MSB then LSB; pads a note-on whose velocity is the light.
 */
export function bytesFor(m: MidiMapping, raw: number): MidiBytes[] {
  const ch = m.channel ?? 1;
  switch (m.control) {
    case 'pitchbend':
      return [pitchBendBytes(ch, raw)];
    case 'note':
      return [noteBytes(ch, m.number, raw)];
    case 'cc':
      if (m.bits === 14) return [ccBytes(ch, m.number, raw >> 7), ccBytes(ch, m.number + 32, raw & 0x7f)];
      return [ccBytes(ch, m.number, raw)];
  }
}

