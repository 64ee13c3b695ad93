import { CLOCK_PPQN } from '../midi/message.ts';
import { barPhase } from './pulse.ts';

export const MIN_BPM = 20;
export const MAX_BPM = 300;

export interface TempoOptions {
  readonly bpm?: number;
  readonly beatsPerBar?: number;
  /** Share of a beat pulse's phase error taken into the phase (per pulse). */
  readonly phaseGain?: number;
  /** Share of a beat pulse's phase error taken into the tempo (per pulse): the loop's integral term. */
  readonly rateGain?: number;
  /** Time constant of a phase correction, in beats: corrections are slewed in, never jumped. */
  readonly slewBeats?: number;
}

/** Why the tempo is what it is, for the HUD. */
export type TempoSource = 'set' | 'beat' | 'tap' | 'clock';

export const clampBpm = (bpm: number): number => Math.min(MAX_BPM, Math.max(MIN_BPM, bpm));

/** Beats of phase correction taken per 1/e: Tempo's default slew (a screens lane steps with the same). */
export const SLEW_BEATS = 0.5;

/**
 * Everything that decides where a tempo's beat will be without new input: its position, rate, the correction still
 * to slew in and whether it runs. Stepped by stepTempo, any screen holding one at a tick computes the same beats at
 * every later tick (the screens lane carries it as state instead of the pulses it drives).
 */
export interface TempoState {
  readonly beats: number;
  readonly bpm: number;
  readonly beatsPerBar: number;
  /** Beats of phase correction not yet slewed in. */
  readonly pending: number;
  readonly running: boolean;
}

/**
 * One step of `dt` seconds: the rate's beats plus the slewed share of the pending correction, never backwards.
 * Tempo.advance takes the same step, so a state sampled from a Tempo goes on as that Tempo would (to rounding).
 */
export function stepTempo(s: TempoState, dt: number, slewBeats = SLEW_BEATS): TempoState {
  if (!(dt > 0) || !s.running) return s;
  const { d, pending } = slewStep(s.bpm / 60, s.pending, dt, slewBeats);
  return { beats: s.beats + d, bpm: s.bpm, beatsPerBar: s.beatsPerBar, pending, running: true };
}

/**
 * The beats `dt` seconds at `rate` beats/s move, plus the slewed share of the pending correction; a correction slows
 * the beat down, never turns it back (what it cannot take now it takes later). Tempo.advance and stepTempo both.
 */
function slewStep(rate: number, pending: number, dt: number, slewBeats: number): { d: number; pending: number } {
  let d = rate * dt;
  if (pending !== 0) {
    const take = pending * (1 - Math.exp(-(dt * rate) / slewBeats));
    pending -= take;
    if (Math.abs(pending) < 1e-12) pending = 0;
    d += take;
  }
  if (d < 0) {
    pending += d;
    d = 0;
  }
  return { d, pending };
}
/** x wrapped into [−m/2, m/2). */
export const wrapHalf = (x: number, m: number): number => x - m * Math.floor(x / m + 0.5);

/**
 * The show's tempo: a continuous beat position driven by a phase-locked loop. Time is handed in (show-clock
 * seconds); nothing here reads a clock. `beats` never jumps and never runs backwards: an incoming beat (an OSC pulse,
 * a tap, every 24th MIDI clock) only nudges the phase — the correction is slewed in over `slewBeats` — and the tempo
 * (a second-order loop: proportional on phase, integral into the rate), so a desk's ±10 ms of jitter is averaged
 * away and a tempo that drifts or ramps is followed without a jump. An explicit bpm (OSC `/sitter/tempo/bpm`, a
 * tap series, the MIDI clock's own rate) sets the rate directly; the phase still glides.
 */
export class Tempo {
  /** Beats since the origin: continuous, non-decreasing. The bar's downbeats are its multiples of beatsPerBar. */
  beats = 0;
  beatsPerBar: number;
  source: TempoSource = 'set';
  /** False after a MIDI stop: the position holds until continue or start. */
  running = true;
  private rate: number;
  private pending = 0;
  private now: number | null = null;
  private readonly phaseGain: number;
  private readonly rateGain: number;
  private readonly slewBeats: number;
  private readonly taps: number[] = [];
  private readonly clockTimes: number[] = [];
  private clockCount = 0;
  /** The next clock pulse after a MIDI start is a downbeat. */
  private downbeatNext = false;
  private lastPulse: number | null = null;
  private readonly pulses: number[] = [];
  private correctionCount = 0;

  constructor(o: TempoOptions = {}) {
    this.rate = clampBpm(o.bpm ?? 120) / 60;
    this.beatsPerBar = o.beatsPerBar ?? 4;
    this.phaseGain = o.phaseGain ?? 0.15;
    this.rateGain = o.rateGain ?? 0.02;
    this.slewBeats = o.slewBeats ?? SLEW_BEATS;
  }

  /**
   * Bumped whenever something but time moved the beat: a bpm, a beat, a tap, a MIDI start, stop or continue. Between
   * two bumps the position follows from state() by stepTempo alone, so that is when a screens leader stamps it.
   */
  get corrections(): number {
    return this.correctionCount;
  }

  /** Where the beat stands after the last advance, and what will move it without new input. */
  state(): TempoState {
    return { beats: this.beats, bpm: this.bpm, beatsPerBar: this.beatsPerBar, pending: this.pending, running: this.running };
  }

  get bpm(): number {
    return this.rate * 60;
  }

  /** Position within the bar, 0 ≤ phase < 1 (0 on the downbeat). */
  get phase(): number {
    return barPhase(this);
  }

