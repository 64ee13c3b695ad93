/**
 * Frame-budget governor: holds a target display rate on a weak machine by capping the costly knobs one step at a
 * time, in an order the show sets, and giving the steps back when there is headroom.
 *
 * How its reductions reach the picture: not as a bus layer. A layer would sit between two sources (show < pose <
 * cue < desk) and either overwrite a cue's choice or be overwritten by it. The governor instead caps the value the
 * bus resolves (`cap()`): the show, pose and cue still decide the value, the governor only lowers it to its ceiling,
 * and a knob the desk holds is never capped (the operator wins). Pure: no DOM, no clock; the app feeds it frame times.
 */

export const GOVERNOR_KNOBS = ['layout/upscale', 'paint/radius', 'layout/resolution-scale', 'layout/grid'] as const;
export type GovernorKnob = (typeof GOVERNOR_KNOBS)[number];

/** Cheapest visual loss first: the upscaler's detail, then the filter's reach, then pixels, then cells. */
export const DEFAULT_GOVERNOR_ORDER: readonly GovernorKnob[] = GOVERNOR_KNOBS;

/**
 * Each knob's ceilings, one per step down. Numbers are the catalogue's units; the last entry is the knob's floor
 * (resolution-scale stops at 0.4, above the catalogue's 0.25, because below it the portrait turns to mush).
 * layout/upscale is an enum ranked off < x2 < x4 ('auto' counts as x4): its ceilings are ranks.
 */
export const GOVERNOR_STEPS: Readonly<Record<GovernorKnob, readonly number[]>> = {
  'layout/upscale': [2, 1],
  'paint/radius': [3, 2, 1],
  'layout/resolution-scale': [0.85, 0.7, 0.55, 0.4],
  'layout/grid': [3, 2, 1],
};

const UPSCALE_RANK: Readonly<Record<string, number>> = { off: 1, x2: 2, x4: 3, auto: 3 };
const UPSCALE_BY_RANK = ['off', 'off', 'x2', 'x4'] as const;

export interface GovernorOptions {
  /** Frames per second to hold; 0 turns the governor off (no caps). */
  readonly targetFps: number;
  /** The knobs it may lower, first lowered first; others are never touched. */
  readonly order?: readonly GovernorKnob[];
  /** Below targetFps × this, step down. */
  readonly lowRatio?: number;
  /** At or above targetFps × this for upHoldS, try a step up. */
  readonly highRatio?: number;
  /** Seconds of frames averaged before each decision (a change needs a fresh measurement). */
  readonly windowS?: number;
  /** Seconds of steady headroom before the first try at stepping up. */
  readonly upHoldS?: number;
}

export interface GovernorChange {
  readonly knob: GovernorKnob;
  /** The ceiling now, in the knob's own units (an upscale mode for layout/upscale); null: no cap. */
  readonly cap: number | string | null;
  readonly direction: 'down' | 'up';
  /** The measured rate that triggered it. */
  readonly fps: number;
}

/** One step of the flattened ladder: knob and how many of its steps are taken at this level. */
interface Rung {
  readonly knob: GovernorKnob;
  readonly taken: number;
}

export class FrameGovernor {
  readonly targetFps: number;
  readonly order: readonly GovernorKnob[];
  private readonly rungs: readonly Rung[];
  private readonly lowRatio: number;
  private readonly highRatio: number;
  private readonly windowS: number;
  private readonly upHoldS: number;
  /** Steps taken per knob; index into GOVERNOR_STEPS[knob] is taken - 1. */
  private readonly taken = new Map<GovernorKnob, number>();
  private levelNow = 0;
  private windowTime = 0;
  private windowFrames = 0;
  private headroomS = 0;
  /** Levels whose step up was followed by a step down: each failure doubles the wait before trying again. */
  private readonly upBackoff: number[];
  private lastFps = 0;
  private changeCount = 0;
  private last: GovernorChange | null = null;

  constructor(options: GovernorOptions) {
    if (!(options.targetFps >= 0) || !Number.isFinite(options.targetFps)) {
      throw new Error(`governor: expected targetFps to be a number ≥ 0 (0 = off), got ${String(options.targetFps)}`);
    }
    this.targetFps = options.targetFps;
    const order = options.order ?? DEFAULT_GOVERNOR_ORDER;
    for (const k of order) {
      if (!(GOVERNOR_KNOBS as readonly string[]).includes(k)) throw new Error(`governor: unknown knob "${String(k)}"; expected one of ${GOVERNOR_KNOBS.join(', ')}`);
    }
    if (new Set(order).size !== order.length) throw new Error('governor: a knob is listed twice in the order');
    this.order = order;
    const rungs: Rung[] = [];
    for (const knob of order) {
      this.taken.set(knob, 0);
      GOVERNOR_STEPS[knob].forEach((_, i) => rungs.push({ knob, taken: i + 1 }));
    }
    this.rungs = rungs;
    this.upBackoff = new Array<number>(rungs.length + 1).fill(1);
    this.lowRatio = options.lowRatio ?? 0.9;
    this.highRatio = options.highRatio ?? 0.97;
    this.windowS = options.windowS ?? 0.4;
    this.upHoldS = options.upHoldS ?? 3;
  }

