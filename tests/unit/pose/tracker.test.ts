import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS } from '../../../src/core/params/catalogue.ts';
import { POSE_FEATURES } from '../../../src/core/pose/feature-names.ts';
import type { PoseLandmarks } from '../../../src/core/pose/landmarks.ts';
import { reportPoseStatus } from '../../../src/core/pose/status.ts';
import { NEUTRAL_FEATURES, PoseFeatureTracker, type PoseFeatures } from '../../../src/core/pose/tracker.ts';
import { astronaut, recorded, scaled, translated } from './fixtures.ts';

/** Plays frames through the tracker every 1/30 s of a manual clock, returning the last features. */
function play(tr: PoseFeatureTracker, clock: ManualClock, people: () => readonly PoseLandmarks[], seconds: number): PoseFeatures {
  let f = tr.features();
  for (let i = 0; i < Math.round(seconds * 30); i++) f = tr.update(people(), clock.advance(1 / 30));
  return f;
}

describe('PoseFeatureTracker', () => {
  it('gives every agreed feature, finite, for recorded detections (replayed at their recorded times)', () => {
    const tr = new PoseFeatureTracker({ enterSeconds: 0.3 });
    let f: PoseFeatures = tr.features();
    for (const frame of recorded) f = tr.update(frame.people, frame.t);
    expect(Object.keys(f).sort()).toEqual([...POSE_FEATURES].sort());
    for (const k of POSE_FEATURES) expect(Number.isFinite(f[k]), k).toBe(true);
    expect(f.presence).toBe(1);
    expect(f.people).toBe(1);
    expect(tr.mode()).toBe('engage');
    // The pan moves the person 2 px a frame and the model jitters: some motion, not a still pose.
    expect(f.motion).toBeGreaterThan(0.05);
  });

  it('engages after enterSeconds, reads neutral before, and goes back to attract after leaveSeconds', () => {
    const clock = new ManualClock();
    const tr = new PoseFeatureTracker({ enterSeconds: 0.5, leaveSeconds: 2 });
    let f = play(tr, clock, () => [astronaut], 0.4);
    expect(f).toEqual({ ...NEUTRAL_FEATURES, people: 1 });
    f = play(tr, clock, () => [astronaut], 0.2);
    expect(f.presence).toBe(1);
    expect(f.distance).toBeGreaterThan(0.5);
    const engaged = { ...f };
    // Nobody for 1.9 s: still engaged, the last values hold (no jump to neutral on a dropout).
    f = play(tr, clock, () => [], 1.9);
    expect(f.presence).toBe(1);
    expect(f.people).toBe(0);
    expect(f.distance).toBe(engaged.distance);
    f = play(tr, clock, () => [], 0.2);
    expect(tr.mode()).toBe('attract');
    expect(f).toEqual(NEUTRAL_FEATURES);
  });

  it('a new visitor does not inherit the last one’s filtered values', () => {
    const clock = new ManualClock();
    const tr = new PoseFeatureTracker({ enterSeconds: 0, leaveSeconds: 0.5 });
    play(tr, clock, () => [translated(astronaut, -0.3, 0)], 1);
    play(tr, clock, () => [], 1);
    const f = tr.update([translated(astronaut, 0.3, 0)], clock.advance(1 / 30));
    const fresh = new PoseFeatureTracker({ enterSeconds: 0 }).update([translated(astronaut, 0.3, 0)], 0);
    expect(f.x).toBeCloseTo(fresh.x, 10);
  });

  it('smooths a sudden jump (One-Euro) but gets there within half a second', () => {
    const clock = new ManualClock();
    const tr = new PoseFeatureTracker({ enterSeconds: 0 });
    const start = play(tr, clock, () => [astronaut], 0.5).x;
    const target = new PoseFeatureTracker({ enterSeconds: 0 }).update([translated(astronaut, -0.2, 0)], 0).x;
    const first = tr.update([translated(astronaut, -0.2, 0)], clock.advance(1 / 30)).x;
    expect(first).toBeGreaterThan(start);
    expect(first).toBeLessThan(target);
    const later = play(tr, clock, () => [translated(astronaut, -0.2, 0)], 0.5).x;
    expect(Math.abs(later - target)).toBeLessThan(0.02);
  });

  it('counts people and steers from the largest', () => {
    const clock = new ManualClock();
    const tr = new PoseFeatureTracker({ enterSeconds: 0 });
    const far = scaled(astronaut, 0.4, { x: 0.15, y: 0.5 });
    const f = play(tr, clock, () => [far, astronaut], 0.5);
    expect(f.people).toBe(2);
    const alone = new PoseFeatureTracker({ enterSeconds: 0 }).update([astronaut], 0);
    expect(f.distance).toBeCloseTo(alone.distance, 3);
  });

  it('a still visitor is held after holdSeconds; moving lets go', () => {
    const clock = new ManualClock();
    const tr = new PoseFeatureTracker({ enterSeconds: 0, holdSeconds: 2 });
    let f = play(tr, clock, () => [astronaut], 1.5);
    expect(f.held).toBe(0);
    f = play(tr, clock, () => [astronaut], 0.7);
    expect(f.held).toBe(1);
    expect(f.motion).toBeLessThan(0.01);
    // Sway 0.1 of the image back and forth every frame: brisk motion.
    let k = 0;
    f = play(tr, clock, () => [translated(astronaut, (k++ % 2) * 0.05, 0)], 0.5);
    expect(f.held).toBe(0);
    expect(f.motion).toBeGreaterThan(0.3);
  });

  it('reports status/presence and status/people on the bus', () => {
    const bus = new ParameterBus(PARAMS);
    const clock = new ManualClock();
    const tr = new PoseFeatureTracker({ enterSeconds: 0.2, leaveSeconds: 1 });
    const seen: string[] = [];
    bus.subscribe((c) => seen.push(`${c.name}=${String(c.target)}`));
    for (let i = 0; i < 30; i++) reportPoseStatus(bus, tr.update([astronaut, astronaut], clock.advance(1 / 30)));
    expect(bus.bool('status/presence')).toBe(true);
    expect(bus.number('status/people')).toBe(2);
    for (let i = 0; i < 45; i++) reportPoseStatus(bus, tr.update([], clock.advance(1 / 30)));
    expect(bus.bool('status/presence')).toBe(false);
    expect(bus.number('status/people')).toBe(0);
    // Reported on change only: people 2, presence true, people 0, presence false.
    expect(seen).toEqual(['status/people=2', 'status/presence=true', 'status/people=0', 'status/presence=false']);
  });
});
