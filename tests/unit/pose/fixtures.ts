import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LM, type Landmark, type PoseLandmarks } from '../../../src/core/pose/landmarks.ts';

/**
 * Landmarks recorded from real detections (tests/browser/pose-record.test.ts: the lite landmarker on the astronaut
 * video), and poses crafted from them by geometric transforms, so every test pose is a body the model really saw.
 */
export interface RecordedFrame {
  readonly t: number;
  readonly people: PoseLandmarks[];
}

const path = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/pose/astronaut-pan.json');
export const recorded: readonly RecordedFrame[] = (JSON.parse(readFileSync(path, 'utf8')) as { frames: RecordedFrame[] }).frames;

/** The first recorded person, as the camera saw it (unmirrored). */
export const astronaut: PoseLandmarks = recorded[0]?.people[0] ?? [];

/** Left ↔ right index pairs, for mirroring a person (a mirrored body swaps its sides). */
const SIDE_PAIRS: readonly (readonly [number, number])[] = [
  [1, 4], [2, 5], [3, 6], [7, 8], [9, 10], [11, 12], [13, 14], [15, 16], [17, 18], [19, 20], [21, 22],
  [23, 24], [25, 26], [27, 28], [29, 30], [31, 32],
];

/** The same scene seen in a mirror: x flipped and the body's sides swapped (what a camera would see). */
export function mirroredPerson(pose: PoseLandmarks): Landmark[] {
  const out = pose.map((p) => ({ ...p, x: 1 - p.x }));
  for (const [a, b] of SIDE_PAIRS) {
    const t = out[a] as Landmark;
    out[a] = out[b] as Landmark;
    out[b] = t;
  }
  return out;
}

/** Rotates every landmark by `deg` (image plane, clockwise on screen as y points down) about a pivot. */
export function rotated(pose: PoseLandmarks, deg: number, pivot: { x: number; y: number }): Landmark[] {
  const c = Math.cos((deg * Math.PI) / 180);
  const s = Math.sin((deg * Math.PI) / 180);
  return pose.map((p) => {
    const dx = p.x - pivot.x;
    const dy = p.y - pivot.y;
    return { ...p, x: pivot.x + dx * c - dy * s, y: pivot.y + dx * s + dy * c };
  });
}

export function scaled(pose: PoseLandmarks, k: number, centre = { x: 0.5, y: 0.5 }): Landmark[] {
  return pose.map((p) => ({ ...p, x: centre.x + (p.x - centre.x) * k, y: centre.y + (p.y - centre.y) * k }));
}

export function translated(pose: PoseLandmarks, dx: number, dy: number): Landmark[] {
  return pose.map((p) => ({ ...p, x: p.x + dx, y: p.y + dy }));
}

/** Moves a set of landmarks by (dx, dy), e.g. an arm. */
export function moved(pose: PoseLandmarks, indices: readonly number[], dx: number, dy: number): Landmark[] {
  return pose.map((p, i) => (indices.includes(i) ? { ...p, x: p.x + dx, y: p.y + dy } : p));
}

export const LEFT_HAND = [LM.leftWrist, LM.leftPinky, LM.leftIndex, LM.leftThumb];
export const RIGHT_HAND = [LM.rightWrist, LM.rightPinky, LM.rightIndex, LM.rightThumb];

export function midHips(pose: PoseLandmarks): { x: number; y: number } {
  const l = pose[LM.leftHip] as Landmark;
  const r = pose[LM.rightHip] as Landmark;
  return { x: (l.x + r.x) / 2, y: (l.y + r.y) / 2 };
}
