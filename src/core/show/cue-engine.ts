import type { Clock } from '../clock.ts';
import type { ParameterBus } from '../params/bus.ts';
import type { ParamValue } from '../params/types.ts';
import { copyValue, fadeProgress, fadeValue, glides, type Fade, type FadeSource } from './fade.ts';
import type { ShowState } from './show-state.ts';
import type { Cue } from './types.ts';

const MASTER = 'master/level';
const MASTER_FADE = 'master/fade-seconds';

interface TrackedTarget {
  readonly value: ParamValue;
  readonly fade: number;
}

/**
 * Tracking, as on a lighting desk: the state at cue k is every target of cues 0..k, later cues overriding
 * earlier ones. Going to cue k (forwards, back or by number) fades to that whole state, so the picture at a cue
 * does not depend on the route taken to it. Parameters carried over from earlier cues use cue k's fade time.
 */
function trackedStates(cues: readonly Cue[]): readonly ReadonlyMap<string, TrackedTarget>[] {
  const out: Map<string, TrackedTarget>[] = [];
  let running = new Map<string, TrackedTarget>();
  for (const cue of cues) {
    running = new Map([...running].map(([name, t]) => [name, { value: t.value, fade: cue.fade }]));
    for (const t of cue.targets) running.set(t.param, { value: t.value, fade: t.fade });
    out.push(running);
  }
  return out;
}

/**
 * The cue engine: go / back / goto over a show's cue list, driven by an outside clock through tick(). Pure: it owns
 * no timer, and every write goes through the bus.
 *
 * - A fade starts from what the bus shows now (bus.get), never from the previous cue's target, so a cue fired in
 *   the middle of another one's fade carries on from where things are, with no jump.
 * - Writes are immediate sets on the 'cue' layer (the fade is the interpolation; the bus's smoothing would lag it).
 * - Desk takeover: a cue fired (GO, back, goto, follow) releases the desk's hold on the parameters the cue itself
 *   names, as a lighting desk's GO takes back channels an operator had grabbed. Parameters the desk holds that the
 *   cue does not name stay with the desk. While blacked out, master/level is never taken back.
 * - Ints, enums and bools (walk/mode, walk/seed, layout/grid…) switch when the fade starts: the operator sees the
 *   change on GO, and mode changes have their own blend (walk/blend-seconds).
 * - A parameter a cue no longer tracks (after back/goto) fades to the value beneath the cue layer and is released.
 * - Auto-follow: `follow` seconds after a cue fires, the next one fires, timed from the scheduled moment (not the
 *   tick that noticed it), so a loop of follows does not drift. The last cue's follow wraps to the first.
 */
/** The tempo, for cues that follow in bars (src/core/tempo). */
export interface BeatClock {
  beats(): number;
  beatsPerBar(): number;
  bpm(): number;
}

/** Without a tempo, bars count at 120 bpm in 4/4: two seconds each. */
const FALLBACK_BAR_SECONDS = 2;

export class CueEngine {
  private index = -1;
  /** Keyed by source and parameter: a cue fade and the blackout on master/level run side by side. */
  private readonly fades = new Map<string, Fade>();
  private followAt: number | null = null;
  /** A follow in bars: the beat position (a bar line) at which the next cue fires. */
  private followAtBeats: number | null = null;
  private blackedOut = false;
  private deskLevelBefore: number | null = null;
  private oscLearn: readonly unknown[] = [];
  private midiLearn: readonly unknown[] = [];
  private readonly tracked: readonly ReadonlyMap<string, TrackedTarget>[];

  constructor(
    private readonly show: { readonly name: string; readonly cues: readonly Cue[] },
    private readonly bus: ParameterBus,
    private readonly clock: Clock,
    private readonly beatClock: BeatClock | null = null,
  ) {
    this.tracked = trackedStates(show.cues);
  }

  /** Index of the cue last fired; −1 before the first. */
  get current(): number {
    return this.index;
  }

  get isBlackedOut(): boolean {
    return this.blackedOut;
  }

  /** Fires the next cue; false at the end of the list. */
  go(): boolean {
    return this.fireNow(this.index + 1);
  }

  /** Fires the previous cue (its whole tracked state); false at the first cue or before it. */
  back(): boolean {
    return this.index > 0 && this.fireNow(this.index - 1);
  }

  /** Fires the cue with this number (what operators call it, e.g. 2.5); false if there is none. */
  goto(cueNumber: number): boolean {
    return this.fireNow(this.show.cues.findIndex((c) => c.number === cueNumber));
  }

  gotoIndex(index: number): boolean {
    return this.fireNow(index);
  }

