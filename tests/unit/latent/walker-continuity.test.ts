import { describe, expect, it } from 'vitest';
import { slerpInto } from '../../../src/core/latent/slerp.ts';
import { latentFromSeed } from '../../../src/core/latent/seed-latent.ts';
import { createWalkSettings } from '../../../src/core/latent/walk-settings.ts';
import { Walker } from '../../../src/core/latent/walker.ts';
import { DT, PathRecorder, SIZE, busWith, dist, setAll } from './helpers.ts';

/** Distance between two typical latents, √(2d): what a jump from one portrait to another looks like. */
const JUMP = Math.sqrt(2 * SIZE);

/**
 * The most a C1 path through keyframes may move in one tick: keyframes per tick × three typical keyframe
 * distance (Catmull-Rom with the radial correction peaks near 1.8 chords per segment for random keyframes).
 */
function stepBound(speed: number, keyframeSeconds: number): number {
  return 3 * JUMP * ((DT * speed) / keyframeSeconds);
}

describe('walker continuity', () => {
  it('tours through keyframe boundaries with steps bounded by speed and no velocity kink', () => {
    const w = new Walker({ size: SIZE });
    const s = createWalkSettings({ mode: 'tour', keyframeSeconds: 2, speed: 1 });
    const path = new PathRecorder();
    // 20 keyframe boundaries.
    for (let i = 0; i < 30 * 40; i++) path.push(w.step(DT, s));
    const bound = stepBound(1, 2);
    expect(path.maxStep()).toBeLessThan(bound);
    expect(path.maxStep()).toBeGreaterThan(bound / 10); // it does move
    // C1: the second difference is O(dt²) everywhere; a kink would make it O(dt), the size of a whole step.
    expect(path.maxBend()).toBeLessThan(0.1 * path.maxStep());
  });

  it('detects the kink of a plain piecewise slerp (so the C1 check above can fail)', () => {
    const path = new PathRecorder();
    const out = new Float32Array(SIZE);
    const k = [0, 1, 2, 3].map((i) => latentFromSeed(5, SIZE, undefined, i));
    for (let tick = 0; tick < 180; tick++) {
      const p = tick / 60;
      const i = Math.min(2, Math.floor(p));
      path.push(slerpInto(k[i] as Float32Array, k[i + 1] as Float32Array, p - i, out));
    }
    expect(path.maxBend()).toBeGreaterThan(0.5 * path.maxStep());
  });

  it('scales its step with walk/speed and stops at speed 0', () => {
    const fast = new PathRecorder();
    const w = new Walker({ size: SIZE });
    const s = createWalkSettings({ speed: 4, keyframeSeconds: 8 });
    for (let i = 0; i < 600; i++) fast.push(w.step(DT, s));
    expect(fast.maxStep()).toBeLessThan(stepBound(4, 8));
    s.speed = 0;
    const a = Float32Array.from(w.step(DT, s));
    for (let i = 0; i < 30; i++) w.step(DT, s);
    expect(w.latent()).toEqual(a);
  });

  it('blends every mode change, seed change and target change without a jump', () => {
    const bus = busWith({ 'walk/keyframe-seconds': 4, 'walk/blend-seconds': 2, 'walk/truncation': 1 });
    const w = new Walker({ size: SIZE });
    const path = new PathRecorder();
    const plan: Record<string, unknown>[] = [
      { 'walk/mode': 'random' },
      { 'walk/mode': 'loop' },
      { 'walk/seed': 77 },
      { 'walk/mode': 'noise-loop' },
      { 'walk/mode': 'hold' },
      { 'walk/mode': 'towards', 'walk/target': 1234 },
      { 'walk/target': 99 },
      { 'walk/mode': 'tour' },
    ];
    const run = (ticks: number): void => {
      for (let i = 0; i < ticks; i++) {
        bus.tick(DT);
        path.push(w.tick(DT, bus));
      }
    };
    for (const change of plan) {
      setAll(bus, change);
      run(30);
      // A second change in the middle of the 2 s blend (a restart in loop mode, a no-op in the others).
      setAll(bus, { 'walk/loop-keyframes': 3 + (path.steps.length % 5) });
      run(30 * 3);
    }
    // Jitter, truncation and steering are continuous values: the bus smooths them (set without `immediate`).
    bus.set('walk/jitter', 1, 'desk');
    bus.set('walk/truncation', 0.5, 'desk');
    run(30 * 3);
    // A blend moves at most slope × distance / blend time per second on top of the motions themselves.
    const blendBound = 1.875 * JUMP * 1.3 * (DT / 2);
    expect(path.maxStep()).toBeLessThan(stepBound(1, 4) + blendBound);
    expect(path.maxStep()).toBeLessThan(JUMP / 4);
  });

  it('keeps the velocity continuous through a blend (smootherstep starts and ends with zero slope)', () => {
    const w = new Walker({ size: SIZE });
    const s = createWalkSettings({ keyframeSeconds: 2, blendSeconds: 2 });
    const path = new PathRecorder();
    for (let i = 0; i < 60; i++) path.push(w.step(DT, s));
    s.seed = 2;
    for (let i = 0; i < 70; i++) path.push(w.step(DT, s));
    s.mode = 'noise-loop';
    for (let i = 0; i < 90; i++) path.push(w.step(DT, s));
    expect(path.maxBend()).toBeLessThan(0.15 * path.maxStep());
  });

  it('jumps when walk/blend-seconds is 0 (the operator asked for a cut), which the bound above catches', () => {
    const bus = busWith({ 'walk/blend-seconds': 0 });
    const w = new Walker({ size: SIZE });
    const path = new PathRecorder();
    for (let i = 0; i < 30; i++) path.push(w.tick(DT, bus));
    setAll(bus, { 'walk/seed': 5 });
    for (let i = 0; i < 30; i++) path.push(w.tick(DT, bus));
    expect(path.maxStep()).toBeGreaterThan(JUMP / 2);
  });

  it('glides to walk/target in towards mode and stays there', () => {
    const bus = busWith({ 'walk/mode': 'towards', 'walk/target': 1234, 'walk/truncation': 1, 'walk/blend-seconds': 3 });
    const w = new Walker({ size: SIZE });
    for (let i = 0; i < 10; i++) w.tick(DT, bus);
    setAll(bus, { 'walk/target': 4321 });
    const path = new PathRecorder();
    for (let i = 0; i < 30 * 4; i++) path.push(w.tick(DT, bus));
    expect(w.isBlending()).toBe(false);
    expect(w.latent()).toEqual(latentFromSeed(4321, SIZE));
    expect(path.maxStep()).toBeLessThan(JUMP / 20);
  });

  it('holds still in hold mode once the blend is over', () => {
    const bus = busWith({ 'walk/blend-seconds': 1 });
    const w = new Walker({ size: SIZE });
    for (let i = 0; i < 100; i++) w.tick(DT, bus);
    setAll(bus, { 'walk/mode': 'hold' });
    for (let i = 0; i < 31; i++) w.tick(DT, bus);
    const held = Float32Array.from(w.latent());
    for (let i = 0; i < 300; i++) w.tick(DT, bus);
    expect(w.latent()).toEqual(held);
  });

  it('glides to a stop when hold is pressed, without rewinding to where it was pressed', () => {
    const bus = busWith({ 'walk/blend-seconds': 2, 'walk/keyframe-seconds': 2 });
    const w = new Walker({ size: SIZE });
    for (let i = 0; i < 45; i++) w.tick(DT, bus);
    const pressed = Float32Array.from(w.latent());
    setAll(bus, { 'walk/mode': 'hold' });
    const path = new PathRecorder();
    let farthest = 0;
    for (let i = 0; i < 90; i++) {
      const z = w.tick(DT, bus);
      path.push(z);
      farthest = Math.max(farthest, dist(z, pressed));
    }
    expect(w.isBlending()).toBe(false);
    // It came to rest ahead of where hold was pressed, not back on it.
    expect(dist(w.latent(), pressed)).toBeGreaterThan(0.8 * farthest);
    expect(path.steps[path.steps.length - 1]).toBeLessThan(1e-3);
    expect(path.maxStep()).toBeLessThan(stepBound(1, 2));
  });

  it('stays near the typical shell in random mode (mean-reverting drift)', () => {
    const w = new Walker({ size: SIZE });
    // Untruncated, so the typical shell of an N(0, I) latent is √SIZE.
    const s = createWalkSettings({ mode: 'random', speed: 4, keyframeSeconds: 1, truncation: 1 });
    const path = new PathRecorder();
    let lo = Infinity;
    let hi = 0;
    for (let i = 0; i < 30 * 600; i++) {
      const z = w.step(DT, s);
      path.push(z);
      let n = 0;
      for (const x of z) n += x * x;
      lo = Math.min(lo, Math.sqrt(n));
      hi = Math.max(hi, Math.sqrt(n));
    }
    const shell = Math.sqrt(SIZE);
    expect(lo).toBeGreaterThan(0.75 * shell);
    expect(hi).toBeLessThan(1.25 * shell);
    expect(path.maxStep()).toBeLessThan(stepBound(4, 1));
  });
});
