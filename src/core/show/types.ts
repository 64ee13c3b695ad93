import type { GovernorKnob } from '../governor/governor.ts';
import type { ScreensConfig } from '../screens/types.ts';
import type { MidiMapping } from '../midi/types.ts';
import type { BeatPulse } from '../tempo/pulse.ts';
import type { ParamValue } from '../params/types.ts';
import type { PoseFeature } from '../pose/feature-names.ts';
import type { ParamValues } from './read-params.ts';

/**
 * The validated show: what the rest of Sitter reads. Built once from a show file by validateShow(), with every
 * default filled in and every parameter name and value already checked against the catalogue; frozen, so nothing
 * downstream can edit it by accident. No code outside src/core/show/ ever sees the raw JSON.
 */
export interface Show {
  /** From the file's "name", else its file name. */
  readonly name: string;
  readonly description: string;
  /** Folder under models/. */
  readonly model: string;
  /** Backends to try, in order ("auto" becomes webgpu, webgl, wasm, cpu). */
  readonly backend: readonly BackendChoice[];
  /**
   * Start values (the bus's 'show' layer) from the file's walk, render and params sections, merged: full
   * parameter names to values. Parameters not named keep their catalogue default.
   */
  readonly initial: ParamValues;
  readonly pose: PoseConfig;
  readonly osc: OscConfig;
  readonly midi: MidiConfig;
  readonly tempo: TempoConfig;
  readonly cues: readonly Cue[];
  /** Number of the cue to GO by itself when the show starts; null waits for the operator. */
  readonly startCue: number | null;
  readonly idle: IdleConfig;
  readonly credits: CreditsConfig | null;
  readonly kiosk: KioskConfig;
  readonly privacy: PrivacyConfig;
  /** Several screens showing one walk (src/core/screens); null for a single screen. */
  readonly screens: ScreensConfig | null;
}

export const BACKEND_CHOICES = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export const CURVES = ['linear', 'smoothstep', 'exp', 'log', 'ease-in', 'ease-out', 'step'] as const;
export type Curve = (typeof CURVES)[number];

export interface Mapping {
  readonly feature: PoseFeature;
  /** Full catalogue name of a writable float, int, bool or enum parameter. */
  readonly param: string;
  /** Feature values mapped to the ends of the output; outside it the output holds at its ends. */
  readonly inputRange: readonly [number, number];
  /** Parameter values at the two ends (defaults to the parameter's own min..max; bools and enums step evenly). */
  readonly outputRange: readonly [number, number] | null;
  readonly curve: Curve;
  /** Feature values within ±deadzone of 0 (the feature's rest) count as 0; the rest is rescaled so nothing jumps. */
  readonly deadzone: number;
  /** Time constant in seconds of the exponential smoothing of the output; 0 follows at once. */
  readonly smoothing: number;
  readonly invert: boolean;
}

export interface PoseConfig {
  readonly enabled: boolean;
  readonly camera: {
    readonly deviceId: string | null;
    /** Substring of the device label, for when deviceIds change (they do, per origin and after replugging). */
    readonly label: string | null;
    readonly width: number;
    readonly height: number;
  };
  readonly delegate: 'CPU' | 'GPU';
  readonly model: 'lite' | 'full' | 'heavy';
  readonly maxPeople: number;
  readonly presence: { readonly enterSeconds: number; readonly leaveSeconds: number };
  readonly heldSeconds: number;
  /** One-Euro filter (Casiez et al. 2012) applied to landmarks. */
  readonly filter: { readonly minCutoff: number; readonly beta: number; readonly derivativeCutoff: number };
  readonly privacyNotice: { readonly enabled: boolean; readonly text: string };
  readonly mappings: readonly Mapping[];
}

export interface OscConfig {
  readonly port: number;
  /** Local addresses the UDP socket binds. */
  readonly bind: readonly string[];
  /** Senders accepted (IPv4/IPv6 addresses or CIDR ranges); empty accepts anyone who can reach a bound address. */
  readonly allow: readonly string[];
  /**
   * Web origins ("http://192.168.1.30:8000") whose pages may open the desk WebSockets besides the kiosk page itself:
   * a browser-based desk tool. Clients that send no Origin (native OSCQuery desks) need no entry.
   */
  readonly allowOrigins: readonly string[];
  readonly feedback: { readonly host: string; readonly port: number; readonly rateHz: number } | null;
}

export interface MidiConfig {
  readonly enabled: boolean;
  /** Substring of the input port names to listen to; null listens to every input. */
  readonly input: string | null;
  /** Substring of the output port names feedback goes to; null: the outputs whose names match `input`. */
  readonly output: string | null;
  readonly feedback: boolean;
  readonly feedbackRateHz: number;
  /** Follow MIDI clock (24 ppqn, start/stop/continue) as the tempo source. */
  readonly clock: boolean;
  readonly mappings: readonly MidiMapping[];
}

export interface TempoConfig {
  /** Parameters that pulse on the beat (src/core/tempo/pulse.ts), written on the pose layer. */
  readonly pulses: readonly BeatPulse[];
}

export interface CueTarget {
  readonly param: string;
  readonly value: ParamValue;
  /** Seconds: the target's own fade, else its cue's. */
  readonly fade: number;
}

export interface Cue {
  /** The number operators call it by (1, 2, 2.5…); defaults to its position counted from 1. */
  readonly number: number;
  readonly name: string;
  readonly fade: number;
  readonly targets: readonly CueTarget[];
  /** Seconds after this cue's GO at which the next cue GOes by itself (the last cue wraps to the first). */
  readonly follow: number | null;
  /** Bars of the tempo after this cue's GO (landing on a bar line) at which the next cue GOes; exclusive with follow. */
  readonly followBars: number | null;
}

export interface IdleConfig {
  /** Full parameter names to values that hold while nobody is in front of the camera (attract mode). */
  readonly values: ParamValues;
}

export interface CreditsConfig {
  readonly everyMinutes: number;
  readonly seconds: number;
}

export interface KioskConfig {
  /** Local time "HH:MM" of a daily restart, or null for none. */
  readonly dailyRestart: string | null;
  readonly watchdog: {
    readonly heartbeatTimeoutSeconds: number;
    /** 0 turns the check off. */
    readonly minFps: number;
    readonly maxHeapMb: number;
    readonly maxTensors: number;
  };
  /**
   * The rate the frame-budget governor holds (src/core/governor), 0 = governor off. Default 60, the usual display
   * rate: on a 50 Hz display say 50, or it will cap knobs chasing frames the screen never shows.
   */
  readonly targetFps: number;
  readonly governor: {
    /** The knobs it may lower, first lowered first (knobs left out are never touched). */
    readonly order: readonly GovernorKnob[];
  };
}

export interface PrivacyConfig {
  /** No camera frame is ever stored or sent anywhere unless this is true. */
  readonly allowFrameCapture: boolean;
}
