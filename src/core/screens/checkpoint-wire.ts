import type { MotionState } from '../latent/motion.ts';
import type { DriftState } from '../latent/smooth-drift.ts';
import { createWalkSettings, type WalkSettings } from '../latent/walk-settings.ts';
import type { WalkerState } from '../latent/walker.ts';
import { PARAMS, STEER_SLOTS, WALK_MODES, isParamName, type ParamName, type WalkMode } from '../params/catalogue.ts';
import { coerce } from '../params/coerce.ts';
import type { ParamSpec, ParamValue } from '../params/types.ts';
import { MAX_BPM, MIN_BPM, type TempoState } from '../tempo/tempo.ts';
import type { LaneCheckpoint, LaneSource } from './lane.ts';

/**
 * A LaneCheckpoint as JSON for the /screens socket. Vectors travel as base64 of their little-endian bytes: exact
 * (NaN and all), and a 512-d walk's checkpoint is ~40 kB, sent once per join. A peer is not trusted: every field
 * is checked (names, types and ranges as the desk path checks them, vector lengths, RNG words) before a lane sees it.
 */
export type WireCheckpoint = Readonly<Record<string, unknown>>;

const MAX_SIZE = 8192;
const MAX_BEATS = 2 ** 48;
const SPECS = new Map<string, ParamSpec>(PARAMS.map((s) => [s.name, s]));
const SOURCE_CODE: Readonly<Record<LaneSource, string>> = { desk: 'd', cue: 'c', pose: 'p' };
const CODE_SOURCE: Readonly<Record<string, LaneSource>> = { d: 'desk', c: 'cue', p: 'pose' };
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map<string, number>([...B64].map((ch, i) => [ch, i]));

export function checkpointToWire(cp: LaneCheckpoint): WireCheckpoint {
  const w = cp.walker;
  return {
    tick: cp.tick,
    layers: cp.layers.map(([source, name, value]) => [SOURCE_CODE[source], name, value]),
    smoothed: cp.smoothed.map(([name, value]) => [name, value]),
    walker: {
      size: w.size, started: w.started, blending: w.blending,
      // Infinity (a blend of 0 s) has no JSON number.
      blendProgress: Number.isFinite(w.blendProgress) ? w.blendProgress : null,
      cur: motionToWire(w.cur), prev: motionToWire(w.prev), jitter: driftToWire(w.jitter), jitterSeeded: w.jitterSeeded,
      raw: f32(w.raw), walked: f32(w.walked), out: f32(w.out), offset: f64(w.offset), steered: w.steered,
      offsetWeights: f64(w.offsetWeights), offsetComputed: w.offsetComputed, siblingsTheta: w.siblingsTheta,
      settings: settingsToWire(w.settings),
    },
    tempo: tempoToWire(cp.tempo),
  };
}

/** A tempo as JSON: plain numbers (JSON keeps every bit of a finite double), as in a change and a checkpoint. */
export function tempoToWire(t: TempoState): Record<string, unknown> {
  return { beats: t.beats, bpm: t.bpm, beatsPerBar: t.beatsPerBar, pending: t.pending, running: t.running };
}

export type ParsedTempo = { readonly ok: true; readonly tempo: TempoState } | { readonly ok: false; readonly error: string };

/** Reads a wire tempo (`path` names it in the error): a bpm out of the catalogue's range would pulse out of step. */
export function tempoFromWire(raw: unknown, path: string): ParsedTempo {
  try {
    return { ok: true, tempo: readTempo(raw, path) };
  } catch (e) {
    if (e instanceof WireError) return { ok: false, error: e.message };
    throw e;
  }
}

export type ParsedCheckpoint = { readonly ok: true; readonly checkpoint: LaneCheckpoint } | { readonly ok: false; readonly error: string };

/** Reads a wire checkpoint for a lane of `size` numbers; a clear error naming the field otherwise. */
export function checkpointFromWire(raw: unknown, size: number): ParsedCheckpoint {
  try {
    return { ok: true, checkpoint: readCheckpoint(raw, size) };
  } catch (e) {
    if (e instanceof WireError) return { ok: false, error: `checkpoint.${e.message}` };
    throw e;
  }
}

class WireError extends Error {}

function fail(path: string, expected: string): never {
  throw new WireError(`${path}: expected ${expected}`);
}

function obj(x: unknown, path: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) fail(path, 'an object');
  return x as Record<string, unknown>;
}

function num(x: unknown, path: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) fail(path, 'a finite number');
  return x;
}

function int(x: unknown, path: string, min: number, max: number): number {
  const n = num(x, path);
  if (!Number.isInteger(n) || n < min || n > max) fail(path, `a whole number from ${min} to ${max}`);
  return n;
}

