import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/latent/rng.ts';
import { createWalkSettings, type WalkSettings } from '../../../src/core/latent/walk-settings.ts';
import { Walker } from '../../../src/core/latent/walker.ts';
import { Tempo, wrapHalf } from '../../../src/core/tempo/tempo.ts';
import { WalkSyncer, type WalkSync } from '../../../src/core/tempo/walk-sync.ts';

const SIZE = 32;
const FPS = 30;
const LOOP_KEYFRAMES = 8;
/** 8 keyframes over 4 bars of 4: half a bar (2 beats) apart, a lap of 16 beats. */
const SPACING_BARS = 0.5;
const LAP_BEATS = 16;

/** Tempo over an hour: ramps up and down, a sudden change, a steady stretch (bpm). */
function bpmAt(t: number): number {
  if (t < 600) return 120;
  if (t < 1500) return 120 + (20 * (t - 600)) / 900; // → 140
  if (t < 2100) return 140 - (50 * (t - 1500)) / 600; // → 90
  if (t < 2700) return 90 + 6 * Math.sin((t - 2100) / 60); // wobble
  return 128;
}

interface Run {
  readonly hash: number;
  /** Largest gap between the walk's position and the tempo's, in keyframes, once in phase. */
  readonly worstLock: number;
  readonly laps: number;
  /** The latent one exact lap after the start, on a downbeat, compared with the start's. */
  readonly closure: number;
  /** Largest step of the walk relative to its nominal step (no racing, no jumps). */
  readonly worstStepRatio: number;
}

function hashInto(h: number, z: Float32Array): number {
  const u = new Uint32Array(z.buffer, z.byteOffset, z.length);
  for (let i = 0; i < u.length; i++) h = Math.imul(h ^ (u[i] as number), 16777619) >>> 0;
  return h;
}

/** One hour of show at 30 fps: jittered beat pulses steer the tempo, the walk loops locked to its bars. */
function runHour(seed: number, sync: WalkSync = 'bar'): Run {
  const rand = new Rng(seed);
  const tempo = new Tempo({ bpm: 120, beatsPerBar: 4 });
  const walker = new Walker({ size: SIZE });
  const syncer = new WalkSyncer();
  const s: WalkSettings = createWalkSettings({ mode: 'loop', loopKeyframes: LOOP_KEYFRAMES, speed: 1, seed: 11 });
  tempo.advance(0);
  let trueBeats = 0;
  let nextPulse = 1;
  const pulses: number[] = [];
  let hash = 2166136261;
  let worstLock = 0;
  let worstStepRatio = 0;
  let lastLap = 0;
  let laps = 0;
  for (let f = 1; f <= 3600 * FPS; f++) {
    const t = f / FPS;
    trueBeats += bpmAt(t - 0.5 / FPS) / 60 / FPS;
    while (trueBeats >= nextPulse) {
      pulses.push(t - (trueBeats - nextPulse) / (bpmAt(t) / 60) + (rand.uniform() * 2 - 1) * 0.01);
      nextPulse++;
    }
    const before = walker.position();
    const d = tempo.advance(t);
    while (pulses.length > 0 && (pulses[0] as number) <= t) tempo.beat(pulses.shift() as number);
    const step = syncer.step(1 / FPS, s, {
      sync, spacing: SPACING_BARS, beatsPerBar: tempo.beatsPerBar, bpm: tempo.bpm, beats: tempo.beats, deltaBeats: d,
      dtSeconds: 1 / FPS, position: before,
    });
    const z = walker.step(step.dt, step.settings);
    if (f % FPS === 0) hash = hashInto(hash, z);
    const pos = walker.position() as number;
    if (t > 5) {
      const target = tempo.beats / (SPACING_BARS * 4);
      worstLock = Math.max(worstLock, Math.abs(wrapHalf(pos - target, LOOP_KEYFRAMES)));
      if (d > 0) worstStepRatio = Math.max(worstStepRatio, step.dt / d);
    }
    const lap = Math.floor(tempo.beats / LAP_BEATS);
    if (lap > lastLap) {
      laps += lap - lastLap;
      lastLap = lap;
    }
  }
  // Land exactly on the next lap's downbeat: the walk must be back on its first latent.
  const start = new Walker({ size: SIZE });
  const first = Float32Array.from(start.step(0, s));
  const toDownbeat = (Math.floor(tempo.beats / LAP_BEATS) + 1) * LAP_BEATS - tempo.beats;
  const last = syncer.step(0, s, {
    sync, spacing: SPACING_BARS, beatsPerBar: 4, bpm: tempo.bpm, beats: tempo.beats + toDownbeat, deltaBeats: toDownbeat,
    dtSeconds: 0, position: walker.position(),
  });
  const z = walker.step(last.dt, last.settings);
  let closure = 0;
  for (let i = 0; i < SIZE; i++) closure = Math.max(closure, Math.abs((z[i] as number) - (first[i] as number)));
  return { hash, worstLock, laps, closure, worstStepRatio };
}

describe('walk locked to the tempo over an hour of show', () => {
  const a = runHour(5);

  it('a loop of 8 keyframes over 4 bars stays on the bars through ramps, a sudden change and jittered beats', () => {
    // About 7200 beats: hundreds of laps, each closing on a downbeat.
    expect(a.laps).toBeGreaterThan(400);
    expect(a.worstLock).toBeLessThan(1e-6);
    expect(a.closure).toBeLessThan(1e-5);
    // The walk never races to catch up: at most 1.5× its nominal step (phase alignment's limit).
    expect(a.worstStepRatio).toBeLessThan(1.5 + 1e-9);
  });

  it('is deterministic: the same inputs give the same latents, bit for bit', () => {
    expect(runHour(5).hash).toBe(a.hash);
    expect(runHour(6).hash).not.toBe(a.hash);
  });

  it('off leaves the walker on seconds: the same dt and settings', () => {
    const syncer = new WalkSyncer();
    const s = createWalkSettings({ mode: 'loop' });
    const r = syncer.step(0.02, s, { sync: 'off', spacing: 1, beatsPerBar: 4, bpm: 120, beats: 3, deltaBeats: 0.04, dtSeconds: 0.02, position: 0 });
    expect(r.dt).toBe(0.02);
    expect(r.settings).toBe(s);
  });

  it('brings a walk that starts out of phase into phase without a jump', () => {
    const syncer = new WalkSyncer();
    const walker = new Walker({ size: SIZE });
    const s = createWalkSettings({ mode: 'loop', loopKeyframes: 4, speed: 1, seed: 3 });
    let beats = 5.3; // mid-bar
    walker.step(0, s);
    let worst = 0;
    for (let f = 0; f < 30 * 60; f++) {
      const d = 2 / 30; // 120 bpm
      beats += d;
      const r = syncer.step(1 / 30, s, { sync: 'beat', spacing: 1, beatsPerBar: 4, bpm: 120, beats, deltaBeats: d, dtSeconds: 1 / 30, position: walker.position() });
      expect(r.dt).toBeLessThanOrEqual(1.5 * d + 1e-12);
      expect(r.dt).toBeGreaterThanOrEqual(0.5 * d - 1e-12);
      walker.step(r.dt, r.settings);
      if (f > 30 * 30) worst = Math.max(worst, Math.abs(wrapHalf((walker.position() as number) - beats, 4)));
    }
    expect(worst).toBeLessThan(1e-6);
  });
});
