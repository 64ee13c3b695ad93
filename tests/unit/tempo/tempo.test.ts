import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/latent/rng.ts';

const mulberry32 = (seed: number): (() => number) => {
  const r = new Rng(seed);
  return () => r.uniform();
};
import { Tempo, wrapHalf } from '../../../src/core/tempo/tempo.ts';

const FPS = 60;

/**
 * A drummer with a tempo curve: beat times are the integral of bpm(t), each heard ±jitter late or early.
 * Runs `tempo` frame by frame, delivering each pulse in the frame it falls in, and measures the phase error
 * against the true beat grid (in seconds) and the largest frame-to-frame change of the beat rate.
 */
function play(tempo: Tempo, bpmAt: (t: number) => number, seconds: number, jitterS: number, seed: number, settleS: number) {
  const rand = mulberry32(seed);
  let trueBeats = 0;
  let nextPulse = 1;
  let t = 0;
  tempo.advance(0);
  let worstErrS = 0;
  let sumSq = 0;
  let n = 0;
  let worstRateChange = 0;
  let lastRate: number | null = null;
  const pulses: number[] = [];
  for (let f = 1; f <= seconds * FPS; f++) {
    const t1 = f / FPS;
    // Integrate the true tempo finely enough that the grid is exact to well under a microsecond.
    for (let k = 0; k < 10; k++) {
      const a = t + (k / 10) * (t1 - t);
      trueBeats += (bpmAt(a + (t1 - t) / 20) / 60) * ((t1 - t) / 10);
      while (trueBeats >= nextPulse) {
        const overshoot = (trueBeats - nextPulse) / (bpmAt(a) / 60);
        pulses.push(a + (t1 - t) / 10 - overshoot + (rand() * 2 - 1) * jitterS);
        nextPulse++;
      }
    }
    t = t1;
    const d = tempo.advance(t);
    while (pulses.length > 0 && (pulses[0] as number) <= t) tempo.beat(pulses.shift() as number);
    const rate = d * FPS;
    if (t > settleS) {
      const errS = (wrapHalf(tempo.beats - trueBeats, 1) * 60) / bpmAt(t);
      worstErrS = Math.max(worstErrS, Math.abs(errS));
      sumSq += errS * errS;
      n++;
      if (lastRate !== null) worstRateChange = Math.max(worstRateChange, Math.abs(rate - lastRate) / lastRate);
    }
    lastRate = rate;
  }
  return { worstErrS, rmsErrS: Math.sqrt(sumSq / Math.max(1, n)), worstRateChange };
}