function bool(x: unknown, path: string): boolean {
  if (typeof x !== 'boolean') fail(path, 'true or false');
  return x;
}

function mode(x: unknown, path: string): WalkMode {
  if (typeof x !== 'string' || !(WALK_MODES as readonly string[]).includes(x)) fail(path, `one of ${WALK_MODES.join(', ')}`);
  return x as WalkMode;
}

function readCheckpoint(raw: unknown, size: number): LaneCheckpoint {
  const o = obj(raw, 'checkpoint');
  const tick = int(o.tick, 'tick', 0, Number.MAX_SAFE_INTEGER);
  if (!Array.isArray(o.layers)) fail('layers', 'a list');
  const layers = o.layers.map((l: unknown, i): readonly [LaneSource, ParamName, ParamValue] => {
    if (!Array.isArray(l) || l.length !== 3) fail(`layers[${i}]`, '["d"|"c"|"p", name, value]');
    const source = CODE_SOURCE[String(l[0])];
    if (source === undefined) fail(`layers[${i}][0]`, '"d", "c" or "p"');
    return [source, ...value(l[1], l[2], `layers[${i}]`, false)];
  });
  if (!Array.isArray(o.smoothed)) fail('smoothed', 'a list');
  const smoothed = o.smoothed.map((l: unknown, i) => {
    if (!Array.isArray(l) || l.length !== 2) fail(`smoothed[${i}]`, '[name, value]');
    return value(l[0], l[1], `smoothed[${i}]`, true);
  });
  return { tick, layers, smoothed, walker: readWalker(o.walker, size), tempo: readTempo(o.tempo, 'tempo') };
}

function readTempo(raw: unknown, path: string): TempoState {
  const o = obj(raw, path);
  const beats = num(o.beats, `${path}.beats`);
  // Past 2^48 beats a tick's step is lost to rounding: the beat, and every pulse with it, would stand still.
  if (beats < 0 || beats > MAX_BEATS) fail(`${path}.beats`, 'a number from 0 to 2^48');
  const bpm = num(o.bpm, `${path}.bpm`);
  if (bpm < MIN_BPM || bpm > MAX_BPM) fail(`${path}.bpm`, `a number from ${MIN_BPM} to ${MAX_BPM}`);
  const beatsPerBar = int(o.beatsPerBar, `${path}.beatsPerBar`, 1, 16);
  return { beats, bpm, beatsPerBar, pending: num(o.pending, `${path}.pending`), running: bool(o.running, `${path}.running`) };
}

function value(name: unknown, v: unknown, path: string, smoothedOnly: boolean): readonly [ParamName, ParamValue] {
  if (typeof name !== 'string' || !isParamName(name)) fail(`${path} name`, 'a parameter name');
  const spec = SPECS.get(name) as ParamSpec;
  if (spec.access === 'r') fail(`${path} ${name}`, 'a writable parameter');
  if (smoothedOnly && !((spec.type === 'float' || spec.type === 'vec') && (spec.smoothing ?? 0) > 0)) fail(`${path} ${name}`, 'a smoothed parameter');
  const c = coerce(spec, v);
  // Clamping would silently change the state: a value out of range is refused.
  if (!c.ok || c.clamped) fail(`${path} ${name}`, c.ok ? 'a value in range' : c.expected);
  return [name, c.value];
}

function readWalker(raw: unknown, size: number): WalkerState {
  const o = obj(raw, 'walker');
  if (o.size !== size) fail('walker.size', `${size} (this lane's latent size), got ${JSON.stringify(o.size)}`);
  const bp = o.blendProgress === null ? Number.POSITIVE_INFINITY : num(o.blendProgress, 'walker.blendProgress');
  return {
    size, started: bool(o.started, 'walker.started'), blending: bool(o.blending, 'walker.blending'), blendProgress: bp,
    cur: readMotion(o.cur, size, 'walker.cur'), prev: readMotion(o.prev, size, 'walker.prev'), jitter: readDrift(o.jitter, size, 'walker.jitter'),
    jitterSeeded: bool(o.jitterSeeded, 'walker.jitterSeeded'), raw: fromF32(o.raw, size, 'walker.raw'), walked: fromF32(o.walked, size, 'walker.walked'),
    out: fromF32(o.out, size, 'walker.out'), offset: fromF64(o.offset, size, 'walker.offset'), steered: bool(o.steered, 'walker.steered'),
    offsetWeights: fromF64(o.offsetWeights, STEER_SLOTS, 'walker.offsetWeights'), offsetComputed: bool(o.offsetComputed, 'walker.offsetComputed'),
    siblingsTheta: num(o.siblingsTheta, 'walker.siblingsTheta'), settings: readSettings(o.settings),
  };
}

