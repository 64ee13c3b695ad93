import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/latent/rng.ts';
import { Walker } from '../../../src/core/latent/walker.ts';
import type { LatentDirection } from '../../../src/core/latent/directions.ts';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS, type ParamName } from '../../../src/core/params/catalogue.ts';
import { WalkLane, checkpointFromWire, checkpointToWire, type LaneSource, type StampedChange, type StampedLayerChange } from '../../../src/core/screens/index.ts';

const SIZE = 8;
/** A slow tick rate keeps hours of lane time cheap; checkpoints and replays count ticks, not seconds. */
const RATE = 10;
const MINUTE = 60 * RATE;
const INTERVAL = 10 * MINUTE;
const MODES = ['tour', 'loop', 'noise-loop', 'random', 'hold', 'towards'] as const;
const SOURCES: readonly LaneSource[] = ['desk', 'cue', 'pose'];

const direction: LatentDirection = { name: 'd0', vector: new Float32Array(SIZE).map((_, i) => (i % 3) - 1), sigma: 0.7 };

/** A show's worth of desk, cue and visitor changes: one every `every` ticks on average, all kinds, releases too. */
function script(ticks: number, every: number, seed: number): StampedChange[] {
  const r = new Rng(seed);
  const out: StampedChange[] = [];
  for (let t = 1 + Math.floor(r.uniform() * every); t < ticks; t += 1 + Math.floor(r.uniform() * 2 * every)) {
    const source = SOURCES[Math.floor(r.uniform() * 3)] as LaneSource;
    const k = Math.floor(r.uniform() * 9);
    const pick = (name: ParamName, value: StampedLayerChange['value']): StampedChange => ({ tick: t, source, name, value: r.uniform() < 0.15 ? null : value });
    if (k === 0) out.push(pick('walk/mode', MODES[Math.floor(r.uniform() * MODES.length)] as string));
    else if (k === 1) out.push(pick('walk/seed', Math.floor(r.uniform() * 1000)));
    else if (k === 2) out.push(pick('walk/speed', r.uniform() * 3));
    else if (k === 3) out.push(pick('walk/jitter', r.uniform()));
    else if (k === 4) out.push(pick('walk/truncation', r.uniform() * 1.5));
    else if (k === 5) out.push(pick('steer/0', r.uniform() * 4 - 2));
    else if (k === 6) out.push(pick('walk/target', Math.floor(r.uniform() * 1000)));
    else if (k === 7) out.push(pick('layout/grid-spread', r.uniform()));
    else out.push(pick('walk/blend-seconds', r.uniform() * 5));
  }
  return out;
}

function lane(extra: { checkpointTicks?: number; trimLog?: boolean; tickRate?: number } = {}): WalkLane {
  return new WalkLane({ size: SIZE, epoch: 0, tickRate: RATE, initial: { 'walk/speed': 1.5 }, directions: [direction], ...extra });
}

