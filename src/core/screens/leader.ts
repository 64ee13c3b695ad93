import type { LatentDirection } from '../latent/directions.ts';
import type { ParamName } from '../params/catalogue.ts';
import type { ParamValue } from '../params/types.ts';
import type { BeatPulse } from '../tempo/pulse.ts';
import { stepTempo, type TempoState } from '../tempo/tempo.ts';
import { MAX_WALK_TICKS, WalkLane, type LaneCheckpoint, type LaneSource, type StampedChange, type StampedLayerChange, type StampedTempoChange } from './lane.ts';
import { SCREENS_PROTOCOL_VERSION, type FollowerToLeader, type LeaderToFollower } from './protocol.ts';

export interface LeaderSyncOptions {
  readonly screen: string;
  readonly size: number;
  /** The leader's clock (show time) at start: tick 0 of a fresh walk. */
  readonly epoch: number;
  readonly tickRate?: number;
  readonly initial?: Readonly<Record<string, ParamValue>>;
  readonly mean?: Float32Array;
  readonly directions?: readonly LatentDirection[];
  readonly historyTicks?: number;
  /** Changes take effect this long after they are made (see ScreensConfig.scheduleAheadMs). */
  readonly scheduleAheadSeconds?: number;
  /**
   * A restarted leader takes over its followers' walk if one says hello within this long of its start and before it
   * has made a change of its own: the show goes on where it was instead of restarting from the first portrait.
   */
  readonly adoptWithinSeconds?: number;
  /** Ticks between lane checkpoints (default 10 min of lane time); tests shorten it. */
  readonly checkpointTicks?: number;
  /** Trim the log behind the kept checkpoints (default on: every peer of protocol 2 joins from a checkpoint). */
  readonly trimLog?: boolean;
  /** The show's tempo pulses (those on walk parameters are the lane's to compute: WalkLaneOptions.pulses). */
  readonly pulses?: readonly BeatPulse[];
}

/**
 * The leading screen's side, without sockets: stamps its desk and cue layer changes with the tick they take effect,
 * keeps the log a late joiner needs, answers clock pings and builds the messages the transport sends.
 */
export class LeaderSync {
  readonly screen: string;
  lane: WalkLane;
  private readonly options: LeaderSyncOptions;
  private readonly aheadTicks: number;
  private readonly startedAt: number;
  private readonly adoptWithin: number;
  private ownChanges = 0;
  private pending: StampedChange[] = [];
  private cue: number | null = null;

  constructor(options: LeaderSyncOptions) {
    this.options = options;
    this.screen = options.screen;
    this.lane = this.makeLane(options.epoch);
    this.aheadTicks = Math.ceil((options.scheduleAheadSeconds ?? 0.1) * this.lane.tickRate);
    this.startedAt = options.epoch;
    this.adoptWithin = options.adoptWithinSeconds ?? 20;
  }

  /** A desk or cue layer change made now; returns the change as stamped (it takes effect aheadTicks later). */
  change(source: LaneSource, name: ParamName, value: ParamValue | null, now: number): StampedLayerChange {
    const tick = Math.max(this.lane.tick, this.lane.tickAt(now)) + this.aheadTicks;
    const c: StampedLayerChange = { tick, source, name, value };
    this.lane.schedule(c);
    this.pending.push(c);
    this.ownChanges++;
    return c;
  }

  /**
   * The leading page's tempo as it stood at `at` (it was corrected then: a beat, tap, MIDI clock or bpm), stamped
   * `now` like a layer change and stepped on to that tick's time, so every screen's beat is where the leader's is.
   */
  tempo(state: TempoState, now: number, at = now): StampedTempoChange {
    const tick = Math.max(this.lane.tick, this.lane.tickAt(now)) + this.aheadTicks;
    const c: StampedTempoChange = { tick, source: 'tempo', tempo: stepTempo(state, this.lane.timeOf(tick) - at) };
    this.lane.schedule(c);
    this.pending.push(c);
    this.ownChanges++;
    return c;
  }

  setCue(cue: number | null): void {
    this.cue = cue;
  }

