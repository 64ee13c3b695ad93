import type { FrameGovernor } from '../core/governor/index.ts';
import type { SitterBus } from '../core/params/catalogue.ts';

/**
 * The bus as the renderer, the pipeline and the generator read it, with the frame-budget governor's ceilings on the
 * knobs it may lower (src/core/governor). A view, not a layer: writes, owners and every other parameter pass to the
 * real bus untouched, so cues and the desk see their own values, and a knob the desk holds is never capped.
 *
 * Why a view: those readers call bus.number()/string() themselves; capping at their read keeps the governor out of
 * the bus's source order. The view is an object whose prototype is the bus (state lives on the bus, none on it), with
 * number() and string() replaced. Nothing is allocated per read.
 */
export function governedBus(bus: SitterBus, governor: () => FrameGovernor | null): SitterBus {
  const view = Object.create(bus) as SitterBus;
  view.number = (name) => {
    const v = bus.number(name);
    const g = governor();
    if (!g) return v;
    switch (name) {
      case 'paint/radius':
      case 'layout/grid':
      case 'layout/resolution-scale':
        return g.capNumber(name, v, bus.owner(name) === 'desk');
      default:
        return v;
    }
  };
  view.string = (name) => {
    const v = bus.string(name);
    const g = governor();
    return g && name === 'layout/upscale' ? g.capUpscale(v, bus.owner(name) === 'desk') : v;
  };
  return view;
}
