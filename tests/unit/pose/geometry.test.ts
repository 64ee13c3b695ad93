import { describe, expect, it } from 'vitest';
import { geometricFeatures, primaryIndex, type GeometricFeatures } from '../../../src/core/pose/geometry.ts';
import { LM, mirrorPose, type Landmark, type PoseLandmarks } from '../../../src/core/pose/landmarks.ts';
import { LEFT_HAND, RIGHT_HAND, astronaut, midHips, mirroredPerson, moved, recorded, rotated, scaled, translated } from './fixtures.ts';

/** Features as the tracker computes them: in the mirror's frame. */
const geo = (pose: PoseLandmarks): GeometricFeatures => geometricFeatures(mirrorPose(pose));
const at = (pose: PoseLandmarks, i: number): Landmark => pose[i] as Landmark;

describe('pose geometry on recorded landmarks', () => {
  it('recorded detections are plausible: nose above shoulders above hips, shoulders apart', () => {
    expect(recorded.length).toBeGreaterThanOrEqual(20);
    for (const f of recorded) {
      const p = f.people[0] as PoseLandmarks;
      expect(p).toHaveLength(33);
      const shouldersY = (at(p, LM.leftShoulder).y + at(p, LM.rightShoulder).y) / 2;
      expect(at(p, LM.nose).y).toBeLessThan(shouldersY);
      expect(shouldersY).toBeLessThan(midHips(p).y);
      // The camera sees the person facing it: their left shoulder is on the image's right.
      expect(at(p, LM.leftShoulder).x).toBeGreaterThan(at(p, LM.rightShoulder).x);
    }
  });

  it('reads the astronaut as a near, upright, hands-down, arms-closed person', () => {
    const f = geo(astronaut);
    expect(f.distance).toBeGreaterThan(0.5);
    expect(Math.abs(f.lean)).toBeLessThan(0.5);
    expect(f['left-hand-height']).toBeLessThan(-0.3);
    expect(f['right-hand-height']).toBeLessThan(-0.3);
    expect(f['arms-open']).toBeLessThan(0.15);
    expect(f.y).toBeLessThan(0);
    for (const v of Object.values(f)) expect(Number.isFinite(v)).toBe(true);
  });

  it('a mirrored person leans, tilts, turns and stands the other way, with hands swapped', () => {
    const a = geo(astronaut);
    const m = geo(mirroredPerson(astronaut));
    expect(m.lean).toBeCloseTo(-a.lean, 5);
    expect(m['head-tilt']).toBeCloseTo(-a['head-tilt'], 5);
    expect(m['head-turn']).toBeCloseTo(-a['head-turn'], 5);
    expect(m.x).toBeCloseTo(-a.x, 5);
    expect(m.y).toBeCloseTo(a.y, 5);
    expect(m.distance).toBeCloseTo(a.distance, 5);
    expect(m['left-hand-height']).toBeCloseTo(a['right-hand-height'], 5);
    expect(m['right-hand-height']).toBeCloseTo(a['left-hand-height'], 5);
  });

  it('leaning 15° to the right adds 0.5 to lean and head tilt (30° is full scale)', () => {
    const a = geo(astronaut);
    // In the camera image the person's right is the image's left: a counter-clockwise turn on screen about the hips.
    const r = geo(rotated(astronaut, -15, midHips(astronaut)));
    expect(r.lean - a.lean).toBeCloseTo(0.5, 2);
    expect(r['head-tilt'] - a['head-tilt']).toBeCloseTo(0.5, 2);
    const l = geo(rotated(astronaut, 15, midHips(astronaut)));
    expect(l.lean - a.lean).toBeCloseTo(-0.5, 2);
  });

  it('without visible hips, lean comes from the shoulder line and still reads right as +', () => {
    const noHips = astronaut.map((p, i) => (i === LM.leftHip || i === LM.rightHip ? { ...p, visibility: 0.1 } : p));
    const a = geo(noHips);
    const r = geo(rotated(noHips, -10, midHips(astronaut)));
    expect(r.lean - a.lean).toBeCloseTo(10 / 30, 2);
  });

  it('a raised left hand reads 1 on the left and leaves the right alone', () => {
    const nose = at(astronaut, LM.nose);
    const wrist = at(astronaut, LM.leftWrist);
    const raised = moved(astronaut, [...LEFT_HAND, LM.leftElbow], 0, nose.y - 0.3 - wrist.y);
    const a = geo(astronaut);
    const r = geo(raised);
    expect(r['left-hand-height']).toBe(1);
    expect(r['right-hand-height']).toBeCloseTo(a['right-hand-height'], 6);
    // Half way: the wrist at shoulder height reads 0.
    const level = moved(astronaut, RIGHT_HAND, 0, at(astronaut, LM.rightShoulder).y - at(astronaut, LM.rightWrist).y);
    expect(geo(level)['right-hand-height']).toBeCloseTo(0, 6);
  });

  it('arms spread wide read open, by the sides closed', () => {
    const ls = at(astronaut, LM.leftShoulder);
    const rs = at(astronaut, LM.rightShoulder);
    let open = moved(astronaut, LEFT_HAND, ls.x + 0.5 - at(astronaut, LM.leftWrist).x, ls.y - at(astronaut, LM.leftWrist).y);
    open = moved(open, RIGHT_HAND, rs.x - 0.5 - at(astronaut, LM.rightWrist).x, rs.y - at(astronaut, LM.rightWrist).y);
    expect(geo(open)['arms-open']).toBe(1);
    expect(geo(astronaut)['arms-open']).toBeLessThan(0.15);
  });

  it('half the size reads half the distance; moving to one’s right moves x right', () => {
    const a = geo(astronaut);
    expect(geo(scaled(astronaut, 0.5)).distance).toBeCloseTo(a.distance / 2, 5);
    // 0.2 of the image to the camera's left is the person's right: x (−1..1) grows by 0.4.
    expect(geo(translated(astronaut, -0.2, 0)).x - a.x).toBeCloseTo(0.4, 5);
    expect(geo(translated(astronaut, 0, -0.1)).y - a.y).toBeCloseTo(0.2, 5);
  });

  it('turning the head to one’s right (nose towards the image left) raises head-turn', () => {
    const ear = Math.abs(at(astronaut, LM.leftEar).x - at(astronaut, LM.rightEar).x);
    const a = geo(astronaut);
    const t = geo(moved(astronaut, [LM.nose], -ear * 0.25, 0));
    expect(t['head-turn'] - a['head-turn']).toBeCloseTo(0.5, 5);
  });

  it('angles and sizes are true on a wide frame: the same body centred in 16:9 reads the same (aspect given)', () => {
    const wide = astronaut.map((p) => ({ ...p, x: 0.5 + (p.x - 0.5) * (9 / 16) }));
    const a = geo(astronaut);
    const w = geometricFeatures(mirrorPose(wide), { aspect: 16 / 9 });
    for (const k of ['lean', 'head-tilt', 'head-turn', 'distance', 'left-hand-height', 'arms-open', 'y'] as const) {
      expect(w[k], k).toBeCloseTo(a[k], 6);
    }
    // Ignoring the aspect would squash the shoulders and misread the distance.
    expect(geometricFeatures(mirrorPose(wide)).distance).toBeLessThan(a.distance * 0.6);
  });

  it('never gives NaN: hidden landmarks fall back to neutral values', () => {
    const hidden = astronaut.map((p) => ({ ...p, visibility: 0 }));
    for (const v of Object.values(geo(hidden))) expect(Number.isFinite(v)).toBe(true);
    expect(geo(hidden)['left-hand-height']).toBe(-1);
    expect(geo(hidden)['arms-open']).toBe(0);
    const collapsed = astronaut.map(() => ({ x: 0.5, y: 0.5, z: 0, visibility: 1 }));
    for (const v of Object.values(geo(collapsed))) expect(Number.isFinite(v)).toBe(true);
    for (const v of Object.values(geo([]))) expect(Number.isFinite(v)).toBe(true);
  });

  it('the widest person steers when several are seen', () => {
    const far = scaled(astronaut, 0.4, { x: 0.8, y: 0.5 });
    expect(primaryIndex([far, astronaut])).toBe(1);
    expect(primaryIndex([astronaut, far])).toBe(0);
    expect(primaryIndex([])).toBe(-1);
  });
});
