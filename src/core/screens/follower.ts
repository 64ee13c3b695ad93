import type { LatentDirection } from '../latent/directions.ts';
import type { ParamValue } from '../params/types.ts';
import type { BeatPulse } from '../tempo/pulse.ts';
import type { TempoState } from '../tempo/tempo.ts';
import { ClockSync, type ClockSyncOptions } from './clock-sync.ts';
import { sameCheckpoint } from './checkpoint-wire.ts';
import { WalkLane, type LaneCheckpoint, type StampedChange } from './lane.ts';
import { SCREENS_PROTOCOL_VERSION, type FollowerToLeader, type LeaderToFollower } from './protocol.ts';
import type { ScreenRole } from './types.ts';
import { ScreenView } from './view.ts';

export interface FollowerSyncOptions {
  readonly role: ScreenRole;
  readonly size: number;
  readonly initial?: Readonly<Record<string, ParamValue>>;
  readonly mean?: Float32Array;
  readonly directions?: readonly LatentDirection[];
  readonly historyTicks?: number;
  readonly clock?: ClockSyncOptions;
  readonly rejoinSeconds?: number;
  /** Ticks replayed per frame at most while joining (the rest next frame): keeps frames short on a long show. */
  readonly maxStepsPerFrame?: number;
  /**
   * Ticks between lane checkpoints (default 10 min of lane time); tests shorten it. Should be the leader's: a
   * reconnect then finds the leader's checkpoint among its own and replays nothing (any interval is still exact).
   */
  readonly checkpointTicks?: number;
  /** Trim the log behind the kept checkpoints (default on). */
  readonly trimLog?: boolean;
  /** The show's tempo pulses (those on walk parameters are the lane's to compute: WalkLaneOptions.pulses). */
  readonly pulses?: readonly BeatPulse[];
}

/**
 * A following screen's side, without sockets. It walks the leader's lane on the leader's clock (own clock + offset
 * from round trips, slewed) and shows its role of it. Without a leader it goes on walking with the offset it had;
 * when one answers again it takes that leader's log (and epoch) and glides to it.
 */
export class FollowerSync {
  readonly role: ScreenRole;
  readonly clock: ClockSync;
  private lane: WalkLane | null = null;
  private view: ScreenView | null = null;
  private readonly options: FollowerSyncOptions;
  private pingId = 0;
  private leaderCue: number | null = null;
  private lastStateAt: number | null = null;
  /**
   * The tick of the checkpoint the last full state started from. A delta may still carry a change stamped before it
   * (made just before the leader took the checkpoint, published just after): the leader had applied it by then, so
   * the checkpoint holds it; it is skipped, not refused as too old.
   */
  private joinedAt = 0;

  constructor(options: FollowerSyncOptions) {
    this.options = options;
    this.role = options.role;
    this.clock = new ClockSync(options.clock);
  }

  /** The walk this screen shows, from its newest checkpoint (a restarted leader may take it over). */
  hello(): FollowerToLeader {
    const j = this.lane?.joinState() ?? { checkpoint: null, changes: [] };
    return {
      type: 'screen-hello', protocol: SCREENS_PROTOCOL_VERSION, screen: this.role.id, epoch: this.lane?.epoch ?? null,
      tickRate: this.lane?.tickRate ?? null, checkpoint: j.checkpoint, changes: j.changes,
    };
  }

  ping(localNow: number): FollowerToLeader {
    return { type: 'screen-ping', id: ++this.pingId, sent: localNow };
  }

  /** The connection to the leader closed: keep walking on the applied offset; new samples may come by another path. */
  disconnected(): void {
    this.clock.forgetSamples();
  }

  receive(m: LeaderToFollower, localNow: number): void {
    if (m.type === 'screen-pong') {
      this.clock.addSample({ sent: m.sent, leader: m.leader, received: localNow });
      return;
    }
    if (m.type === 'screen-refused') return; // the transport says so; nothing to walk
    this.leaderCue = m.cue;
    this.lastStateAt = localNow;
    const lane = this.lane;
    if (!lane || lane.epoch !== m.epoch || lane.tickRate !== m.tickRate) {
      if (!m.full) return; // a delta for a walk we do not have: the full state comes on (re)connect
      const fresh = this.makeLane(m.epoch, m.tickRate);
      start(fresh, m.checkpoint, m.changes);
      this.joinedAt = m.checkpoint?.tick ?? 0;
      this.lane = fresh;
      if (this.view) this.view.setLane(fresh);
      else this.view = new ScreenView(fresh, this.role, { ...(this.options.rejoinSeconds !== undefined ? { rejoinSeconds: this.options.rejoinSeconds } : {}), ...(this.options.directions ? { directions: this.options.directions } : {}) });
      return;
    }
    if (m.full) {
      // Already walking this very state (a reconnect that missed nothing): no replay, no glide.
      if (!holds(lane, m.checkpoint, m.changes)) start(lane, m.checkpoint, m.changes);
      this.joinedAt = m.checkpoint?.tick ?? 0;
    } else {
      for (const c of m.changes) if (c.tick >= this.joinedAt) lane.schedule(c);
    }
  }