function motionToWire(m: MotionState): Record<string, unknown> {
  return { mode: m.mode, seed: m.seed, loopKeyframes: m.loopKeyframes, target: m.target, index: m.index, t: m.t, theta: m.theta, held: f32(m.held), drift: driftToWire(m.drift) };
}

function readMotion(raw: unknown, size: number, path: string): MotionState {
  const o = obj(raw, path);
  return {
    mode: mode(o.mode, `${path}.mode`), seed: num(o.seed, `${path}.seed`), loopKeyframes: num(o.loopKeyframes, `${path}.loopKeyframes`),
    target: num(o.target, `${path}.target`), index: num(o.index, `${path}.index`), t: num(o.t, `${path}.t`), theta: num(o.theta, `${path}.theta`),
    held: fromF32(o.held, size, `${path}.held`), drift: readDrift(o.drift, size, `${path}.drift`),
  };
}

function driftToWire(d: DriftState): Record<string, unknown> {
  return { drive: f32(d.drive), state: f32(d.state), rng: [...d.rng] };
}

function readDrift(raw: unknown, size: number, path: string): DriftState {
  const o = obj(raw, path);
  if (!Array.isArray(o.rng) || o.rng.length !== 4) fail(`${path}.rng`, 'four 32-bit integers');
  const rng = o.rng.map((w: unknown, i) => int(w, `${path}.rng[${i}]`, -0x80000000, 0xffffffff));
  if (rng.every((w) => w === 0)) fail(`${path}.rng`, 'a state that is not all zeros');
  return { drive: fromF32(o.drive, size, `${path}.drive`), state: fromF32(o.state, size, `${path}.state`), rng };
}

function settingsToWire(s: WalkSettings): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) out[k] = v instanceof Float64Array ? f64(v) : v;
  return out;
}

function readSettings(raw: unknown): WalkSettings {
  const o = obj(raw, 'walker.settings');
  const s = createWalkSettings();
  s.mode = mode(o.mode, 'walker.settings.mode');
  s.steer.set(fromF64(o.steer, STEER_SLOTS, 'walker.settings.steer'));
  const fields = s as unknown as Record<string, unknown>;
  for (const k of Object.keys(s)) {
    if (k === 'mode' || k === 'steer') continue;
    fields[k] = num(o[k], `walker.settings.${k}`);
  }
  return s;
}

function f32(a: Float32Array): string {
  const v = new DataView(new ArrayBuffer(a.length * 4));
  a.forEach((x, i) => v.setFloat32(i * 4, x, true));
  return toBase64(new Uint8Array(v.buffer));
}

function f64(a: Float64Array): string {
  const v = new DataView(new ArrayBuffer(a.length * 8));
  a.forEach((x, i) => v.setFloat64(i * 8, x, true));
  return toBase64(new Uint8Array(v.buffer));
}

function bytes(raw: unknown, n: number, path: string, what: string): DataView {
  if (typeof raw !== 'string' || raw.length > 4 * MAX_SIZE * 8) fail(path, `base64 of ${what}`);
  const b = fromBase64(raw);
  if (b === null || b.length !== n) fail(path, `base64 of ${what}`);
  return new DataView(b.buffer);
}

function fromF32(raw: unknown, n: number, path: string): Float32Array {
  const v = bytes(raw, n * 4, path, `${n} float32 numbers`);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = v.getFloat32(i * 4, true);
  return out;
}

function fromF64(raw: unknown, n: number, path: string): Float64Array {
  const v = bytes(raw, n * 8, path, `${n} float64 numbers`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = v.getFloat64(i * 8, true);
  return out;
}

function toBase64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 3) {
    const x = ((b[i] as number) << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    s += B64[(x >> 18) & 63] as string;
    s += B64[(x >> 12) & 63] as string;
    s += i + 1 < b.length ? (B64[(x >> 6) & 63] as string) : '=';
    s += i + 2 < b.length ? (B64[x & 63] as string) : '=';
  }
  return s;
}

function fromBase64(s: string): Uint8Array | null {
  if (s.length % 4 !== 0) return null;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    let x = 0;
    for (let k = 0; k < 4; k++) {
      const ch = s[i + k] as string;
      const d = ch === '=' && i + k >= s.length - pad ? 0 : B64_INDEX.get(ch);
      if (d === undefined) return null;
      x = (x << 6) | d;
    }
    if (o < out.length) out[o++] = (x >> 16) & 255;
    if (o < out.length) out[o++] = (x >> 8) & 255;
    if (o < out.length) out[o++] = x & 255;
  }
  return out;
}

/** Whether two checkpoints hold the same state, bit for bit (compared in their exact wire form). */
export function sameCheckpoint(a: LaneCheckpoint, b: LaneCheckpoint): boolean {
  return a.tick === b.tick && JSON.stringify(checkpointToWire(a)) === JSON.stringify(checkpointToWire(b));
}
