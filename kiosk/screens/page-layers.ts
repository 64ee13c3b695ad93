import { PARAMS, isParamName, type ParamName } from '../../src/core/params/catalogue.ts';
import { coerce } from '../../src/core/params/coerce.ts';
import type { ParamSpec, ParamValue } from '../../src/core/params/types.ts';
import type { TempoState } from '../../src/core/tempo/tempo.ts';
import type { PageLayersReport } from '../bridge/options.ts';

/**
 * The leading page reports its cue and pose layers at most 20 times a second per parameter (CueLayerReporter), and
 * everything the leader kiosk stamps lands in every screen's log and every joiner's state. The kiosk holds the page to
 * that rate itself: a page that loops, or a script on the page socket, must not be able to grow the lane faster.
 */
export const PAGE_LAYER_INTERVAL_MS = 50;

const SPECS = new Map<string, ParamSpec>(PARAMS.map((s) => [s.name, s]));

/** Why a reported value never reached the lane. */
export type LayerDrop = 'malformed' | 'unknown-name' | 'read-only' | 'wrong-value';

export interface PageLayerCounts {
  /** `layers` messages from the page, malformed ones included. */
  reports: number;
  /** Changes stamped into the lane. */
  stamped: number;
  /** Values replaced by a newer one of the same layer and parameter before their turn (the newest wins). */
  coalesced: number;
  /** Values out of range, stamped at the nearest bound (as the desk path does). */
  clamped: number;
  /** Whole messages (`malformed`) or single values refused, by reason. */
  dropped: Record<LayerDrop, number>;
}

export interface LayerChange {
  readonly source: 'cue' | 'pose';
  readonly name: ParamName;
  readonly value: ParamValue | null;
}

export interface LayerRefusal {
  readonly reason: LayerDrop;
  readonly detail: string;
}

/**
 * One value a turn, a turn every `intervalMs` (monotonic ms): a value offered sooner waits, replaced by any newer one,
 * and comes out of `due` when its turn comes, so the last is never lost. A clock that went back counts as a turn
 * elapsed: a stepped clock must not hold a value still. The page's layers (one per layer and parameter) and its tempo.
 */
class RateSlot<T> {
  /** When a value last went through. */
  private lastMs = Number.NEGATIVE_INFINITY;
  /** The newest value waiting for its turn. */
  private held: T | null = null;

  constructor(private readonly intervalMs: number) {}

  private free(nowMs: number): boolean {
    return nowMs - this.lastMs >= this.intervalMs || nowMs < this.lastMs;
  }

  /** Through now when nothing waits and the turn is free (returned), else held; `replaced`: a held one was dropped. */
  offer(v: T, nowMs: number): { readonly now: T | null; readonly replaced: boolean } {
    if (this.held === null && this.free(nowMs)) {
      this.lastMs = nowMs;
      return { now: v, replaced: false };
    }
    return { now: null, replaced: this.hold(v) };
  }

  /** Held for `due`, whatever the turn; true when it replaced a held one. */
  hold(v: T): boolean {
    const replaced = this.held !== null;
    this.held = v;
    return replaced;
  }

  /** The held value if its turn has come, else null. */
  due(nowMs: number): T | null {
    if (this.held === null || !this.free(nowMs)) return null;
    const out = this.held;
    this.held = null;
    this.lastMs = nowMs;
    return out;
  }

  /** When the held value is due, or null when none is held. */
  nextDueMs(): number | null {
    return this.held === null ? null : this.lastMs + this.intervalMs;
  }
}

/**
 * Checks a page's layer reports as the desk path checks an OSC value (catalogue name, writable, coerce: type and
 * range) and lets at most one change per layer and parameter through every `intervalMs`. A value arriving sooner
 * waits, replaced by any newer one, and comes out of `due` when its turn comes: the last value is never lost.
 * Time is passed in (monotonic ms); the caller runs the timer.
 */
export class PageLayerGate {
  readonly counts: PageLayerCounts = {
    reports: 0, stamped: 0, coalesced: 0, clamped: 0, dropped: { malformed: 0, 'unknown-name': 0, 'read-only': 0, 'wrong-value': 0 },
  };
  /** At most two per catalogue parameter (cue, pose): only checked names get one. */
  private readonly slots = new Map<string, RateSlot<LayerChange>>();