  /** Advances fades and auto-follows to the clock's now. Call once per frame, before the bus's own tick. */
  tick(): void {
    const now = this.clock.now();
    // Each follow fires at its scheduled moment; bounded so a long pause cannot spin (each step moves time on).
    for (let guard = 0; this.followAt !== null && this.followAt <= now && guard < 1000; guard++) {
      const at = this.followAt;
      this.sample(at);
      const next = this.index + 1 < this.show.cues.length ? this.index + 1 : 0;
      this.fire(next, at);
    }
    const bc = this.beatClock;
    for (let guard = 0; bc && this.followAtBeats !== null && bc.beats() >= this.followAtBeats && guard < 1000; guard++) {
      const atBeats = this.followAtBeats;
      this.sample(now);
      const next = this.index + 1 < this.show.cues.length ? this.index + 1 : 0;
      this.fire(next, now, atBeats);
    }
    this.sample(now);
  }

  /** How far the current cue's fades have run, 0..1 (1 when nothing is fading). */
  progress(): number {
    const now = this.clock.now();
    let p = 1;
    for (const f of this.fades.values()) if (f.source === 'cue') p = Math.min(p, fadeProgress(f, now));
    return p;
  }

  /**
   * Blackout on: master/level fades to 0 over master/fade-seconds on the desk layer, above every cue. Off: it fades
   * back to what the desk held before, or to the value beneath the desk, and lets go.
   */
  blackout(on: boolean): void {
    if (on === this.blackedOut) return;
    const now = this.clock.now();
    this.sample(now);
    const seconds = this.bus.number(MASTER_FADE);
    this.blackedOut = on;
    if (on) {
      const held = this.bus.layer(MASTER, 'desk');
      const fading = this.fades.get(`desk:${MASTER}`);
      this.deskLevelBefore = fading !== undefined ? null : typeof held === 'number' ? held : null;
      this.startFade(MASTER, 'desk', 0, seconds, false, now);
    } else {
      const before = this.deskLevelBefore;
      this.deskLevelBefore = null;
      this.startFade(MASTER, 'desk', before ?? this.beneath(MASTER, 'desk'), seconds, before === null, now);
    }
    this.sample(now);
  }

  /**
   * Panic: everything back to the show's own state at once — fades and follows stopped, desk and cue layers
   * released (blackout included), the cue list at standby before its first cue. Pose and idle values remain.
   */
  panic(): void {
    this.fades.clear();
    this.followAt = null;
    this.followAtBeats = null;
    this.blackedOut = false;
    this.deskLevelBefore = null;
    this.bus.releaseAll('desk');
    this.bus.releaseAll('cue');
    this.index = -1;
    this.bus.report('status/cue', -1);
  }

  /** Learned MIDI controls, kept with the state so a reload keeps them (the MIDI table owns their shape). */
  setMidiLearn(mappings: readonly unknown[]): void {
    this.midiLearn = [...mappings];
  }

  setOscLearn(mappings: readonly unknown[]): void {
    this.oscLearn = [...mappings];
  }

  state(): ShowState {
    const now = this.clock.now();
    const desk: Record<string, ParamValue> = {};
    const cue: Record<string, ParamValue> = {};
    for (const spec of this.bus.specs()) {
      const d = this.bus.layer(spec.name, 'desk');
      const c = this.bus.layer(spec.name, 'cue');
      if (d !== undefined) desk[spec.name] = copyValue(d);
      if (c !== undefined) cue[spec.name] = copyValue(c);
    }
    return {
      version: 1,
      show: this.show.name,
      cue: this.index,
      progress: this.progress(),
      followIn: this.followIn(now),
      blackout: this.blackedOut,
      deskLevelBefore: this.deskLevelBefore,
      fades: [...this.fades.values()].map((f) => ({
        param: f.param, source: f.source, from: copyValue(f.from), to: copyValue(f.to),
        elapsed: Math.max(0, now - f.start), duration: f.duration, release: f.release,
      })),
      layers: { desk, cue },
      oscLearn: [...this.oscLearn],
      ...(this.midiLearn.length > 0 ? { midiLearn: [...this.midiLearn] } : {}),
    };
  }

  /** Puts back a state from state() (checked by parseShowState when it came from disk). */
  restore(state: ShowState): void {
    if (state.show !== this.show.name) throw new Error(`state belongs to show "${state.show}", not "${this.show.name}"`);
    const now = this.clock.now();
    this.fades.clear();
    this.bus.releaseAll('desk');
    this.bus.releaseAll('cue');
    for (const [name, v] of Object.entries(state.layers.cue)) this.bus.set(name, v, 'cue', { immediate: true });
    for (const [name, v] of Object.entries(state.layers.desk)) this.bus.set(name, v, 'desk', { immediate: true });
    for (const f of state.fades) {
      this.fades.set(`${f.source}:${f.param}`, {
        param: f.param, source: f.source, from: copyValue(f.from), to: copyValue(f.to),
        start: now - f.elapsed, duration: f.duration, release: f.release,
      });
    }
    this.index = state.cue >= -1 && state.cue < this.show.cues.length ? state.cue : -1;
    this.followAt = state.followIn === null ? null : now + state.followIn;
    this.followAtBeats = null;
    this.blackedOut = state.blackout;
    this.deskLevelBefore = state.deskLevelBefore;
    this.oscLearn = [...state.oscLearn];
    this.midiLearn = [...(state.midiLearn ?? [])];
    this.bus.report('status/cue', this.index);
    this.sample(now);
  }

