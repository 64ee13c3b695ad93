/**
 * A MIDI mapping: one control of a controller (a CC, a 14-bit CC pair, a note, the pitch-bend wheel) bound to a
 * parameter on the bus or to a cue button. Plain data: the show file's `midi.mappings` and the learn table are both
 * lists of these.
 */
export type MidiControl = 'cc' | 'note' | 'pitchbend';

export const ENCODER_MODES = ['absolute', 'twos-complement', 'offset'] as const;
/** How a CC's value is read: a position (fader, knob with end stops) or signed detents of an endless encoder. */
export type EncoderMode = (typeof ENCODER_MODES)[number];

export const NOTE_MODES = ['momentary', 'toggle', 'velocity'] as const;
/**
 * How a note drives a parameter: momentary (held = range high, released = range low), toggle (each press flips
 * between the two ends), velocity (each press sets the value by how hard it was struck; release does nothing).
 */
export type NoteMode = (typeof NOTE_MODES)[number];

/** A cue button: GO, BACK, or the cue with this number (the number operators call it by, as in the show file). */
export type MidiCueAction = 'go' | 'back' | number;

export interface MidiMapping {
  /** 1..16, or null for any channel. */
  readonly channel: number | null;
  readonly control: MidiControl;
  /** Controller or note number 0..127; 0 for pitch bend. */
  readonly number: number;
  /** 14: CC n carries the MSB and CC n+32 the LSB (n < 32). Pitch bend is always 14-bit; notes 7. */
  readonly bits: 7 | 14;
  readonly encoder: EncoderMode;
  readonly mode: NoteMode;
  /** Exactly one of param and cue is set. */
  readonly param: string | null;
  /** Parameter values at the control's two ends (float/int only); null is the parameter's own min..max. */
  readonly range: readonly [number, number] | null;
  /** For encoders: the fraction of the range one detent moves. */
  readonly step: number;
  readonly cue: MidiCueAction | null;
}

export const DEFAULT_ENCODER_STEP = 1 / 100;

/** Identifies a control (not its target): "cc/1/7", "note/*\/36", "pitchbend/2/0". */
export function controlKey(control: MidiControl, channel: number | null, number: number): string {
  return `${control}/${channel ?? '*'}/${number}`;
}

export function mappingKey(m: MidiMapping): string {
  return controlKey(m.control, m.channel, m.number);
}

/** What the mapping core asks the app to do; parameter writes go straight to the bus. */
export type MidiCommand =
  | { readonly kind: 'cue-go' }
  | { readonly kind: 'cue-back' }
  | { readonly kind: 'cue-number'; readonly number: number }
  | { readonly kind: 'learn-bound'; readonly mapping: MidiMapping }
  | { readonly kind: 'clock'; readonly event: 'clock' | 'start' | 'continue' | 'stop'; readonly atMs: number };

/** A message for the controller (feedback), as the bytes MIDIOutput.send() takes. */
export type MidiBytes = readonly number[];
