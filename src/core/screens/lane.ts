import type { LatentDirection } from '../latent/directions.ts';
import { WALK_PARAMS } from '../latent/walk-settings.ts';
import { Walker, type WalkerState } from '../latent/walker.ts';
import { ParameterBus } from '../params/bus.ts';
import { PARAMS, isParamName, type ParamName, type SitterBus } from '../params/catalogue.ts';
import type { ParamValue } from '../params/types.ts';
import { pulseValue, type BeatPulse } from '../tempo/pulse.ts';
import { clampBpm, stepTempo, type TempoState } from '../tempo/tempo.ts';

/** Ticks per second a lane accepts; the protocol refuses anything else before a lane sees it. */
export const MAX_TICK_RATE = 1000;

/** Up to here a tick + 1 is exact in a double, with room to spare (2^48 ticks at 60 Hz: ~150 000 years). */
export const MAX_WALK_TICKS = 2 ** 48;

export function validTickRate(x: unknown): x is number {
  return typeof x === 'number' && x > 0 && x <= MAX_TICK_RATE;
}

/** The bus layers that cross the network: the leader's desk, cue engine and visitors (the show layer is the file's). */
export type LaneSource = 'desk' | 'cue' | 'pose';

/** One layer change, stamped with the walk tick before which it takes effect on every screen. */
export interface StampedLayerChange {
  readonly tick: number;
  readonly source: LaneSource;
  readonly name: ParamName;
  /** null releases the layer's hold. */
  readonly value: ParamValue | null;
}

/**
 * The leader's tempo as it stands at `tick` (a beat, tap or MIDI clock corrected it): from there every screen steps
 * it tick by tick itself, so the pulses it drives cost one change per correction, not one per reported frame.
 */
export interface StampedTempoChange {
  readonly tick: number;
  readonly source: 'tempo';
  readonly tempo: TempoState;
}

export type StampedChange = StampedLayerChange | StampedTempoChange;

/**
 * The lane's whole deterministic state after `tick` ticks (before the changes stamped `tick` apply): the layers the
 * log has set, the smoothed values of the bus, the walker's state. With the log from `tick` on, it replays exactly as
 * the log from tick 0 would. Holds its own copies.
 */
export interface LaneCheckpoint {
  readonly tick: number;
  /** The desk, cue and pose layers that hold a value (the show layer is the file's, the same on every screen). */
  readonly layers: readonly (readonly [LaneSource, ParamName, ParamValue])[];
  /** The current value of every smoothed parameter (floats and vectors between their old and new targets). */
  readonly smoothed: readonly (readonly [ParamName, ParamValue])[];
  readonly walker: WalkerState;
  /** The tempo at `tick`: the walk's tempo pulses go on from it. */
  readonly tempo: TempoState;
}

const LANE_SOURCES: readonly LaneSource[] = ['pose', 'cue', 'desk'];
/** Kept: the newest two, so a change stamped up to one checkpoint interval before the newest still replays exactly. */
const CHECKPOINTS_KEPT = 2;

export interface WalkLaneOptions {
  readonly size: number;
  /** Show-clock seconds (the leader's clock) of tick 0. */
  readonly epoch: number;
  /** Walk ticks per second: every screen steps its walker by exactly 1/tickRate, whatever its display does. */
  readonly tickRate?: number;
  /** The show file's start values (the bus's show layer): the same file on every screen. */
  readonly initial?: Readonly<Record<string, ParamValue>>;
  readonly mean?: Float32Array;
  readonly directions?: readonly LatentDirection[];
  /** Latents kept for screens behind the walk and for comparisons (ticks). */
  readonly historyTicks?: number;
  /** Ticks between checkpoints (default 10 minutes of lane time): a late change replays from the newest one before it. */
  readonly checkpointTicks?: number;
  /**
   * Drop log entries stamped before the older kept checkpoint: the log and a joiner's replay stay bounded, but a
   * joiner then needs the checkpoint (restoreFrom), not just the log. Off until every peer sends checkpoints.
   */
  readonly trimLog?: boolean;
  /**
   * The show's tempo pulses (show `tempo.pulses`, the same file on every screen): those on a parameter the walk reads
   * are computed on the lane's pose layer at every tick from the lane's tempo. The others are each page's own.
   */
  readonly pulses?: readonly BeatPulse[];
}