  get enabled(): boolean {
    return this.targetFps > 0 && this.rungs.length > 0;
  }

  /** How many steps down it stands now (0 = nothing capped). */
  get level(): number {
    return this.levelNow;
  }

  get maxLevel(): number {
    return this.rungs.length;
  }

  /** Every step it has taken, down or up, since it was made: a settled governor stops adding to this. */
  get changes(): number {
    return this.changeCount;
  }

  /** The last change and why; null before the first. */
  get lastChange(): GovernorChange | null {
    return this.last;
  }

  /** The rate measured over the last decision window. */
  get measuredFps(): number {
    return this.lastFps;
  }

  /**
   * Feeds one frame's duration in seconds. Returns true when a cap changed. Allocates nothing unless a step is
   * taken (a few times a minute at most once settled).
   */
  tick(frameS: number): boolean {
    if (!this.enabled || !(frameS > 0) || !Number.isFinite(frameS)) return false;
    this.windowTime += frameS;
    this.windowFrames++;
    if (this.windowTime < this.windowS) return false;
    const fps = this.windowFrames / this.windowTime;
    const span = this.windowTime;
    this.windowTime = 0;
    this.windowFrames = 0;
    this.lastFps = fps;
    if (fps < this.targetFps * this.lowRatio) {
      this.headroomS = 0;
      if (this.levelNow >= this.rungs.length) return false;
      // A step up that did not hold: wait longer before trying that level again.
      // upBackoff[i] is the wait factor for the step up from level i + 1; the failed one came from levelNow + 1.
      if (this.last?.direction === 'up') {
        const b = this.upBackoff[this.levelNow] ?? 1;
        this.upBackoff[this.levelNow] = Math.min(b * 2, 64);
      }
      // Far below target, two steps at once, so a bad start settles within a few seconds.
      const steps = fps < this.targetFps * 0.5 ? 2 : 1;
      for (let i = 0; i < steps && this.levelNow < this.rungs.length; i++) this.setLevel(this.levelNow + 1, 'down', fps);
      return true;
    }
    if (fps >= this.targetFps * this.highRatio && this.levelNow > 0) {
      this.headroomS += span;
      const wait = this.upHoldS * (this.upBackoff[this.levelNow - 1] ?? 1);
      if (this.headroomS < wait) return false;
      this.headroomS = 0;
      this.setLevel(this.levelNow - 1, 'up', fps);
      return true;
    }
    this.headroomS = 0;
    return false;
  }

  /** The ceiling on one knob now: a number (null: none), in the knob's units; for layout/upscale a mode. */
  ceiling(knob: GovernorKnob): number | string | null {
    const t = this.taken.get(knob) ?? 0;
    if (t === 0) return null;
    const v = GOVERNOR_STEPS[knob][t - 1] as number;
    return knob === 'layout/upscale' ? UPSCALE_BY_RANK[v] ?? 'off' : v;
  }

  /** A numeric knob's value under its ceiling. `deskHeld`: the desk owns it now, so it passes untouched. */
  capNumber(knob: Exclude<GovernorKnob, 'layout/upscale'>, value: number, deskHeld = false): number {
    const t = this.taken.get(knob) ?? 0;
    if (t === 0 || deskHeld) return value;
    const c = GOVERNOR_STEPS[knob][t - 1] as number;
    return value < c ? value : c;
  }

  /** layout/upscale under its ceiling ('auto' counts as x4). */
  capUpscale(mode: string, deskHeld = false): string {
    const t = this.taken.get('layout/upscale') ?? 0;
    if (t === 0 || deskHeld) return mode;
    const c = GOVERNOR_STEPS['layout/upscale'][t - 1] as number;
    const rank = UPSCALE_RANK[mode] ?? 1;
    return rank <= c ? mode : (UPSCALE_BY_RANK[c] ?? 'off');
  }

  /** One line for the HUD and /health: where it stands and what its last step was. */
  describe(): string {
    if (!this.enabled) return 'off';
    const l = this.last;
    const head = `level ${this.levelNow}/${this.rungs.length}, ${this.lastFps.toFixed(1)} of ${this.targetFps} fps`;
    if (!l) return head;
    const cap = l.cap === null ? 'uncapped' : `≤ ${l.cap}`;
    return `${head}; ${l.direction === 'down' ? 'lowered' : 'raised'} ${l.knob} (${cap}) at ${l.fps.toFixed(1)} fps`;
  }

  private setLevel(level: number, direction: 'down' | 'up', fps: number): void {
    const rung = direction === 'down' ? this.rungs[level - 1] : this.rungs[level];
    if (!rung) return;
    this.taken.set(rung.knob, direction === 'down' ? rung.taken : rung.taken - 1);
    this.levelNow = level;
    this.changeCount++;
    this.last = { knob: rung.knob, cap: this.ceiling(rung.knob), direction, fps };
  }
}
