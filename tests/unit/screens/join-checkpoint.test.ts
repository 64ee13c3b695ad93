import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/latent/rng.ts';
import type { LatentDirection } from '../../../src/core/latent/directions.ts';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS, isParamName, type ParamName } from '../../../src/core/params/catalogue.ts';
import type { ParamValue } from '../../../src/core/params/types.ts';
import {
  FollowerSync, LayerMirror, LeaderSync, PageScreenWalk, WalkLane, encode, parseFollowerMessage, parseLeaderMessage,
  type LaneSource, type StampedChange,
} from '../../../src/core/screens/index.ts';
import { role } from '../../support/screens/sim.ts';

/**
 * Joining through the /screens protocol (version 2): the leader's full state carries its newest checkpoint and the
 * changes after it; followers, pages and an adopting leader restore from it. What is checked: the joiner's walk and
 * layers equal the whole log replayed from tick 0, the log and the full state stay bounded over a day, and a bad
 * checkpoint is refused with the field named and nothing changed.
 */
const SIZE = 8;
/** A slow tick rate keeps hours of lane time cheap (the checkpoint interval is 10 minutes of lane time either way). */
const RATE = 10;
const INTERVAL = 600 * RATE;
const initial = { 'walk/speed': 1.5 } as const;
const direction: LatentDirection = { name: 'd0', vector: new Float32Array(SIZE).map((_, i) => (i % 3) - 1), sigma: 0.7 };
const SOURCES: readonly LaneSource[] = ['desk', 'cue', 'pose'];
const MODES = ['tour', 'loop', 'noise-loop', 'random', 'hold', 'towards'] as const;

/** One desk, cue or visitor move of any kind the lane or a page reads, releases too. */
function randomMove(r: Rng): { source: LaneSource; name: ParamName; value: ParamValue | null } {
  const source = SOURCES[Math.floor(r.uniform() * 3)] as LaneSource;
  const k = Math.floor(r.uniform() * 8);
  const [name, value]: [ParamName, ParamValue] =
    k === 0 ? ['walk/mode', MODES[Math.floor(r.uniform() * MODES.length)] as string]
      : k === 1 ? ['walk/seed', Math.floor(r.uniform() * 1000)]
        : k === 2 ? ['walk/speed', r.uniform() * 3]
          : k === 3 ? ['walk/jitter', r.uniform()]
            : k === 4 ? ['steer/0', r.uniform() * 4 - 2]
              : k === 5 ? ['grade/contrast', r.uniform() * 2]
                : k === 6 ? ['grain/amount', r.uniform()]
                  : ['walk/truncation', r.uniform() * 1.5];
  return { source, name, value: r.uniform() < 0.15 ? null : value };
}

/** The walk as the leader made it, replayed from tick 0 with every change and no checkpoint: the reference. */
function fullReplay(made: readonly StampedChange[], tick: number, rate = RATE): WalkLane {
  const ref = new WalkLane({ size: SIZE, epoch: 0, tickRate: rate, initial, directions: [direction], checkpointTicks: Number.MAX_SAFE_INTEGER });
  for (const c of made) ref.schedule(c);
  ref.advanceTo(tick);
  return ref;
}

/** A leader walked for `seconds` with a move about every `every` seconds; returns it and every change it stamped. */
function show(seconds: number, every: number, seed: number, each?: (leader: LeaderSync, t: number) => void, rate = RATE): { leader: LeaderSync; made: StampedChange[] } {
  const leader = new LeaderSync({ screen: 'main', size: SIZE, epoch: 0, tickRate: rate, initial, directions: [direction] });
  const r = new Rng(seed);
  const made: StampedChange[] = [];
  for (let t = 0; t < seconds; t += 5) {
    leader.advance(t);
    if (r.uniform() < 5 / every) {
      const m = randomMove(r);
      made.push(leader.change(m.source, m.name, m.value, t));
    }
    each?.(leader, t);
  }
  leader.advance(seconds);
  return { leader, made };
}

function follower(): FollowerSync {
  return new FollowerSync({ role: role('late'), size: SIZE, initial, directions: [direction] });
}

