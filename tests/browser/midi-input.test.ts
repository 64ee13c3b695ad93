import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.ts';
import { MidiTable } from '../../src/core/midi/table.ts';
import { ParameterBus } from '../../src/core/params/bus.ts';
import { PARAMS } from '../../src/core/params/catalogue.ts';
import { CueEngine } from '../../src/core/show/cue-engine.ts';
import { validateShow } from '../../src/core/show/validate.ts';
import { MidiInput, type MidiAccessLike, type MidiOutputLike, type MidiPortLike } from '../../src/input/midi.ts';

/**
 * A virtual MIDI port: an EventTarget with a port's fields. Messages are real MIDIMessageEvents dispatched on it, so
 * they reach the adapter through the same addEventListener('midimessage') path a USB controller's do.
 */
class VirtualPort extends EventTarget implements MidiPortLike {
  state: 'connected' | 'disconnected' = 'connected';
  opened = 0;
  closed = 0;
  constructor(readonly id: string, readonly name: string) {
    super();
  }
  open(): Promise<unknown> {
    this.opened++;
    return Promise.resolve(this);
  }
  close(): Promise<unknown> {
    this.closed++;
    return Promise.resolve(this);
  }
  play(bytes: number[]): void {
    this.dispatchEvent(new MIDIMessageEvent('midimessage', { data: new Uint8Array(bytes) }));
  }
  /** Listeners the page holds on this port (counted through the EventTarget itself). */
  listeners = 0;
  override addEventListener(type: string, l: EventListenerOrEventListenerObject | null, o?: AddEventListenerOptions | boolean): void {
    if (type === 'midimessage') this.listeners++;
    super.addEventListener(type, l, o);
  }
  override removeEventListener(type: string, l: EventListenerOrEventListenerObject | null, o?: EventListenerOptions | boolean): void {
    if (type === 'midimessage') this.listeners--;
    super.removeEventListener(type, l, o);
  }
}

class VirtualOutput extends VirtualPort implements MidiOutputLike {
  sent: number[][] = [];
  send(data: number[] | Uint8Array): void {
    this.sent.push([...data]);
  }
}

class VirtualAccess extends EventTarget implements MidiAccessLike {
  readonly inputs = new Map<string, VirtualPort>();
  readonly outputs = new Map<string, VirtualOutput>();
  stateListeners = 0;
  plug(p: VirtualPort): void {
    p.state = 'connected';
    (p instanceof VirtualOutput ? this.outputs : this.inputs).set(p.id, p as VirtualOutput);
    this.dispatchEvent(new Event('statechange'));
  }
  unplug(p: VirtualPort): void {
    p.state = 'disconnected';
    this.dispatchEvent(new Event('statechange'));
  }
  override addEventListener(type: string, l: EventListenerOrEventListenerObject | null, o?: AddEventListenerOptions | boolean): void {
    if (type === 'statechange') this.stateListeners++;
    super.addEventListener(type, l, o);
  }
  override removeEventListener(type: string, l: EventListenerOrEventListenerObject | null, o?: EventListenerOptions | boolean): void {
    if (type === 'statechange') this.stateListeners--;
    super.removeEventListener(type, l, o);
  }
}

async function setup() {
  const v = validateShow({
    cues: [{ number: 1, targets: { 'grade/contrast': 1.5 } }],
    midi: { input: 'nano', mappings: [{ cc: 7, param: 'master/level' }, { note: 36, cue: 'go' }, { cc: 8, param: 'walk/speed' }] },
  });
  if (!v.ok) throw new Error(v.issues.map((i) => i.message).join('; '));
  const bus = new ParameterBus(PARAMS);
  const cues = new CueEngine(v.show, bus, new ManualClock());
  const table = new MidiTable(PARAMS, v.show.midi.mappings);
  const access = new VirtualAccess();
  const nano = new VirtualPort('in-1', 'nanoKONTROL2 MIDI 1');
  const nanoOut = new VirtualOutput('out-1', 'nanoKONTROL2 MIDI 1');
  const synth = new VirtualPort('in-2', 'Some Synth');
  access.inputs.set(nano.id, nano);
  access.inputs.set(synth.id, synth);
  access.outputs.set(nanoOut.id, nanoOut);
  const logs: string[] = [];
  let t = 1000;
  const midi = await MidiInput.open({
    bus, table, input: v.show.midi.input, output: v.show.midi.output, feedback: true, feedbackRateHz: 50,
    onCommand: (c) => {
      if (c.kind === 'cue-go') cues.go();
    },
    log: (_l, m) => logs.push(m),
    requestAccess: () => Promise.resolve(access),
    now: () => t,
  });
  return { bus, cues, midi, access, nano, nanoOut, synth, logs, advance: (ms: number) => (t += ms) };
}

