import { describe, expect, it } from 'vitest';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS, type ParamName } from '../../../src/core/params/catalogue.ts';
import type { ParamValue } from '../../../src/core/params/types.ts';
import { CueLayerReporter, LayerMirror, WalkLane, localPulses } from '../../../src/core/screens/index.ts';
import type { BeatPulse } from '../../../src/core/tempo/pulse.ts';

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

  it('keeps tempo pulses the walk does not read out of the lane: every page writes those itself, every frame', () => {
    const pulse = (param: string): BeatPulse => ({ param, every: 'beat', range: [0, 0.6], attack: 0.01, decay: 0.2 });
    const local = localPulses([pulse('grade/exposure'), pulse('walk/speed'), pulse('steer/2')]);
    expect([...local]).toEqual(['grade/exposure']);
    const b = bus();
    const sent: Array<[string, Record<string, ParamValue | null>]> = [];
    const r = new CueLayerReporter(b, (source, values) => sent.push([source, values]), 50, local);
    // A second of frames of a leading page with two pulses: only the walk's one crosses, at most 20 times.
    for (let frame = 0; frame < 60; frame++) {
      const t = frame / 60;
      b.set('grade/exposure', 0.6 * Math.exp(-(t % 0.5) / 0.2), 'pose', { immediate: true });
      b.set('walk/speed', 1 + Math.exp(-(t % 0.5) / 0.2), 'pose', { immediate: true });
      r.frame(t * 1000);
    }
    expect(sent.length).toBeGreaterThan(10);
    expect(sent.length).toBeLessThanOrEqual(20);
    expect(sent.every(([source, values]) => source === 'pose' && Object.keys(values).join() === 'walk/speed')).toBe(true);
    // The cue layer of a pulsed parameter is the cue engine's: it still crosses.
    const before = sent.length;
    b.set('grade/exposure', 0.3, 'cue');
    r.frame(2000);
    expect(sent.slice(before)).toContainEqual(['cue', { 'grade/exposure': 0.3 }]);
    r.dispose();
  });
});
