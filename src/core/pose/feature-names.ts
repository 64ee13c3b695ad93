/**
 * The pose features a show can map onto parameters. Declared here, apart from their maths, because the show-file
 * schema validates mapping sources against this list.
 * Units: presence 0/1, people count, x/y −1..1 (image centre 0, y up), distance 0..1 (1 is close), lean −1..1
 * (left −, right +), head-tilt/head-turn −1..1, hand heights −1..1 (1 above head), arms-open 0..1, motion 0..1,
 * held 0/1 (still for the held time).
 * Left/right are the visitor's own, as they see themselves in a mirror: src/core/pose computes in the mirrored image
 * (option `mirror`, on by default), so x + and lean + both mean "towards the visitor's right". head-tilt + is the
 * head tilted towards the right shoulder, head-turn + the face turned to the right. Maths in src/core/pose/geometry.ts.
 */
export const POSE_FEATURES = [
  'presence',
  'people',
  'x',
  'y',
  'distance',
  'lean',
  'head-tilt',
  'head-turn',
  'left-hand-height',
  'right-hand-height',
  'arms-open',
  'motion',
  'held',
] as const;

export type PoseFeature = (typeof POSE_FEATURES)[number];
