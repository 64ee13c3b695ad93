import type { ParamName, SitterBus } from '../params/catalogue.ts';
import type { ParamValue } from '../params/types.ts';
import type { LaneSource, StampedChange, WalkLane } from './lane.ts';

/**
 * A following page's bus takes the leader's desk and cue layers from the lane, tick by tick, as the lane applies them:
 * the picture parameters (grade, grain, layout…) then follow the leader's desk and cues like the walk does. After a
 * replay or a new lane the layers are rebuilt from the log (released, then set again up to the lane's tick).
 */
export class LayerMirror {
  private lane: WalkLane | null = null;
  private generation = -1;
  private next = 0;

  constructor(private readonly bus: SitterBus) {}

  /** Brings the bus's desk and cue layers to the lane's current tick. */
  update(lane: WalkLane | null): void {
    if (!lane) return;
    if (lane !== this.lane || lane.generation !== this.generation) {
      this.bus.releaseAll('desk');
      this.bus.releaseAll('cue');
      this.bus.releaseAll('pose');
      this.lane = lane;
      this.generation = lane.generation;
      this.next = 0;
    }
    const log = lane.changes();
    while (this.next < log.length && (log[this.next] as StampedChange).tick < lane.tick) {
      const c = log[this.next++] as StampedChange;
      this.apply(c.name, c.value, c.source);
    }
  }

  private apply(name: ParamName, value: ParamValue | null, source: LaneSource): void {
    if (value === null) this.bus.release(name, source);
    else this.bus.set(name, value, source);
  }
}

/**
 * The leading page's cue and pose layers, as changes for its kiosk (which stamps them for every screen): what the cue
 * engine and the visitors hold per parameter, collected from the bus's change events, sent at most every `intervalMs`.
 */
export class CueLayerReporter {
  private readonly sent = { cue: new Map<string, ParamValue | null>(), pose: new Map<string, ParamValue | null>() };
  private pending = new Set<ParamName>();
  private lastMs = Number.NEGATIVE_INFINITY;
  private readonly off: () => void;

  constructor(
    private readonly bus: SitterBus,
    private readonly send: (source: 'cue' | 'pose', values: Record<string, ParamValue | null>) => void,
    private readonly intervalMs = 50,
  ) {
    this.off = bus.subscribe((c) => {
      // Any change may be the cue layer's (a fade step, a release beneath a desk override shows as an owner change).
      this.pending.add(c.name as ParamName);
    });
  }

  /** Once per frame. */
  frame(nowMs: number): void {
    if (this.pending.size === 0 || nowMs - this.lastMs < this.intervalMs) return;
    this.lastMs = nowMs;
    for (const source of ['cue', 'pose'] as const) {
      const sent = this.sent[source];
      const out: Record<string, ParamValue | null> = {};
      let any = false;
      for (const name of this.pending) {
        const v = this.bus.layer(name, source) ?? null;
        const before = sent.has(name) ? sent.get(name) : null;
        if (JSON.stringify(v) === JSON.stringify(before)) continue;
        sent.set(name, v);
        out[name] = v;
        any = true;
      }
      if (any) this.send(source, out);
    }
    this.pending = new Set();
  }

  dispose(): void {
    this.off();
  }
}
