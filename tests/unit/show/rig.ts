import { ManualClock } from '../../../src/core/clock.ts';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS } from '../../../src/core/params/catalogue.ts';
import { applyInitial } from '../../../src/core/show/attract.ts';
import { CueEngine } from '../../../src/core/show/cue-engine.ts';
import { formatIssue } from '../../../src/core/show/issues.ts';
import type { Show } from '../../../src/core/show/types.ts';
import { validateShow } from '../../../src/core/show/validate.ts';

/** A show from inline JSON, validated like a file; throws with the messages when the test's own show is wrong. */
export function showFrom(raw: Record<string, unknown>, name = 'test'): Show {
  const result = validateShow(raw, { name });
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.show;
}

export interface Rig {
  readonly show: Show;
  readonly bus: ParameterBus;
  readonly clock: ManualClock;
  readonly engine: CueEngine;
}

/** A real bus over the real catalogue, a manual clock and an engine: the pieces the app wires together. */
export function rig(raw: Record<string, unknown>, start = 0): Rig {
  const show = showFrom(raw);
  const bus = new ParameterBus(PARAMS);
  applyInitial(show, bus);
  const clock = new ManualClock(start);
  return { show, bus, clock, engine: new CueEngine(show, bus, clock) };
}

/** Advances the clock in steps of `dt` up to `seconds`, ticking the engine then the bus each step, as the frame
 *  loop does. */
export function run(r: Rig, seconds: number, dt = 0.01, each?: () => void): void {
  const steps = Math.round(seconds / dt);
  for (let i = 0; i < steps; i++) {
    r.clock.advance(dt);
    r.engine.tick();
    r.bus.tick(dt);
    each?.();
  }
}
