/** The latent-space toolkit: seeded latents, slerp, the walker, truncation, steering, directions. */
export { Rng, deriveSeed, mix32 } from './rng.ts';
export { latentFromSeed } from './seed-latent.ts';
export { slerp, slerpInto } from './slerp.ts';
export { EASINGS, EASING_MAX_SLOPE, type Easing, type EasingName } from './easing.ts';
export { catmullRomInto } from './catmull-rom.ts';
export { truncateInto } from './truncation.ts';
export { steer, steeringOffsetInto, addOffsetInto } from './steering.ts';
export { SiblingLatents, MAX_SIBLINGS } from './siblings.ts';
export {
  DIRECTIONS_FORMAT,
  parseDirections,
  directionsToJson,
  type DirectionSet,
  type LatentDirection,
  type DirectionProvenance,
  type ParsedDirections,
} from './directions.ts';
export { createWalkSettings, readWalkSettings, copyWalkSettings, type WalkSettings } from './walk-settings.ts';
export { Walker, type WalkerOptions, type WalkerState } from './walker.ts';
export { gaussianSpace, MappedSpace, type LatentMapping, type LatentSpace } from './latent-space.ts';
export { MappedDrift } from './mapped-drift.ts';
export { principalComponents, projectOnComponents, type PcaOptions, type PcaResult } from './pca.ts';
export { leastSquares } from './least-squares.ts';
export { symmetricEigen, type SymmetricEigen } from './symmetric-eigen.ts';
export { dot, norm, distance, copyInto, scaleInto, addScaledInto, combineInto, lerpInto, maxAbsDifference, type Vec } from './vector.ts';
