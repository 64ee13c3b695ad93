import { describe, expect, it } from 'vitest';
import { ClockSync, WalkLane, type StampedChange } from '../../../src/core/screens/index.ts';
import { maxAbsDifference, distance } from '../../../src/core/latent/vector.ts';
import { EASING_MAX_SLOPE } from '../../../src/core/latent/easing.ts';
import { Sim, role, type SimScreen } from '../../support/screens/sim.ts';

const SIZE = 32;

/** Ticks apart (follower − leader) and the latents' difference at a common tick, for one follower frame. */
function compare(sim: Sim, s: SimScreen): { dTick: number; diff: number } {
  const fl = s.sync.currentLane();
  if (!fl) return { dTick: Infinity, diff: Infinity };
  const dTick = fl.tick - sim.leader.lane.tick;
  // Compared at the tick both have reached (one of them may be a tick ahead).
  const k = Math.min(fl.tick, sim.leader.lane.tick);
  const mine = fl.latentAt(k);
  const theirs = sim.leader.lane.latentAt(k);
  return { dTick, diff: mine && theirs ? maxAbsDifference(mine, theirs) : Infinity };
}

/** A desk that moves: new seed, faster walk, the random drift, jitter, truncation. */
function deskScript(sim: Sim, at: number): void {
  const now = sim.leaderNow();
  const L = sim.leader;
  if (at === 1) L.change('desk', 'walk/seed', 7, now);
  if (at === 2) L.change('desk', 'walk/speed', 1.7, now);
  if (at === 3) L.change('desk', 'walk/mode', 'random', now);
  if (at === 4) L.change('desk', 'walk/jitter', 0.4, now);
  if (at === 5) L.change('cue', 'walk/truncation', 0.6, now);
  if (at === 6) L.change('desk', 'walk/speed', null, now);
}

function runScript(sim: Sim, from: number, to: number, each?: (s: SimScreen) => void): void {
  for (let k = from; k < to; k++) {
    sim.run(k, each);
    deskScript(sim, k);
  }
}

