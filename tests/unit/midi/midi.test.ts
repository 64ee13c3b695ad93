import { describe, expect, it } from 'vitest';
import { EchoGuard } from '../../../src/core/osc/echo-guard.ts';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS } from '../../../src/core/params/catalogue.ts';
import { ccBytes, noteBytes, parseMidi, pitchBendBytes, relativeDelta } from '../../../src/core/midi/message.ts';
import { MidiFeedback } from '../../../src/core/midi/feedback.ts';
import { parseMidiMappings } from '../../../src/core/midi/read-mappings.ts';
import { MidiRouter, type ClockEvent } from '../../../src/core/midi/router.ts';
import { MidiTable } from '../../../src/core/midi/table.ts';
import type { MidiCommand, MidiMapping } from '../../../src/core/midi/types.ts';

const cc = (channel: number, n: number, v: number): number[] => [0xb0 + channel - 1, n, v];
const on = (channel: number, n: number, v = 100): number[] => [0x90 + channel - 1, n, v];
const off = (channel: number, n: number): number[] => [0x80 + channel - 1, n, 0];

function mappings(raw: unknown[]): readonly MidiMapping[] {
  const p = parseMidiMappings(raw, PARAMS, [1, 2, 5]);
  if (!p.ok) throw new Error(p.error);
  return p.mappings;
}

function rig(raw: unknown[], holdMs = 300) {
  const bus = new ParameterBus(PARAMS);
  const table = new MidiTable(PARAMS, mappings(raw));
  const guard = new EchoGuard(holdMs);
  const commands: MidiCommand[] = [];
  const clock: [ClockEvent, number][] = [];
  const router = new MidiRouter({ bus, table, echoGuard: guard, onCommand: (c) => commands.push(c), onClock: (e, t) => clock.push([e, t]) });
  const feedback = new MidiFeedback({ specs: PARAMS, table, echoGuard: guard, intervalMs: 20 });
  feedback.attach(bus);
  return { bus, table, router, feedback, commands, clock };
}

describe('MIDI messages', () => {
  it('parses notes, velocity-0 note-on as note-off, CC, pitch bend and real-time bytes', () => {
    expect(parseMidi([0x93, 60, 100])).toEqual({ kind: 'note-on', channel: 4, note: 60, velocity: 100 });
    expect(parseMidi([0x93, 60, 0])).toEqual({ kind: 'note-off', channel: 4, note: 60, velocity: 0 });
    expect(parseMidi([0x80, 61, 64])).toEqual({ kind: 'note-off', channel: 1, note: 61, velocity: 64 });
    expect(parseMidi([0xbf, 7, 127])).toEqual({ kind: 'cc', channel: 16, controller: 7, value: 127 });
    expect(parseMidi([0xe0, 0x00, 0x40])).toEqual({ kind: 'pitch-bend', channel: 1, value: 8192 });
    expect(parseMidi([0xe1, 0x7f, 0x7f])).toEqual({ kind: 'pitch-bend', channel: 2, value: 16383 });
    expect(parseMidi([0xf8])).toEqual({ kind: 'clock' });
    expect(parseMidi([0xfa])).toEqual({ kind: 'start' });
    expect(parseMidi([0xfb])).toEqual({ kind: 'continue' });
    expect(parseMidi([0xfc])).toEqual({ kind: 'stop' });
  });

  it('ignores what it does not use and malformed bytes without throwing', () => {
    for (const bad of [[], [0x40, 1, 2], [0xb0, 7], [0xb0, 200, 1], [0xc0, 5], [0xf0, 1, 2, 0xf7], [0xfe], [0xa0, 60, 10], [NaN], [0x90, 1.5, 3]]) {
      expect(parseMidi(bad)).toBeNull();
    }
  });

  it('encodes what it parses', () => {
    expect(parseMidi(ccBytes(3, 21, 99))).toEqual({ kind: 'cc', channel: 3, controller: 21, value: 99 });
    expect(parseMidi(noteBytes(10, 36, 127))).toEqual({ kind: 'note-on', channel: 10, note: 36, velocity: 127 });
    expect(parseMidi(pitchBendBytes(1, 12345))).toEqual({ kind: 'pitch-bend', channel: 1, value: 12345 });
  });

  it('reads relative encoders in both modes', () => {
    expect([1, 3, 63, 127, 125, 65].map((v) => relativeDelta(v, 'twos-complement'))).toEqual([1, 3, 63, -1, -3, -63]);
    expect([65, 67, 63, 61, 64].map((v) => relativeDelta(v, 'offset'))).toEqual([1, 3, -1, -3, 0]);
  });
});