/** The pulses a lane computes itself: on a parameter the walk reads (the rest never reach a latent). */
export function walkPulses(pulses: readonly BeatPulse[]): readonly (BeatPulse & { readonly param: ParamName })[] {
  return pulses.filter((p): p is BeatPulse & { readonly param: ParamName } => isParamName(p.param) && WALK_PARAMS.has(p.param));
}

/**
 * The shared walk, as every screen computes it. The walker is deterministic only for the same sequence of
 * (dt, settings) — the random drift and the jitter depend on how time is cut into ticks — so the lane cuts show time
 * into fixed ticks (tick k at epoch + k/tickRate on the leader's clock) and applies each layer change before the tick
 * the leader stamped on it. Screens that do this from the same epoch, start values and change log hold the same
 * latent at the same tick, bit for bit, whatever their frame rates. A change that arrives after its tick (or a screen
 * that joins late) replays from the newest checkpoint at or before the change's tick (see LaneCheckpoint; tick 0
 * while none is kept): exact, and at most about two checkpoint intervals of ticks whatever the show's length. With
 * trimLog the log keeps only what the kept checkpoints do not cover; a change stamped before that is refused
 * (schedule returns false, `refused` counts it) rather than applied at a tick it was not stamped for.
 */
export class WalkLane {
  readonly size: number;
  readonly epoch: number;
  readonly tickRate: number;
  private readonly dt: number;
  private readonly initial: Readonly<Record<string, ParamValue>>;
  private readonly mean: Float32Array | undefined;
  private readonly directions: readonly LatentDirection[];
  private readonly pulses: readonly (BeatPulse & { readonly param: ParamName })[];
  private readonly log: StampedChange[] = [];
  private next = 0;
  private ticks = 0;
  /** The earliest tick a late change asks to replay from; Infinity while the lane is current. */
  private staleFrom = Number.POSITIVE_INFINITY;
  private gen = 0;
  private readonly checkpointTicks: number;
  private readonly trimLog: boolean;
  /** Oldest first, at most CHECKPOINTS_KEPT. */
  private checkpoints: LaneCheckpoint[] = [];
  /** Changes stamped before this tick are no longer in the log (trimmed, or before a joiner's checkpoint). */
  private floor = 0;
  /** The oldest tick whose latent in `history` belongs to the current path. */
  private historyFrom = 0;
  private refusedCount = 0;
  private laneBus: SitterBus;
  private walker: Walker;
  private tempoNow: TempoState;
  private readonly history: Float32Array;
  private readonly historyTicks: number;

  constructor(o: WalkLaneOptions) {
    this.size = o.size;
    this.epoch = o.epoch;
    this.tickRate = o.tickRate ?? 60;
    if (!validTickRate(this.tickRate)) throw new RangeError(`WalkLane: tickRate must be in (0, ${MAX_TICK_RATE}], got ${this.tickRate}`);
    if (!Number.isFinite(o.epoch)) throw new RangeError(`WalkLane: epoch must be a finite time, got ${o.epoch}`);
    this.dt = 1 / this.tickRate;
    this.initial = o.initial ?? {};
    this.mean = o.mean;
    this.directions = o.directions ?? [];
    this.pulses = walkPulses(o.pulses ?? []);
    this.historyTicks = Math.max(1, Math.floor(o.historyTicks ?? 240));
    this.history = new Float32Array(this.historyTicks * this.size);
    this.checkpointTicks = Math.floor(o.checkpointTicks ?? 600 * this.tickRate);
    if (!(this.checkpointTicks >= 1)) throw new RangeError(`WalkLane: checkpointTicks must be ≥ 1, got ${o.checkpointTicks}`);
    this.trimLog = o.trimLog === true;
    this.laneBus = this.freshBus();
    this.tempoNow = this.freshTempo();
    this.walker = this.freshWalker();
    this.record();
  }

