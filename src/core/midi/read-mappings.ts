import type { ParamSpec } from '../params/types.ts';
import { joinIndex, joinKey, Reporter } from '../show/issues.ts';
import { numberOk, readArray, readEnum, readNumber, readObject, type JsonObject, type NumberRule } from '../show/read.ts';
import { resolveParam, type ParamScope } from '../show/read-params.ts';
import { coerce, describeExpected, describeGot } from '../params/coerce.ts';
import {
  controlKey, DEFAULT_ENCODER_STEP, ENCODER_MODES, NOTE_MODES, type MidiControl, type MidiCueAction, type MidiMapping,
} from './types.ts';

/** The keys of one mapping as a show file writes it: `{ "cc": 7, "channel": 1, "param": "master/level" }`. */
export const MIDI_MAPPING_KEYS = ['channel', 'cc', 'note', 'pitchbend', 'bits', 'encoder', 'mode', 'param', 'range', 'step', 'cue'];

const CHANNEL: NumberRule = { expected: 'a MIDI channel from 1 to 16', min: 1, max: 16, integer: true };
const DATA: NumberRule = { expected: 'a number from 0 to 127', min: 0, max: 127, integer: true };
const STEP: NumberRule = { expected: 'a fraction of the range per detent, > 0 and ≤ 1', above: 0, max: 1 };

export const MIDI_MAPPABLE: ParamScope = {
  accepts: (s) => s.access === 'rw' && s.type !== 'vec',
  what: 'a writable float, int, bool or enum parameter',
};

function readControl(r: Reporter, o: JsonObject, at: string): { control: MidiControl; number: number } | undefined {
  const given = (['cc', 'note', 'pitchbend'] as const).filter((k) => o[k] !== undefined);
  if (given.length !== 1) {
    r.add(at, given.length === 0
      ? 'missing the control; expected one of "cc": <0..127>, "note": <0..127> or "pitchbend": true'
      : `expected one control, got ${given.map((k) => JSON.stringify(k)).join(' and ')}`);
    return undefined;
  }
  const k = given[0] as 'cc' | 'note' | 'pitchbend';
  if (k === 'pitchbend') {
    if (o.pitchbend !== true) {
      r.expected(joinKey(at, 'pitchbend'), 'true', o.pitchbend);
      return undefined;
    }
    return { control: 'pitchbend', number: 0 };
  }
  if (!numberOk(o[k], DATA)) {
    r.expected(joinKey(at, k), `a ${k === 'cc' ? 'controller' : 'note'} number from 0 to 127`, o[k]);
    return undefined;
  }
  return { control: k, number: o[k] as number };
}

function readRangeFor(r: Reporter, raw: unknown, path: string, spec: ParamSpec): readonly [number, number] | null {
  if (raw === undefined || raw === null) return null;
  if (spec.type !== 'float' && spec.type !== 'int') {
    r.add(path, `range applies to float and int parameters; "${spec.name}" is ${spec.type === 'bool' ? 'a bool' : `an ${spec.type}`} (its values are spread evenly over the control)`);
    return null;
  }
  if (!Array.isArray(raw) || raw.length !== 2 || raw[0] === raw[1]) {
    r.expected(path, `two different numbers [from, to], each ${describeExpected(spec)}`, raw);
    return null;
  }
  let ok = true;
  (raw as readonly unknown[]).forEach((end, i) => {
    const c = coerce(spec, end);
    if (typeof end !== 'number' || !c.ok || c.clamped) {
      r.add(joinIndex(path, i), `expected ${describeExpected(spec)}, got ${describeGot(end)}`);
      ok = false;
    }
  });
  return ok ? [raw[0] as number, raw[1] as number] : null;
}

function readCue(r: Reporter, raw: unknown, path: string, cueNumbers: readonly number[] | null): MidiCueAction | undefined {
  if (raw === 'go' || raw === 'back') return raw;
  if (typeof raw === 'number' && Number.isFinite(raw) && raw > 0) {
    if (cueNumbers !== null && !cueNumbers.includes(raw)) {
      r.add(path, `expected "go", "back" or the number of a cue (${cueNumbers.length > 0 ? cueNumbers.join(', ') : 'the show has no cues'}), got ${raw}`);
      return undefined;
    }
    return raw;
  }
  r.expected(path, '"go", "back" or the number of a cue', raw);
  return undefined;
}

