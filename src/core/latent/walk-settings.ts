import { PARAMS, STEER_SLOTS, WALK_MODES, type ParamName, type SitterBus, type SteerName, type WalkMode } from '../params/catalogue.ts';
import type { ParamValue } from '../params/types.ts';

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

/** The bus parameter each scalar field reads: one table, so defaults and bus reads cannot drift apart. */
const FIELD_PARAMS = {
  speed: 'walk/speed',
  keyframeSeconds: 'walk/keyframe-seconds',
  loopKeyframes: 'walk/loop-keyframes',
  truncation: 'walk/truncation',
  blendSeconds: 'walk/blend-seconds',
  seed: 'walk/seed',
  target: 'walk/target',
  jitter: 'walk/jitter',
  grid: 'layout/grid',
  gridSpread: 'layout/grid-spread',
} as const satisfies Record<string, ParamName>;
type NumberField = keyof typeof FIELD_PARAMS;
const NUMBER_FIELDS = Object.keys(FIELD_PARAMS) as NumberField[];

function catalogueDefault(name: ParamName): ParamValue {
  const spec = PARAMS.find((p) => p.name === name);
  if (!spec) throw new Error(`walk settings: ${name} is not in the parameter catalogue`);
  return spec.default;
}

function numberDefault(name: ParamName): number {
  const v = catalogueDefault(name);
  if (typeof v !== 'number') throw new Error(`walk settings: ${name} has a non-numeric default`);
  return v;
}

/** The catalogue's defaults, for tests and tools that run a walker without a bus. */
export function createWalkSettings(overrides: Partial<Omit<WalkSettings, 'steer'>> = {}): WalkSettings {
  const mode = catalogueDefault('walk/mode');
  const settings: WalkSettings = {
    mode: typeof mode === 'string' && isWalkMode(mode) ? mode : 'tour',
    speed: 0,
    keyframeSeconds: 0,
    loopKeyframes: 0,
    truncation: 0,
    blendSeconds: 0,
    seed: 0,
    target: 0,
    jitter: 0,
    steer: new Float64Array(STEER_SLOTS).fill(numberDefault('steer/0')),
    grid: 0,
    gridSpread: 0,
  };
  for (const field of NUMBER_FIELDS) settings[field] = numberDefault(FIELD_PARAMS[field]);
  return Object.assign(settings, overrides);
}

export function isWalkMode(x: string): x is WalkMode {
  return (WALK_MODES as readonly string[]).includes(x);
}

const STEER_NAMES: readonly SteerName[] = Array.from({ length: STEER_SLOTS }, (_, i) => `steer/${i}` as const);

/** Every parameter a walker reads (readWalkSettings): a screens lane needs these values; the others only the picture. */
export const WALK_PARAMS: ReadonlySet<ParamName> = new Set<ParamName>(['walk/mode', ...Object.values(FIELD_PARAMS), ...STEER_NAMES]);

export function readWalkSettings(bus: SitterBus, into: WalkSettings): WalkSettings {
  const mode = bus.string('walk/mode');
  if (!isWalkMode(mode)) throw new Error(`walk/mode: expected one of ${WALK_MODES.join(', ')}, got "${mode}"`);
  into.mode = mode;
  for (const field of NUMBER_FIELDS) into[field] = bus.number(FIELD_PARAMS[field]);
  for (let i = 0; i < STEER_SLOTS; i++) into.steer[i] = bus.number(STEER_NAMES[i] as SteerName);
  return into;
}

export function copyWalkSettings(from: WalkSettings, into: WalkSettings): WalkSettings {
  into.mode = from.mode;
  for (const field of NUMBER_FIELDS) into[field] = from[field];
  into.steer.set(from.steer);
  return into;
}
