import type { EchoGuard } from '../osc/echo-guard.ts';
import type { ParameterBus } from '../params/bus.ts';
import { fromNormalised, toNormalised } from '../params/coerce.ts';
import type { ParamSpec, ParamValue } from '../params/types.ts';
import { parseMidi, relativeDelta, type MidiEvent } from './message.ts';
import type { MidiTable } from './table.ts';
import { mappingKey, type MidiCommand, type MidiMapping } from './types.ts';

export type ClockEvent = 'clock' | 'start' | 'continue' | 'stop';

export interface MidiRouterOptions {
  readonly bus: ParameterBus;
  readonly table: MidiTable;
  /** Cue buttons and learn results, at flush time, in arrival order. */
  readonly onCommand?: (command: MidiCommand) => void;
  /** Real-time clock bytes, at once and with their own timestamp: a tempo follower needs every pulse's time. */
  readonly onClock?: (event: ClockEvent, atMs: number) => void;
  /** Told about every controller write, so feedback does not fight a motorised fader under a finger. */
  readonly echoGuard?: EchoGuard;
  /** After learn binds CC n (< 32), an LSB on CC n+32 within this window makes it a 14-bit pair. */
  readonly pairWindowMs?: number;
  /** Commands held per frame at most (a drum roll on a cue pad must not grow memory). */
  readonly maxCommands?: number;
}

export interface MidiStats {
  received: number;
  /** Writes made to the bus and commands handed on. */
  applied: number;
  commands: number;
  /** Messages Sitter does not use (aftertouch, program change, sysex…) or malformed bytes. */
  ignored: number;
  /** A control with no mapping (and learn not armed). */
  unmapped: number;
  learned: number;
  coalesced: number;
  dropped: number;
}

interface PendingParam {
  readonly spec: ParamSpec;
  readonly value: ParamValue;
  readonly guardKey: string;
  /** What the controller shows now, in feedback's units (NaN for an encoder: it shows no position). */
  readonly shown: number;
}

/** Raw full scale of a mapping's absolute values. */
export function fullScale(m: MidiMapping): number {
  return m.bits === 14 ? 16383 : 127;
}

/** The two ends a mapping drives a numeric parameter between. */
export function ends(m: MidiMapping, spec: ParamSpec): readonly [number, number] {
  if (m.range) return m.range;
  return spec.type === 'float' || spec.type === 'int' ? [spec.min, spec.max] : [0, 1];
}

/** A 0..1 control position to a parameter value, through the mapping's range. */
export function valueAt(m: MidiMapping, spec: ParamSpec, x: number): ParamValue | null {
  if (spec.type === 'float' || spec.type === 'int') {
    const [lo, hi] = ends(m, spec);
    const v = lo + x * (hi - lo);
    return spec.type === 'int' ? Math.round(v) : v;
  }
  const c = fromNormalised(spec, x);
  return c.ok ? c.value : null;
}

/** The inverse of valueAt, for feedback: where the control should stand for this value (0..1). */
export function positionOf(m: MidiMapping, spec: ParamSpec, value: ParamValue): number {
  if ((spec.type === 'float' || spec.type === 'int') && typeof value === 'number') {
    const [lo, hi] = ends(m, spec);
    const x = (value - lo) / (hi - lo);
    return x < 0 ? 0 : x > 1 ? 1 : x;
  }
  return toNormalised(spec, value);
}

/**
 * A controller's way into the show, beside the OSC desk: receive() reads each message at once (14-bit pairs,
 * encoders and toggles need the order they came in), holds the latest value per parameter, and flush() — once
 * per frame — writes them to the bus with source 'desk' (a MIDI fader overrides like an OSC fader) and hands cue
 * buttons to the app.
 */
export class MidiRouter {
  readonly stats: MidiStats = { received: 0, applied: 0, commands: 0, ignored: 0, unmapped: 0, learned: 0, coalesced: 0, dropped: 0 };
  private readonly o: MidiRouterOptions;
  private readonly params = new Map<string, PendingParam>();
  private commands: MidiCommand[] = [];
  /** MSB last received per 14-bit pair (the LSB completes it). */
  private readonly msb = new Map<string, number>();
  /** Last value per CC used as a cue button, for its rising edge. */
  private readonly buttonDown = new Map<string, boolean>();
  private justLearned: { readonly mapping: MidiMapping; readonly untilMs: number } | null = null;

  constructor(options: MidiRouterOptions) {
    this.o = options;
  }