  /** The lane's own bus: show layer from the file, desk and cue layers from the log (read it, do not write it). */
  get bus(): SitterBus {
    return this.laneBus;
  }

  /** The tempo at the current tick (the leader's, as last stamped, stepped on): what every screen's pulses follow. */
  get tempo(): TempoState {
    return this.tempoNow;
  }

  /** Ticks done: latent() is the walk at this tick. */
  get tick(): number {
    return this.ticks;
  }

  /** Bumped whenever the lane restarts to replay (the picture may differ from the last one shown). */
  get generation(): number {
    return this.gen;
  }

  /** The tick that a show-clock time falls in (may be negative before the epoch). */
  tickAt(showTime: number): number {
    return Math.floor((showTime - this.epoch) * this.tickRate + 1e-9);
  }

  timeOf(tick: number): number {
    return this.epoch + tick / this.tickRate;
  }

  /** Ticks between checkpoints: a joiner from the newest one replays at most this many. */
  get checkpointInterval(): number {
    return this.checkpointTicks;
  }

  /** Changes refused because they were stamped before the log's first kept tick. */
  get refused(): number {
    return this.refusedCount;
  }

  /** The first tick whose changes the log still holds (0 until trimmed or restored from a checkpoint). */
  get logFloor(): number {
    return this.floor;
  }

  /**
   * Adds a change to the log (kept in tick order; same tick, source and name: the later one wins). False: stamped
   * before the log's floor, so no kept state can replay it exactly; it is refused and counted, nothing changes.
   */
  schedule(c: StampedChange): boolean {
    if (!Number.isInteger(c.tick) || c.tick < 0) throw new RangeError(`WalkLane.schedule: tick must be a whole number ≥ 0, got ${c.tick}`);
    if (c.tick < this.floor) {
      this.refusedCount++;
      return false;
    }
    let i = this.log.length;
    while (i > 0 && (this.log[i - 1] as StampedChange).tick > c.tick) i--;
    const prev = this.log[i - 1];
    if (prev && prev.tick === c.tick && sameSlot(prev, c) && i > this.next) {
      this.log[i - 1] = c;
    } else {
      this.log.splice(i, 0, c);
    }
    // Applied ticks cannot be undone in place: the walker's path depends on when each value arrived.
    if (c.tick < this.ticks || i < this.next) this.staleFrom = Math.min(this.staleFrom, c.tick);
    return true;
  }

  /** Replaces the whole log (a follower joining, or a leader adopting its followers' walk); replays on next advance. */
  replaceLog(changes: readonly StampedChange[]): void {
    this.log.length = 0;
    this.checkpoints = [];
    this.floor = 0;
    for (const c of changes) this.schedule(c);
    this.staleFrom = 0;
  }

  /**
   * Takes another lane's checkpoint and the log from its tick on (a joiner): replays from there on next advance.
   * The checkpoint must come from a lane with the same size, start values, mean and directions (one show file).
   */
  restoreFrom(checkpoint: LaneCheckpoint, changes: readonly StampedChange[]): void {
    if (checkpoint.walker.size !== this.size) throw new RangeError(`WalkLane.restoreFrom: checkpoint of a ${checkpoint.walker.size}-number walk, this lane walks ${this.size}`);
    if (!Number.isInteger(checkpoint.tick) || checkpoint.tick < 0) throw new RangeError(`WalkLane.restoreFrom: tick must be a whole number ≥ 0, got ${checkpoint.tick}`);
    this.log.length = 0;
    this.checkpoints = [checkpoint];
    this.floor = checkpoint.tick;
    for (const c of changes) this.schedule(c);
    this.staleFrom = checkpoint.tick;
    this.historyFrom = Number.POSITIVE_INFINITY;
  }

  /** The newest checkpoint (what a joiner needs with changes()), or null before the first. */
  checkpoint(): LaneCheckpoint | null {
    return this.checkpoints[this.checkpoints.length - 1] ?? null;
  }