describe('screens: followers reproduce the leader\'s walk', () => {
  it('with clocks seconds apart and messages delayed and jittered, every frame agrees within one 60 Hz tick, latents bit for bit', () => {
    const sim = new Sim(SIZE, 3.25, 11);
    const a = sim.addFollower(role('left'), -1.7, 0.004);
    const b = sim.addFollower(role('right'), 0.42, 0.011, 59.94);
    let worstTick = 0;
    let worstDiff = 0;
    let frames = 0;
    let worstShown = 0;
    runScript(sim, 1, 9, (s) => {
      if (sim.t < 1.5) return; // first round trips in flight
      const c = compare(sim, s);
      worstTick = Math.max(worstTick, Math.abs(c.dTick));
      worstDiff = Math.max(worstDiff, c.diff);
      // What the screen shows is its lane's latent at its tick (no glide in progress): with the two checks above, the
      // picture is the leader's own at most one tick away.
      const fl = s.sync.currentLane();
      if (s.shown && fl) worstShown = Math.max(worstShown, maxAbsDifference(s.shown, fl.latent()));
      frames++;
    });
    expect(frames).toBeGreaterThan(700);
    expect(worstTick).toBeLessThanOrEqual(1);
    expect(worstDiff).toBe(0);
    expect(worstShown).toBe(0);
    // The clock estimate is within a frame of the true offset (leader skew − own skew).
    for (const s of [a, b]) expect(Math.abs(s.sync.clock.offset() - (3.25 - s.skew))).toBeLessThan(1 / 60);
    expect(sim.leader.lane.changes().length).toBe(6);
  });

  it('a follower that restarts mid-show joins at the current walk within seconds (it replays the log)', () => {
    const sim = new Sim(SIZE, 0.8, 12);
    sim.addFollower(role('left'), -0.3, 0.003);
    runScript(sim, 1, 7);
    const late = sim.addFollower(role('late'), 2.1, 0.009);
    let agreedAt: number | null = null;
    sim.run(9, (s) => {
      if (s !== late || agreedAt !== null) return;
      const c = compare(sim, s);
      if (Math.abs(c.dTick) <= 1 && c.diff === 0) agreedAt = sim.t;
    });
    expect(agreedAt).not.toBeNull();
    expect((agreedAt as unknown as number) - 7).toBeLessThan(1.5);
  });

  it('a restarted leader takes over its followers\' walk: followers see no cut and agree again within seconds', () => {
    const sim = new Sim(SIZE, -2.5, 13);
    const a = sim.addFollower(role('left'), 1.1, 0.002);
    runScript(sim, 1, 6);
    // The leader process dies: followers keep walking on their own clocks.
    sim.disconnect(a);
    sim.run(7.5);
    sim.leader = sim.newLeader();
    const oldEpoch = a.sync.currentLane()?.epoch;
    sim.connect(a);
    let worstJump = 0;
    let prev: Float32Array | null = null;
    let agreedAt: number | null = null;
    sim.run(11, (s) => {
      if (s.shown && prev) worstJump = Math.max(worstJump, distance(s.shown, prev));
      prev = s.shown ? Float32Array.from(s.shown) : null;
      const c = compare(sim, s);
      if (agreedAt === null && Math.abs(c.dTick) <= 1 && c.diff === 0) agreedAt = sim.t;
    });
    expect(sim.leader.lane.epoch).toBe(oldEpoch);
    expect(agreedAt).not.toBeNull();
    expect((agreedAt as unknown as number) - 7.5).toBeLessThan(1);
    // A walking step at speed 1.7, random mode, jitter 0.4: per-frame moves stay that size (no cut to portrait #0).
    expect(worstJump).toBeLessThan(0.6);
  });

  it('a follower cut off while the desk moves keeps walking, then glides back: bounded per-frame jump, agreement within seconds', () => {
    const sim = new Sim(SIZE, 0.0, 14);
    const a = sim.addFollower(role('left'), 0.25, 0.005);
    sim.run(2);
    sim.disconnect(a);
    sim.leader.change('desk', 'walk/speed', 2.5, sim.leaderNow());
    sim.run(3);
    sim.leader.change('desk', 'walk/seed', 99, sim.leaderNow());
    sim.run(5);
    const steps: number[] = [];
    let prev: Float32Array | null = null;
    sim.run(5.5, (s) => {
      if (s.shown && prev) steps.push(distance(s.shown, prev));
      prev = s.shown ? Float32Array.from(s.shown) : null;
    });
    const normal = Math.max(...steps);
    // What a cut would cost: the distance from the stale picture to the leader's walk.
    const gap = distance(prev as unknown as Float32Array, sim.leader.lane.latent());
    sim.connect(a);
    let worst = 0;
    let agreedAt: number | null = null;
    sim.run(9, (s) => {
      if (s.shown && prev) worst = Math.max(worst, distance(s.shown, prev));
      prev = s.shown ? Float32Array.from(s.shown) : null;
      const c = compare(sim, s);
      if (agreedAt === null && Math.abs(c.dTick) <= 1 && c.diff === 0 && !s.sync.currentView()?.rejoining()) agreedAt = sim.t;
    });
    expect(agreedAt).not.toBeNull();
    expect((agreedAt as unknown as number) - 5.5).toBeLessThan(2);
    // No cut: the 1 s smootherstep glide covers at most 1.875/60 of the gap per frame, on top of the walk's own step.
    expect(gap).toBeGreaterThan(normal * 20);
    expect(worst).toBeLessThan(gap * (EASING_MAX_SLOPE.smootherstep / 60) * 1.05 + 2 * normal);
    expect(worst).toBeLessThan(gap / 10);
  });
});

