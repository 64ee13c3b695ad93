import { describe, expect, it } from 'vitest';
import { governedBus } from '../../../src/app/governed-bus.ts';
import { FrameGovernor } from '../../../src/core/governor/index.ts';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS, type SitterBus } from '../../../src/core/params/catalogue.ts';
import { parseVitals } from '../../../kiosk/server/vitals.ts';

/** A governor driven all the way down by frames far slower than its target. */
function floored(): FrameGovernor {
  const g = new FrameGovernor({ targetFps: 60 });
  for (let i = 0; i < 200; i++) g.tick(0.5);
  expect(g.level).toBe(g.maxLevel);
  return g;
}

describe('governedBus', () => {
  it('caps the governed knobs as read, leaves the bus, other parameters and desk-held knobs alone', () => {
    const bus: SitterBus = new ParameterBus(PARAMS);
    let g: FrameGovernor | null = null;
    const view = governedBus(bus, () => g);
    bus.set('paint/radius', 6, 'cue');
    bus.set('layout/upscale', 'x4', 'show');
    bus.set('layout/resolution-scale', 1, 'show', { immediate: true });
    expect(view.number('paint/radius')).toBe(6);
    g = floored();
    expect(view.number('paint/radius')).toBe(1);
    expect(view.string('layout/upscale')).toBe('off');
    expect(view.number('layout/resolution-scale')).toBe(0.4);
    // The bus itself still holds what its sources set; the cue's value is not overwritten.
    expect(bus.number('paint/radius')).toBe(6);
    expect(bus.layer('paint/radius', 'cue')).toBe(6);
    expect(view.number('paint/amount')).toBe(bus.number('paint/amount'));
    // The operator wins.
    bus.set('paint/radius', 7, 'desk');
    expect(view.number('paint/radius')).toBe(7);
    // Writes through the view reach the one bus.
    view.set('paint/amount', 0.5, 'show', { immediate: true });
    expect(bus.number('paint/amount')).toBe(0.5);
    expect(view.owner('paint/radius')).toBe('desk');
  });

  it('reaches /health: the kiosk server keeps the heartbeat\'s governor line', () => {
    expect(parseVitals({ fps: 20, governor: 'level 3/12, 20.0 of 60 fps' }).governor).toBe('level 3/12, 20.0 of 60 fps');
    expect(parseVitals({ fps: 20 }).governor).toBe('off');
  });
});