describe('MIDI mappings in a show file', () => {
  it('parses a saved table, naming the first problems with their paths', () => {
    const p = parseMidiMappings([{ cc: 7, param: 'master/level' }, { cc: 7, param: 'walk/speed' }, { note: 36, cue: 9 }], PARAMS, [1, 2]);
    expect(p).toEqual({
      ok: false,
      error: 'midi mappings[1]: this control is already mapped by midi mappings[0]; midi mappings[2].cue: expected "go", "back" or the number of a cue (1, 2), got 9',
    });
  });

  it('turns into a validated show section', async () => {
    const { validateShow } = await import('../../../src/core/show/validate.ts');
    const bad = validateShow({
      cues: [{ number: 1 }, { number: 2 }],
      midi: {
        inptu: 'x',
        mappings: [
          { cc: 7, param: 'master/level' },
          { cc: 7, param: 'walk/speed' },
          { cc: 40, bits: 14, param: 'grade/exposure' },
          { note: 36, cue: 9 },
          { note: 37, channel: 17, cue: 'go' },
          { pitchbend: true, cue: 'go' },
          { cc: 1, encoder: 'twos-complement', param: 'walk/mode' },
          { cc: 2, param: 'grade/contrst' },
          { cc: 3, note: 4, param: 'walk/speed' },
          { cc: 5, param: 'walk/speed', range: [0, 9] },
          { cc: 6 },
          { cc: 8, param: 'status/fps' },
          { cc: 0, bits: 14, param: 'walk/speed' },
          { cc: 32, param: 'grade/tint' },
        ],
      },
    });
    expect(bad.ok).toBe(false);
    const lines = bad.ok ? [] : bad.issues.map((i) => `${i.path}: ${i.message}`);
    expect(lines).toEqual([
      'midi.inptu: unknown key; did you mean "input"?',
      'midi.mappings[1]: this control is already mapped by midi.mappings[0]',
      'midi.mappings[2].bits: a 14-bit pair has its MSB on CC 0..31 (LSB on CC n+32); got CC 40',
      'midi.mappings[3].cue: expected "go", "back" or the number of a cue (1, 2), got 9',
      'midi.mappings[4].channel: expected a MIDI channel from 1 to 16, got 17',
      'midi.mappings[5].cue: a cue needs a button: a note or a CC, not pitch bend',
      'midi.mappings[6].encoder: a relative encoder needs a float or int parameter; "walk/mode" is an enum',
      'midi.mappings[7].param: unknown parameter; did you mean "grade/contrast"?',
      'midi.mappings[8]: expected one control, got "cc" and "note"',
      'midi.mappings[9].range[1]: expected a number from 0 to 4 (×), got 9',
      'midi.mappings[10]: missing the target; expected "param": <parameter name> or "cue": "go" | "back" | <cue number>',
      'midi.mappings[11].param: "status/fps" is a read-only status the app reports; expected a writable float, int, bool or enum parameter',
      'midi.mappings[13]: this control is already mapped by midi.mappings[12]',
    ]);
    const good = validateShow({ cues: [{ number: 1 }], midi: { mappings: [{ cc: 7, param: 'master/level' }, { note: 36, cue: 1 }] } });
    expect(good.ok && good.show.midi.enabled).toBe(true);
    expect(good.ok && good.show.midi.mappings.map((m) => [m.control, m.number, m.param, m.cue])).toEqual([['cc', 7, 'master/level', null], ['note', 36, null, 1]]);
    const none = validateShow({});
    expect(none.ok && none.show.midi).toMatchObject({ enabled: false, mappings: [] });
  });
});

