import type { LatentDirection } from '../latent/directions.ts';
import { Walker } from '../latent/walker.ts';
import { ParameterBus } from '../params/bus.ts';
import { PARAMS, isParamName, type ParamName, type SitterBus } from '../params/catalogue.ts';
import type { ParamValue } from '../params/types.ts';

/** The bus layers that cross the network: the leader's desk, cue engine and visitors (the show layer is the file's). */
export type LaneSource = 'desk' | 'cue' | 'pose';

/** One layer change, stamped with the walk tick before which it takes effect on every screen. */
export interface StampedChange {
  readonly tick: number;
  readonly source: LaneSource;
  readonly name: ParamName;
  /** null releases the layer's hold. */
  readonly value: ParamValue | null;
}

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
}

/**
 * The shared walk, as every screen computes it. The walker is deterministic only for the same sequence of
 * (dt, settings) — the random drift and the jitter depend on how time is cut into ticks — so the lane cuts show time
 * into fixed ticks (tick k at epoch + k/tickRate on the leader's clock) and applies each layer change before the tick
 * the leader stamped on it. Screens that do this from the same epoch, start values and change log hold the same
 * latent at the same tick, bit for bit, whatever their frame rates. A change that arrives after its tick (or a screen
 * that joins late) replays the log from tick 0: exact, and bounded by the show's length (bench: screens.bench.ts).
 */
export class WalkLane {
  readonly size: number;
  readonly epoch: number;
  readonly tickRate: number;
  private readonly dt: number;
  private readonly initial: Readonly<Record<string, ParamValue>>;
  private readonly mean: Float32Array | undefined;
  private readonly directions: readonly LatentDirection[];
  private readonly log: StampedChange[] = [];
  private next = 0;
  private ticks = 0;
  private stale = false;
  private gen = 0;
  private laneBus: SitterBus;
  private walker: Walker;
  private readonly history: Float32Array;
  private readonly historyTicks: number;

  constructor(o: WalkLaneOptions) {
    this.size = o.size;
    this.epoch = o.epoch;
    this.tickRate = o.tickRate ?? 60;
    if (!(this.tickRate > 0 && this.tickRate <= 1000)) throw new RangeError(`WalkLane: tickRate must be in (0, 1000], got ${this.tickRate}`);
    if (!Number.isFinite(o.epoch)) throw new RangeError(`WalkLane: epoch must be a finite time, got ${o.epoch}`);
    this.dt = 1 / this.tickRate;
    this.initial = o.initial ?? {};
    this.mean = o.mean;
    this.directions = o.directions ?? [];
    this.historyTicks = Math.max(1, Math.floor(o.historyTicks ?? 240));
    this.history = new Float32Array(this.historyTicks * this.size);
    this.laneBus = this.freshBus();
    this.walker = this.freshWalker();
    this.record();
  }

  /** The lane's own bus: show layer from the file, desk and cue layers from the log (read it, do not write it). */
  get bus(): SitterBus {
    return this.laneBus;
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

  /** Adds a change to the log (kept in tick order; same tick, source and name: the later one wins). */
  schedule(c: StampedChange): void {
    if (!Number.isInteger(c.tick) || c.tick < 0) throw new RangeError(`WalkLane.schedule: tick must be a whole number ≥ 0, got ${c.tick}`);
    let i = this.log.length;
    while (i > 0 && (this.log[i - 1] as StampedChange).tick > c.tick) i--;
    const prev = this.log[i - 1];
    if (prev && prev.tick === c.tick && prev.source === c.source && prev.name === c.name && i > this.next) {
      this.log[i - 1] = c;
    } else {
      this.log.splice(i, 0, c);
    }
    // Applied ticks cannot be undone in place: the walker's path depends on when each value arrived.
    if (c.tick < this.ticks) this.stale = true;
    else if (i < this.next) this.stale = true;
  }

  /** Replaces the whole log (a follower joining, or a leader adopting its followers' walk); replays on next advance. */
  replaceLog(changes: readonly StampedChange[]): void {
    this.log.length = 0;
    for (const c of changes) this.schedule(c);
    this.stale = true;
  }

  /** The log, in tick order (what a joining screen needs, with the epoch). */
  changes(): readonly StampedChange[] {
    return this.log;
  }

  /** Steps until the lane is at `target` (at most maxSteps now; call again next frame). Returns steps taken. */
  advanceTo(target: number, maxSteps = Infinity): number {
    if (this.stale) this.restart();
    let steps = 0;
    while (this.ticks < target && steps < maxSteps) {
      this.applyDue();
      this.laneBus.tick(this.dt);
      this.walker.tick(this.dt, this.laneBus);
      this.ticks++;
      this.record();
      steps++;
    }
    return steps;
  }

  /** The shared latent at the current tick (the lane's own buffer). */
  latent(): Float32Array {
    return this.walker.latent();
  }

  /** The latent at an earlier tick still in the history, or null. */
  latentAt(tick: number): Float32Array | null {
    if (!Number.isInteger(tick) || tick > this.ticks || tick < 0 || this.ticks - tick >= this.historyTicks) return null;
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
      if (c.value === null) this.laneBus.release(c.name, c.source);
      else this.laneBus.set(c.name, c.value, c.source);
    }
  }

  private record(): void {
    const slot = this.ticks % this.historyTicks;
    this.history.set(this.walker.latent(), slot * this.size);
  }

  private restart(): void {
    this.stale = false;
    this.gen++;
    this.next = 0;
    this.ticks = 0;
    this.laneBus = this.freshBus();
    this.walker = this.freshWalker();
    this.record();
  }

  private freshBus(): SitterBus {
    const bus: SitterBus = new ParameterBus<ParamName>(PARAMS);
    for (const [name, value] of Object.entries(this.initial)) {
      if (isParamName(name)) bus.set(name, value, 'show', { immediate: true });
    }
    return bus;
  }

  private freshWalker(): Walker {
    const w = new Walker({ size: this.size, ...(this.mean ? { mean: this.mean } : {}), directions: this.directions });
    // Tick 0 is the walk's first step with dt = 0: the start portrait, the same on every screen.
    w.tick(0, this.laneBus);
    return w;
  }
}