  /** Moves to show time `atS`; returns the beats advanced (≥ 0). The first call only sets the time. */
  advance(atS: number): number {
    if (this.now === null || !(atS > this.now)) {
      if (this.now === null) this.now = atS;
      return 0;
    }
    const dt = atS - this.now;
    this.now = atS;
    if (!this.running) return 0;
    const { d, pending } = slewStep(this.rate, this.pending, dt, this.slewBeats);
    this.pending = pending;
    this.beats += d;
    return d;
  }

  /** An explicit tempo (the tempo/bpm parameter, an OSC message): the rate changes, the position glides on. */
  setBpm(bpm: number): void {
    if (!Number.isFinite(bpm)) return;
    this.rate = clampBpm(bpm) / 60;
    this.source = 'set';
    this.correctionCount++;
  }

  /**
   * A beat pulse heard at show time `atS` (at most a frame ago or ahead). Locks to the nearest beat, or, with
   * `downbeat`, to the nearest bar line. A pulse after a long silence re-aligns the phase without touching the rate.
   */
  beat(atS: number, downbeat = false, source: TempoSource = 'beat'): void {
    this.correctionCount++;
    const pos = this.positionAt(atS);
    const unit = downbeat ? this.beatsPerBar : 1;
    const err = wrapHalf(-pos, unit);
    const fresh = this.lastPulse === null || atS - this.lastPulse > 4 / this.rate;
    if (fresh) this.pulses.length = 0;
    this.lastPulse = atS;
    this.source = source;
    if (fresh || downbeat) {
      this.pending += err;
      return;
    }
    // A sudden new tempo (the band stops and counts in slower) is no drift for the loop to follow slowly: when the
    // last few pulses agree with each other and not with the rate, take their tempo and their beat at once.
    const jump = this.tempoJump(atS);
    if (jump !== null) {
      this.rate = clampBpm(60 / jump) / 60;
      this.pending += wrapHalf(-this.positionAt(atS), 1);
      this.pulses.length = 0;
      return;
    }
    this.pending += this.phaseGain * err;
    this.rate = clampBpm(this.rate * 60 * (1 + this.rateGain * err)) / 60;
  }

  /** Tap tempo: each tap is a beat; two or more within 2 s of each other set the tempo from their median interval. */
  tap(atS: number): void {
    this.correctionCount++;
    const last = this.taps[this.taps.length - 1];
    if (last !== undefined && (atS - last > 2 || atS <= last)) this.taps.length = 0;
    this.taps.push(atS);
    if (this.taps.length > 8) this.taps.shift();
    if (this.taps.length >= 2) {
      const gaps = this.taps.slice(1).map((t, i) => t - (this.taps[i] as number)).sort((a, b) => a - b);
      const mid = gaps.length >> 1;
      const median = gaps.length % 2 === 1 ? (gaps[mid] as number) : ((gaps[mid - 1] as number) + (gaps[mid] as number)) / 2;
      this.rate = clampBpm(60 / median) / 60;
    }
    // A tap says "this is a beat" outright: its whole phase error is taken (slewed).
    this.pending += wrapHalf(-this.positionAt(atS), 1);
    this.lastPulse = atS;
    this.source = 'tap';
  }

  /** MIDI real-time: clock (24 per quarter note), start (the next pulse is a downbeat), continue, stop. */
  clock(event: 'clock' | 'start' | 'continue' | 'stop', atS: number): void {
    // A clock pulse nudges the rate a little each time; its beats (every 24th, through beat()) count as corrections.
    if (event !== 'clock') this.correctionCount++;
    switch (event) {
      case 'start':
        this.running = true;
        this.clockCount = 0;
        this.clockTimes.length = 0;
        this.downbeatNext = true;
        return;
      case 'continue':
        this.running = true;
        return;
      case 'stop':
        this.running = false;
        return;
      case 'clock':
        break;
    }
    this.clockTimes.push(atS);
    if (this.clockTimes.length > CLOCK_PPQN + 1) this.clockTimes.shift();
    // The rate from a whole quarter note of pulses: USB MIDI's per-pulse jitter averages out over 24 of them.
    if (this.clockTimes.length === CLOCK_PPQN + 1) {
      const span = (this.clockTimes[CLOCK_PPQN] as number) - (this.clockTimes[0] as number);
      if (span > 0) this.rate += 0.25 * (clampBpm(60 / span) / 60 - this.rate);
    }
    if (this.downbeatNext) {
      this.downbeatNext = false;
      this.clockCount = 0;
      this.beat(atS, true, 'clock');
    } else if (this.clockCount % CLOCK_PPQN === 0) {
      this.beat(atS, false, 'clock');
    }
    this.clockCount++;
    this.source = 'clock';
  }

  /** The interval of the last pulses when they agree (±4 %) on a tempo more than 8 % away from the rate; else null. */
  private tempoJump(atS: number): number | null {
    this.pulses.push(atS);
    if (this.pulses.length > 5) this.pulses.shift();
    if (this.pulses.length < 4) return null;
    const gaps = this.pulses.slice(1).map((t, i) => t - (this.pulses[i] as number)).sort((a, b) => a - b);
    const median = gaps[gaps.length >> 1] as number;
    if (!(median > 0) || gaps.some((g) => Math.abs(g / median - 1) > 0.04)) return null;
    return Math.abs(median * this.rate - 1) > 0.08 ? median : null;
  }

  /** Where the beat stands at `atS` (extrapolated from the last advance at the current rate, pending included). */
  private positionAt(atS: number): number {
    const now = this.now ?? atS;
    return this.beats + this.pending + (this.running ? (atS - now) * this.rate : 0);
  }
}
