/** The MIDI controller core: parsing, mappings, learn, routing onto the bus and feedback — no Web MIDI. */
export * from './message.ts';
export * from './types.ts';
export { MidiFeedback, bytesFor, rawFor, type MidiFeedbackOptions } from './feedback.ts';
export { MIDI_MAPPING_KEYS, mappingToJson, parseMidiMappings, readMidiMappings } from './read-mappings.ts';
export { MidiRouter, ends, fullScale, positionOf, valueAt, type ClockEvent, type MidiRouterOptions, type MidiStats } from './router.ts';
export { MidiTable, type LearnTarget, type TableResult } from './table.ts';
