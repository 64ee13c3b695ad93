/** The show's tempo (a phase-locked beat position) and the walk's lock to it. */
export { clampBpm, MAX_BPM, MIN_BPM, SLEW_BEATS, stepTempo, Tempo, wrapHalf, type TempoOptions, type TempoSource, type TempoState } from './tempo.ts';
export { WALK_SYNC_MODES, WalkSyncer, type SyncInput, type WalkSync } from './walk-sync.ts';
export { barPhase, envelope, PULSE_EVERY, pulseValue, type BeatPulse, type PulseEvery, type TempoPosition } from './pulse.ts';
