import type { BoolSpec } from '../params/types.ts';
import type { CommandName } from './address-space.ts';
import { argsForSpec, isPress, numberArg, readArg, typeTags } from './args.ts';
import type { LearnTable } from './learn.ts';
import type { DeskCommand, DropReason, OscMessage } from './types.ts';

/**
 * Reads a command message into a DeskCommand. `fadeSeconds` for a blackout is filled in when the frame applies it
 * (it reads master/fade-seconds then), so here it is 0.
 */
export type CommandRead =
  | { readonly ok: true; readonly command: DeskCommand }
  /** A button release (0 or F): nothing to do, by design. */
  | { readonly ok: 'released' }
  | { readonly ok: false; readonly reason: DropReason; readonly detail: string };

const ON_OFF: BoolSpec = { name: 'on-off', type: 'bool', default: false, access: 'rw', description: '' };
/** walk/target's range: a portrait number is the seed of one latent, a non-negative int32. */
const MAX_PORTRAIT = 2147483647;

function press(msg: OscMessage, command: DeskCommand): CommandRead {
  const p = isPress(msg);
  if (typeof p === 'object') return { ok: false, reason: p.reason, detail: p.detail };
  return p ? { ok: true, command } : { ok: 'released' };
}

export function readCommand(name: CommandName, msg: OscMessage, cueIndex: number | undefined, learn: LearnTable | undefined): CommandRead {
  switch (name) {
    case 'cue/go':
      return press(msg, { kind: 'cue-go' });
    case 'cue/back':
      return press(msg, { kind: 'cue-back' });
    case 'cue/n':
      return press(msg, { kind: 'cue-goto', index: cueIndex ?? 0 });
    case 'panic':
      return press(msg, { kind: 'panic' });
    case 'tempo/beat':
      return press(msg, { kind: 'tempo-beat' });
    case 'tempo/tap':
      return press(msg, { kind: 'tempo-tap' });
    case 'portrait/goto': {
      const n = numberArg(msg);
      if (!n.ok) return n;
      const portrait = Math.round(n.value);
      if (portrait < 0 || portrait > MAX_PORTRAIT) return { ok: false, reason: 'out-of-range', detail: `portrait ${n.value} outside 0..${MAX_PORTRAIT}` };
      return { ok: true, command: { kind: 'portrait-goto', portrait } };
    }
    case 'hud':
    case 'blackout':
    case 'record': {
      const v = argsForSpec(ON_OFF, msg);
      if (!v.ok) return v;
      const on = typeof v.value === 'number' ? v.value >= 0.5 : v.value === true;
      if (name === 'record') return { ok: true, command: { kind: 'record', on } };
      return { ok: true, command: name === 'hud' ? { kind: 'hud', visible: on } : { kind: 'blackout', on, fadeSeconds: 0 } };
    }
    case 'learn': {
      if (!learn) return { ok: false, reason: 'unknown-address', detail: 'learn mode is not enabled' };
      const s = readArg(typeTags(msg)[0], msg.args[0]);
      if (!s.ok) return s;
      if (typeof s.value !== 'string') return { ok: false, reason: 'wrong-type', detail: 'expected the parameter name as a string' };
      const armed = learn.arm(s.value);
      if (!armed.ok) return { ok: false, reason: 'out-of-range', detail: armed.error };
      return { ok: true, command: { kind: 'learn-armed', param: s.value } };
    }
    case 'learn/cancel': {
      if (!learn) return { ok: false, reason: 'unknown-address', detail: 'learn mode is not enabled' };
      const r = press(msg, { kind: 'learn-cancelled' });
      if (r.ok === true) learn.cancel();
      return r;
    }
  }
}
