import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../src/core/show/issues.ts';
import { validateShow } from '../../../src/core/show/validate.ts';
import { envelope, pulseValue, type BeatPulse } from '../../../src/core/tempo/pulse.ts';
import { Tempo } from '../../../src/core/tempo/tempo.ts';

describe('beat pulses', () => {
  it('rise linearly over the attack and fall exponentially', () => {
    expect(envelope(0, 0.02, 0.2)).toBe(0);
    expect(envelope(0.01, 0.02, 0.2)).toBeCloseTo(0.5, 12);
    expect(envelope(0.02, 0.02, 0.2)).toBe(1);
    expect(envelope(0.22, 0.02, 0.2)).toBeCloseTo(Math.exp(-1), 12);
    expect(envelope(0.5, 0.02, 0)).toBe(0);
    expect(envelope(-1, 0.02, 0.2)).toBe(0);
  });

  it('restart on every beat or downbeat of the tempo, in the parameter\'s range', () => {
    const p: BeatPulse = { param: 'grade/exposure', every: 'beat', range: [0, 0.6], attack: 0.01, decay: 0.1 };
    const bar: BeatPulse = { ...p, every: 'bar' };
    const tempo = new Tempo({ bpm: 120, beatsPerBar: 4 });
    tempo.advance(0);
    const samples: number[] = [];
    const barSamples: number[] = [];
    for (let f = 1; f <= 240; f++) {
      tempo.advance(f / 60);
      samples.push(pulseValue(p, tempo));
      barSamples.push(pulseValue(bar, tempo));
    }
    // A peak every half second (each beat at 120 bpm), resting near 0 just before each beat.
    const peaks = samples.filter((v, i) => v > 0.5 && (i === 0 || (samples[i - 1] as number) <= 0.5)).length;
    expect(peaks).toBe(8);
    expect(Math.max(...samples)).toBeLessThanOrEqual(0.6);
    expect(samples[28]).toBeLessThan(0.01);
    const barPeaks = barSamples.filter((v, i) => v > 0.5 && (i === 0 || (barSamples[i - 1] as number) <= 0.5)).length;
    expect(barPeaks).toBe(2);
  });

  it('are validated in the show file with their paths', () => {
    const bad = validateShow({
      pose: { enabled: true, mappings: [{ feature: 'lean', param: 'grade/tint' }] },
      tempo: {
        pulses: [
          { param: 'grade/exposure', range: [0, 0.8] },
          { param: 'grade/exposure', range: [0, 0.5] },
          { param: 'walk/mode', range: [0, 1] },
          { param: 'grade/tint', range: [0, 1] },
          { param: 'grain/amount', range: [0, 2], every: 'bars', attack: 0 },
          { param: 'vignette/amount' },
        ],
      },
    });
    expect(bad.ok ? [] : bad.issues.map(formatIssue)).toEqual([
      'tempo.pulses[1].param: "grade/exposure" already pulses by tempo.pulses[0]',
      'tempo.pulses[2].param: "walk/mode" is not a writable float or int parameter',
      'tempo.pulses[3].param: "grade/tint" is driven by a pose mapping; a pulse and a visitor would fight over it',
      'tempo.pulses[4].every: expected one of "beat", "bar" (did you mean "bar"?), got "bars"',
      'tempo.pulses[4].attack: expected a number of seconds ≥ 0.001, got 0',
      'tempo.pulses[4].range[1]: expected a number from 0 to 1, got 2',
      'tempo.pulses[5].range: missing; expected [rest, peak] in the parameter\'s units',
    ]);
    const good = validateShow({ tempo: { pulses: [{ param: 'grade/exposure', every: 'bar', range: [0, 0.8], decay: 0.4 }] } });
    expect(good.ok && good.show.tempo.pulses).toEqual([{ param: 'grade/exposure', every: 'bar', range: [0, 0.8], attack: 0.01, decay: 0.4 }]);
  });
});
