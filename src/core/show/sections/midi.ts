import { readMidiMappings } from '../../midi/read-mappings.ts';
import type { ParamSpec } from '../../params/types.ts';
import { joinKey, type Reporter } from '../issues.ts';
import { readBool, readNullableString, readNumber, readObject } from '../read.ts';
import type { MidiConfig } from '../types.ts';

/**
 * Off unless the show turns it on: Web MIDI asks for a permission a gallery kiosk should only be given on purpose.
 * Ports are chosen by a substring of their name (ids change across replugging and machines); null takes every
 * input, and feedback goes to every output whose name matches the input filter.
 */
export const DEFAULT_MIDI: MidiConfig = { enabled: false, input: null, output: null, feedback: true, feedbackRateHz: 50, clock: false, mappings: [] };

const MIDI_KEYS = ['enabled', 'input', 'output', 'feedback', 'feedbackRateHz', 'clock', 'mappings'];

export function readMidi(r: Reporter, raw: unknown, path: string, specs: readonly ParamSpec[], cueNumbers: readonly number[]): MidiConfig {
  const d = DEFAULT_MIDI;
  const o = readObject(r, raw, path, MIDI_KEYS) ?? {};
  const at = (key: string): string => joinKey(path, key);
  const name = (s: string): boolean => s.trim().length > 0;
  return {
    // A section that maps controls means MIDI is wanted; "enabled": false still switches it off.
    enabled: readBool(r, o.enabled, at('enabled'), raw !== undefined),
    input: readNullableString(r, o.input, at('input'), 'part of a MIDI input\'s name', d.input, name),
    output: readNullableString(r, o.output, at('output'), 'part of a MIDI output\'s name', d.output, name),
    feedback: readBool(r, o.feedback, at('feedback'), d.feedback),
    feedbackRateHz: readNumber(r, o.feedbackRateHz, at('feedbackRateHz'), { expected: 'a rate in Hz from 1 to 200', min: 1, max: 200 }, d.feedbackRateHz),
    clock: readBool(r, o.clock, at('clock'), d.clock),
    mappings: readMidiMappings(r, o.mappings, at('mappings'), specs, cueNumbers),
  };
}
