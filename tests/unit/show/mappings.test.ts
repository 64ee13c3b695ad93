import { describe, expect, it } from 'vitest';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS } from '../../../src/core/params/catalogue.ts';
import { applyDeadzone, applyMappings, mapFeature } from '../../../src/core/show/apply-mappings.ts';
import { applyAttract } from '../../../src/core/show/attract.ts';
import { applyCurve } from '../../../src/core/show/curves.ts';
import { creditsVisible } from '../../../src/core/show/sections/credits.ts';
import { CURVES, type Mapping } from '../../../src/core/show/types.ts';
import { showFrom } from './rig.ts';

function mapping(m: Partial<Mapping> & Pick<Mapping, 'feature' | 'param'>): Mapping {
  return { inputRange: [0, 1], outputRange: null, curve: 'linear', deadzone: 0, smoothing: 0, invert: false, ...m };
}

describe('curves', () => {
  it('all run monotonically from 0 to 1 and hold outside [0, 1]', () => {
    for (const curve of CURVES) {
      expect(applyCurve(curve, 0), curve).toBe(0);
      expect(applyCurve(curve, 1), curve).toBeCloseTo(1, 12);
      expect(applyCurve(curve, -3), curve).toBe(0);
      expect(applyCurve(curve, 7), curve).toBeCloseTo(1, 12);
      let previous = 0;
      for (let t = 0.01; t <= 1; t += 0.01) {
        const y = applyCurve(curve, t);
        expect(y, `${curve} at ${t}`).toBeGreaterThanOrEqual(previous - 1e-12);
        previous = y;
      }
    }
  });

  it('have their shapes', () => {
    expect(applyCurve('linear', 0.3)).toBeCloseTo(0.3, 12);
    expect(applyCurve('smoothstep', 0.25)).toBeCloseTo(0.15625, 12);
    expect(applyCurve('smoothstep', 0.5)).toBeCloseTo(0.5, 12);
    expect(applyCurve('ease-in', 0.5)).toBeCloseTo(0.25, 12);
    expect(applyCurve('ease-out', 0.5)).toBeCloseTo(0.75, 12);
    expect(applyCurve('exp', 0.5)).toBeCloseTo(Math.expm1(2) / Math.expm1(4), 12);
    expect(applyCurve('log', applyCurve('exp', 0.3))).toBeCloseTo(0.3, 12);
    expect(applyCurve('step', 0.49)).toBe(0);
    expect(applyCurve('step', 0.5)).toBe(1);
  });
});

describe('mapping maths', () => {
  it('deadzone zeroes the rest position and rescales the rest without a jump', () => {
    expect(applyDeadzone(0.05, 0.1)).toBe(0);
    expect(applyDeadzone(-0.1, 0.1)).toBe(0);
    expect(applyDeadzone(0.1 + 1e-9, 0.1)).toBeCloseTo(0, 8);
    expect(applyDeadzone(0.55, 0.1)).toBeCloseTo(0.5, 12);
    expect(applyDeadzone(-1, 0.1)).toBeCloseTo(-1, 12);
    expect(applyDeadzone(0.3, 0)).toBe(0.3);
  });

  it('maps the input range onto the output range, clamped at both ends', () => {
    const m = mapping({ feature: 'x', param: 'steer/0', inputRange: [-1, 1], outputRange: [-2, 2] });
    expect(mapFeature(m, 0, -3, 3)).toBeCloseTo(0, 12);
    expect(mapFeature(m, 0.5, -3, 3)).toBeCloseTo(1, 12);
    expect(mapFeature(m, 5, -3, 3)).toBe(2);
    expect(mapFeature(m, -5, -3, 3)).toBe(-2);
    const own = mapping({ feature: 'distance', param: 'walk/speed', inputRange: [0.2, 0.6] });
    expect(mapFeature(own, 0.4, 0, 4)).toBeCloseTo(2, 12);
  });

  it('invert turns the line round; a reversed range does the same', () => {
    const m = mapping({ feature: 'lean', param: 'steer/1', inputRange: [-1, 1], outputRange: [0, 1], invert: true });
    expect(mapFeature(m, -1, -3, 3)).toBeCloseTo(1, 12);
    expect(mapFeature(m, 0.5, -3, 3)).toBeCloseTo(0.25, 12);
    const reversed = mapping({ feature: 'lean', param: 'steer/1', inputRange: [1, -1], outputRange: [0, 1] });
    expect(mapFeature(reversed, 0.5, -3, 3)).toBeCloseTo(0.25, 12);
  });

  it('applies deadzone, then range, then curve', () => {
    const m = mapping({ feature: 'x', param: 'steer/0', inputRange: [-1, 1], outputRange: [0, 1], deadzone: 0.2, curve: 'ease-in' });
    expect(mapFeature(m, 0.1, -3, 3)).toBeCloseTo(0.25, 12);
    // 0.6 leaves the deadzone as 0.5, i.e. 0.75 along [-1, 1], squared by ease-in.
    expect(mapFeature(m, 0.6, -3, 3)).toBeCloseTo(0.5625, 12);
  });
});