  private fireNow(index: number): boolean {
    if (index < 0 || index >= this.show.cues.length) return false;
    const now = this.clock.now();
    this.sample(now);
    this.fire(index, now);
    this.sample(now);
    return true;
  }

  /** Seconds until the pending follow (a follow in bars at the current tempo), for the saved state. */
  private followIn(now: number): number | null {
    if (this.followAtBeats !== null && this.beatClock) {
      return Math.max(0, ((this.followAtBeats - this.beatClock.beats()) * 60) / this.beatClock.bpm());
    }
    return this.followAt === null ? null : Math.max(0, this.followAt - now);
  }

  private fire(index: number, at: number, atBeats?: number): void {
    const cue = this.show.cues[index] as Cue;
    const targets = this.tracked[index] as ReadonlyMap<string, TrackedTarget>;
    // Read every start value before the desk lets go: a parameter without smoothing would otherwise already
    // show the layer beneath the desk, and the fade would start with a jump.
    const leaving = this.bus.specs().filter((s) => !targets.has(s.name) && this.bus.layer(s.name, 'cue') !== undefined);
    const from = new Map<string, ParamValue>();
    for (const name of targets.keys()) from.set(name, copyValue(this.bus.get(name)));
    for (const spec of leaving) from.set(spec.name, copyValue(this.bus.get(spec.name)));
    for (const t of cue.targets) {
      if (t.param === MASTER && this.blackedOut) continue;
      this.bus.release(t.param, 'desk');
    }
    for (const [name, t] of targets) this.startFade(name, 'cue', t.value, t.fade, false, at, from.get(name));
    for (const spec of leaving) {
      this.startFade(spec.name, 'cue', this.beneath(spec.name, 'cue'), cue.fade, true, at, from.get(spec.name));
    }
    this.index = index;
    this.followAt = cue.follow === null ? null : at + cue.follow;
    this.followAtBeats = null;
    if (cue.followBars !== null) {
      const bc = this.beatClock;
      if (bc) {
        // N bars on from the GO, landing on a bar line: a GO a little early or late still follows on the downbeat,
        // and a chain of follows stays on the bars.
        const bar = bc.beatsPerBar();
        const from = atBeats ?? bc.beats();
        let target = Math.round((from + cue.followBars * bar) / bar) * bar;
        if (target <= from) target += bar;
        this.followAtBeats = target;
      } else this.followAt = at + cue.followBars * FALLBACK_BAR_SECONDS;
    }
    this.bus.report('status/cue', index);
  }

  /**
   * Starts a fade from what the bus shows now. The source's layer is set to that start value straight away, so
   * taking a parameter over from a lower layer (or from the desk just released) does not jump.
   */
  private startFade(
    param: string, source: FadeSource, to: ParamValue, duration: number, release: boolean, at: number,
    start?: ParamValue,
  ): void {
    const spec = this.bus.spec(param);
    if (spec === undefined) return;
    const from = start ?? copyValue(this.bus.get(param));
    this.fades.set(`${source}:${param}`, { param, source, from, to: copyValue(to), start: at, duration, release });
    if (glides(spec) && duration > 0) this.bus.set(param, from, source, { immediate: true });
  }

  /** Writes every fade's value at time t; finished fades are dropped (and released when they say so). */
  private sample(t: number): void {
    for (const [key, fade] of this.fades) {
      const spec = this.bus.spec(fade.param);
      if (spec === undefined) continue;
      const p = fadeProgress(fade, t);
      // Land exactly on the end value first: a release alone would leave a smoothed parameter where the last
      // sample put it and let the bus's smoothing cover the rest.
      this.bus.set(fade.param, fadeValue(spec, fade, p), fade.source, { immediate: true });
      if (p >= 1) {
        if (fade.release) this.bus.release(fade.param, fade.source);
        this.fades.delete(key);
      }
    }
  }

  /** The value a parameter falls back to when the given source lets go of it (what the layers below hold). */
  private beneath(param: string, source: FadeSource): ParamValue {
    const below = source === 'desk' ? (['cue', 'pose', 'show'] as const) : (['pose', 'show'] as const);
    for (const s of below) {
      const v = this.bus.layer(param, s);
      if (v !== undefined) return v;
    }
    const spec = this.bus.spec(param);
    if (spec === undefined) throw new Error(`unknown parameter "${param}"`);
    return spec.default;
  }
}