describe('MIDI router', () => {
  it('maps a CC through a range onto the bus with source desk, once per frame', () => {
    const { bus, router } = rig([{ cc: 7, channel: 1, param: 'walk/speed', range: [0, 2] }]);
    router.receive(cc(1, 7, 127), 0);
    router.receive(cc(1, 7, 0), 1);
    router.receive(cc(1, 7, 127), 2);
    expect(bus.target('walk/speed')).toBe(1);
    router.flush(3);
    expect(bus.target('walk/speed')).toBe(2);
    expect(bus.owner('walk/speed')).toBe('desk');
    expect(router.stats.coalesced).toBe(2);
    // Another channel is another control.
    router.receive(cc(2, 7, 0), 4);
    router.flush(5);
    expect(bus.target('walk/speed')).toBe(2);
    expect(router.stats.unmapped).toBe(1);
  });

  it('pairs 14-bit CCs: the MSB resets the LSB, the LSB refines it', () => {
    const { bus, router } = rig([{ cc: 1, bits: 14, param: 'grade/exposure' }]);
    router.receive(cc(5, 1, 64), 0);
    router.flush(0);
    expect(bus.target('grade/exposure')).toBeCloseTo(-3 + 6 * (64 * 128) / 16383, 9);
    router.receive(cc(5, 33, 127), 1);
    router.flush(1);
    expect(bus.target('grade/exposure')).toBeCloseTo(-3 + 6 * (64 * 128 + 127) / 16383, 9);
    router.receive(cc(5, 1, 127), 2);
    router.receive(cc(5, 33, 127), 2);
    router.flush(2);
    expect(bus.target('grade/exposure')).toBe(3);
  });

  it('reads pitch bend as a 14-bit fader', () => {
    const { bus, router } = rig([{ pitchbend: true, channel: 2, param: 'morph/strength' }]);
    router.receive([0xe1, 0, 0x40], 0);
    router.flush(0);
    expect(bus.target('morph/strength')).toBeCloseTo(8192 / 16383, 9);
  });

  it('moves with relative encoders by detents, clamped to the range, accumulating within a frame', () => {
    const { bus, router } = rig([
      { cc: 16, encoder: 'twos-complement', step: 0.1, param: 'grade/contrast' },
      { cc: 17, encoder: 'offset', param: 'layout/grid' },
    ]);
    router.receive(cc(1, 16, 1), 0);
    router.receive(cc(1, 16, 2), 0);
    router.flush(0);
    expect(bus.target('grade/contrast')).toBeCloseTo(1.6, 9);
    router.receive(cc(1, 16, 127), 1);
    router.flush(1);
    expect(bus.target('grade/contrast')).toBeCloseTo(1.4, 9);
    for (let i = 0; i < 20; i++) router.receive(cc(1, 16, 5), 2);
    router.flush(2);
    expect(bus.target('grade/contrast')).toBe(2);
    // An int moves at least a whole unit per detent.
    router.receive(cc(1, 17, 65), 3);
    router.flush(3);
    expect(bus.target('layout/grid')).toBe(2);
    router.receive(cc(1, 17, 60), 4);
    router.flush(4);
    expect(bus.target('layout/grid')).toBe(1);
  });

  it('plays notes as momentary, toggle and velocity controls', () => {
    const { bus, router } = rig([
      { note: 40, param: 'hud/visible', mode: 'toggle' },
      { note: 41, param: 'master/level', range: [1, 0] },
      { note: 42, param: 'paint/amount', mode: 'velocity' },
    ]);
    router.receive(on(1, 40), 0);
    router.receive(off(1, 40), 0);
    router.flush(0);
    expect(bus.bool('hud/visible')).toBe(true);
    router.receive(on(1, 40), 1);
    router.receive([0x90, 40, 0], 1);
    router.flush(1);
    expect(bus.bool('hud/visible')).toBe(false);
    router.receive(on(1, 41), 2);
    router.flush(2);
    expect(bus.target('master/level')).toBe(0);
    router.receive([0x90, 41, 0], 3);
    router.flush(3);
    expect(bus.target('master/level')).toBe(1);
    router.receive(on(1, 42, 127), 4);
    router.receive(off(1, 42), 4);
    router.flush(4);
    expect(bus.target('paint/amount')).toBe(1);
  });

  it('fires cues from notes and from CC buttons on the way down only, in order', () => {
    const { router, commands } = rig([{ note: 36, cue: 'go' }, { note: 37, cue: 'back' }, { cc: 64, cue: 5 }]);
    router.receive(on(1, 36), 0);
    router.receive(off(1, 36), 0);
    router.receive(on(1, 37), 0);
    router.receive(cc(1, 64, 127), 0);
    router.receive(cc(1, 64, 120), 0);
    router.receive(cc(1, 64, 0), 0);
    router.receive(cc(1, 64, 127), 0);
    expect(commands).toEqual([]);
    router.flush(0);
    expect(commands).toEqual([{ kind: 'cue-go' }, { kind: 'cue-back' }, { kind: 'cue-number', number: 5 }, { kind: 'cue-number', number: 5 }]);
  });

  it('hands clock bytes on at once with their own time', () => {
    const { router, clock } = rig([]);
    router.receive([0xfa], 10);
    router.receive([0xf8], 11.5);
    router.receive([0xfc], 30);
    expect(clock).toEqual([['start', 10], ['clock', 11.5], ['stop', 30]]);
  });

  it('bounds what it holds per frame', () => {
    const { router, commands } = rig([{ note: 36, cue: 'go' }]);
    for (let i = 0; i < 1000; i++) router.receive(on(1, 36), 0);
    router.flush(0);
    expect(commands.length).toBe(64);
    expect(router.stats.dropped).toBe(936);
  });
});

