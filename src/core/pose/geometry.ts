import type { PoseFeature } from './feature-names.ts';
import { LM, visibilityOf, type Landmark, type PoseLandmarks } from './landmarks.ts';

/**
 * The instantaneous, unfiltered features one person's landmarks give. Everything is computed in a mirror's frame
 * (see `mirrorPose`): the person's right is on the right, so "lean right +" and "x +" both mean towards the
 * visitor's own right, as they see themselves on the screen.
 */
export type GeometricFeature = Exclude<PoseFeature, 'presence' | 'people' | 'motion' | 'held'>;
export type GeometricFeatures = Record<GeometricFeature, number>;

export interface GeometryOptions {
  /** Frame width / height: landmarks are normalised per axis, so x distances are scaled by it. */
  readonly aspect?: number;
  /** Visibility under which a landmark is treated as missing. */
  readonly minVisibility?: number;
  /** Shoulder width (in frame heights) at which distance reads 1: a visitor about half a metre from a webcam. */
  readonly closeShoulderWidth?: number;
}

export const GEOMETRY_DEFAULTS: Required<GeometryOptions> = { aspect: 1, minVisibility: 0.5, closeShoulderWidth: 0.6 };

/** Values reported while nobody is there: centred, far, upright, hands down, arms closed. */
export const NEUTRAL_GEOMETRY: Readonly<GeometricFeatures> = {
  x: 0,
  y: 0,
  distance: 0,
  lean: 0,
  'head-tilt': 0,
  'head-turn': 0,
  'left-hand-height': -1,
  'right-hand-height': -1,
  'arms-open': 0,
};

/** Full scale of lean and head tilt: 30° reads ±1 (a clear, comfortable lean; more is rare in a gallery). */
const FULL_SCALE_RAD = Math.PI / 6;

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

interface Pt {
  x: number;
  y: number;
}

/** Shoulder width in frame heights (x scaled by aspect): the body's own ruler, independent of distance. */
export function shoulderWidth(pose: PoseLandmarks, aspect = 1): number {
  const l = pose[LM.leftShoulder];
  const r = pose[LM.rightShoulder];
  if (!l || !r) return 0;
  return Math.hypot((r.x - l.x) * aspect, r.y - l.y);
}

/**
 * The person who steers when several are seen: the largest (widest shoulders), i.e. usually the closest to the
 * screen. Returns the index, or −1 for none.
 */
export function primaryIndex(people: readonly PoseLandmarks[], aspect = 1): number {
  let best = -1;
  let bestWidth = -1;
  people.forEach((p, i) => {
    const w = shoulderWidth(p, aspect);
    if (w > bestWidth) {
      best = i;
      bestWidth = w;
    }
  });
  return best;
}

/**
 * Features of one mirrored pose (see `mirrorPose`). Missing parts fall back to neutral values, never NaN.
 */
export function geometricFeatures(pose: PoseLandmarks, options: GeometryOptions = {}): GeometricFeatures {
  const o = { ...GEOMETRY_DEFAULTS, ...options };
  const seen = (i: number): Landmark | undefined => {
    const p = pose[i];
    return p && visibilityOf(p) >= o.minVisibility ? p : undefined;
  };
  // Work in frame-height units, x scaled by aspect, so angles are true angles on the screen.
  const at = (p: Landmark): Pt => ({ x: p.x * o.aspect, y: p.y });
  const mid = (a: Pt, b: Pt): Pt => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
  const out: GeometricFeatures = { ...NEUTRAL_GEOMETRY };

  const lh = seen(LM.leftHip);
  const rh = seen(LM.rightHip);
  // Shoulder landmarks are still predicted when out of view; they are the body's ruler, so use them regardless.
  const lsAny = pose[LM.leftShoulder];
  const rsAny = pose[LM.rightShoulder];
  if (!lsAny || !rsAny) return out;
  const shoulders = mid(at(lsAny), at(rsAny));
  const sw = shoulderWidth(pose, o.aspect);
  if (!(sw > 1e-6)) return out;

  // Centroid: the torso's middle when the hips are visible, else the shoulders' middle (upper-body framing).
  const centre = lh && rh ? mid(shoulders, mid(at(lh), at(rh))) : shoulders;
  out.x = clamp((centre.x / o.aspect) * 2 - 1, -1, 1);
  out.y = clamp(1 - centre.y * 2, -1, 1);
  out.distance = clamp(sw / o.closeShoulderWidth, 0, 1);

  // Lean: the torso axis (hips → shoulders) from vertical; without hips, the shoulder line's roll, which tilts the
  // same way when a person leans sideways. Right (in the mirror) is +.
  let leanRad: number;
  if (lh && rh) {
    const hips = mid(at(lh), at(rh));
    leanRad = Math.atan2(shoulders.x - hips.x, hips.y - shoulders.y);
  } else {
    // Mirror frame: the left shoulder is on the left. Leaning right drops the right shoulder (y grows).
    const l = at(lsAny);
    const r = at(rsAny);
    leanRad = Math.atan2(r.y - l.y, r.x - l.x);
  }
  out.lean = clamp(leanRad / FULL_SCALE_RAD, -1, 1);

  // Head tilt: roll of the eye line; tilting towards the right shoulder drops the right eye: +.
  const le = seen(LM.leftEye) ?? seen(LM.leftEar);
  const re = seen(LM.rightEye) ?? seen(LM.rightEar);
  if (le && re) {
    const a = at(le);
    const b = at(re);
    out['head-tilt'] = clamp(Math.atan2(b.y - a.y, b.x - a.x) / FULL_SCALE_RAD, -1, 1);
  }

  // Head turn: the nose's offset from the ears' midpoint, in half ear spans; turning to one's right moves the nose
  // right in the mirror: +. The ears are used even when hidden: the model keeps predicting them, and a turned head
  // hides one by nature.
  const nose = pose[LM.nose];
  const lEar = pose[LM.leftEar];
  const rEar = pose[LM.rightEar];
  if (nose && lEar && rEar && visibilityOf(nose) >= o.minVisibility) {
    const half = Math.abs(rEar.x - lEar.x) * o.aspect / 2;
    if (half > 1e-6) out['head-turn'] = clamp((nose.x - (lEar.x + rEar.x) / 2) * o.aspect / half, -1, 1);
  }

  // Hand height: 0 at the shoulder, 1 at two nose-heights above it (above the head), −1 two below (about the hips).
  const noseY = nose && visibilityOf(nose) >= o.minVisibility ? nose.y : shoulders.y - sw * 0.5;
  const unit = Math.max(shoulders.y - noseY, sw * 0.25) * 2;
  const hand = (wrist: Landmark | undefined, shoulder: Landmark): number =>
    wrist ? clamp((shoulder.y - wrist.y) / unit, -1, 1) : -1;
  out['left-hand-height'] = hand(seen(LM.leftWrist), lsAny);
  out['right-hand-height'] = hand(seen(LM.rightWrist), rsAny);

  // Arms open: wrist span in shoulder widths, from 1.2 (arms by the sides) to 3.5 (spread wide; an adult's span
  // is about 4 shoulder widths, Drillis & Contini 1966 proportions).
  const lw = seen(LM.leftWrist);
  const rw = seen(LM.rightWrist);
  if (lw && rw) {
    const span = Math.hypot((rw.x - lw.x) * o.aspect, rw.y - lw.y) / sw;
    out['arms-open'] = clamp((span - 1.2) / (3.5 - 1.2), 0, 1);
  }
  return out;
}
