import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { createWalkSettings, readWalkSettings } from '../../../src/core/latent/walk-settings.ts';
import { Walker } from '../../../src/core/latent/walker.ts';
import { MidiRouter } from '../../../src/core/midi/router.ts';
import { MidiTable } from '../../../src/core/midi/table.ts';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS } from '../../../src/core/params/catalogue.ts';
import { parseRecording, Recorder, Replayer, toJsonLines, trimRecording, type Recording } from '../../../src/core/record/recording.ts';
import { applyInitial, CueEngine } from '../../../src/core/show/index.ts';
import { validateShow } from '../../../src/core/show/validate.ts';
import { Tempo } from '../../../src/core/tempo/tempo.ts';
import { WalkSyncer, type WalkSync } from '../../../src/core/tempo/walk-sync.ts';

const SIZE = 32;
const FPS = 30;

const show = (() => {
  const v = validateShow({
    walk: { mode: 'loop', 'loop-keyframes': 8, seed: 42 },
    params: { 'walk/sync': 'bar', 'walk/sync-spacing': 0.5, 'tempo/bpm': 118 },
    cues: [
      { number: 1, fade: 3, targets: { 'walk/truncation': 0.6, 'grade/contrast': 1.3 } },
      { number: 2, fade: 5, targets: { 'walk/mode': 'tour', 'walk/jitter': 0.4 } },
    ],
    midi: { mappings: [{ cc: 7, param: 'walk/truncation', range: [0.3, 1.2] }, { cc: 8, param: 'steer/0' }] },
  });
  if (!v.ok) throw new Error(v.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return v.show;
})();

/** What runs once per display frame, in both the live run and the replay: tempo, walk (synced), bus smoothing. */
function makeFrame(bus: ParameterBus, walker: Walker, tempo: Tempo, latents: Float32Array[]) {
  const syncer = new WalkSyncer();
  const settings = createWalkSettings();
  return (t: number, dt: number): void => {
    const d = tempo.advance(t);
    bus.tick(dt);
    const s = readWalkSettings(bus, settings);
    const step = syncer.step(dt, s, {
      sync: bus.string('walk/sync') as WalkSync, spacing: bus.number('walk/sync-spacing'), beatsPerBar: tempo.beatsPerBar,
      bpm: tempo.bpm, beats: tempo.beats, deltaBeats: d, dtSeconds: dt, position: walker.position(),
    });
    latents.push(Float32Array.from(walker.step(step.dt, step.settings)));
  };
}

/** Two minutes of a show: cues with fades, MIDI faders, a visitor's pose on walk/jitter, a drummer's beat pulses. */
function liveRun(): { recording: Recording; latents: Float32Array[] } {
  const clock = new ManualClock(1000);
  const bus = new ParameterBus(PARAMS);
  applyInitial(show, bus);
  const cues = new CueEngine(show, bus, clock);
  const tempo = new Tempo({ bpm: 118 });
  const walker = new Walker({ size: SIZE });
  const midi = new MidiRouter({ bus, table: new MidiTable(PARAMS, show.midi.mappings) });
  const latents: Float32Array[] = [];
  const frame = makeFrame(bus, walker, tempo, latents);
  const recorder = new Recorder(bus, { show: show.name, now: () => clock.now() });
  recorder.begin();
  tempo.advance(clock.now());
  let nextBeat = clock.now() + 0.3;
  for (let f = 1; f <= 120 * FPS; f++) {
    clock.advance(1 / FPS);
    const t = clock.now();
    if (t >= nextBeat) {
      const at = nextBeat + (((f * 7919) % 21) - 10) / 1000;
      tempo.beat(at);
      recorder.tempo('beat', at);
      nextBeat += 60 / 121;
    }
    if (f === 5 * FPS) cues.go();
    if (f === 40 * FPS) cues.go();
    if (f > 10 * FPS && f < 20 * FPS) midi.receive([0xb0, 7, 40 + (f % 60)], t * 1000);
    if (f === 70 * FPS) midi.receive([0xb0, 8, 100], t * 1000);
    if (f > 30 * FPS && f % 2 === 0) bus.set('walk/jitter', 0.5 + 0.4 * Math.sin(f / 50), 'pose');
    if (f === 90 * FPS) bus.releaseAll('pose');
    midi.flush(t * 1000);
    cues.tick();
    recorder.frame(1 / FPS);
    frame(t, 1 / FPS);
  }
  return { recording: recorder.end(), latents };
}

function replay(rec: Recording, latents: Float32Array[]): Replayer {
  const bus = new ParameterBus(PARAMS);
  const tempo = new Tempo({ bpm: 118 });
  const walker = new Walker({ size: SIZE });
  const frame = makeFrame(bus, walker, tempo, latents);
  tempo.advance(rec.header.start);
  const r = new Replayer(rec, { bus, onFrame: frame, onTempo: (e, t) => (e === 'beat' ? tempo.beat(t) : undefined) });
  r.runAll();
  return r;
}

describe('record and replay', () => {
  const live = liveRun();

  it('replays a show\'s inputs into a fresh bus: the same latents, frame for frame, bit for bit', () => {
    const text = toJsonLines(live.recording);
    // Features and values only: no camera frame, nothing large.
    expect(text.length).toBeLessThan(3_000_000);
    const parsed = parseRecording(text);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const out: Float32Array[] = [];
    const r = replay(parsed.recording, out);
    expect(r.dropped).toBe(0);
    expect(out.length).toBe(live.latents.length);
    let differing = 0;
    out.forEach((z, i) => {
      if (!z.every((x, k) => Object.is(x, (live.latents[i] as Float32Array)[k]))) differing++;
    });
    expect(differing).toBe(0);
    // And the walk did move and change over the show (cue 2 switched it to a tour).
    expect(live.latents[0]).not.toEqual(live.latents[live.latents.length - 1]);
  });

  it('a replay without the desk\'s MIDI writes goes elsewhere: the test can tell', () => {
    const rec = live.recording;
    const withoutDesk: Recording = { header: rec.header, events: rec.events.filter((e) => !(e.kind === 'input' && e.input.source === 'desk')) };
    const out: Float32Array[] = [];
    replay(withoutDesk, out);
    expect(out.some((z, i) => !z.every((x, k) => x === (live.latents[i] as Float32Array)[k]))).toBe(true);
  });

  it('trims to a window that starts with the bus state of its first moment', () => {
    const cut = trimRecording(live.recording, 60, 80);
    const frames = cut.events.filter((e) => e.kind === 'frame');
    expect(frames.length).toBeGreaterThan(595);
    expect(frames.length).toBeLessThan(605);
    const bus = new ParameterBus(PARAMS);
    new Replayer(cut, { bus }).advanceTo(0);
    // At 60 s cue 2 holds the walk on a tour and the desk holds walk/truncation.
    expect(bus.target('walk/mode')).toBe('tour');
    expect(bus.owner('walk/truncation')).toBe('desk');
  });

  it('loops, and under a live desk the recording yields to live faders', () => {
    const cut = trimRecording(live.recording, 10, 20);
    const bus = new ParameterBus(PARAMS);
    const frames: number[] = [];
    const r = new Replayer(cut, { bus, loop: true, underLive: true, onFrame: (t) => frames.push(t) });
    r.advanceTo(25);
    expect(r.finished).toBe(false);
    expect(frames.length).toBeGreaterThan(2.4 * 300);
    expect(bus.owner('walk/truncation')).toBe('cue');
    bus.set('walk/truncation', 1.4, 'desk');
    r.advanceTo(26);
    expect(bus.target('walk/truncation')).toBe(1.4);
    bus.release('walk/truncation', 'desk');
    expect(bus.owner('walk/truncation')).toBe('cue');
  });

  it('refuses a damaged file, naming each bad line', () => {
    const text = [
      JSON.stringify({ format: 'sitter-recording/1', show: 'x', start: 0 }),
      JSON.stringify({ t: 1, kind: 'frame', dt: 0.03 }),
      '{ not json',
      JSON.stringify({ t: 0.5, kind: 'frame', dt: 0.03 }),
      JSON.stringify({ t: 2, kind: 'input', input: { op: 'set', name: 'walk/speed', value: null, source: 'desk' } }),
      JSON.stringify({ t: 3, kind: 'tempo', event: 'boom', at: 3 }),
      JSON.stringify({ t: 4, kind: 'input', input: { op: 'set', name: 'walk/speed', value: 1, source: 'visitor' } }),
    ].join('\n');
    const p = parseRecording(text);
    expect(p).toEqual({
      ok: false,
      errors: [
        'line 3: not JSON',
        'line 4: time 0.5 goes back before 1',
        'line 5: input.value: expected a number, bool, text or list of numbers',
        'line 6: tempo.event: expected one of beat, tap, clock, start, continue, stop',
        'line 7: input.source: expected one of show, pose, cue, desk',
      ],
    });
    expect(parseRecording('{"format":"other"}')).toMatchObject({ ok: false, errors: [expect.stringContaining('line 1: expected the header')] });
  });
});

describe('Recorder', () => {
  it('listens only while recording, and stops keeping events at its limit', () => {
    const bus = new ParameterBus(PARAMS);
    let t = 0;
    const r = new Recorder(bus, { show: 's', now: () => t, maxEvents: 5 });
    bus.set('walk/speed', 2, 'desk');
    r.frame(0.1);
    expect(r.size).toBe(0);
    r.begin();
    // The desk's layer as it stood is the recording's first event.
    expect(r.size).toBe(1);
    for (let i = 0; i < 10; i++) {
      t += 0.1;
      bus.set('walk/speed', i / 10, 'desk');
    }
    expect(r.size).toBe(5);
    expect(r.truncated).toBe(true);
    expect(r.recording).toBe(true);
    const rec = r.end();
    expect(rec.events.length).toBe(5);
    bus.set('walk/speed', 1, 'desk');
    expect(r.size).toBe(0);
  });
});
