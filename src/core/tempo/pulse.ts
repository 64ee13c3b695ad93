/**
 * A parameter that pulses on the beat: an envelope (linear attack, exponential decay) restarted on every beat or
 * every downbeat, mapped onto a range of the parameter. Times are in seconds so a pulse feels the same at any tempo
 * (a decay longer than the beat simply never reaches rest).
 */
export const PULSE_EVERY = ['beat', 'bar'] as const;
export type PulseEvery = (typeof PULSE_EVERY)[number];

export interface BeatPulse {
  /** A writable float or int parameter. */
  readonly param: string;
  readonly every: PulseEvery;
  /** The value at rest and at the peak of the pulse. */
  readonly range: readonly [number, number];
  /** Seconds from rest to peak. */
  readonly attack: number;
  /** Time constant in seconds of the fall back to rest. */
  readonly decay: number;
}

/** 0 at the beat, 1 after `attack`, then e^(−t/decay) back towards 0. */
export function envelope(sinceS: number, attack: number, decay: number): number {
  if (!(sinceS >= 0)) return 0;
  if (sinceS < attack) return sinceS / attack;
  return decay > 0 ? Math.exp(-(sinceS - attack) / decay) : 0;
}

export interface TempoPosition {
  readonly beats: number;
  readonly beatsPerBar: number;
  readonly bpm: number;
}

/** Position within the bar, 0 ≤ phase < 1 (0 on the downbeat). */
export function barPhase(t: TempoPosition): number {
  const b = t.beats / t.beatsPerBar;
  return b - Math.floor(b);
}

/** The pulse's value at the tempo's position. */
export function pulseValue(p: BeatPulse, t: TempoPosition): number {
  const unit = p.every === 'bar' ? t.beatsPerBar : 1;
  const sinceBeats = t.beats - Math.floor(t.beats / unit) * unit;
  const e = envelope((sinceBeats * 60) / t.bpm, p.attack, p.decay);
  return p.range[0] + e * (p.range[1] - p.range[0]);
}