function readOne(
  r: Reporter, item: unknown, at: string, specs: readonly ParamSpec[], cueNumbers: readonly number[] | null,
): MidiMapping | undefined {
  const o = readObject(r, item, at, MIDI_MAPPING_KEYS);
  if (o === undefined) {
    if (item === undefined) r.expected(at, 'a mapping object', item);
    return undefined;
  }
  const before = r.issues.length;
  const channel = o.channel === undefined || o.channel === null ? null : readNumber(r, o.channel, joinKey(at, 'channel'), CHANNEL, 1);
  const c = readControl(r, o, at);
  const isCc = c?.control === 'cc';
  let bits: 7 | 14 = c?.control === 'pitchbend' ? 14 : 7;
  if (o.bits !== undefined) {
    if (!isCc) r.add(joinKey(at, 'bits'), 'bits applies to "cc" controls only (pitch bend is always 14-bit, notes 7)');
    else if (o.bits !== 7 && o.bits !== 14) r.expected(joinKey(at, 'bits'), '7 or 14', o.bits);
    else if (o.bits === 14 && c.number >= 32) r.add(joinKey(at, 'bits'), `a 14-bit pair has its MSB on CC 0..31 (LSB on CC n+32); got CC ${c.number}`);
    else bits = o.bits;
  }
  if (o.encoder !== undefined && !isCc) r.add(joinKey(at, 'encoder'), 'encoder applies to "cc" controls only');
  const encoder = isCc ? readEnum(r, o.encoder, joinKey(at, 'encoder'), ENCODER_MODES, 'absolute') : 'absolute';
  if (encoder !== 'absolute' && bits === 14) r.add(joinKey(at, 'encoder'), 'a relative encoder sends 7-bit detents; expected bits 7');
  if (o.mode !== undefined && c?.control !== 'note') r.add(joinKey(at, 'mode'), 'mode applies to "note" controls only');
  const mode = c?.control === 'note' ? readEnum(r, o.mode, joinKey(at, 'mode'), NOTE_MODES, 'momentary') : 'momentary';
  if (o.step !== undefined && encoder === 'absolute') r.add(joinKey(at, 'step'), 'step applies to relative encoders only ("encoder": "twos-complement" or "offset")');
  const step = readNumber(r, o.step, joinKey(at, 'step'), STEP, DEFAULT_ENCODER_STEP);

  let param: string | null = null;
  let range: readonly [number, number] | null = null;
  let cue: MidiCueAction | null = null;
  if ((o.param === undefined) === (o.cue === undefined)) {
    r.add(at, o.param === undefined ? 'missing the target; expected "param": <parameter name> or "cue": "go" | "back" | <cue number>' : 'expected "param" or "cue", not both');
  } else if (o.param !== undefined) {
    const spec = typeof o.param === 'string' ? resolveParam(r, o.param, joinKey(at, 'param'), specs, MIDI_MAPPABLE) : undefined;
    if (typeof o.param !== 'string') r.expected(joinKey(at, 'param'), 'a parameter name', o.param);
    if (spec !== undefined) {
      param = spec.name;
      range = readRangeFor(r, o.range, joinKey(at, 'range'), spec);
      if (encoder !== 'absolute' && spec.type !== 'float' && spec.type !== 'int') {
        r.add(joinKey(at, 'encoder'), `a relative encoder needs a float or int parameter; "${spec.name}" is ${spec.type === 'bool' ? 'a bool' : `an ${spec.type}`}`);
      }
      if (c?.control === 'note' && mode === 'velocity' && spec.type === 'bool') r.add(joinKey(at, 'mode'), `"velocity" needs a float, int or enum parameter; use "toggle" or "momentary" for "${spec.name}"`);
    }
  } else {
    if (o.range !== undefined) r.add(joinKey(at, 'range'), 'range applies to parameter mappings only');
    if (c?.control === 'pitchbend') r.add(joinKey(at, 'cue'), 'a cue needs a button: a note or a CC, not pitch bend');
    cue = readCue(r, o.cue, joinKey(at, 'cue'), cueNumbers) ?? null;
  }
  if (r.issues.length > before || c === undefined) return undefined;
  return { channel, control: c.control, number: c.number, bits, encoder, mode, param, range, step, cue };
}

/**
 * Reads a list of mappings (the show file's `midi.mappings`, or a saved learn table), reporting each problem with
 * its path. A control is bound to one target only, and the LSB controller of a 14-bit pair cannot be bound again.
 * `cueNumbers` null skips the check that a cue exists (a learn table saved for another show).
 */
export function readMidiMappings(
  r: Reporter, raw: unknown, path: string, specs: readonly ParamSpec[], cueNumbers: readonly number[] | null,
): readonly MidiMapping[] {
  const list = readArray(r, raw, path, 'a list of MIDI mappings');
  if (list === undefined) return [];
  const out: MidiMapping[] = [];
  const used = new Map<string, number>();
  const claim = (key: string, i: number, at: string): boolean => {
    const earlier = used.get(key);
    if (earlier !== undefined) {
      r.add(at, `this control is already mapped by ${joinIndex(path, earlier)}`);
      return false;
    }
    used.set(key, i);
    return true;
  };
  list.forEach((item, i) => {
    const at = joinIndex(path, i);
    const m = readOne(r, item, at, specs, cueNumbers);
    if (m === undefined) return;
    if (!claim(controlKey(m.control, m.channel, m.number), i, at)) return;
    if (m.bits === 14 && m.control === 'cc' && !claim(controlKey('cc', m.channel, m.number + 32), i, at)) return;
    out.push(m);
  });
  return out;
}

/** The file form of a mapping, for saving a learned table: only what differs from the defaults. */
export function mappingToJson(m: MidiMapping): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (m.channel !== null) o.channel = m.channel;
  if (m.control === 'pitchbend') o.pitchbend = true;
  else o[m.control] = m.number;
  if (m.control === 'cc' && m.bits === 14) o.bits = 14;
  if (m.encoder !== 'absolute') {
    o.encoder = m.encoder;
    if (m.step !== DEFAULT_ENCODER_STEP) o.step = m.step;
  }
  if (m.control === 'note' && m.param !== null && m.mode !== 'momentary') o.mode = m.mode;
  if (m.param !== null) o.param = m.param;
  if (m.range !== null) o.range = [...m.range];
  if (m.cue !== null) o.cue = m.cue;
  return o;
}

/** Validates untrusted JSON (a saved learn table) into mappings, or the first problems in one message. */
export function parseMidiMappings(
  raw: unknown, specs: readonly ParamSpec[], cueNumbers: readonly number[] | null = null,
): { readonly ok: true; readonly mappings: readonly MidiMapping[] } | { readonly ok: false; readonly error: string } {
  const r = new Reporter();
  const mappings = readMidiMappings(r, raw, 'midi mappings', specs, cueNumbers);
  if (r.issues.length > 0) return { ok: false, error: r.issues.slice(0, 3).map((x) => `${x.path}: ${x.message}`).join('; ') };
  return { ok: true, mappings };
}