describe('applyMappings', () => {
  it('writes pose-layer values, leaves parameters whose feature is missing, and counts its writes', () => {
    const bus = new ParameterBus(PARAMS);
    const ms = [
      mapping({ feature: 'x', param: 'steer/0', inputRange: [-1, 1], outputRange: [-2, 2] }),
      mapping({ feature: 'motion', param: 'walk/jitter' }),
    ];
    expect(applyMappings({ x: 0.5 }, ms, bus, 1 / 30)).toBe(1);
    expect(bus.target('steer/0')).toBeCloseTo(1, 12);
    expect(bus.owner('steer/0')).toBe('pose');
    expect(bus.layer('walk/jitter', 'pose')).toBeUndefined();
    bus.set('steer/0', -2, 'desk');
    applyMappings({ x: 1 }, ms, bus, 1 / 30);
    expect(bus.target('steer/0')).toBe(-2);
    expect(bus.layer('steer/0', 'pose')).toBe(2);
  });

  it('smooths with its own time constant, measured in seconds whatever the frame rate', () => {
    const at = (fps: number): number => {
      const bus = new ParameterBus(PARAMS);
      const ms = [mapping({ feature: 'distance', param: 'walk/truncation', outputRange: [0, 1], smoothing: 0.5 })];
      applyMappings({ distance: 0 }, ms, bus, 1 / fps);
      for (let i = 0; i < fps; i++) applyMappings({ distance: 1 }, ms, bus, 1 / fps);
      return bus.target('walk/truncation') as number;
    };
    // After 1 s towards 1 with τ = 0.5 s: 1 − e^−2.
    expect(at(30)).toBeCloseTo(1 - Math.exp(-2), 9);
    expect(at(60)).toBeCloseTo(1 - Math.exp(-2), 9);
  });

  it('steps enums and bools evenly over the input range', () => {
    const bus = new ParameterBus(PARAMS);
    const ms = [mapping({ feature: 'held', param: 'walk/mode' }), mapping({ feature: 'arms-open', param: 'hud/skeleton' })];
    applyMappings({ held: 0, 'arms-open': 0.4 }, ms, bus, 0.03);
    expect(bus.get('walk/mode')).toBe('tour');
    expect(bus.get('hud/skeleton')).toBe(false);
    applyMappings({ held: 0.5, 'arms-open': 0.6 }, ms, bus, 0.03);
    expect(bus.get('walk/mode')).toBe('random');
    expect(bus.get('hud/skeleton')).toBe(true);
  });

  it('uses mappings straight from a validated show', () => {
    const show = showFrom({ pose: { enabled: true, mappings: [{ feature: 'head-turn', param: 'grade/tint', outputRange: [-0.5, 0.5], invert: true }] } });
    const bus = new ParameterBus(PARAMS);
    applyMappings({ 'head-turn': 1 }, show.pose.mappings, bus, 0.03);
    expect(bus.target('grade/tint')).toBeCloseTo(-0.5, 12);
  });
});

describe('attract switch', () => {
  const show = showFrom({
    walk: { mode: 'tour' },
    pose: { enabled: true, mappings: [{ feature: 'x', param: 'steer/0' }, { feature: 'motion', param: 'walk/speed' }] },
    idle: { walk: { mode: 'noise-loop', speed: 0.3 }, params: { 'grade/saturation': 0.5 } },
  });

  it('holds idle values while nobody is there and hands back to the mappings and the show when someone comes', () => {
    const bus = new ParameterBus(PARAMS);
    bus.set('walk/mode', 'tour', 'show');
    applyMappings({ x: 1, motion: 1 }, show.pose.mappings, bus, 0.03);
    applyAttract(false, show, bus);
    expect(bus.target('walk/mode')).toBe('noise-loop');
    expect(bus.target('walk/speed')).toBe(0.3);
    expect(bus.target('grade/saturation')).toBe(0.5);
    expect(bus.layer('steer/0', 'pose')).toBeUndefined();
    applyAttract(true, show, bus);
    expect(bus.target('walk/mode')).toBe('tour');
    expect(bus.target('grade/saturation')).toBe(1);
    // Mapped and idle: the idle value stays until the mapping's next frame replaces it.
    expect(bus.target('walk/speed')).toBe(0.3);
    applyMappings({ motion: 0.5 }, show.pose.mappings, bus, 0.03);
    expect(bus.target('walk/speed')).toBe(2);
  });

  it('never overrides a cue or the desk', () => {
    const bus = new ParameterBus(PARAMS);
    bus.set('grade/saturation', 1.5, 'cue');
    applyAttract(false, show, bus);
    expect(bus.target('grade/saturation')).toBe(1.5);
  });
});

describe('credits schedule', () => {
  it('shows the last `seconds` of every period', () => {
    const c = { everyMinutes: 5, seconds: 20 };
    expect(creditsVisible(c, 0)).toBe(false);
    expect(creditsVisible(c, 279.9)).toBe(false);
    expect(creditsVisible(c, 280)).toBe(true);
    expect(creditsVisible(c, 299.9)).toBe(true);
    expect(creditsVisible(c, 300)).toBe(false);
    expect(creditsVisible(c, 580)).toBe(true);
    expect(creditsVisible(null, 280)).toBe(false);
  });
});
