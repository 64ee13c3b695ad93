import type { WalkSettings } from '../latent/walk-settings.ts';
import { copyWalkSettings, createWalkSettings } from '../latent/walk-settings.ts';
import { wrapHalf } from './tempo.ts';

import { WALK_SYNC_MODES } from '../params/catalogue.ts';

export { WALK_SYNC_MODES };
export type WalkSync = (typeof WALK_SYNC_MODES)[number];

export interface SyncInput {
  readonly sync: WalkSync;
  /** Keyframe spacing in the sync unit: beats (sync beat) or bars (sync bar). */
  readonly spacing: number;
  readonly beatsPerBar: number;
  readonly bpm: number;
  /** The tempo's absolute position (Tempo.beats) after this frame, and how far it moved in this frame. */
  readonly beats: number;
  readonly deltaBeats: number;
  /** This frame's length in show seconds (the phase alignment's time constant is in seconds). */
  readonly dtSeconds: number;
  /** The walker's motion position in keyframes before this step (Walker.position()). */
  readonly position: number | null;
}

/** How fast a walk out of phase comes into phase: ±50 % of its rate at most, closing the gap with this time constant. */
const ALIGN_SECONDS = 2;
const ALIGN_MAX_RATE = 0.5;

/**
 * Runs the walker in beat time when `walk/sync` is on. The walker stays what it is — it advances by the dt it is
 * handed — and is handed beats instead of seconds: dt = the frame's beats, keyframe-seconds = the keyframe spacing
 * in beats, speed 1 (speed 0 still stops it), blend-seconds converted to beats at the current tempo. Its keyframe
 * position is then the tempo's position divided by the spacing, however the tempo ramps or wobbles, so a loop of
 * K keyframes spaced `spacing` bars closes on a downbeat every K × spacing bars, and the same inputs give the same
 * steps (determinism is the walker's own). A walk out of phase (sync just turned on, a new loop started mid-bar) is
 * brought into phase by running up to 50 % faster or slower, never by a jump.
 */
export class WalkSyncer {
  private readonly out: WalkSettings = createWalkSettings();

  /** The (dt, settings) to step the walker with this frame; off: the frame's own. */
  step(dtSeconds: number, s: WalkSettings, input: SyncInput): { readonly dt: number; readonly settings: WalkSettings } {
    if (input.sync === 'off' || !(input.spacing > 0) || !(input.bpm > 0)) return { dt: dtSeconds, settings: s };
    const o = copyWalkSettings(s, this.out);
    const spacingBeats = input.spacing * (input.sync === 'bar' ? input.beatsPerBar : 1);
    o.speed = s.speed > 0 ? 1 : 0;
    o.keyframeSeconds = spacingBeats;
    o.blendSeconds = (s.blendSeconds * input.bpm) / 60;
    const nominal = input.deltaBeats / spacingBeats;
    let keyframes = nominal;
    const period = s.mode === 'loop' || s.mode === 'noise-loop' ? s.loopKeyframes : s.mode === 'tour' ? 1 : 0;
    if (period > 0 && input.position !== null && o.speed > 0) {
      // Where the walk should be after this frame, and how far it is from there.
      const target = input.beats / spacingBeats;
      const err = wrapHalf(target - (input.position + nominal), period);
      const k = 1 - Math.exp(-Math.max(0, input.dtSeconds) / ALIGN_SECONDS);
      const limit = ALIGN_MAX_RATE * nominal;
      // Within a billionth of a keyframe it is in phase: take the whole error, so the lock stays exact.
      const corr = Math.abs(err) < 1e-9 ? err : Math.min(limit, Math.max(-limit, err * k));
      keyframes = Math.max(0, nominal + corr);
    }
    return { dt: keyframes * spacingBeats, settings: o };
  }
}
