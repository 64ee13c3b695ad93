/**
 * Several screens, one walk (src/core/screens), on the simulated LAN of the unit tests (tests/support/screens):
 * a leader and three followers, clocks seconds apart, every message encoded, delayed 2–32 ms and parsed, a desk
 * moving a fader at 10 Hz for the first 20 s of a 60 s show. Reported in `info`:
 *   - state traffic per second (all followers together, both directions), and per follower;
 *   - cross-screen disagreement: ticks apart and latent difference at a common tick, every follower frame;
 *     and the picture distance in frames (|shown − leader| / the leader's own step over one tick).
 * Timed: the cost of joining late — a lane replaying one minute of show (3600 ticks, 512-d, with the log) —
 * against the bare walker stepping the same ticks (the floor: the bus and the log are the difference).
 * Also in `info`, the bounded log: the leader's log over a simulated day (a change every 30 s on average; 2 ticks/s,
 * the log's length depends on changes per minute, not on the tick rate), and at 512-d, 60 Hz, the full state a
 * joiner gets just before the second checkpoint (the longest join: one interval) and the ticks it replays.
 */
import type { Benchmark } from '../harness.ts';
import { Sim, role } from '../../tests/support/screens/sim.ts';
import { WalkLane } from '../../src/core/screens/lane.ts';
import { FollowerSync, LeaderSync, encode, parseLeaderMessage } from '../../src/core/screens/index.ts';
import { Rng } from '../../src/core/latent/rng.ts';
import type { ParamName } from '../../src/core/params/catalogue.ts';
import { Walker } from '../../src/core/latent/walker.ts';
import { createWalkSettings } from '../../src/core/latent/walk-settings.ts';
import { distance, maxAbsDifference } from '../../src/core/latent/vector.ts';

const SIZE = 512;
const SHOW_SECONDS = 60;
const REPLAY_TICKS = 3600;

function measure(): Record<string, unknown> {
  const sim = new Sim(SIZE, 2.5, 21);
  const followers = [sim.addFollower(role('a'), -1.2, 0.003), sim.addFollower(role('b'), 0.4, 0.008, 59.94), sim.addFollower(role('c', { timeOffset: -0.5 }), 3.3, 0.013)];
  let worstTicks = 0;
  let worstDiff = 0;
  let worstFrames = 0;
  let frames = 0;
  const each = (s: (typeof followers)[number]): void => {
    if (sim.t < 2) return;
    const lane = s.sync.currentLane();
    if (!lane) return;
    const L = sim.leader.lane;
    worstTicks = Math.max(worstTicks, Math.abs(lane.tick - L.tick));
    const k = Math.min(lane.tick, L.tick);
    const mine = lane.latentAt(k);
    const theirs = L.latentAt(k);
    if (mine && theirs) worstDiff = Math.max(worstDiff, maxAbsDifference(mine, theirs));
    const prev = L.latentAt(L.tick - 1);
    if (prev && s.sync.role.timeOffset === 0) {
      const step = distance(L.latent(), prev);
      if (step > 1e-6) worstFrames = Math.max(worstFrames, distance(lane.latent(), L.latent()) / step);
    }
    frames++;
  };
  sim.run(1, each);
  sim.leader.change('desk', 'walk/mode', 'random', sim.leaderNow());
  for (let t = 1.1; t <= 21; t += 0.1) {
    sim.run(t, each);
    sim.leader.change('desk', 'walk/speed', 1 + 0.5 * Math.sin(t), sim.leaderNow());
  }
  const measuredFrom = sim.t;
  const bytesBefore = sim.bytes;
  sim.run(SHOW_SECONDS, each);
  const quietBytesPerSecond = (sim.bytes - bytesBefore) / (sim.t - measuredFrom);
  return {
    screens: 1 + followers.length,
    latentSize: SIZE,
    showSeconds: SHOW_SECONDS,
    deskChangesPerSecondWhileMoving: 10,
    stateBytesPerSecondAll: Math.round(sim.bytes / SHOW_SECONDS),
    stateBytesPerSecondPerFollower: Math.round(sim.bytes / SHOW_SECONDS / followers.length),
    stateBytesPerSecondPerFollowerQuiet: Math.round(quietBytesPerSecond / followers.length),
    logEntries: sim.leader.lane.changes().length,
    followerFramesCompared: frames,
    worstTicksApart: worstTicks,
    worstLatentDifferenceAtCommonTick: worstDiff,
    worstDisagreementInFrames: Number(worstFrames.toFixed(3)),
    clockErrorsMs: followers.map((f) => Number((Math.abs(f.sync.clock.offset() - (2.5 - f.skew)) * 1000).toFixed(3))),
  };
}

function bounded(): Record<string, unknown> {
  const rate = 2;
  const day = new LeaderSync({ screen: 'm', size: 8, epoch: 0, tickRate: rate });
  const r = new Rng(3);
  const names: readonly ParamName[] = ['walk/speed', 'walk/jitter', 'grade/contrast'];
  let made = 0;
  let maxLog = 0;
  for (let t = 0; t < 86_400; t += 5) {
    day.advance(t);
    if (r.uniform() < 5 / 30) day.change('desk', names[made++ % names.length] as ParamName, r.uniform(), t);
    day.delta(t);
    maxLog = Math.max(maxLog, day.lane.changes().length);
  }
  const leader = new LeaderSync({ screen: 'm', size: SIZE, epoch: 0 });
  leader.change('desk', 'walk/mode', 'random', 0);
  const end = 1199; // seconds: one tick-interval short of the second checkpoint (at 20 min)
  for (let t = 0; t <= end; t++) leader.advance(t);
  const text = encode(leader.full(end));
  const f = new FollowerSync({ role: role('j'), size: SIZE });
  const p = parseLeaderMessage(text, SIZE);
  if (!p.ok) throw new Error(p.error);
  f.receive(p.message, end);
  const joinTicks = f.currentLane()?.advanceTo(leader.lane.tick) ?? -1;
  return { dayChanges: made, dayLogEntriesMax: maxLog, dayLogEntriesAtEnd: day.lane.changes().length, joinStateBytes: text.length, joinReplayTicks: joinTicks };
}

const info: Record<string, unknown> = {};
let lane: WalkLane;
let walker: Walker;
const settings = createWalkSettings({ mode: 'tour' });

const bench: Benchmark = {
  name: 'screens-sync',
  description: `lane replay of ${REPLAY_TICKS} ticks (1 min of show, ${SIZE}-d) — a late joiner's cost — vs the bare walker; info: traffic and disagreement`,
  unit: 'tick',
  info,
  setup: () => {
    Object.assign(info, measure(), bounded());
    lane = new WalkLane({ size: SIZE, epoch: 0 });
    for (let k = 0; k < 200; k++) lane.schedule({ tick: k * 18, source: 'desk', name: 'walk/speed', value: 1 + (k % 5) * 0.2 });
    walker = new Walker({ size: SIZE });
  },
  ours: {
    name: 'lane replay (bus + log + walker)',
    units: REPLAY_TICKS,
    run: () => {
      lane.replaceLog(lane.changes());
      lane.advanceTo(REPLAY_TICKS);
      return lane.latent()[0];
    },
  },
  baseline: {
    name: 'bare walker.step',
    units: REPLAY_TICKS,
    run: () => {
      let z = 0;
      for (let i = 0; i < REPLAY_TICKS; i++) z = walker.step(1 / 60, settings)[0] as number;
      return z;
    },
  },
};

export default bench;
