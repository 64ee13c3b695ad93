import type { ParameterBus } from '../params/bus.ts';
import { STEER_SLOTS, WALK_MODES, type WalkMode } from '../params/catalogue.ts';

/** Everything the walker reads from the bus in one tick, held in one reusable object (no allocation per tick). */
export interface WalkSettings {
  mode: WalkMode;
  speed: number;
  keyframeSeconds: number;
  loopKeyframes: number;
  truncation: number;
  blendSeconds: number;
  seed: number;
  target: number;
  jitter: number;
  /** steer/0 … steer/7, in σ of each direction. */
  readonly steer: Float64Array;
  grid: number;
  gridSpread: number;
}

/** The catalogue's defaults, for tests and tools that run a walker without a bus. */
export function createWalkSettings(overrides: Partial<Omit<WalkSettings, 'steer'>> = {}): WalkSettings {
  return {
    mode: 'tour',
    speed: 1,
    keyframeSeconds: 8,
    loopKeyframes: 6,
    truncation: 1,
    blendSeconds: 2,
    seed: 1,
    target: 0,
    jitter: 0,
    steer: new Float64Array(STEER_SLOTS),
    grid: 1,
    gridSpread: 0.3,
    ...overrides,
  };
}

export function isWalkMode(x: string): x is WalkMode {
  return (WALK_MODES as readonly string[]).includes(x);
}

const STEER_NAMES = Array.from({ length: STEER_SLOTS }, (_, i) => `steer/${i}`);

export function readWalkSettings(bus: ParameterBus, into: WalkSettings): WalkSettings {
  const mode = bus.string('walk/mode');
  if (!isWalkMode(mode)) throw new Error(`walk/mode: expected one of ${WALK_MODES.join(', ')}, got "${mode}"`);
  into.mode = mode;
  into.speed = bus.number('walk/speed');
  into.keyframeSeconds = bus.number('walk/keyframe-seconds');
  into.loopKeyframes = bus.number('walk/loop-keyframes');
  into.truncation = bus.number('walk/truncation');
  into.blendSeconds = bus.number('walk/blend-seconds');
  into.seed = bus.number('walk/seed');
  into.target = bus.number('walk/target');
  into.jitter = bus.number('walk/jitter');
  for (let i = 0; i < STEER_SLOTS; i++) into.steer[i] = bus.number(STEER_NAMES[i] as string);
  into.grid = bus.number('layout/grid');
  into.gridSpread = bus.number('layout/grid-spread');
  return into;
}

export function copyWalkSettings(from: WalkSettings, into: WalkSettings): WalkSettings {
  into.mode = from.mode;
  into.speed = from.speed;
  into.keyframeSeconds = from.keyframeSeconds;
  into.loopKeyframes = from.loopKeyframes;
  into.truncation = from.truncation;
  into.blendSeconds = from.blendSeconds;
  into.seed = from.seed;
  into.target = from.target;
  into.jitter = from.jitter;
  into.steer.set(from.steer);
  into.grid = from.grid;
  into.gridSpread = from.gridSpread;
  return into;
}
