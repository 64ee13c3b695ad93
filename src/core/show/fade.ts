import type { ParamSpec, ParamValue } from '../params/types.ts';

/** Sources the cue engine writes with: 'cue' for cues, 'desk' for the blackout (which must beat every cue). */
export type FadeSource = 'cue' | 'desk';

/** One parameter moving from where it was to where a cue (or the blackout) wants it. */
export interface Fade {
  readonly param: string;
  readonly source: FadeSource;
  readonly from: ParamValue;
  readonly to: ParamValue;
  /** Clock seconds at which the fade began. */
  readonly start: number;
  readonly duration: number;
  /** Drop the source's hold when the fade ends: a cue leaving a parameter, a blackout lifting. */
  readonly release: boolean;
}

/** Floats and vectors glide; ints, enums and bools have no in-between and switch when the fade starts. */
export function glides(spec: ParamSpec): boolean {
  return spec.type === 'float' || spec.type === 'vec';
}

/** 0 at the start, 1 at (and after) the end; a zero-length fade is done at once. */
export function fadeProgress(fade: Fade, now: number): number {
  if (!(fade.duration > 0)) return 1;
  const p = (now - fade.start) / fade.duration;
  return p <= 0 ? 0 : p >= 1 ? 1 : p;
}

/** Linear in value: a fader moved at an even speed, as lighting desks do; its slope is bounded, so an
 *  interrupted fade can hand over to the next one without a visible kink in speed larger than the two slopes. */
export function fadeValue(spec: ParamSpec, fade: Fade, p: number): ParamValue {
  if (!glides(spec) || p >= 1) return fade.to;
  if (typeof fade.from === 'number' && typeof fade.to === 'number') return fade.from + (fade.to - fade.from) * p;
  if (Array.isArray(fade.from) && Array.isArray(fade.to)) {
    const a = fade.from as readonly number[];
    const b = fade.to as readonly number[];
    return b.map((y, i) => (a[i] ?? y) + (y - (a[i] ?? y)) * p);
  }
  return fade.to;
}

/** A snapshot-safe copy: the bus hands out its live vector arrays, which tick() smooths in place. */
export function copyValue(v: ParamValue): ParamValue {
  return Array.isArray(v) ? [...(v as readonly number[])] : v;
}