  constructor(private readonly intervalMs = PAGE_LAYER_INTERVAL_MS) {}

  /** One report: what goes into the lane now, and what was refused (for the log). */
  offer(report: PageLayersReport, nowMs: number): { readonly now: LayerChange[]; readonly refused: LayerRefusal[] } {
    this.counts.reports++;
    if (!report.ok) {
      this.counts.dropped.malformed++;
      return { now: [], refused: [{ reason: 'malformed', detail: report.error }] };
    }
    const now: LayerChange[] = [];
    const refused: LayerRefusal[] = [];
    for (const [name, raw] of Object.entries(report.values)) {
      const c = this.check(report.source, name, raw);
      if ('reason' in c) {
        this.counts.dropped[c.reason]++;
        refused.push(c);
        continue;
      }
      const key = `${c.source}:${c.name}`;
      let slot = this.slots.get(key);
      if (!slot) {
        slot = new RateSlot<LayerChange>(this.intervalMs);
        this.slots.set(key, slot);
      }
      const r = slot.offer(c, nowMs);
      if (r.now !== null) {
        this.counts.stamped++;
        now.push(r.now);
      } else if (r.replaced) this.counts.coalesced++;
    }
    return { now, refused };
  }

  /** The held values whose turn has come (each the newest of its layer and parameter). */
  due(nowMs: number): LayerChange[] {
    const out: LayerChange[] = [];
    for (const slot of this.slots.values()) {
      const c = slot.due(nowMs);
      if (c === null) continue;
      out.push(c);
      this.counts.stamped++;
    }
    return out;
  }

  /** When the next held value is due (monotonic ms), or null when nothing is held. */
  nextDueMs(): number | null {
    let next: number | null = null;
    for (const slot of this.slots.values()) {
      const at = slot.nextDueMs();
      if (at !== null && (next === null || at < next)) next = at;
    }
    return next;
  }

  private check(source: 'cue' | 'pose', name: string, raw: ParamValue | null): LayerChange | LayerRefusal {
    const spec = SPECS.get(name);
    if (!spec || !isParamName(name)) return { reason: 'unknown-name', detail: `${source} ${JSON.stringify(name.slice(0, 64))}` };
    // The desk path takes only writable parameters; a layer on a read-only one would be a value nobody may set.
    if (spec.access !== 'rw') return { reason: 'read-only', detail: `${source} ${name}` };
    if (raw === null) return { source, name, value: null };
    const c = coerce(spec, raw);
    if (!c.ok) return { reason: 'wrong-value', detail: `${source} ${name}: expected ${c.expected}, got ${c.got}` };
    if (c.clamped) this.counts.clamped++;
    return { source, name, value: c.value };
  }
}

/** A tempo the page reported, and the leader's clock when it arrived (the tempo stood there then). */
export interface HeldTempo {
  readonly tempo: TempoState;
  readonly at: number;
}

/**
 * The leading page's tempo reports (one per correction: a beat, tap, MIDI clock beat or bpm), held to one every
 * `intervalMs` as the layers are: a MIDI clock or a script must not grow the lane faster. The newest is kept and
 * stamped when its turn comes; each carries its own arrival time, so a held one is stepped on exactly.
 */
export class TempoGate {
  readonly counts = { reports: 0, stamped: 0, coalesced: 0 };
  private readonly slot: RateSlot<HeldTempo>;

  constructor(intervalMs = PAGE_LAYER_INTERVAL_MS) {
    this.slot = new RateSlot<HeldTempo>(intervalMs);
  }

  /** A report (already checked: the bridge reads it with tempoFromWire), arrived at `at` on the leader's clock. */
  offer(tempo: TempoState, at: number): void {
    this.counts.reports++;
    if (this.slot.hold({ tempo, at })) this.counts.coalesced++;
  }

  /** The held tempo if its turn has come, else null. */
  due(nowMs: number): HeldTempo | null {
    const out = this.slot.due(nowMs);
    if (out !== null) this.counts.stamped++;
    return out;
  }

  /** When the held tempo is due (monotonic ms), or null when none is held. */
  nextDueMs(): number | null {
    return this.slot.nextDueMs();
  }
}
