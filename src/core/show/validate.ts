import { PARAMS } from '../params/catalogue.ts';
import type { ParamSpec } from '../params/types.ts';
import { Reporter, type ShowIssue } from './issues.ts';
import { isPlainObject, readNullableNumber, readObject, readString } from './read.ts';
import { readCredits } from './sections/credits.ts';
import { readCues } from './sections/cues.ts';
import { readIdle } from './sections/idle.ts';
import { readInitial } from './sections/initial.ts';
import { readKiosk } from './sections/kiosk.ts';
import { readMidi } from './sections/midi.ts';
import { readTempo } from './sections/tempo.ts';
import { readBackend, readModel } from './sections/model.ts';
import { readOsc } from './sections/osc.ts';
import { readPose } from './sections/pose.ts';
import { readPrivacy } from './sections/privacy.ts';
import { readScreens } from '../screens/section.ts';
import type { Show } from './types.ts';

export const SHOW_KEYS = [
  'name', 'description', 'model', 'backend', 'walk', 'render', 'params', 'pose', 'osc', 'midi', 'tempo', 'cues', 'startCue', 'idle',
  'credits', 'kiosk', 'privacy', 'screens',
] as const;

export type ShowResult =
  | { readonly ok: true; readonly show: Show }
  | { readonly ok: false; readonly issues: readonly ShowIssue[] };

export interface ValidateOptions {
  /** Name to use when the file has no "name" (the CLI and the loader pass the file's base name). */
  readonly name?: string;
  /** The parameter catalogue to check against; the real one unless a test brings its own. */
  readonly specs?: readonly ParamSpec[];
}

/** Freezes the whole tree: a Show is shared by every part of the app and must not change under any of them. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Turns parsed JSON into a Show, or lists every problem (each with its path) in file order. All defaults are
 * merged here, once; nothing downstream needs to know what a file may leave out.
 */
export function validateShow(raw: unknown, options: ValidateOptions = {}): ShowResult {
  const specs = options.specs ?? PARAMS;
  const r = new Reporter();
  // Top-level keys read as bare names ("cues[3].fade"); only a file that is not an object at all says "(show)".
  if (!isPlainObject(raw)) r.expected('(show)', 'an object', raw);
  const o = (isPlainObject(raw) ? readObject(r, raw, '', SHOW_KEYS) : undefined) ?? {};
  const privacy = readPrivacy(r, o.privacy, 'privacy');
  const cues = readCues(r, o.cues, 'cues', specs);
  const startCue = readNullableNumber(r, o.startCue, 'startCue', { expected: 'the number of a cue', above: 0 }, null);
  if (startCue !== null && !cues.some((c) => c.number === startCue)) {
    const numbers = cues.map((c) => c.number).join(', ');
    r.add('startCue', `expected the number of a cue (${cues.length > 0 ? numbers : 'the show has no cues'}) or null, got ${startCue}`);
  }
  const pose = readPose(r, o.pose, 'pose', specs, privacy.allowFrameCapture);
  const show: Show = {
    name: readString(r, o.name, 'name', 'a non-empty text', options.name ?? 'show', (s) => s.trim().length > 0),
    description: readString(r, o.description, 'description', 'a text', ''),
    model: readModel(r, o.model, 'model'),
    backend: readBackend(r, o.backend, 'backend'),
    initial: readInitial(r, { walk: o.walk, render: o.render, params: o.params }, specs),
    pose,
    osc: readOsc(r, o.osc, 'osc'),
    midi: readMidi(r, o.midi, 'midi', specs, cues.map((c) => c.number)),
    tempo: readTempo(r, o.tempo, 'tempo', specs, pose.mappings.map((m) => m.param)),
    cues,
    startCue,
    idle: readIdle(r, o.idle, 'idle', specs),
    credits: readCredits(r, o.credits, 'credits'),
    kiosk: readKiosk(r, o.kiosk, 'kiosk'),
    privacy,
    screens: readScreens(r, o.screens, 'screens'),
  };
  if (r.issues.length > 0) return { ok: false, issues: sortIssues(r.issues) };
  return { ok: true, show: deepFreeze(show) };
}

/** File order of the top-level sections, so the list reads top to bottom like the file (and stays stable). */
function sortIssues(issues: readonly ShowIssue[]): readonly ShowIssue[] {
  const rank = (path: string): number => {
    const head = /^[A-Za-z$]+/.exec(path)?.[0] ?? '';
    const i = (SHOW_KEYS as readonly string[]).indexOf(head);
    return i < 0 ? -1 : i;
  };
  return issues.map((issue, i) => ({ issue, i })).sort((a, b) => rank(a.issue.path) - rank(b.issue.path) || a.i - b.i).map((x) => x.issue);
}