  /**
   * What a joiner needs to walk this lane: the newest checkpoint that still holds (one taken after a late change
   * waiting to be replayed missed that change) and the log from its tick on; while none is kept, null and the
   * whole log (from tick 0). Bounded with trimLog: at most one checkpoint interval of changes, plus those ahead.
   */
  joinState(): { readonly checkpoint: LaneCheckpoint | null; readonly changes: readonly StampedChange[] } {
    let cp: LaneCheckpoint | null = null;
    for (const c of this.checkpoints) if (c.tick <= this.staleFrom) cp = c;
    return { checkpoint: cp, changes: cp === null ? this.log.slice() : this.changesFrom(cp.tick) };
  }

  /** The kept checkpoint taken at `tick`, or null (a follower checks whether it already holds the leader's). */
  checkpointAt(tick: number): LaneCheckpoint | null {
    return this.checkpoints.find((c) => c.tick === tick && c.tick <= this.staleFrom) ?? null;
  }

  /** The log's changes stamped at `tick` or later, in tick order. */
  changesFrom(tick: number): StampedChange[] {
    let i = this.log.length;
    while (i > 0 && (this.log[i - 1] as StampedChange).tick >= tick) i--;
    return this.log.slice(i);
  }

  /** Ticks of the checkpoints kept, oldest first. */
  checkpointTicksKept(): readonly number[] {
    return this.checkpoints.map((c) => c.tick);
  }

  /** The log, in tick order (what a joining screen needs, with the epoch). */
  changes(): readonly StampedChange[] {
    return this.log;
  }

  /** Steps until the lane is at `target` (at most maxSteps now; call again next frame). Returns steps taken. */
  advanceTo(target: number, maxSteps = Infinity): number {
    if (this.staleFrom !== Number.POSITIVE_INFINITY) this.restart();
    let steps = 0;
    while (this.ticks < target && steps < maxSteps) {
      this.applyDue();
      // As a page writes its pulses each frame (immediate: the envelope is the motion), here once per tick.
      for (const p of this.pulses) this.laneBus.set(p.param, pulseValue(p, this.tempoNow), 'pose', { immediate: true });
      this.laneBus.tick(this.dt);
      this.walker.tick(this.dt, this.laneBus);
      this.tempoNow = stepTempo(this.tempoNow, this.dt);
      this.ticks++;
      this.record();
      steps++;
      if (this.ticks % this.checkpointTicks === 0) this.takeCheckpoint();
    }
    return steps;
  }

  /** The shared latent at the current tick (the lane's own buffer). */
  latent(): Float32Array {
    return this.walker.latent();
  }

  /** The latent at an earlier tick still in the history, or null. */
  latentAt(tick: number): Float32Array | null {
    if (!Number.isInteger(tick) || tick > this.ticks || tick < this.historyFrom || this.ticks - tick >= this.historyTicks) return null;
    const slot = tick % this.historyTicks;
    return this.history.subarray(slot * this.size, (slot + 1) * this.size);
  }

  /** The layout/grid wall's N² sibling latents around the current tick (Walker.siblingsInto). */
  siblingsInto(out: Float32Array): Float32Array {
    return this.walker.siblingsInto(out);
  }

  /** The latents of the next n ticks if nothing changes (a screen ahead of the walk), into out [n × size]. */
  lookahead(n: number, out: Float32Array): Float32Array {
    return this.walker.lookahead(n, this.dt, out);
  }

  private applyDue(): void {
    while (this.next < this.log.length && (this.log[this.next] as StampedChange).tick <= this.ticks) {
      const c = this.log[this.next++] as StampedChange;
      if (c.source === 'tempo') this.tempoNow = c.tempo;
      else if (c.value === null) this.laneBus.release(c.name, c.source);
      else this.laneBus.set(c.name, c.value, c.source);
    }
  }

  private record(): void {
    const slot = this.ticks % this.historyTicks;
    this.history.set(this.walker.latent(), slot * this.size);
  }