describe('screens: joining from a checkpoint (lanes checkpointing every 2 s, logs trimmed)', () => {
  const CP = 120;
  /** A desk that never rests: a change every 0.25 s, so the untrimmed log would grow with the show. */
  function busyDesk(sim: Sim, from: number, to: number, made: StampedChange[]): void {
    let n = 0;
    for (let t = from; t < to - 1e-9; t += 0.25) {
      sim.run(t + 0.25);
      const k = n++;
      made.push(sim.leader.change('desk', k % 3 === 0 ? 'walk/seed' : k % 3 === 1 ? 'walk/speed' : 'walk/jitter', k % 3 === 0 ? k : k % 3 === 1 ? 1 + (k % 7) / 10 : (k % 5) / 10, sim.leaderNow()));
    }
  }

  /** The walk as the leader made it, replayed from tick 0 with every change and no checkpoint: the reference. */
  function fullReplay(epoch: number, made: readonly StampedChange[], tick: number): number[] {
    const ref = new WalkLane({ size: SIZE, epoch, checkpointTicks: Number.MAX_SAFE_INTEGER });
    for (const c of made) ref.schedule(c);
    ref.advanceTo(tick);
    return Array.from(ref.latent());
  }

  it('a late follower gets the newest checkpoint and a short tail, and agrees bit for bit within seconds', () => {
    const sim = new Sim(SIZE, 1.3, 21, 0.5, CP);
    sim.addFollower(role('left'), -0.6, 0.003);
    const made = [sim.leader.change('desk', 'walk/mode', 'random', sim.leaderNow())];
    busyDesk(sim, 0, 14, made);
    const full = sim.leader.full(sim.leaderNow());
    expect(full.type === 'screen-state' && full.checkpoint !== null).toBe(true);
    if (full.type !== 'screen-state' || full.checkpoint === null) return;
    // Only the changes after the newest checkpoint travel: at most one interval's worth (8 at one per 0.25 s) and
    // those stamped ahead, not the whole show's.
    expect(full.changes.length).toBeLessThanOrEqual(CP / 15 + 1);
    expect(full.changes.every((c) => c.tick >= (full.checkpoint as { tick: number }).tick)).toBe(true);
    expect(sim.leader.lane.logFloor).toBeGreaterThan(0);
    expect(sim.leader.lane.changes().length).toBeLessThan(made.length / 2);
    const late = sim.addFollower(role('late'), 2.1, 0.009);
    let agreedAt: number | null = null;
    sim.run(17, (s) => {
      if (s !== late || agreedAt !== null) return;
      const c = compare(sim, s);
      if (Math.abs(c.dTick) <= 1 && c.diff === 0) agreedAt = sim.t;
    });
    expect(agreedAt).not.toBeNull();
    expect((agreedAt as unknown as number) - 14).toBeLessThan(1.5);
    const lane = late.sync.currentLane();
    // It never walked from tick 0: its log starts at the checkpoint it restored from.
    expect(lane?.logFloor).toBeGreaterThan(0);
    for (const s of sim.screens) expect(s.sync.currentLane()?.refused).toBe(0);
    // And that walk is the one the whole log from tick 0 makes, bit for bit.
    expect(Array.from(lane?.latent() ?? [])).toEqual(fullReplay(sim.leader.lane.epoch, made, lane?.tick ?? 0));
  });

  it('a restarted leader adopts its follower\'s walk from the follower\'s checkpoint: same epoch, agreement within a second', () => {
    const sim = new Sim(SIZE, -2.5, 22, 0.5, CP);
    const a = sim.addFollower(role('left'), 1.1, 0.002);
    const made = [sim.leader.change('desk', 'walk/mode', 'random', sim.leaderNow())];
    busyDesk(sim, 0, 9, made);
    sim.run(9.2); // the last change reaches the follower before the leader dies
    sim.disconnect(a);
    sim.run(10.5);
    const hello = a.sync.hello();
    expect(hello.type === 'screen-hello' && hello.checkpoint !== null && hello.checkpoint.tick > 0).toBe(true);
    sim.leader = sim.newLeader();
    const oldEpoch = a.sync.currentLane()?.epoch ?? NaN;
    const generation = a.sync.currentLane()?.generation;
    sim.connect(a);
    let agreedAt: number | null = null;
    sim.run(13, (s) => {
      const c = compare(sim, s);
      if (agreedAt === null && Math.abs(c.dTick) <= 1 && c.diff === 0) agreedAt = sim.t;
    });
    expect(sim.leader.lane.epoch).toBe(oldEpoch);
    expect(sim.leader.lane.logFloor).toBeGreaterThan(0);
    expect(agreedAt).not.toBeNull();
    expect((agreedAt as unknown as number) - 10.5).toBeLessThan(1);
    // The follower already held the state the leader adopted from it: no replay, no glide.
    expect(a.sync.currentLane()?.generation).toBe(generation);
    // The adopted walk is the old leader's, as the whole log from tick 0 makes it.
    expect(Array.from(sim.leader.lane.latent())).toEqual(fullReplay(oldEpoch, made, sim.leader.lane.tick));
  });
});

describe('ClockSync', () => {
  it('takes the first estimate as is, then keeps the shortest round trip', () => {
    const c = new ClockSync();
    c.addSample({ sent: 10, leader: 15.05, received: 10.1 }); // offset 5.0, rtt 0.1
    expect(c.offset()).toBeCloseTo(5.0, 9);
    c.addSample({ sent: 11, leader: 16.3, received: 11.4 }); // offset 5.1, rtt 0.4: worse path, ignored
    expect(c.estimate()).toBeCloseTo(5.0, 9);
    c.addSample({ sent: 12, leader: 17.011, received: 12.002 }); // offset 5.01, rtt 0.002
    expect(c.estimate()).toBeCloseTo(5.01, 9);
    expect(c.uncertainty()).toBeCloseTo(0.001, 9);
  });

  it('slews towards a new estimate at the bounded rate, never steps after lock', () => {
    const c = new ClockSync({ maxSlewRate: 0.05 });
    c.addSample({ sent: 0, leader: 1, received: 0 });
    c.update(0);
    c.update(1);
    c.forgetSamples();
    c.addSample({ sent: 1, leader: 2.5, received: 1 }); // estimate moves by 0.5 s
    expect(c.offset()).toBe(1);
    let last = c.offset();
    for (let t = 1.1; t <= 5.0001; t += 0.1) {
      const o = c.update(t);
      expect(o - last).toBeLessThanOrEqual(0.05 * 0.1 + 1e-12);
      last = o;
    }
    expect(last).toBeCloseTo(1.2, 6);
    for (let t = 5.1; t <= 16; t += 0.1) last = c.update(t);
    expect(last).toBeCloseTo(1.5, 9);
  });
});
