/**
 * BlazePose's 33 landmarks as MediaPipe's PoseLandmarker returns them: x, y normalised to the image (0..1, y down),
 * z relative depth, visibility 0..1. Index names and connections from MediaPipe's pose landmark model card and
 * `PoseLandmarker.POSE_CONNECTIONS` (tasks-vision 1.1.0); "left" is the person's own left.
 */
export interface Landmark {
  readonly x: number;
  readonly y: number;
  readonly z: number;
  /** Likelihood the point is visible (in frame, not occluded); MediaPipe may leave it undefined. */
  readonly visibility?: number;
}

/** One person's 33 landmarks. */
export type PoseLandmarks = readonly Landmark[];

export const LANDMARK_COUNT = 33;

export const LM = {
  nose: 0,
  leftEyeInner: 1,
  leftEye: 2,
  leftEyeOuter: 3,
  rightEyeInner: 4,
  rightEye: 5,
  rightEyeOuter: 6,
  leftEar: 7,
  rightEar: 8,
  mouthLeft: 9,
  mouthRight: 10,
  leftShoulder: 11,
  rightShoulder: 12,
  leftElbow: 13,
  rightElbow: 14,
  leftWrist: 15,
  rightWrist: 16,
  leftPinky: 17,
  rightPinky: 18,
  leftIndex: 19,
  rightIndex: 20,
  leftThumb: 21,
  rightThumb: 22,
  leftHip: 23,
  rightHip: 24,
  leftKnee: 25,
  rightKnee: 26,
  leftAnkle: 27,
  rightAnkle: 28,
  leftHeel: 29,
  rightHeel: 30,
  leftFootIndex: 31,
  rightFootIndex: 32,
} as const;

/** Bones to draw, as index pairs (the same 35 pairs as tasks-vision's POSE_CONNECTIONS). */
export const POSE_BONES: readonly (readonly [number, number])[] = [
  [0, 1], [1, 2], [2, 3], [3, 7], [0, 4], [4, 5], [5, 6], [6, 8], [9, 10],
  [11, 12], [11, 13], [13, 15], [15, 17], [15, 19], [15, 21], [17, 19],
  [12, 14], [14, 16], [16, 18], [16, 20], [16, 22], [18, 20],
  [11, 23], [12, 24], [23, 24], [23, 25], [24, 26], [25, 27], [26, 28],
  [27, 29], [28, 30], [29, 31], [30, 32], [27, 31], [28, 32],
];

/** Mirror x (x → 1 − x), so the image reads like a mirror: the person's right is on the right. */
export function mirrorPose(pose: PoseLandmarks): Landmark[] {
  return pose.map((p) => ({ ...p, x: 1 - p.x }));
}

/** Visibility with MediaPipe's "undefined" read as fully visible (some builds leave it out). */
export function visibilityOf(p: Landmark | undefined): number {
  if (!p) return 0;
  return p.visibility ?? 1;
}