  /** Steps the leader's own lane to the tick of `now`. */
  advance(now: number, maxSteps = Infinity): number {
    return this.lane.advanceTo(this.lane.tickAt(now), maxSteps);
  }

  /**
   * What a follower gets on connect (and everyone after an adoption): the epoch, the newest checkpoint and the log
   * after it. Bounded whatever the show's length: one checkpoint (~40 kB at 512-d) and ≤ one interval of changes.
   */
  full(now: number): LeaderToFollower {
    const j = this.lane.joinState();
    return this.state(now, true, j.changes, j.checkpoint);
  }

  /** The periodic message: the clock, and the changes made since the last one (often none). */
  delta(now: number): LeaderToFollower {
    const changes = this.pending;
    this.pending = [];
    return this.state(now, false, changes, null);
  }

  hasPending(): boolean {
    return this.pending.length > 0;
  }

  /**
   * A follower's message. A hello from a follower that shows an older walk, arriving while this leader is fresh,
   * makes the leader take that walk over: `adopted` is then true and every follower should get full() again.
   */
  receive(m: FollowerToLeader, now: number): { reply: LeaderToFollower | null; adopted: boolean } {
    if (m.type === 'screen-ping') return { reply: { type: 'screen-pong', id: m.id, sent: m.sent, leader: now }, adopted: false };
    const fresh = this.ownChanges === 0 && now - this.startedAt <= this.adoptWithin;
    const older = m.epoch !== null && m.epoch < this.lane.epoch && m.tickRate === this.lane.tickRate;
    // A checkpoint from later than that walk's tick now (1 s of clock slack) would hold the lane still until then.
    const plausible = m.epoch !== null && (m.checkpoint === null || m.checkpoint.tick <= (now - m.epoch + 1) * this.lane.tickRate);
    if (fresh && older && plausible && m.epoch !== null && this.canCatchUp(m.epoch, m.checkpoint, now)) {
      this.lane = this.makeLane(m.epoch);
      // From the follower's checkpoint: the walk goes on exactly, replaying at most one interval of ticks.
      if (m.checkpoint) this.lane.restoreFrom(m.checkpoint, m.changes);
      else this.lane.replaceLog(m.changes);
      this.pending = [];
      return { reply: this.full(now), adopted: true };
    }
    return { reply: this.full(now), adopted: false };
  }

  /**
   * A follower's walk replays from its newest checkpoint, which it took at most one interval ago (two with slack for a
   * starved kiosk): an offered walk that needs more, or whose tick is beyond exact counting, is no walk a screen of
   * this piece can have walked. Taken over, it would hold every screen replaying (a year at 60 Hz is ~2·10⁹ ticks).
   */
  private canCatchUp(epoch: number, checkpoint: LaneCheckpoint | null, now: number): boolean {
    const ticksNow = (now - epoch) * this.lane.tickRate;
    if (!(ticksNow <= MAX_WALK_TICKS)) return false;
    return ticksNow - (checkpoint?.tick ?? 0) <= 2 * this.lane.checkpointInterval + this.lane.tickRate;
  }

  private state(now: number, full: boolean, changes: readonly StampedChange[], checkpoint: LaneCheckpoint | null): LeaderToFollower {
    return {
      type: 'screen-state', protocol: SCREENS_PROTOCOL_VERSION, leader: this.screen, epoch: this.lane.epoch, tickRate: this.lane.tickRate,
      time: now, tick: this.lane.tickAt(now), full, checkpoint, changes, cue: this.cue,
    };
  }

  private makeLane(epoch: number): WalkLane {
    const o = this.options;
    return new WalkLane({
      size: o.size, epoch, ...(o.tickRate !== undefined ? { tickRate: o.tickRate } : {}), ...(o.initial ? { initial: o.initial } : {}),
      ...(o.mean ? { mean: o.mean } : {}), ...(o.directions ? { directions: o.directions } : {}), ...(o.historyTicks !== undefined ? { historyTicks: o.historyTicks } : {}),
      ...(o.checkpointTicks !== undefined ? { checkpointTicks: o.checkpointTicks } : {}), trimLog: o.trimLog ?? true,
      ...(o.pulses ? { pulses: o.pulses } : {}),
    });
  }
}