  /** One MIDI message (the bytes of a MIDIMessageEvent) received at nowMs (the event's own timestamp). */
  receive(data: ArrayLike<number>, nowMs: number): void {
    this.stats.received++;
    const e = parseMidi(data);
    if (e === null) {
      this.stats.ignored++;
      return;
    }
    switch (e.kind) {
      case 'clock':
      case 'start':
      case 'continue':
      case 'stop':
        this.o.onClock?.(e.kind, nowMs);
        return;
      default:
        this.control(e, nowMs);
    }
  }

  /** Writes what arrived since the last frame: the latest value per parameter, then commands in order. */
  flush(nowMs: number): number {
    let n = 0;
    if (this.params.size > 0) {
      for (const p of this.params.values()) {
        const r = this.o.bus.set(p.spec.name, p.value, 'desk');
        if (!r.ok) {
          this.stats.dropped++;
          continue;
        }
        this.stats.applied++;
        n++;
        this.o.echoGuard?.noteDesk(p.guardKey, 'unit', p.shown, nowMs);
      }
      this.params.clear();
    }
    if (this.commands.length > 0) {
      const batch = this.commands;
      this.commands = [];
      for (const c of batch) {
        this.stats.commands++;
        n++;
        this.o.onCommand?.(c);
      }
    }
    return n;
  }

  private control(e: Exclude<MidiEvent, { kind: 'clock' | 'start' | 'continue' | 'stop' }>, nowMs: number): void {
    const table = this.o.table;
    if (e.kind === 'cc') {
      const recent = this.justLearned;
      if (recent && nowMs <= recent.untilMs && this.upgradeToPair(recent.mapping, e)) return this.control(e, nowMs);
      const pair = e.controller >= 32 && e.controller < 64 ? table.findLsb(e.channel, e.controller) : undefined;
      if (pair) {
        const hi = this.msb.get(mappingKey(pair) + `@${e.channel}`) ?? 0;
        return this.absolute(pair, (hi << 7) | e.value);
      }
    }
    const number = e.kind === 'cc' ? e.controller : e.kind === 'pitch-bend' ? 0 : e.note;
    const control = e.kind === 'cc' ? 'cc' : e.kind === 'pitch-bend' ? 'pitchbend' : 'note';
    let m = table.find(control, e.channel, number);
    if (!m) {
      m = this.learn(e, nowMs);
      if (!m) {
        this.stats.unmapped++;
        return;
      }
      // A learned cue button does not fire on the press that bound it: the operator was only showing it.
      if (m.cue !== null) return;
    }
    if (m.cue !== null) return this.cueButton(m, e);
    switch (e.kind) {
      case 'pitch-bend':
        return this.absolute(m, e.value);
      case 'cc':
        if (m.encoder !== 'absolute') return this.relative(m, relativeDelta(e.value, m.encoder));
        if (m.bits === 14) {
          // MIDI 1.0: a new MSB resets the LSB to 0; the LSB that follows in the same burst refines it.
          this.msb.set(mappingKey(m) + `@${e.channel}`, e.value);
          return this.absolute(m, e.value << 7);
        }
        return this.absolute(m, e.value);
      case 'note-on':
      case 'note-off':
        return this.note(m, e.kind === 'note-on', e.velocity);
    }
  }

  private spec(m: MidiMapping): ParamSpec | undefined {
    const spec = m.param === null ? undefined : this.o.bus.spec(m.param);
    if (!spec) this.stats.dropped++;
    return spec;
  }

  /** The value a relative move or a toggle starts from: this frame's pending value, else the bus's target. */
  private current(spec: ParamSpec): ParamValue {
    return this.params.get(spec.name)?.value ?? this.o.bus.target(spec.name);
  }

  private offer(spec: ParamSpec, m: MidiMapping, value: ParamValue | null, shown: number): void {
    if (value === null) {
      this.stats.dropped++;
      return;
    }
    if (this.params.has(spec.name)) this.stats.coalesced++;
    else if (this.params.size >= 1024) {
      this.stats.dropped++;
      return;
    }
    this.params.set(spec.name, { spec, value, guardKey: mappingKey(m), shown });
  }

  private absolute(m: MidiMapping, raw: number): void {
    const spec = this.spec(m);
    if (!spec) return;
    this.offer(spec, m, valueAt(m, spec, raw / fullScale(m)), raw);
  }