  /** The whole state as a leader would send it on connect (for this kiosk's own page); null before the first. */
  snapshot(localNow: number): LeaderToFollower | null {
    const lane = this.lane;
    if (!lane) return null;
    const t = this.leaderTime(localNow);
    const j = lane.joinState();
    return {
      type: 'screen-state', protocol: SCREENS_PROTOCOL_VERSION, leader: '', epoch: lane.epoch, tickRate: lane.tickRate, time: t,
      tick: lane.tickAt(t), full: true, checkpoint: j.checkpoint, changes: j.changes, cue: this.leaderCue,
    };
  }

  /** The leader's clock as this screen reckons it. */
  leaderTime(localNow: number): number {
    return localNow + this.clock.update(localNow);
  }

  /** One display frame: the screen's latent, or null before the first state from a leader. */
  frame(localNow: number, dt: number): Float32Array | null {
    const t = this.leaderTime(localNow);
    if (!this.lane || !this.view) return null;
    return this.view.frame(this.lane.tickAt(t), dt, this.options.maxStepsPerFrame ?? 600);
  }

  currentLane(): WalkLane | null {
    return this.lane;
  }

  currentView(): ScreenView | null {
    return this.view;
  }

  cue(): number | null {
    return this.leaderCue;
  }

  lastState(): number | null {
    return this.lastStateAt;
  }

  private makeLane(epoch: number, tickRate: number): WalkLane {
    const o = this.options;
    const behind = Math.max(0, Math.ceil(-this.role.timeOffset * tickRate));
    return new WalkLane({
      size: o.size, epoch, tickRate, ...(o.initial ? { initial: o.initial } : {}), ...(o.mean ? { mean: o.mean } : {}),
      ...(o.directions ? { directions: o.directions } : {}), historyTicks: Math.max(o.historyTicks ?? 240, behind + 2),
      ...(o.checkpointTicks !== undefined ? { checkpointTicks: o.checkpointTicks } : {}), trimLog: o.trimLog ?? true,
      ...(o.pulses ? { pulses: o.pulses } : {}),
    });
  }
}

/** A full state's start: from the checkpoint (replaying at most one interval), or the whole log from tick 0. */
function start(lane: WalkLane, checkpoint: LaneCheckpoint | null, changes: readonly StampedChange[]): void {
  if (checkpoint) lane.restoreFrom(checkpoint, changes);
  else lane.replaceLog(changes);
}

/** Whether the lane already holds this start: the same checkpoint among its kept ones and the same log after it. */
function holds(lane: WalkLane, checkpoint: LaneCheckpoint | null, changes: readonly StampedChange[]): boolean {
  if (checkpoint === null) return lane.logFloor === 0 && sameLog(lane.changes(), changes);
  const mine = lane.checkpointAt(checkpoint.tick);
  return mine !== null && sameLog(lane.changesFrom(checkpoint.tick), changes) && sameCheckpoint(mine, checkpoint);
}

function sameLog(a: readonly StampedChange[], b: readonly StampedChange[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as StampedChange;
    const y = b[i] as StampedChange;
    if (x.tick !== y.tick || x.source !== y.source) return false;
    if (x.source === 'tempo' || y.source === 'tempo') {
      if (x.source !== 'tempo' || y.source !== 'tempo' || !sameTempo(x.tempo, y.tempo)) return false;
    } else if (x.name !== y.name || JSON.stringify(x.value) !== JSON.stringify(y.value)) return false;
  }
  return true;
}

function sameTempo(a: TempoState, b: TempoState): boolean {
  return a.beats === b.beats && a.bpm === b.bpm && a.beatsPerBar === b.beatsPerBar && a.pending === b.pending && a.running === b.running;
}
