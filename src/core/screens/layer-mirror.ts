import { PARAMS, isParamName, type ParamName, type SitterBus } from '../params/catalogue.ts';
import type { ParamValue } from '../params/types.ts';
import type { LaneSource, StampedChange, WalkLane } from './lane.ts';
import type { BeatPulse } from '../tempo/pulse.ts';
import type { TempoState } from '../tempo/tempo.ts';

const SOURCES: readonly LaneSource[] = ['desk', 'cue', 'pose'];
const WRITABLE: readonly ParamName[] = PARAMS.filter((s) => s.access !== 'r' && isParamName(s.name)).map((s) => s.name as ParamName);

/**
 * A following page's bus takes the leader's desk, cue and pose layers from the lane, tick by tick, as the lane applies
 * them: the picture parameters (grade, grain, layout…) then follow the leader's desk and cues like the walk does.
 * It tracks by tick, not by position in the log: a trimmed log drops its front, so positions shift. On a new lane or
 * after a replay (a restore from a checkpoint included) it takes the layers the lane itself holds at its tick — the
 * checkpoint's, plus the changes replayed since — so it needs no log from tick 0.
 */
export class LayerMirror {
  private lane: WalkLane | null = null;
  private generation = -1;
  /** The changes stamped before this tick are on the bus. */
  private through = 0;

  constructor(private readonly bus: SitterBus) {}

  /** Brings the bus's desk, cue and pose layers to the lane's current tick. */
  update(lane: WalkLane | null): void {
    if (!lane) return;
    if (lane !== this.lane || lane.generation !== this.generation) {
      this.seed(lane);
      return;
    }
    if (lane.tick <= this.through) return;
    const log = lane.changes();
    // The log is in tick order and the lane applies a change at the step from its tick: those in [through, tick).
    let i = log.length;
    while (i > 0 && (log[i - 1] as StampedChange).tick >= this.through) i--;
    for (; i < log.length && (log[i] as StampedChange).tick < lane.tick; i++) {
      const c = log[i] as StampedChange;
      // The tempo is no layer: the page reads it from the lane (PageScreenWalk.laneTempo) for its own pulses.
      if (c.source !== 'tempo') this.apply(c.name, c.value, c.source);
    }
    this.through = lane.tick;
  }

  /** The lane's own layers at its tick onto the bus, touching only what differs (no needless change events). */
  private seed(lane: WalkLane): void {
    this.lane = lane;
    this.generation = lane.generation;
    this.through = lane.tick;
    for (const name of WRITABLE) {
      for (const source of SOURCES) {
        const want = lane.bus.layer(name, source);
        const have = this.bus.layer(name, source);
        if (want === undefined) {
          if (have !== undefined) this.bus.release(name, source);
        } else if (have === undefined || !sameValue(want, have)) {
          this.bus.set(name, copy(want), source);
        }
      }
    }
  }

  private apply(name: ParamName, value: ParamValue | null, source: LaneSource): void {
    if (value === null) this.bus.release(name, source);
    else this.bus.set(name, value, source);
  }
}

function sameValue(a: ParamValue, b: ParamValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

function copy(v: ParamValue): ParamValue {
  return Array.isArray(v) ? [...(v as readonly number[])] : v;
}

/**
 * The parameters the show's tempo pulses write: none crosses as a layer value. Every page writes them on its own pose
 * layer each frame, a following page from the lane's tempo (locked to the leader's beat), and every lane computes
 * those its walk reads at every tick from the same tempo (WalkLaneOptions.pulses): only the tempo crosses, when a
 * beat, tap or clock corrects it.
 */
export function pulsedParams(pulses: readonly BeatPulse[]): ReadonlySet<string> {
  return new Set(pulses.map((p) => p.param));
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

  /**
   * `localPose`: parameters whose pose layer every page writes for itself each frame (the tempo pulses: pulsedParams),
   * and every lane for itself each tick where the walk reads them: sending them would only fill every screen's log
   * (20 changes a second per parameter, for ever).
   */
  constructor(
    private readonly bus: SitterBus,
    private readonly send: (source: 'cue' | 'pose', values: Record<string, ParamValue | null>) => void,
    private readonly intervalMs = 50,
    private readonly localPose: ReadonlySet<string> = new Set(),
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
        if (source === 'pose' && this.localPose.has(name)) continue;
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

/** What TempoReporter reads of a page's Tempo. */
export interface TempoSource {
  readonly corrections: number;
  readonly beatsPerBar: number;
  state(): TempoState;
}

/**
 * The leading page's tempo, for its kiosk to stamp into the lane: sent when something but time moved it (a beat, tap,
 * MIDI clock beat, bpm, beats per bar) and whenever the kiosk socket (re)opens, a new kiosk having none. Between two
 * sends every lane steps it exactly as the page's Tempo does, so it is never sent per frame.
 */
export class TempoReporter {
  private corrections = -1;
  private beatsPerBar = -1;
  private wasOpen = false;

  constructor(private readonly send: (tempo: TempoState) => void) {}

  /** Once per frame, after the tempo advanced to this frame's time. */
  frame(tempo: TempoSource, open: boolean): void {
    const reopened = open && !this.wasOpen;
    this.wasOpen = open;
    if (!open) return;
    if (!reopened && tempo.corrections === this.corrections && tempo.beatsPerBar === this.beatsPerBar) return;
    this.corrections = tempo.corrections;
    this.beatsPerBar = tempo.beatsPerBar;
    this.send(tempo.state());
  }
}