  private relative(m: MidiMapping, detents: number): void {
    const spec = this.spec(m);
    if (!spec || detents === 0) return;
    const cur = this.current(spec);
    if (typeof cur !== 'number') return;
    const [lo, hi] = ends(m, spec);
    const min = Math.min(lo, hi);
    const max = Math.max(lo, hi);
    let v = cur + detents * m.step * (hi - lo);
    // An int moves at least one unit per detent, or a fine step would never get it anywhere.
    if (spec.type === 'int') v = cur + Math.sign(v - cur) * Math.max(1, Math.round(Math.abs(v - cur)));
    this.offer(spec, m, Math.min(max, Math.max(min, v)), Number.NaN);
  }

  private note(m: MidiMapping, on: boolean, velocity: number): void {
    const spec = this.spec(m);
    if (!spec) return;
    switch (m.mode) {
      case 'momentary':
        return this.offer(spec, m, valueAt(m, spec, on ? 1 : 0), on ? 127 : 0);
      case 'toggle': {
        if (!on) return;
        const x = positionOf(m, spec, this.current(spec)) >= 0.5 ? 0 : 1;
        return this.offer(spec, m, valueAt(m, spec, x), 127);
      }
      case 'velocity':
        if (!on) return;
        return this.offer(spec, m, valueAt(m, spec, velocity / 127), velocity);
    }
  }

  private cueButton(m: MidiMapping, e: MidiEvent): void {
    let press = false;
    if (e.kind === 'note-on') press = true;
    else if (e.kind === 'cc') {
      // Buttons send 127 down and 0 up; fire on the way down only, so a held or bouncing button fires once.
      const key = `${mappingKey(m)}@${e.channel}`;
      const down = e.value >= 64;
      press = down && this.buttonDown.get(key) !== true;
      this.buttonDown.set(key, down);
    }
    if (!press) return;
    const c: MidiCommand = m.cue === 'go' ? { kind: 'cue-go' } : m.cue === 'back' ? { kind: 'cue-back' } : { kind: 'cue-number', number: m.cue as number };
    this.command(c);
  }

  private command(c: MidiCommand): void {
    if (this.commands.length >= (this.o.maxCommands ?? 64)) {
      this.stats.dropped++;
      return;
    }
    this.commands.push(c);
  }

  /** Learn: the first control moved while armed is bound with its own channel. */
  private learn(e: Exclude<MidiEvent, { kind: 'clock' | 'start' | 'continue' | 'stop' }>, nowMs: number): MidiMapping | undefined {
    const table = this.o.table;
    const target = table.armed;
    if (target === null) return undefined;
    // A release or a pitch wheel is no button for a cue; keep waiting for a press.
    if ('cue' in target && (e.kind === 'note-off' || e.kind === 'pitch-bend' || (e.kind === 'cc' && e.value < 64))) return undefined;
    const spec = 'param' in target ? this.o.bus.spec(target.param) : undefined;
    const base = {
      channel: e.channel,
      control: e.kind === 'cc' ? 'cc' as const : e.kind === 'pitch-bend' ? 'pitchbend' as const : 'note' as const,
      number: e.kind === 'cc' ? e.controller : e.kind === 'pitch-bend' ? 0 : e.note,
      bits: e.kind === 'pitch-bend' ? 14 as const : 7 as const,
      encoder: 'absolute' as const,
      mode: spec?.type === 'bool' ? 'toggle' as const : 'momentary' as const,
      step: 0.01,
    };
    const m = table.bind(base);
    if (!m) return undefined;
    this.stats.learned++;
    this.command({ kind: 'learn-bound', mapping: m });
    if (m.control === 'cc' && m.number < 32) this.justLearned = { mapping: m, untilMs: nowMs + (this.o.pairWindowMs ?? 100) };
    return m;
  }

  /** A controller that sends CC n then CC n+32 straight after being learned is a 14-bit fader: bind the pair. */
  private upgradeToPair(m: MidiMapping, e: Extract<MidiEvent, { kind: 'cc' }>): boolean {
    this.justLearned = null;
    if (m.control !== 'cc' || m.bits !== 7 || e.channel !== m.channel || e.controller !== m.number + 32) return false;
    const pair: MidiMapping = { ...m, bits: 14 };
    if (!this.o.table.set(pair, true).ok) return false;
    // The MSB already arrived as a 7-bit value: keep it as the pair's MSB.
    const pending = this.params.get(m.param ?? '');
    const spec = m.param === null ? undefined : this.o.bus.spec(m.param);
    if (pending && spec && Number.isFinite(pending.shown)) this.msb.set(mappingKey(pair) + `@${e.channel}`, pending.shown);
    this.command({ kind: 'learn-bound', mapping: pair });
    return true;
  }
}
