import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS } from '../../../src/core/params/catalogue.ts';
import { CueEngine } from '../../../src/core/show/cue-engine.ts';
import { formatIssue } from '../../../src/core/show/issues.ts';
import { validateShow } from '../../../src/core/show/validate.ts';
import { Tempo } from '../../../src/core/tempo/tempo.ts';

function showWith(cues: unknown[]) {
  const v = validateShow({ cues });
  if (!v.ok) throw new Error(v.issues.map(formatIssue).join('\n'));
  return v.show;
}

describe('cues that follow in bars', () => {
  it('fire on the bar line N bars after the GO, and stay on the bars through a tempo ramp', () => {
    const show = showWith([
      { number: 1, follow: { bars: 2 }, targets: { 'grade/contrast': 1.5 } },
      { number: 2, follow: { bars: 4 }, targets: { 'grade/contrast': 0.5 } },
    ]);
    const clock = new ManualClock();
    const bus = new ParameterBus(PARAMS);
    const tempo = new Tempo({ bpm: 120, beatsPerBar: 4 });
    const engine = new CueEngine(show, bus, clock, { beats: () => tempo.beats, beatsPerBar: () => tempo.beatsPerBar, bpm: () => tempo.bpm });
    tempo.advance(0);
    const fired: { cue: number; beats: number }[] = [];
    let last = engine.current;
    for (let f = 1; f <= 60 * 120; f++) {
      clock.advance(1 / 60);
      tempo.setBpm(120 + f / 120); // a steady ramp: 120 → 180 bpm over two minutes
      tempo.advance(clock.now());
      if (f === 37) engine.go(); // GO a little after a bar line (beat 1.23)
      engine.tick();
      if (engine.current !== last) {
        last = engine.current;
        fired.push({ cue: last, beats: tempo.beats });
      }
    }
    // GO at beat ~1.2 → cue 1; 2 bars on, rounded to the bar line: beat 8; then 4 bars: 24; then 2: 32; …
    expect(fired[0]?.cue).toBe(0);
    const follows = fired.slice(1);
    expect(follows.length).toBeGreaterThan(10);
    const expected = [8, 24, 32, 48, 56, 72];
    follows.slice(0, 6).forEach((f, i) => {
      // Fired in the first frame at or past its bar line: within one frame's beats (< 0.06 at 180 bpm).
      expect(f.beats).toBeGreaterThanOrEqual(expected[i] as number);
      expect(f.beats - (expected[i] as number)).toBeLessThan(0.06);
    });
    expect(follows.map((f) => f.cue).slice(0, 4)).toEqual([1, 0, 1, 0]);
  });

  it('count bars at 120 bpm in 4/4 without a tempo, and save the pending follow in seconds', () => {
    const show = showWith([{ follow: { bars: 3 } }, {}]);
    const clock = new ManualClock();
    const engine = new CueEngine(show, new ParameterBus(PARAMS), clock);
    engine.go();
    clock.advance(5.9);
    engine.tick();
    expect(engine.current).toBe(0);
    expect(engine.state().followIn).toBeCloseTo(0.1, 9);
    clock.advance(0.1);
    engine.tick();
    expect(engine.current).toBe(1);
  });

  it('are checked in the show file', () => {
    const bad = validateShow({ cues: [{ follow: { bars: 0 } }, { follow: { beats: 4 } }, { follow: 'soon' }] });
    expect(bad.ok ? [] : bad.issues.map(formatIssue)).toEqual([
      'cues[0].follow.bars: expected a number of bars > 0, got 0',
      'cues[1].follow.beats: unknown key; expected one of "bars"',
      'cues[1].follow.bars: missing; expected a number of bars > 0',
      'cues[2].follow: expected a number of seconds > 0 or null, got "soon"',
    ]);
  });
});