describe('MIDI learn', () => {
  it('binds the next moved control to the armed parameter, with its channel, and applies it', () => {
    const { bus, table, router, commands } = rig([{ cc: 9, param: 'walk/speed' }]);
    expect(table.arm({ param: 'status/fps' }).ok).toBe(false);
    expect(table.arm({ param: 'walk/speed' }).ok).toBe(true);
    router.receive(cc(3, 20, 127), 0);
    router.flush(0);
    expect(table.armed).toBeNull();
    expect(table.find('cc', 3, 20)?.param).toBe('walk/speed');
    expect(table.find('cc', 1, 9)).toBeUndefined();
    expect(bus.target('walk/speed')).toBe(4);
    expect(commands[0]).toMatchObject({ kind: 'learn-bound', mapping: { control: 'cc', channel: 3, number: 20 } });
    expect(table.toJson()).toEqual([{ channel: 3, cc: 20, param: 'walk/speed' }]);
  });

  it('recognises a 14-bit fader by its LSB following at once', () => {
    const { bus, table, router } = rig([]);
    table.arm({ param: 'grade/exposure' });
    router.receive(cc(1, 2, 127), 0);
    router.receive(cc(1, 34, 127), 0.5);
    router.flush(1);
    expect(table.find('cc', 1, 2)?.bits).toBe(14);
    expect(bus.target('grade/exposure')).toBe(3);
  });

  it('binds a cue to a pressed button without firing it, and waits past releases', () => {
    const { table, router, commands } = rig([]);
    table.arm({ cue: 'go' });
    router.receive(off(1, 50), 0);
    router.receive(on(1, 50), 1);
    router.flush(1);
    expect(table.find('note', 1, 50)?.cue).toBe('go');
    expect(commands.map((c) => c.kind)).toEqual(['learn-bound']);
    router.receive(on(1, 50), 2);
    router.flush(2);
    expect(commands.map((c) => c.kind)).toEqual(['learn-bound', 'cue-go']);
  });

  it('loads a saved table in show-file form, refusing a bad one without change', () => {
    const { table } = rig([{ cc: 1, param: 'walk/speed' }]);
    expect(table.load([{ cc: 2, param: 'nope' }])).toMatchObject({ ok: false });
    expect(table.find('cc', 1, 1)?.param).toBe('walk/speed');
    expect(table.load([{ cc: 2, param: 'grade/tint' }]).ok).toBe(true);
    expect(table.find('cc', 1, 1)).toBeUndefined();
  });
});