/** Every desk, cue and pose layer a bus holds, in catalogue order. */
function layersOf(bus: ParameterBus<ParamName>): [string, LaneSource, ParamValue][] {
  const out: [string, LaneSource, ParamValue][] = [];
  for (const spec of PARAMS) {
    if (spec.access === 'r' || !isParamName(spec.name)) continue;
    for (const source of SOURCES) {
      const v = bus.layer(spec.name, source);
      if (v !== undefined) out.push([spec.name, source, v]);
    }
  }
  return out;
}

describe('joining from a checkpoint (screens protocol 2)', () => {
  it('a follower joining a 3-hour show from the full state (checkpoint + tail, through JSON) walks the full replay bit for bit', () => {
    const END = 3 * 3600;
    const { leader, made } = show(END, 30, 5);
    expect(made.length).toBeGreaterThan(300);
    const text = encode(leader.full(END));
    const p = parseLeaderMessage(text, SIZE);
    if (!p.ok) throw new Error(p.error);
    expect(p.message.type === 'screen-state' && p.message.checkpoint?.tick).toBe(Math.floor(leader.lane.tick / INTERVAL) * INTERVAL);
    // Only the changes after the newest checkpoint travel (~20 in 10 minutes at one per 30 s), not the show's 360.
    expect(p.message.type === 'screen-state' && p.message.changes.length).toBeLessThan(40);
    const f = follower();
    f.receive(p.message, END);
    const lane = f.currentLane();
    if (!lane) throw new Error('no lane');
    // The join replays from the checkpoint: at most one interval of ticks, whatever the show's length.
    const steps = lane.advanceTo(leader.lane.tick);
    expect(steps).toBeLessThanOrEqual(INTERVAL);
    expect(steps).toBe(leader.lane.tick - Math.floor(leader.lane.tick / INTERVAL) * INTERVAL);
    const ref = fullReplay(made, leader.lane.tick);
    expect(Array.from(lane.latent())).toEqual(Array.from(ref.latent()));
    expect(Array.from(leader.lane.latent())).toEqual(Array.from(ref.latent()));
    // And it goes on together: the leader's next moves arrive as deltas. The first also carries every move made since
    // the show began (nothing published them here): those the checkpoint holds are skipped, not refused as too old.
    const more: StampedChange[] = [];
    for (let t = END; t < END + 900; t += 30) {
      leader.advance(t);
      more.push(leader.change('desk', 'walk/speed', 0.5 + (t % 7) / 5, t));
      const d = parseLeaderMessage(encode(leader.delta(t)), SIZE);
      if (!d.ok) throw new Error(d.error);
      f.receive(d.message, t);
      lane.advanceTo(leader.lane.tick);
    }
    leader.advance(END + 900);
    lane.advanceTo(leader.lane.tick);
    expect(Array.from(lane.latent())).toEqual(Array.from(fullReplay([...made, ...more], leader.lane.tick).latent()));
    expect(lane.refused).toBe(0);
  }, 60_000);

  it('over a simulated day the leader\'s log, a follower\'s log and the full state stay bounded', () => {
    const DAY = 24 * 3600;
    // 2 ticks a second: a day is 172 800 ticks; the interval is still 10 minutes of lane time (1200 ticks).
    const rate = 2;
    const f = follower();
    let maxLog = 0;
    let maxFollowerLog = 0;
    let maxFull = 0;
    const { leader, made } = show(DAY, 30, 9, (l, t) => {
      if (t === 0) {
        const p = parseLeaderMessage(encode(l.full(t)), SIZE);
        if (p.ok) f.receive(p.message, t);
      }
      const d = parseLeaderMessage(encode(l.delta(t)), SIZE);
      if (!d.ok) throw new Error(d.error);
      f.receive(d.message, t);
      f.currentLane()?.advanceTo(l.lane.tick);
      maxLog = Math.max(maxLog, l.lane.changes().length);
      maxFollowerLog = Math.max(maxFollowerLog, f.currentLane()?.changes().length ?? 0);
      if (t % 3600 === 0) maxFull = Math.max(maxFull, encode(l.full(t)).length);
    }, rate);
    expect(made.length).toBeGreaterThan(2500);
    // ~20 minutes of changes at one per 30 s (~40), not the day's 2900.
    expect(maxLog).toBeLessThan(80);
    expect(maxFollowerLog).toBeLessThan(80);
    expect(leader.lane.logFloor).toBeGreaterThan(DAY * rate - 2 * 600 * rate - 1);
    // One checkpoint of an 8-number walk and ≤ one interval of changes: a few kB, whatever the hour.
    expect(maxFull).toBeLessThan(6000);
    const lane = f.currentLane();
    if (!lane) throw new Error('no lane');
    lane.advanceTo(leader.lane.tick);
    expect(Array.from(lane.latent())).toEqual(Array.from(leader.lane.latent()));
    expect(lane.refused).toBe(0);
  }, 60_000);

  it('a malformed checkpoint is refused with the field named, and the screen keeps what it had', () => {
    const leader = new LeaderSync({ screen: 'main', size: SIZE, epoch: 0, tickRate: RATE, initial, checkpointTicks: 50 });
    leader.change('desk', 'walk/mode', 'random', 0);
    leader.advance(12);
    leader.change('desk', 'walk/jitter', 0.4, 12);
    const good = JSON.parse(encode(leader.full(12))) as Record<string, unknown>;
    expect(good.checkpoint).not.toBeNull();
    /** The good full state with `edit` applied to a copy. */
    const bad = (edit: (o: Record<string, unknown>) => void): string => {
      const o = JSON.parse(JSON.stringify(good)) as Record<string, unknown>;
      edit(o);
      return JSON.stringify(o);
    };
    const walker = (o: Record<string, unknown>): Record<string, unknown> => (o.checkpoint as Record<string, unknown>).walker as Record<string, unknown>;
    const zeroRng = bad((o) => {
      ((walker(o).cur as Record<string, unknown>).drift as Record<string, unknown>).rng = [0, 0, 0, 0];
    });
    const error = (text: string): string => {
      const p = parseLeaderMessage(text, SIZE);
      return p.ok ? 'accepted' : p.error;
    };
    expect(error(zeroRng)).toBe('screen-state.checkpoint.walker.cur.drift.rng: expected a state that is not all zeros');
    expect(error(bad((o) => { walker(o).raw = 'AAAA'; }))).toBe(`screen-state.checkpoint.walker.raw: expected base64 of ${SIZE} float32 numbers`);
    expect(error(bad((o) => { (o.checkpoint as Record<string, unknown>).layers = [['d', 'grade/contrast', 7]]; })))
      .toBe('screen-state.checkpoint.layers[0] grade/contrast: expected a value in range');
    expect(error(bad((o) => { o.changes = [[1, 'd', 'walk/seed', 3]]; }))).toBe('screen-state.changes[0][0]: stamped before the checkpoint\'s tick 100');
    expect(error(bad((o) => { o.full = false; }))).toBe('screen-state.checkpoint: only a full state carries one');
    expect(error(bad((o) => { o.tick = 50; }))).toBe('screen-state.checkpoint.tick: expected at most the leader\'s tick 50, got 100');
    // A checkpoint of another walk size (another model) is refused on the leader's side too, in a hello.
    const hello = JSON.parse(encode({ type: 'screen-hello', protocol: 3, screen: 'b', epoch: 0, tickRate: RATE, checkpoint: leader.lane.checkpoint(), changes: [] })) as unknown;
    const h = parseFollowerMessage(JSON.stringify(hello), SIZE + 4);
    expect(h.ok ? 'accepted' : h.error).toBe(`screen-hello.checkpoint.walker.size: expected ${SIZE + 4} (this lane's latent size), got ${SIZE}`);
    expect(parseFollowerMessage(JSON.stringify(hello), SIZE).ok).toBe(true);

    // A restarted leader adopts a follower's walk only from a checkpoint that walk can have reached by now.
    const cp = leader.lane.checkpoint();
    expect(cp?.tick).toBe(100);
    const adopt = (now: number): boolean => {
      const fresh = new LeaderSync({ screen: 'main', size: SIZE, epoch: 3, tickRate: RATE, initial });
      return fresh.receive({ type: 'screen-hello', protocol: 3, screen: 'b', epoch: 0, tickRate: RATE, checkpoint: cp, changes: [] }, now).adopted;
    };
    expect(adopt(4)).toBe(false); // tick 100 is 10 s into a walk that began at 0: not before 9 s (1 s of slack)
    expect(adopt(9.5)).toBe(true);
    // Nor a walk it could not catch up: replaying more than two intervals (10 min each here), or past exact ticks.
    const adoptFrom = (epoch: number): boolean => {
      const fresh = new LeaderSync({ screen: 'main', size: SIZE, epoch: 1e6, tickRate: RATE, initial });
      return fresh.receive({ type: 'screen-hello', protocol: 3, screen: 'b', epoch, tickRate: RATE, checkpoint: null, changes: [] }, 1e6 + 1).adopted;
    };
    expect(adoptFrom(1e6 - 60)).toBe(true);
    expect(adoptFrom(1e6 - 1300)).toBe(false);
    expect(adoptFrom(1)).toBe(false);
    expect(adoptFrom(-1e300)).toBe(false);

    // A page that already follows: the refused state is said (field named) and changes nothing.
    const refused: string[] = [];
    let sys = 12;
    const page = new PageScreenWalk({ role: role('b'), size: SIZE, initial, now: () => sys, onRefused: (e) => refused.push(e) });
    expect(page.receive(JSON.stringify(good))).toBe(true);
    const bus = new ParameterBus<ParamName>(PARAMS);
    for (let i = 0; i < 30; i++) {
      sys += 1 / RATE;
      page.tick(1 / RATE, bus);
    }
    const lane = page.currentLane();
    const before = { tick: lane?.tick, generation: lane?.generation, log: JSON.stringify(lane?.changes()), latent: Array.from(lane?.latent() ?? []) };
    expect(page.receive(zeroRng)).toBe(false);
    expect(refused).toEqual(['screen-state.checkpoint.walker.cur.drift.rng: expected a state that is not all zeros']);
    expect(page.currentLane()).toBe(lane);
    expect({ tick: lane?.tick, generation: lane?.generation, log: JSON.stringify(lane?.changes()), latent: Array.from(lane?.latent() ?? []) }).toEqual(before);
  });

  it('LayerMirror on a trimmed lane, and on a lane restored from a checkpoint, holds the layers of one that saw the whole log', () => {
    const r = new Rng(17);
    const CP = 100;
    const END = 2000;
    const changes: StampedChange[] = [];
    for (let t = 3; t < END; t += 1 + Math.floor(r.uniform() * 20)) changes.push({ tick: t, ...randomMove(r) });
    const mk = (o: { checkpointTicks: number; trimLog: boolean }): WalkLane => new WalkLane({ size: SIZE, epoch: 0, tickRate: RATE, initial, directions: [direction], ...o });
    const whole = mk({ checkpointTicks: Number.MAX_SAFE_INTEGER, trimLog: false });
    const trimmed = mk({ checkpointTicks: CP, trimLog: true });
    for (const c of changes) {
      whole.schedule(c);
      trimmed.schedule(c);
    }
    const pages = { whole: new ParameterBus<ParamName>(PARAMS), trimmed: new ParameterBus<ParamName>(PARAMS), joined: new ParameterBus<ParamName>(PARAMS) };
    const mirrors = { whole: new LayerMirror(pages.whole), trimmed: new LayerMirror(pages.trimmed), joined: new LayerMirror(pages.joined) };
    let joined: WalkLane | null = null;
    let compared = 0;
    for (let t = 0; t < END;) {
      t = Math.min(END, t + 1 + Math.floor(r.uniform() * 13));
      whole.advanceTo(t);
      trimmed.advanceTo(t);
      mirrors.whole.update(whole);
      mirrors.trimmed.update(trimmed);
      if (joined === null && t >= 1234) {
        // A page that loads now: the newest checkpoint and the log after it, no log from tick 0.
        const j = trimmed.joinState();
        expect(j.checkpoint?.tick).toBe(1200);
        joined = mk({ checkpointTicks: CP, trimLog: true });
        joined.restoreFrom(j.checkpoint!, j.changes);
      }
      if (joined) {
        joined.advanceTo(t);
        mirrors.joined.update(joined);
        expect(layersOf(pages.joined), `tick ${t}`).toEqual(layersOf(pages.whole));
      }
      expect(layersOf(pages.trimmed), `tick ${t}`).toEqual(layersOf(pages.whole));
      compared++;
    }
    expect(trimmed.logFloor).toBe(END - CP);
    expect(layersOf(pages.whole).length).toBeGreaterThan(3);
    expect(compared).toBeGreaterThan(200);
    expect(Array.from(joined?.latent() ?? [])).toEqual(Array.from(whole.latent()));
  });
});