describe('Web MIDI adapter (virtual port)', () => {
  it('moves a parameter from a CC and fires a cue from a note, through the midimessage path', async () => {
    const { bus, cues, midi, nano, synth } = await setup();
    expect(midi.ports().inputs).toEqual(['nanoKONTROL2 MIDI 1']);
    nano.play([0xb0, 7, 0]);
    expect(bus.target('master/level')).toBe(1);
    midi.frame();
    expect(bus.target('master/level')).toBe(0);
    expect(bus.owner('master/level')).toBe('desk');
    // A port the show's input filter leaves out is not listened to.
    synth.play([0xb0, 8, 127]);
    midi.frame();
    expect(bus.target('walk/speed')).toBe(1);
    nano.play([0x90, 36, 100]);
    midi.frame();
    cues.tick();
    expect(cues.current).toBe(0);
    expect(bus.target('grade/contrast')).toBe(1.5);
    midi.dispose();
  });

  it('picks up a controller plugged in while running and sends it the state; forgets an unplugged one', async () => {
    const { bus, midi, access, nano, advance } = await setup();
    const late = new VirtualPort('in-3', 'nanoKONTROL2 #2');
    const lateOut = new VirtualOutput('out-3', 'nanoKONTROL2 #2');
    bus.set('walk/speed', 2, 'cue');
    access.plug(late);
    access.plug(lateOut);
    expect(midi.ports().inputs).toEqual(['nanoKONTROL2 MIDI 1', 'nanoKONTROL2 #2']);
    expect(lateOut.sent).toContainEqual([0xb0, 8, 64]);
    late.play([0xb0, 7, 127]);
    advance(16);
    midi.frame();
    expect(bus.target('master/level')).toBe(1);
    access.unplug(nano);
    expect(midi.ports().inputs).toEqual(['nanoKONTROL2 #2']);
    expect(nano.listeners).toBe(0);
    expect(nano.closed).toBe(1);
    nano.play([0xb0, 7, 0]);
    midi.frame();
    expect(bus.target('master/level')).toBe(1);
    midi.dispose();
  });

  it('sends feedback to the controller but not while its fader moves', async () => {
    const { bus, midi, nano, nanoOut, advance } = await setup();
    nanoOut.sent = [];
    bus.set('walk/speed', 4, 'cue');
    advance(16);
    midi.frame();
    expect(nanoOut.sent).toEqual([[0xb0, 8, 127]]);
    nanoOut.sent = [];
    nano.play([0xb0, 7, 100]);
    advance(16);
    midi.frame();
    advance(100);
    midi.frame();
    expect(nanoOut.sent).toEqual([]);
    midi.dispose();
  });

  it('dispose() removes every listener it added', async () => {
    const { midi, access, nano, synth } = await setup();
    expect(nano.listeners).toBe(1);
    expect(access.stateListeners).toBe(1);
    midi.dispose();
    expect(nano.listeners).toBe(0);
    expect(synth.listeners).toBe(0);
    expect(access.stateListeners).toBe(0);
  });

  it('runs on without MIDI when access is refused, saying why', async () => {
    const bus = new ParameterBus(PARAMS);
    const logs: string[] = [];
    const midi = await MidiInput.open({
      bus, table: new MidiTable(PARAMS), input: null, output: null, feedback: true, feedbackRateHz: 50,
      onCommand: () => undefined, log: (_l, m) => logs.push(m),
      requestAccess: () => Promise.reject(new DOMException('Permission to use Web MIDI API was not granted.', 'NotAllowedError')),
    });
    expect(logs).toEqual(['MIDI unavailable (Permission to use Web MIDI API was not granted.); running without controllers']);
    midi.frame();
    midi.dispose();
  });
});
