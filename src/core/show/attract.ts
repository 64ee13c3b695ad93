import type { ParameterBus } from '../params/bus.ts';
import type { Show } from './types.ts';

/**
 * The engage/attract switch, coordinated only through the bus. Idle values live on the 'pose' layer: they are what
 * the pose input "says" while nobody is there, so cues and the desk still override them, and the show's own start
 * values come back underneath whatever idle does not name.
 * - nobody (present false): mapped parameters are released, idle values are set;
 * - someone: idle values the mappings do not drive are released; the mappings take over the rest on their next
 *   frame, their smoothing starting from the idle value, so engaging does not jump.
 * Idempotent: the frame loop may call it every frame (the bus notifies only on real changes).
 */
export function applyAttract(present: boolean, show: Pick<Show, 'pose' | 'idle'>, bus: ParameterBus): void {
  const idle = show.idle.values;
  if (present) {
    for (const name of Object.keys(idle)) {
      if (!show.pose.mappings.some((m) => m.param === name)) bus.release(name, 'pose');
    }
    return;
  }
  for (const m of show.pose.mappings) {
    if (!(m.param in idle)) bus.release(m.param, 'pose');
  }
  for (const [name, value] of Object.entries(idle)) bus.set(name, value, 'pose');
}

/** Writes the show's start values on the 'show' layer (the lowest: everything else overrides them). */
export function applyInitial(show: Pick<Show, 'initial'>, bus: ParameterBus): void {
  for (const [name, value] of Object.entries(show.initial)) bus.set(name, value, 'show', { immediate: true });
}
