import { POSE_FEATURES, type PoseFeature } from './feature-names.ts';
import { GEOMETRY_DEFAULTS, NEUTRAL_GEOMETRY, geometricFeatures, primaryIndex, shoulderWidth, type GeometricFeature, type GeometryOptions } from './geometry.ts';
import { HeldPoseDetector, type HeldOptions } from './held.ts';
import { mirrorPose, type PoseLandmarks } from './landmarks.ts';
import { bodySpeed, motionEnergy } from './motion.ts';
import { OneEuroFilter, type OneEuroOptions } from './one-euro.ts';
import { PresenceHysteresis, type PresenceMode, type PresenceOptions } from './presence.ts';

/** Feature values: plain data the show's mappings read. Units in feature-names.ts. */
export type PoseFeatures = Record<PoseFeature, number>;

export interface PoseFeatureOptions extends GeometryOptions, PresenceOptions, HeldOptions {
  /** Compute in a mirror's frame (the visitor's right is +). True for a screen facing the visitor. */
  readonly mirror?: boolean;
  /** One-Euro settings for every filtered feature, then per-feature overrides. */
  readonly filter?: OneEuroOptions;
  readonly filters?: Partial<Record<PoseFeature, OneEuroOptions>>;
}

/** The features smoothed by a One-Euro filter; presence, people and held are discrete and pass through. */
const FILTERED: readonly PoseFeature[] = POSE_FEATURES.filter((f) => f !== 'presence' && f !== 'people' && f !== 'held');

/** Seconds: the time constant of the body-speed average the held detector reads. */
const SPEED_TAU = 0.3;

export const NEUTRAL_FEATURES: Readonly<PoseFeatures> = { presence: 0, people: 0, ...NEUTRAL_GEOMETRY, motion: 0, held: 0 };

/**
 * Landmarks in, features out, with time passed in: picks the person who steers, computes the geometry, filters it,
 * and runs presence hysteresis and the held-pose detector. While nobody has been seen long enough (attract mode)
 * every feature reads neutral and the filters restart, so a new visitor does not inherit the last one's values;
 * during a short dropout inside engage mode the last values hold.
 */
export class PoseFeatureTracker {
  private readonly options: PoseFeatureOptions;
  private readonly filters = new Map<PoseFeature, OneEuroFilter>();
  private readonly presence: PresenceHysteresis;
  private readonly held: HeldPoseDetector;
  private last: PoseFeatures = { ...NEUTRAL_FEATURES };
  private prevPose: PoseLandmarks | undefined;
  private prevT = 0;
  /** Body speed smoothed over SPEED_TAU: raw landmark jitter alone would never let a pose count as held. */
  private speed = 0;

  constructor(options: PoseFeatureOptions = {}) {
    this.options = { mirror: true, ...options };
    for (const f of FILTERED) this.filters.set(f, new OneEuroFilter({ ...options.filter, ...options.filters?.[f] }));
    this.presence = new PresenceHysteresis(options);
    this.held = new HeldPoseDetector(options);
  }

  /**
   * One detection result: every person's landmarks (possibly none) at time t in seconds. `aspect` (frame width /
   * height) overrides the option, for callers that learn it from the frames.
   */
  update(people: readonly PoseLandmarks[], t: number, aspect = this.options.aspect ?? GEOMETRY_DEFAULTS.aspect): PoseFeatures {
    const mode = this.presence.update(people.length > 0, t);
    const i = primaryIndex(people, aspect);
    const raw = people[i];
    if (mode === 'attract') {
      this.restart();
      return (this.last = { ...NEUTRAL_FEATURES, people: people.length });
    }
    if (!raw) {
      // Engaged but nobody in this frame: hold the last values until the leave delay runs out.
      this.prevPose = undefined;
      return (this.last = { ...this.last, presence: 1, people: 0 });
    }
    const pose = this.options.mirror ? mirrorPose(raw) : raw;
    const geometry = geometricFeatures(pose, { ...this.options, aspect });
    const sw = shoulderWidth(pose, aspect);
    const speed = this.prevPose ? bodySpeed(this.prevPose, pose, t - this.prevT, sw, aspect, this.options.minVisibility) : 0;
    if (this.prevPose) {
      const k = 1 - Math.exp(-Math.max(0, t - this.prevT) / SPEED_TAU);
      this.speed += k * (speed - this.speed);
    }
    this.prevPose = pose;
    this.prevT = t;

    const out: PoseFeatures = { ...NEUTRAL_FEATURES, presence: 1, people: people.length };
    for (const f of Object.keys(geometry) as GeometricFeature[]) out[f] = this.smooth(f, geometry[f], t);
    out.motion = this.smooth('motion', motionEnergy(speed), t);
    out.held = this.held.update(this.speed, t) ? 1 : 0;
    return (this.last = out);
  }

  mode(): PresenceMode {
    return this.presence.mode();
  }

  /** The last features update() returned. */
  features(): Readonly<PoseFeatures> {
    return this.last;
  }

  reset(): void {
    this.presence.reset();
    this.restart();
    this.last = { ...NEUTRAL_FEATURES };
  }

  private restart(): void {
    for (const f of this.filters.values()) f.reset();
    this.held.reset();
    this.prevPose = undefined;
    this.speed = 0;
  }

  private smooth(f: PoseFeature, v: number, t: number): number {
    const filter = this.filters.get(f);
    return filter ? filter.filter(v, t) : v;
  }
}
