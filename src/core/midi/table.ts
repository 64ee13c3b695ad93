import type { ParamSpec } from '../params/types.ts';
import { mappingToJson, MIDI_MAPPABLE, parseMidiMappings } from './read-mappings.ts';
import { controlKey, mappingKey, type MidiControl, type MidiCueAction, type MidiMapping } from './types.ts';

/** What learn mode binds the next moved control to. */
export type LearnTarget = { readonly param: string } | { readonly cue: MidiCueAction };

export type TableResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/**
 * The MIDI mapping table: the show's mappings plus learned ones, looked up by control. Learn works like the OSC
 * learn table (arm a target, move a control, it is bound, one control per parameter); `toJson()` is the show-file
 * form, so a learned set can be pasted into a show's `midi.mappings`.
 */
export class MidiTable {
  private readonly specs: readonly ParamSpec[];
  private readonly byKey = new Map<string, MidiMapping>();
  /** LSB controller key → the 14-bit mapping whose MSB it completes. */
  private readonly lsb = new Map<string, MidiMapping>();
  private armedTarget: LearnTarget | null = null;
  /** Keys of the mappings learned while running (persisted by the kiosk), as against the show's own. */
  private readonly learned = new Set<string>();
  private readonly listeners = new Set<(mappings: readonly MidiMapping[]) => void>();

  constructor(specs: readonly ParamSpec[], mappings: readonly MidiMapping[] = []) {
    this.specs = specs;
    for (const m of mappings) this.put(m);
  }

  get armed(): LearnTarget | null {
    return this.armedTarget;
  }

  arm(target: LearnTarget): TableResult {
    if ('param' in target) {
      const spec = this.specs.find((s) => s.name === target.param);
      if (!spec || !MIDI_MAPPABLE.accepts(spec)) return { ok: false, error: `cannot learn "${target.param}": expected ${MIDI_MAPPABLE.what}` };
    } else if (target.cue !== 'go' && target.cue !== 'back' && !(typeof target.cue === 'number' && target.cue > 0)) {
      return { ok: false, error: `cannot learn cue ${String(target.cue)}: expected "go", "back" or a cue number` };
    }
    this.armedTarget = target;
    return { ok: true };
  }

  cancel(): void {
    this.armedTarget = null;
  }

  /** The mapping for a control: one on its own channel first, then one for any channel. */
  find(control: MidiControl, channel: number, number: number): MidiMapping | undefined {
    return this.byKey.get(controlKey(control, channel, number)) ?? this.byKey.get(controlKey(control, null, number));
  }

  /** The 14-bit mapping a CC 32..63 is the LSB of, if any. */
  findLsb(channel: number, controller: number): MidiMapping | undefined {
    return this.lsb.get(controlKey('cc', channel, controller)) ?? this.lsb.get(controlKey('cc', null, controller));
  }

  /** Mappings that drive this parameter (feedback goes to each of them). */
  forParam(param: string): MidiMapping[] {
    const out: MidiMapping[] = [];
    for (const m of this.byKey.values()) if (m.param === param) out.push(m);
    return out;
  }

  all(): readonly MidiMapping[] {
    return [...this.byKey.values()];
  }

  /**
   * Binds the armed target to a control; disarms. An earlier mapping of the same target, or of the same control,
   * goes (one control per parameter, one target per control). Returns null when nothing is armed.
   */
  bind(m: Omit<MidiMapping, 'param' | 'cue' | 'range'>): MidiMapping | null {
    const target = this.armedTarget;
    if (target === null) return null;
    this.armedTarget = null;
    const mapping: MidiMapping = 'param' in target
      ? { ...m, param: target.param, cue: null, range: null }
      : { ...m, param: null, cue: target.cue, range: null };
    for (const old of [...this.byKey.values()]) {
      if ('param' in target ? old.param === target.param : old.cue === target.cue) this.drop(old);
    }
    this.replace(mapping, true);
    return mapping;
  }

  /** Adds or replaces (by control) one mapping, validated like a show file's. */
  set(mapping: MidiMapping, learned = false): TableResult {
    const p = parseMidiMappings([mappingToJson(mapping)], this.specs);
    if (!p.ok) return p;
    this.replace(p.mappings[0] as MidiMapping, learned);
    return { ok: true };
  }

  /** The learned mappings in show-file form: what the kiosk saves, and what an operator can paste into the show. */
  learnedJson(): Record<string, unknown>[] {
    return this.all().filter((m) => this.learned.has(mappingKey(m))).map(mappingToJson);
  }

  /** Puts back saved learned mappings over the show's (a learned control wins, as it did when it was learned). */
  addLearned(raw: unknown): TableResult {
    const p = parseMidiMappings(raw, this.specs);
    if (!p.ok) return p;
    for (const m of p.mappings) {
      // One control per target, as when it was learned: the show's own control for it stands down.
      for (const old of [...this.byKey.values()]) {
        if ((m.param !== null && old.param === m.param) || (m.cue !== null && old.cue === m.cue)) this.drop(old);
      }
      this.replace(m, true);
    }
    return { ok: true };
  }

  remove(control: MidiControl, channel: number | null, number: number): boolean {
    const m = this.byKey.get(controlKey(control, channel, number));
    if (!m) return false;
    this.drop(m);
    this.changed();
    return true;
  }

  /** Replaces the whole table from untrusted JSON (a saved file in show-file form). Nothing changes on error. */
  load(raw: unknown, cueNumbers: readonly number[] | null = null): TableResult {
    const p = parseMidiMappings(raw, this.specs, cueNumbers);
    if (!p.ok) return p;
    this.byKey.clear();
    this.lsb.clear();
    this.learned.clear();
    for (const m of p.mappings) this.put(m);
    this.changed();
    return { ok: true };
  }

  toJson(): Record<string, unknown>[] {
    return this.all().map(mappingToJson);
  }

  onChange(listener: (mappings: readonly MidiMapping[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private replace(m: MidiMapping, learned = false): void {
    const clash = [this.byKey.get(mappingKey(m)), this.lsb.get(mappingKey(m))];
    if (m.control === 'cc' && m.bits === 14) {
      const lsbKey = controlKey('cc', m.channel, m.number + 32);
      clash.push(this.byKey.get(lsbKey), this.lsb.get(lsbKey));
    }
    for (const c of clash) if (c) this.drop(c);
    this.put(m);
    if (learned) this.learned.add(mappingKey(m));
    this.changed();
  }

  private put(m: MidiMapping): void {
    this.byKey.set(mappingKey(m), m);
    if (m.control === 'cc' && m.bits === 14) this.lsb.set(controlKey('cc', m.channel, m.number + 32), m);
  }

  private drop(m: MidiMapping): void {
    this.byKey.delete(mappingKey(m));
    this.learned.delete(mappingKey(m));
    if (m.control === 'cc' && m.bits === 14) this.lsb.delete(controlKey('cc', m.channel, m.number + 32));
  }

  private changed(): void {
    if (this.listeners.size === 0) return;
    const all = this.all();
    for (const l of this.listeners) l(all);
  }
}