describe('MIDI feedback', () => {
  it('sends mapped parameters in the control\'s own form', () => {
    const { bus, feedback } = rig([
      { cc: 7, channel: 2, param: 'master/level' },
      { cc: 1, bits: 14, param: 'walk/speed' },
      { note: 36, param: 'hud/visible', mode: 'toggle' },
      { pitchbend: true, param: 'morph/strength' },
      { cc: 16, encoder: 'offset', param: 'grade/contrast' },
    ]);
    bus.set('master/level', 0.5, 'cue');
    bus.set('walk/speed', 4, 'cue');
    bus.set('hud/visible', true, 'cue');
    bus.set('morph/strength', 1, 'cue');
    bus.set('grade/contrast', 2, 'cue');
    bus.set('grain/amount', 1, 'cue');
    expect(feedback.tick(0)).toEqual([
      [0xb1, 7, 64], [0xb0, 1, 127], [0xb0, 33, 127], [0x90, 36, 127], [0xe0, 127, 127], [0xb0, 16, 127],
    ]);
    expect(feedback.tick(100)).toEqual([]);
  });

  it('keeps quiet while the controller moves it, then sends the settled value only if it differs', () => {
    const { bus, router, feedback } = rig([{ cc: 7, param: 'layout/grid' }, { note: 36, param: 'hud/visible', mode: 'toggle' }]);
    // Grid 1..4: 60/127 lands on 2.42 → 2, which shows as 42, not the 60 the fader sent.
    router.receive(cc(1, 7, 60), 0);
    router.flush(0);
    expect(bus.target('layout/grid')).toBe(2);
    expect(feedback.tick(10)).toEqual([]);
    expect(feedback.tick(200)).toEqual([]);
    expect(feedback.tick(320)).toEqual([[0xb0, 7, 42]]);
    // A value the fader itself sent exactly is not echoed.
    router.receive(cc(1, 7, 127), 400);
    router.flush(400);
    expect(feedback.tick(800)).toEqual([]);
    // Overridden by nobody, a toggle pad is told its new state (lit), once.
    router.receive(on(1, 36), 1000);
    router.flush(1000);
    expect(feedback.tick(1400)).toEqual([]);
    router.receive(on(1, 36), 2000);
    router.flush(2000);
    expect(bus.bool('hud/visible')).toBe(false);
    expect(feedback.tick(2400)).toEqual([[0x90, 36, 0]]);
  });

  it('sends everything mapped for a controller just plugged in', () => {
    const { bus, feedback } = rig([{ cc: 7, param: 'master/level' }, { note: 1, cue: 'go' }]);
    expect(feedback.full(bus.snapshot())).toEqual([[0xb0, 7, 127]]);
  });
});

describe('MIDI learn survives a reload', () => {
  it('keeps learned controls apart from the show\'s, and puts them back over it from the saved state', async () => {
    const { ManualClock } = await import('../../../src/core/clock.ts');
    const { CueEngine } = await import('../../../src/core/show/cue-engine.ts');
    const { parseShowState } = await import('../../../src/core/show/show-state.ts');
    const { bus, table, router } = rig([{ cc: 7, param: 'master/level' }, { cc: 9, param: 'walk/speed' }]);
    const cues = new CueEngine({ name: 's', cues: [] }, bus, new ManualClock());
    table.onChange(() => cues.setMidiLearn(table.learnedJson()));
    table.arm({ param: 'walk/speed' });
    router.receive(cc(2, 21, 64), 0);
    table.arm({ cue: 'go' });
    router.receive(on(10, 36), 1);
    router.flush(1);
    expect(table.learnedJson()).toEqual([{ channel: 2, cc: 21, param: 'walk/speed' }, { channel: 10, note: 36, cue: 'go' }]);
    // Saved with the show's state as JSON, read back into a fresh page whose table holds only the show's mappings.
    const saved = JSON.parse(JSON.stringify(cues.state())) as unknown;
    const parsed = parseShowState(saved, PARAMS, 0);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const fresh = new MidiTable(PARAMS, mappings([{ cc: 7, param: 'master/level' }, { cc: 9, param: 'walk/speed' }]));
    expect(fresh.addLearned(parsed.state.midiLearn).ok).toBe(true);
    expect(fresh.find('cc', 2, 21)?.param).toBe('walk/speed');
    expect(fresh.find('note', 10, 36)?.cue).toBe('go');
    expect(fresh.find('cc', 1, 7)?.param).toBe('master/level');
    expect(fresh.find('cc', 1, 9)).toBeUndefined();
    expect(fresh.learnedJson().length).toBe(2);
    // A state saved before MIDI existed has no midiLearn and still parses.
    const old = { ...(saved as Record<string, unknown>) };
    delete old.midiLearn;
    expect(parseShowState(old, PARAMS, 0).ok).toBe(true);
  });
});