  private restart(): void {
    const from = this.staleFrom;
    this.staleFrom = Number.POSITIVE_INFINITY;
    this.gen++;
    // A checkpoint at tick K holds the changes stamped before K: one after `from` missed the late change.
    this.checkpoints = this.checkpoints.filter((c) => c.tick <= from);
    const cp = this.checkpoints[this.checkpoints.length - 1];
    this.laneBus = this.freshBus();
    this.tempoNow = cp?.tempo ?? this.freshTempo();
    if (cp === undefined) {
      if (this.floor > 0) throw new Error('WalkLane: no checkpoint covers the trimmed log (cannot happen: schedule refuses such changes)');
      this.next = 0;
      this.ticks = 0;
      this.walker = this.freshWalker();
      this.historyFrom = 0;
    } else {
      for (const [name, value] of cp.smoothed) {
        // Sets the smoothed value exactly, then lets go without moving it: the layers below decide the target only.
        this.laneBus.set(name, value, 'desk', { immediate: true });
        this.laneBus.release(name, 'desk');
      }
      for (const [source, name, value] of cp.layers) this.laneBus.set(name, value, source);
      this.walker = new Walker({ size: this.size, ...(this.mean ? { mean: this.mean } : {}), directions: this.directions });
      this.walker.restore(cp.walker);
      this.ticks = cp.tick;
      let i = 0;
      while (i < this.log.length && (this.log[i] as StampedChange).tick < cp.tick) i++;
      this.next = i;
      // Latents before the checkpoint in the history may belong to another path: not offered.
      this.historyFrom = cp.tick;
    }
    this.record();
  }

  private takeCheckpoint(): void {
    const layers: [LaneSource, ParamName, ParamValue][] = [];
    const smoothed: [ParamName, ParamValue][] = [];
    const bus = this.laneBus;
    for (const spec of PARAMS) {
      const name = spec.name;
      if (spec.access === 'r' || !isParamName(name)) continue;
      for (const source of LANE_SOURCES) {
        const v = bus.layer(name, source);
        if (v !== undefined) layers.push([source, name, copyValue(v)]);
      }
      if ((spec.type === 'float' || spec.type === 'vec') && (spec.smoothing ?? 0) > 0) smoothed.push([name, copyValue(bus.get(name))]);
    }
    this.checkpoints.push({ tick: this.ticks, layers, smoothed, walker: this.walker.snapshot(), tempo: this.tempoNow });
    if (this.checkpoints.length > CHECKPOINTS_KEPT) this.checkpoints.shift();
    // Until two are kept, tick 0 (or a joiner's checkpoint) is the older one: nothing is trimmed.
    if (!this.trimLog || this.checkpoints.length < CHECKPOINTS_KEPT) return;
    const oldest = (this.checkpoints[0] as LaneCheckpoint).tick;
    let drop = 0;
    while (drop < this.log.length && (this.log[drop] as StampedChange).tick < oldest) drop++;
    if (drop > 0) {
      this.log.splice(0, drop);
      this.next -= drop;
    }
    this.floor = oldest;
  }

  private freshBus(): SitterBus {
    const bus: SitterBus = new ParameterBus<ParamName>(PARAMS);
    for (const [name, value] of Object.entries(this.initial)) {
      if (isParamName(name)) bus.set(name, value, 'show', { immediate: true });
    }
    return bus;
  }

  /** Tick 0's tempo: the show file's, on the first beat (the leader stamps its own as soon as it has one). */
  private freshTempo(): TempoState {
    return { beats: 0, bpm: clampBpm(this.laneBus.number('tempo/bpm')), beatsPerBar: this.laneBus.number('tempo/beats-per-bar'), pending: 0, running: true };
  }

  private freshWalker(): Walker {
    const w = new Walker({ size: this.size, ...(this.mean ? { mean: this.mean } : {}), directions: this.directions });
    // Tick 0 is the walk's first step with dt = 0: the start portrait, the same on every screen.
    w.tick(0, this.laneBus);
    return w;
  }
}

/** Two changes the later of which replaces the earlier at the same tick: the same layer and parameter, or both tempo. */
function sameSlot(a: StampedChange, b: StampedChange): boolean {
  if (a.source === 'tempo' || b.source === 'tempo') return a.source === b.source;
  return a.source === b.source && a.name === b.name;
}

function copyValue(v: ParamValue): ParamValue {
  return Array.isArray(v) ? [...(v as readonly number[])] : v;
}
