import { describe, expect, it } from 'vitest';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS, type ParamName } from '../../../src/core/params/catalogue.ts';
import type { ParamValue } from '../../../src/core/params/types.ts';
import { CueLayerReporter, LayerMirror, TempoReporter, WalkLane, pulsedParams } from '../../../src/core/screens/index.ts';
import type { BeatPulse } from '../../../src/core/tempo/pulse.ts';
import { Tempo, type TempoState } from '../../../src/core/tempo/tempo.ts';

const bus = (): ParameterBus<ParamName> => new ParameterBus<ParamName>(PARAMS);

describe('LayerMirror (a following page takes the leader\'s layers tick by tick)', () => {
  it('applies each change once the lane has walked past its tick, and rebuilds after a replay', () => {
    const lane = new WalkLane({ size: 8, epoch: 0 });
    lane.schedule({ tick: 5, source: 'desk', name: 'grade/contrast', value: 1.4 });
    lane.schedule({ tick: 10, source: 'cue', name: 'grain/amount', value: 0.3 });
    lane.schedule({ tick: 12, source: 'pose', name: 'walk/truncation', value: 0.5 });
    const page = bus();
    const m = new LayerMirror(page);
    lane.advanceTo(5);
    m.update(lane);
    expect(page.layer('grade/contrast', 'desk')).toBeUndefined(); // tick 5 not walked yet
    lane.advanceTo(11);
    m.update(lane);
    expect(page.layer('grade/contrast', 'desk')).toBe(1.4);
    expect(page.layer('grain/amount', 'cue')).toBe(0.3);
    expect(page.layer('walk/truncation', 'pose')).toBeUndefined();
    // A late release of the contrast (tick 7 < 11): the lane replays, the mirror rebuilds the layers from the log.
    lane.schedule({ tick: 7, source: 'desk', name: 'grade/contrast', value: null });
    lane.advanceTo(13);
    m.update(lane);
    expect(page.layer('grade/contrast', 'desk')).toBeUndefined();
    expect(page.layer('grain/amount', 'cue')).toBe(0.3);
    expect(page.layer('walk/truncation', 'pose')).toBe(0.5);
  });
});

describe('CueLayerReporter (the leading page tells its kiosk what its cues and visitors hold)', () => {
  it('sends changed cue and pose layers at most every interval, releases as null, nothing twice', () => {
    const b = bus();
    const sent: Array<[string, Record<string, ParamValue | null>]> = [];
    const r = new CueLayerReporter(b, (source, values) => sent.push([source, values]), 50);
    b.set('grade/contrast', 1.2, 'cue');
    b.set('walk/truncation', 0.4, 'pose');
    b.set('grain/amount', 0.2, 'desk');
    r.frame(0);
    expect(sent).toEqual([['cue', { 'grade/contrast': 1.2 }], ['pose', { 'walk/truncation': 0.4 }]]);
    b.set('grade/contrast', 1.3, 'cue');
    r.frame(20); // within the interval: held
    expect(sent).toHaveLength(2);
    r.frame(60);
    expect(sent[2]).toEqual(['cue', { 'grade/contrast': 1.3 }]);
    b.release('grade/contrast', 'cue');
    r.frame(120);
    expect(sent[3]).toEqual(['cue', { 'grade/contrast': null }]);
    r.frame(200);
    expect(sent).toHaveLength(4);
    r.dispose();
    expect(b.listenerCount()).toBe(0);
  });

  it('keeps every tempo pulse out of the lane: pages write them from the tempo, lanes compute the walk\'s', () => {
    const pulse = (param: string): BeatPulse => ({ param, every: 'beat', range: [0, 0.6], attack: 0.01, decay: 0.2 });
    const pulsed = pulsedParams([pulse('grade/exposure'), pulse('walk/speed'), pulse('steer/2')]);
    expect([...pulsed].sort()).toEqual(['grade/exposure', 'steer/2', 'walk/speed']);
    const b = bus();
    const sent: Array<[string, Record<string, ParamValue | null>]> = [];
    const r = new CueLayerReporter(b, (source, values) => sent.push([source, values]), 50, pulsed);
    // A second of frames of a leading page with two pulses, one on a walk parameter: nothing crosses as a layer.
    for (let frame = 0; frame < 60; frame++) {
      const t = frame / 60;
      b.set('grade/exposure', 0.6 * Math.exp(-(t % 0.5) / 0.2), 'pose', { immediate: true });
      b.set('walk/speed', 1 + Math.exp(-(t % 0.5) / 0.2), 'pose', { immediate: true });
      r.frame(t * 1000);
    }
    expect(sent).toEqual([]);
    // The cue layer of a pulsed parameter is the cue engine's: it still crosses.
    b.set('grade/exposure', 0.3, 'cue');
    r.frame(2000);
    expect(sent).toContainEqual(['cue', { 'grade/exposure': 0.3 }]);
    r.dispose();
  });

  it('sends the leading page\'s tempo when it is corrected and when the kiosk socket opens, never per frame', () => {
    const tempo = new Tempo({ bpm: 120 });
    const sent: TempoState[] = [];
    const r = new TempoReporter((t) => sent.push(t));
    tempo.advance(0);
    r.frame(tempo, false);
    expect(sent).toHaveLength(0);
    // Ten seconds of frames at 60 Hz, a beat every 0.5 s for the first two seconds, the socket open from frame 10.
    for (let frame = 1; frame <= 600; frame++) {
      const t = frame / 60;
      if (frame % 30 === 0 && frame <= 120) tempo.beat(t);
      tempo.advance(t);
      r.frame(tempo, frame >= 10);
    }
    // One on open, one per beat (four), none for the 480 frames after.
    expect(sent).toHaveLength(5);
    r.frame(tempo, false);
    r.frame(tempo, true);
    expect(sent).toHaveLength(6);
    expect(sent[5]).toEqual(tempo.state());
  });
});