describe('tempo: phase-locked loop', () => {
  it('locks to a steady tempo it was set wrong for, and ±10 ms of jitter does not show', () => {
    const tempo = new Tempo({ bpm: 112 });
    const r = play(tempo, () => 120, 240, 0.01, 1, 90);
    expect(tempo.bpm).toBeGreaterThan(119.7);
    expect(tempo.bpm).toBeLessThan(120.3);
    // The pulses scatter over 20 ms; the beat the walk follows stays within a few ms of the true grid…
    expect(r.rmsErrS).toBeLessThan(0.004);
    expect(r.worstErrS).toBeLessThan(0.012);
    // …and its speed changes by no more than a few percent from one frame to the next: no visible stutter.
    expect(r.worstRateChange).toBeLessThan(0.05);
  });

  it('follows a ramp in tempo without losing the beat or jumping', () => {
    // 100 → 140 bpm over five minutes: the loop lags a little behind a ramp (a type-2 loop's steady error), no more.
    const ramp = (t: number): number => (t < 60 ? 100 : t < 360 ? 100 + (40 * (t - 60)) / 300 : 140);
    const r = play(new Tempo({ bpm: 100 }), ramp, 420, 0.01, 2, 30);
    expect(r.rmsErrS).toBeLessThan(0.02);
    expect(r.worstErrS).toBeLessThan(0.04);
    expect(r.worstRateChange).toBeLessThan(0.05);
  });

  it('takes a sudden new tempo within a few beats instead of slipping', () => {
    // 140 → 90 bpm at once: within 15 s it is locked again and holds as well as on a steady tempo.
    const drop = (t: number): number => (t < 60 ? 140 : 90);
    const tempo = new Tempo({ bpm: 140 });
    const r = play(tempo, drop, 180, 0.01, 3, 75);
    expect(tempo.bpm).toBeGreaterThan(89.5);
    expect(tempo.bpm).toBeLessThan(90.5);
    expect(r.worstErrS).toBeLessThan(0.012);
  });

  it('never moves backwards nor jumps, even when the beat arrives half a beat off', () => {
    const tempo = new Tempo({ bpm: 120 });
    tempo.advance(0);
    let last = 0;
    for (let f = 1; f <= 600; f++) {
      const t = f / FPS;
      const d = tempo.advance(t);
      expect(d).toBeGreaterThanOrEqual(0);
      // Nominal 1/30 beat per frame; a slewed correction may add at most as much again.
      expect(d).toBeLessThan(2.05 / 30);
      expect(tempo.beats).toBeGreaterThanOrEqual(last);
      last = tempo.beats;
      if (f % 30 === 15) tempo.beat(t + 0.24);
    }
  });

  it('changes rate, not position, when the bpm is set', () => {
    const tempo = new Tempo({ bpm: 120 });
    tempo.advance(0);
    tempo.advance(1);
    expect(tempo.beats).toBeCloseTo(2, 12);
    tempo.setBpm(60);
    expect(tempo.beats).toBeCloseTo(2, 12);
    tempo.advance(2);
    expect(tempo.beats).toBeCloseTo(3, 12);
    tempo.setBpm(1000);
    expect(tempo.bpm).toBe(300);
    tempo.setBpm(Number.NaN);
    expect(tempo.bpm).toBe(300);
  });

  it('taps a tempo from the median interval and puts the beat on the tap', () => {
    const tempo = new Tempo({ bpm: 90 });
    tempo.advance(0);
    for (const t of [10, 10.5, 11.02, 11.5, 12.0]) {
      tempo.advance(t);
      tempo.tap(t);
    }
    expect(tempo.bpm).toBeCloseTo(120, 0);
    for (let f = 1; f <= 120; f++) tempo.advance(12 + f / FPS);
    // Two seconds later at 120 bpm: four beats on from the last tap.
    expect(Math.abs(wrapHalf(tempo.beats, 1))).toBeLessThan(0.01);
    // After a pause, a new series starts over.
    tempo.tap(20);
    tempo.tap(21);
    expect(tempo.bpm).toBeCloseTo(60, 6);
  });

  it('follows MIDI clock: rate from 24 ppqn, downbeat on start, frozen on stop, on again on continue', () => {
    const tempo = new Tempo({ bpm: 100, beatsPerBar: 4 });
    const rand = mulberry32(7);
    tempo.advance(0);
    const pulse = 60 / 128 / 24;
    let t = 0.2;
    tempo.clock('start', t);
    let nextFrame = 1 / FPS;
    for (let i = 0; i < 24 * 64; i++) {
      const at = t + i * pulse + (rand() - 0.5) * 0.002;
      while (nextFrame <= at) tempo.advance((nextFrame += 1 / FPS) - 1 / FPS);
      tempo.advance(at);
      tempo.clock('clock', at);
    }
    expect(tempo.source).toBe('clock');
    expect(tempo.bpm).toBeGreaterThan(127.5);
    expect(tempo.bpm).toBeLessThan(128.5);
    // 64 quarter notes since start = 16 bars: on a downbeat.
    t += 24 * 64 * pulse;
    tempo.advance(t);
    expect(Math.abs(wrapHalf(tempo.beats, 4))).toBeLessThan(0.03);
    tempo.clock('stop', t);
    const held = tempo.beats;
    tempo.advance(t + 5);
    expect(tempo.beats).toBe(held);
    tempo.clock('continue', t + 5);
    tempo.advance(t + 6);
    expect(tempo.beats).toBeGreaterThan(held + 2);
  });
});
