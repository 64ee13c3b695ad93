import { LM, visibilityOf, type PoseLandmarks } from './landmarks.ts';

/**
 * Body speed between two frames of the same person: the mean displacement of the visible upper-body landmarks
 * (face, shoulders, elbows, wrists, hips), in shoulder widths per second, so it reads the same near and far.
 */
const BODY = [LM.nose, LM.leftShoulder, LM.rightShoulder, LM.leftElbow, LM.rightElbow, LM.leftWrist, LM.rightWrist, LM.leftHip, LM.rightHip];

export function bodySpeed(prev: PoseLandmarks, cur: PoseLandmarks, dt: number, shoulderWidth: number, aspect = 1, minVisibility = 0.5): number {
  if (!(dt > 0) || !(shoulderWidth > 1e-6)) return 0;
  let sum = 0;
  let n = 0;
  for (const i of BODY) {
    const a = prev[i];
    const b = cur[i];
    if (!a || !b || visibilityOf(a) < minVisibility || visibilityOf(b) < minVisibility) continue;
    sum += Math.hypot((b.x - a.x) * aspect, b.y - a.y);
    n++;
  }
  return n === 0 ? 0 : sum / n / shoulderWidth / dt;
}

/**
 * Motion energy 0..1 from body speed: 1 − e^(−speed / scale), so it rises steeply from stillness and saturates for
 * dancing. scale 2 sw/s: a brisk arm wave (~2 sw/s) reads ~0.63.
 */
export function motionEnergy(speed: number, scale = 2): number {
  return speed > 0 ? 1 - Math.exp(-speed / scale) : 0;
}
