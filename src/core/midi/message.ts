/**
 * MIDI 1.0 channel and real-time messages as plain data. Web MIDI hands the page one complete message per event
 * (running status already expanded, real-time bytes delivered on their own), so parsing needs no stream state;
 * pairing 14-bit controllers is the mapping's job (it knows which controls are pairs).
 */
export type MidiEvent =
  /** Note-on with velocity 0 is delivered as a note-off (running-status keyboards send releases so). */
  | { readonly kind: 'note-on'; readonly channel: number; readonly note: number; readonly velocity: number }
  | { readonly kind: 'note-off'; readonly channel: number; readonly note: number; readonly velocity: number }
  | { readonly kind: 'cc'; readonly channel: number; readonly controller: number; readonly value: number }
  /** 0..16383, centre 8192. */
  | { readonly kind: 'pitch-bend'; readonly channel: number; readonly value: number }
  | { readonly kind: 'clock' }
  | { readonly kind: 'start' }
  | { readonly kind: 'continue' }
  | { readonly kind: 'stop' };

export type MidiEventKind = MidiEvent['kind'];

/** 24 clock pulses per quarter note (MIDI 1.0 real-time clock). */
export const CLOCK_PPQN = 24;
export const PITCH_BEND_CENTRE = 8192;

const dataByte = (b: number | undefined): b is number => b !== undefined && Number.isInteger(b) && b >= 0 && b <= 0x7f;

/**
 * One message's bytes to an event, or null for what Sitter does not use (aftertouch, program change, sysex, active
 * sensing…) and for malformed input (a data byte above 127, a message cut short): never a throw.
 */
export function parseMidi(data: ArrayLike<number>): MidiEvent | null {
  const status = data[0];
  if (status === undefined || !Number.isInteger(status) || status < 0x80 || status > 0xff) return null;
  switch (status) {
    case 0xf8: return { kind: 'clock' };
    case 0xfa: return { kind: 'start' };
    case 0xfb: return { kind: 'continue' };
    case 0xfc: return { kind: 'stop' };
    default: break;
  }
  if (status >= 0xf0) return null;
  const channel = (status & 0x0f) + 1;
  const a = data[1];
  const b = data[2];
  if (!dataByte(a) || !dataByte(b)) return null;
  switch (status & 0xf0) {
    case 0x80: return { kind: 'note-off', channel, note: a, velocity: b };
    case 0x90: return b === 0 ? { kind: 'note-off', channel, note: a, velocity: 0 } : { kind: 'note-on', channel, note: a, velocity: b };
    case 0xb0: return { kind: 'cc', channel, controller: a, value: b };
    case 0xe0: return { kind: 'pitch-bend', channel, value: a | (b << 7) };
    default: return null;
  }
}

const ch = (channel: number): number => (Math.min(16, Math.max(1, Math.round(channel))) - 1) & 0x0f;
const d7 = (v: number): number => Math.min(127, Math.max(0, Math.round(v)));

export function ccBytes(channel: number, controller: number, value: number): number[] {
  return [0xb0 | ch(channel), d7(controller), d7(value)];
}

/** Note-on with velocity 0 turns a pad's light off on every controller we know; a note-off does not on some. */
export function noteBytes(channel: number, note: number, velocity: number): number[] {
  return [0x90 | ch(channel), d7(note), d7(velocity)];
}

export function pitchBendBytes(channel: number, value: number): number[] {
  const v = Math.min(16383, Math.max(0, Math.round(value)));
  return [0xe0 | ch(channel), v & 0x7f, v >> 7];
}

/**
 * A relative encoder's byte as signed detents. Two's complement: 1..63 up, 127..65 down (-1..-63), as Ableton's
 * "Relative (2's Comp.)" and most Arturia/Akai encoders send. Offset: 64 is rest, 65 = +1, 63 = -1 (Ableton's
 * "Relative (Bin Offset)", Behringer's "Relative 2").
 */
export function relativeDelta(value: number, mode: 'twos-complement' | 'offset'): number {
  if (mode === 'offset') return value - 64;
  return value >= 64 ? value - 128 : value;
}
