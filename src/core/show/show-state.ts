import type { ParamSpec, ParamValue } from '../params/types.ts';
import type { FadeSource } from './fade.ts';
import { joinIndex, joinKey, Reporter, type ShowIssue } from './issues.ts';
import { isPlainObject, readArray, readBool, readEnum, readNullableNumber, readNumber, readObject, SECONDS } from './read.ts';
import { readParamValue } from './read-params.ts';

/** A fade in flight, with time as seconds already run (clock origins differ between page loads). */
export interface FadeState {
  readonly param: string;
  readonly source: FadeSource;
  readonly from: ParamValue;
  readonly to: ParamValue;
  readonly elapsed: number;
  readonly duration: number;
  readonly release: boolean;
}

/**
 * What the kiosk server persists so a reload or a browser crash comes back where it was: plain JSON. The 'show'
 * and 'pose' layers are not in it (the show file and the camera rebuild them); the desk's and the cues' are.
 */
export interface ShowState {
  readonly version: 1;
  /** The show it belongs to: a state saved under another show is not applied. */
  readonly show: string;
  /** Index into the cue list; −1 is standby before the first cue. */
  readonly cue: number;
  /** 0..1: how far the current cue's fades have run (1 when nothing is fading). For display. */
  readonly progress: number;
  /** Seconds until the current cue's auto-follow; null when none is pending. */
  readonly followIn: number | null;
  readonly blackout: boolean;
  /** The desk's own master/level before the blackout, restored when it lifts (null: the desk held none). */
  readonly deskLevelBefore: number | null;
  readonly fades: readonly FadeState[];
  readonly layers: { readonly desk: Readonly<Record<string, ParamValue>>; readonly cue: Readonly<Record<string, ParamValue>> };
  /** Reserved for OSC learn mappings (the OSC router owns their shape). */
  readonly oscLearn: readonly unknown[];
  /** MIDI controls learned while running, in show-file form (src/core/midi); absent in states saved before MIDI. */
  readonly midiLearn?: readonly unknown[];
}

export type ShowStateResult =
  | { readonly ok: true; readonly state: ShowState }
  | { readonly ok: false; readonly issues: readonly ShowIssue[] };

const STATE_KEYS = ['version', 'show', 'cue', 'progress', 'followIn', 'blackout', 'deskLevelBefore', 'fades', 'layers', 'oscLearn', 'midiLearn'];
const FADE_KEYS = ['param', 'source', 'from', 'to', 'elapsed', 'duration', 'release'];

function readLayer(r: Reporter, raw: unknown, path: string, specs: readonly ParamSpec[]): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  if (!isPlainObject(raw)) {
    r.expected(path, 'an object of parameter names and values', raw);
    return out;
  }
  for (const [name, value] of Object.entries(raw)) {
    const spec = specs.find((s) => s.name === name && s.access === 'rw');
    if (spec === undefined) r.add(joinKey(path, name), 'unknown or read-only parameter');
    else {
      const v = readParamValue(r, spec, value, joinKey(path, name));
      if (v !== undefined) out[name] = v;
    }
  }
  return out;
}

/**
 * Checks a persisted state before it touches the bus: it comes from disk, written by an older build perhaps, and
 * a corrupt file must lead to a clean start, not to a half-applied state.
 */
export function parseShowState(raw: unknown, specs: readonly ParamSpec[], cueCount: number): ShowStateResult {
  const r = new Reporter();
  const o = readObject(r, raw, '(state)', STATE_KEYS);
  if (o === undefined) {
    if (raw === undefined) r.expected('(state)', 'an object', raw);
    return { ok: false, issues: r.issues };
  }
  if (o.version !== 1) r.expected('version', '1', o.version);
  const show = typeof o.show === 'string' ? o.show : '';
  if (typeof o.show !== 'string') r.expected('show', 'the show name', o.show);
  const cue = readNumber(r, o.cue, 'cue', { expected: `a cue index from -1 to ${cueCount - 1}`, min: -1, max: cueCount - 1, integer: true }, -1);
  const fades: FadeState[] = [];
  (readArray(r, o.fades, 'fades', 'a list of fades') ?? []).forEach((item, i) => {
    const at = joinIndex('fades', i);
    const f = readObject(r, item, at, FADE_KEYS);
    if (f === undefined) return;
    const spec = specs.find((s) => s.name === f.param && s.access === 'rw');
    if (spec === undefined) {
      r.expected(joinKey(at, 'param'), 'a writable parameter name', f.param);
      return;
    }
    const from = readParamValue(r, spec, f.from, joinKey(at, 'from'));
    const to = readParamValue(r, spec, f.to, joinKey(at, 'to'));
    const source = readEnum(r, f.source, joinKey(at, 'source'), ['cue', 'desk'] as const, 'cue');
    const elapsed = readNumber(r, f.elapsed, joinKey(at, 'elapsed'), SECONDS, 0);
    const duration = readNumber(r, f.duration, joinKey(at, 'duration'), SECONDS, 0);
    const release = readBool(r, f.release, joinKey(at, 'release'), false);
    if (from !== undefined && to !== undefined) fades.push({ param: spec.name, source, from, to, elapsed, duration, release });
  });
  const layers = readObject(r, o.layers, 'layers', ['desk', 'cue']) ?? {};
  const state: ShowState = {
    version: 1,
    show,
    cue,
    progress: readNumber(r, o.progress, 'progress', { expected: 'a number from 0 to 1', min: 0, max: 1 }, 1),
    followIn: readNullableNumber(r, o.followIn, 'followIn', SECONDS, null),
    blackout: readBool(r, o.blackout, 'blackout', false),
    deskLevelBefore: readNullableNumber(r, o.deskLevelBefore, 'deskLevelBefore', { expected: 'a number from 0 to 1', min: 0, max: 1 }, null),
    fades,
    layers: { desk: readLayer(r, layers.desk ?? {}, 'layers.desk', specs), cue: readLayer(r, layers.cue ?? {}, 'layers.cue', specs) },
    oscLearn: readArray(r, o.oscLearn, 'oscLearn', 'a list') ?? [],
    ...(o.midiLearn !== undefined ? { midiLearn: readArray(r, o.midiLearn, 'midiLearn', 'a list') ?? [] } : {}),
  };
  return r.issues.length > 0 ? { ok: false, issues: r.issues } : { ok: true, state };
}