describe('WalkLane checkpoints', () => {
  it('a 3-hour lane with late changes, trimmed log and joiners matches the full replay from tick 0, bit for bit', () => {
    const END = 3 * 60 * MINUTE;
    const changes = script(END, MINUTE / 2, 7);
    // Reference: every change on time, no checkpoint ever (the old full replay).
    const ref = lane({ checkpointTicks: Number.MAX_SAFE_INTEGER });
    for (const c of changes) ref.schedule(c);
    const samples = new Map<number, number[]>();
    const hours = [1, 2, 3].map((h) => h * 60 * MINUTE - 1);
    for (let t = 0; t < END; t++) {
      ref.advanceTo(t);
      if (t % 997 === 0 || hours.includes(t)) samples.set(t, Array.from(ref.latent()));
    }
    // The screen under test: changes arrive up to 5 minutes after their tick (often past a checkpoint).
    const r = new Rng(11);
    const arrivals = changes.map((c) => ({ c, at: c.tick + (r.uniform() < 0.3 ? Math.floor(r.uniform() * 5 * MINUTE) : 0) })).sort((a, b) => a.at - b.at);
    const b = lane({ checkpointTicks: INTERVAL, trimLog: true });
    const seen = new Map<number, number[]>();
    seen.set(0, Array.from(b.latent()));
    let wall = 0;
    let a = 0;
    let maxLog = 0;
    const joinerSteps: number[] = [];
    while (b.tick < END - 1) {
      while (a < arrivals.length && (arrivals[a] as { at: number }).at <= wall) {
        const ar = arrivals[a++] as { c: StampedChange; at: number };
        expect(b.schedule(ar.c), `${JSON.stringify(ar)} wall ${wall} tick ${b.tick} floor ${b.logFloor}`).toBe(true);
      }
      b.advanceTo(END - 1, 1);
      wall = Math.max(wall, b.tick);
      maxLog = Math.max(maxLog, b.changes().length);
      if (samples.has(b.tick)) seen.set(b.tick, Array.from(b.latent()));
      if (hours.includes(b.tick) && b.tick === wall) {
        // A screen joining now: the newest checkpoint and the log after it.
        const cp = b.checkpoint();
        expect(cp).not.toBeNull();
        const j = lane({ checkpointTicks: INTERVAL, trimLog: true });
        // Through the wire, as a joining screen gets it: JSON text, checked on arrival.
        const parsed = checkpointFromWire(JSON.parse(JSON.stringify(checkpointToWire(cp!))), SIZE);
        if (!parsed.ok) throw new Error(parsed.error);
        j.restoreFrom(parsed.checkpoint, b.changes());
        joinerSteps.push(j.advanceTo(b.tick));
        expect(Array.from(j.latent())).toEqual(samples.get(b.tick));
        // The trimmed log alone, replayed from tick 0, is not the walk: the checkpoint carries real state.
        const logOnly = lane();
        logOnly.replaceLog(b.changes());
        logOnly.advanceTo(b.tick);
        expect(Array.from(logOnly.latent())).not.toEqual(samples.get(b.tick));
      }
    }
    expect(b.refused).toBe(0);
    expect(b.generation).toBeGreaterThan(10); // late changes did replay from checkpoints
    expect(seen.size).toBe(samples.size);
    for (const [t, v] of samples) expect(seen.get(t), `tick ${t}`).toEqual(v);
    expect(joinerSteps).toHaveLength(3);
    for (const s of joinerSteps) expect(s).toBeLessThanOrEqual(INTERVAL);
    expect(b.logFloor).toBeGreaterThan(END - 3 * INTERVAL);
    // Two intervals of changes (≈ 40 at one per 30 s on average) plus late ones, not the 3-hour 360.
    expect(maxLog).toBeLessThan(changes.length / 3);
  }, 60_000); // ~5 s alone; a loaded machine must not time it out

  it('over a simulated day the trimmed log and the checkpoints stay bounded (default interval: 10 minutes)', () => {
    const rate = 2;
    const day = 24 * 3600 * rate;
    const changes = script(day, 30 * rate, 3);
    const l = lane({ tickRate: rate, trimLog: true });
    let i = 0;
    let maxLog = 0;
    for (let t = 0; t < day; t += 60 * rate) {
      while (i < changes.length && (changes[i] as StampedChange).tick < t + 60 * rate) l.schedule(changes[i++] as StampedChange);
      l.advanceTo(t + 60 * rate);
      maxLog = Math.max(maxLog, l.changes().length);
      expect(l.checkpointTicksKept().length).toBeLessThanOrEqual(2);
    }
    expect(changes.length).toBeGreaterThan(2500);
    // At most ~20 minutes of changes (one per 30 s on average: ~40) plus the minute scheduled ahead.
    expect(maxLog).toBeLessThan(80);
    expect(l.checkpointTicksKept()).toEqual([day - 600 * rate, day]);
  });

  it('refuses a change stamped before the oldest kept checkpoint and changes nothing; one between the two replays exactly', () => {
    const base: StampedChange[] = [
      { tick: 5, source: 'desk', name: 'walk/mode', value: 'random' },
      { tick: 300, source: 'cue', name: 'walk/jitter', value: 0.6 },
    ];
    const mk = (): WalkLane => lane({ checkpointTicks: 200, trimLog: true });
    const l = mk();
    for (const c of base) l.schedule(c);
    l.advanceTo(650);
    expect(l.checkpointTicksKept()).toEqual([400, 600]);
    expect(l.logFloor).toBe(400);
    const before = Array.from(l.latent());
    const gen = l.generation;
    expect(l.schedule({ tick: 399, source: 'desk', name: 'walk/seed', value: 9 })).toBe(false);
    expect(l.refused).toBe(1);
    l.advanceTo(650);
    expect(l.generation).toBe(gen);
    expect(Array.from(l.latent())).toEqual(before);
    // Stamped between the checkpoints: replayed from 400, as if it had come on time.
    const late: StampedChange = { tick: 450, source: 'desk', name: 'walk/seed', value: 9 };
    expect(l.schedule(late)).toBe(true);
    expect(l.advanceTo(700)).toBe(300);
    expect(l.checkpointTicksKept()).toEqual([400, 600]);
    const onTime = lane({ checkpointTicks: Number.MAX_SAFE_INTEGER });
    for (const c of [...base, late]) onTime.schedule(c);
    onTime.advanceTo(700);
    expect(Array.from(l.latent())).toEqual(Array.from(onTime.latent()));
    expect(Array.from(l.latent())).not.toEqual(before);
  });

  it('Walker.restore continues exactly as the snapshotted walker, mid-blend with jitter and steering', () => {
    const bus = new ParameterBus<ParamName>(PARAMS);
    const a = new Walker({ size: SIZE, directions: [direction] });
    bus.set('walk/mode', 'random', 'desk');
    bus.set('walk/jitter', 0.5, 'desk');
    bus.set('steer/0', 1.5, 'desk');
    for (let i = 0; i < 50; i++) a.tick(0.1, bus);
    bus.set('walk/mode', 'tour', 'desk');
    for (let i = 0; i < 3; i++) a.tick(0.1, bus);
    expect(a.isBlending()).toBe(true);
    const snap = a.snapshot();
    const b = new Walker({ size: SIZE, directions: [direction] });
    b.restore(snap);
    for (let i = 0; i < 100; i++) expect(Array.from(b.tick(0.1, bus))).toEqual(Array.from(a.tick(0.1, bus)));
    expect(() => new Walker({ size: SIZE + 1 }).restore(snap)).toThrow(/8-number walk/);
  });

  it('a wire checkpoint is checked field by field: a bad one is refused with the field named', () => {
    const l = lane({ checkpointTicks: 100 });
    l.schedule({ tick: 10, source: 'desk', name: 'walk/mode', value: 'random' });
    l.schedule({ tick: 20, source: 'desk', name: 'walk/blend-seconds', value: 0 });
    l.schedule({ tick: 50, source: 'cue', name: 'walk/mode', value: 'tour' });
    l.advanceTo(100);
    const cp = l.checkpoint()!;
    // A 0 s blend leaves blendProgress at Infinity, which JSON has no number for: it still round-trips.
    expect(cp.walker.blendProgress).toBe(Number.POSITIVE_INFINITY);
    const good = JSON.parse(JSON.stringify(checkpointToWire(cp))) as Record<string, unknown>;
    const back = checkpointFromWire(good, SIZE);
    expect(back.ok && back.checkpoint.walker.blendProgress).toBe(Number.POSITIVE_INFINITY);
    expect(back.ok && Array.from(back.checkpoint.walker.offsetWeights)).toEqual(Array.from(cp.walker.offsetWeights));
    /** The good checkpoint with the field at `path` set to `v` (undefined: deleted). */
    const bad = (path: string, v: unknown): string => {
      const o = JSON.parse(JSON.stringify(good)) as Record<string, unknown>;
      const keys = path.split('.');
      let at = o;
      for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
      const last = keys[keys.length - 1] as string;
      if (v === undefined) delete at[last];
      else at[last] = v;
      const r = checkpointFromWire(o, SIZE);
      return r.ok ? 'accepted' : r.error;
    };
    const raw = (good.walker as Record<string, unknown>).raw as string;
    expect(checkpointFromWire(good, SIZE + 1)).toEqual({ ok: false, error: expect.stringMatching(/walker\.size: expected 9/) });
    expect(bad('walker.cur.drift.rng', [0, 0, 0, 0])).toMatch(/walker\.cur\.drift\.rng: expected a state that is not all zeros/);
    expect(bad('walker.raw', raw.slice(4))).toMatch(/walker\.raw: expected base64 of 8 float32/);
    expect(bad('walker.out', '!!!!')).toMatch(/walker\.out: expected base64/);
    expect(bad('layers', [['d', 'walk/speed', 99]])).toMatch(/layers\[0\] walk\/speed: expected a value in range/);
    expect(bad('layers', [['x', 'walk/speed', 1]])).toMatch(/layers\[0\]\[0\]/);
    expect(bad('smoothed', [['walk/seed', 3]])).toMatch(/smoothed\[0\] walk\/seed: expected a smoothed parameter/);
    expect(bad('walker.prev.mode', 'fly')).toMatch(/walker\.prev\.mode: expected one of/);
    expect(bad('walker.settings.speed', undefined)).toMatch(/walker\.settings\.speed: expected a finite number/);
    expect(bad('tick', -1)).toMatch(/tick: expected a whole number/);
    expect(bad('walker.steered', true)).toBe('accepted');
  });
});
