import { describe, expect, it } from 'vitest';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS } from '../../../src/core/params/catalogue.ts';
import type { ParamChange, ParamSpec } from '../../../src/core/params/types.ts';

const specs: ParamSpec[] = [
  { name: 'a/float', type: 'float', min: 0, max: 10, default: 2, smoothing: 1, access: 'rw', description: '' },
  { name: 'a/int', type: 'int', min: -5, max: 5, default: 0, access: 'rw', description: '' },
  { name: 'a/bool', type: 'bool', default: false, access: 'rw', description: '' },
  { name: 'a/enum', type: 'enum', values: ['x', 'y', 'z'], default: 'x', access: 'rw', description: '' },
  { name: 'a/vec', type: 'vec', length: 2, min: -1, max: 1, default: [0, 0], smoothing: 0.5, access: 'rw', description: '' },
  { name: 'status/fps', type: 'float', min: 0, max: 1000, default: 0, access: 'r', description: '' },
];

describe('ParameterBus', () => {
  it('starts every parameter at its default, owned by the show', () => {
    const bus = new ParameterBus(specs);
    expect(bus.get('a/float')).toBe(2);
    expect(bus.get('a/enum')).toBe('x');
    expect(bus.owner('a/int')).toBe('show');
  });

  it('lets a higher-priority source win and falls back when it releases', () => {
    const bus = new ParameterBus(specs);
    bus.set('a/int', 1, 'show');
    bus.set('a/int', 2, 'pose');
    expect(bus.get('a/int')).toBe(2);
    bus.set('a/int', 3, 'desk');
    bus.set('a/int', 4, 'cue');
    expect(bus.get('a/int')).toBe(3);
    expect(bus.owner('a/int')).toBe('desk');
    bus.release('a/int', 'desk');
    expect(bus.get('a/int')).toBe(4);
    expect(bus.owner('a/int')).toBe('cue');
    bus.releaseAll('cue');
    expect(bus.get('a/int')).toBe(2);
    bus.release('a/int', 'pose');
    bus.release('a/int', 'show');
    expect(bus.get('a/int')).toBe(0);
  });

  it('tells the value beneath a source and can release without smoothing', () => {
    const bus = new ParameterBus(specs);
    expect(bus.valueBeneath('a/float', 'desk')).toBe(2);
    bus.set('a/float', 4, 'pose', { immediate: true });
    bus.set('a/float', 6, 'cue', { immediate: true });
    bus.set('a/float', 8, 'desk', { immediate: true });
    expect(bus.valueBeneath('a/float', 'desk')).toBe(6);
    expect(bus.valueBeneath('a/float', 'cue')).toBe(4);
    expect(bus.valueBeneath('a/float', 'pose')).toBe(2);
    bus.release('a/float', 'desk', { immediate: true });
    expect(bus.get('a/float')).toBe(6);
    bus.releaseAll('cue');
    expect(bus.get('a/float')).toBe(6); // smoothing: moving towards 4, not there yet
    bus.tick(100);
    expect(bus.get('a/float')).toBe(4);
  });

  it('clamps out-of-range numbers and says so', () => {
    const bus = new ParameterBus(specs);
    const r = bus.set('a/int', 99, 'desk');
    expect(r).toEqual({ ok: true, value: 5, clamped: true });
    expect(bus.get('a/int')).toBe(5);
  });

  it('refuses NaN, Infinity, wrong types and unknown names without changing anything', () => {
    const bus = new ParameterBus(specs);
    bus.set('a/int', 3, 'desk');
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 'three', null, {}, [1]]) {
      const r = bus.set('a/int', bad, 'desk');
      expect(r.ok).toBe(false);
    }
    expect(bus.get('a/int')).toBe(3);
    expect(bus.set('a/nope', 1, 'desk')).toEqual({ ok: false, error: 'unknown parameter "a/nope"' });
    expect(bus.set('a/enum', 'w', 'desk')).toEqual({ ok: false, error: 'a/enum: expected one of "x", "y", "z", got "w"' });
  });

  it('keeps status values read-only for every source but report()', () => {
    const bus = new ParameterBus(specs);
    expect(bus.set('status/fps', 60, 'desk').ok).toBe(false);
    expect(bus.report('status/fps', 60).ok).toBe(true);
    expect(bus.get('status/fps')).toBe(60);
  });

  it('maps 0..1 faders onto ranges and enum steps', () => {
    const bus = new ParameterBus(specs);
    bus.setNormalised('a/int', 0.75, 'desk');
    expect(bus.get('a/int')).toBe(3); // -5 + 0.75·10 = 2.5 → rounds to 3
    bus.setNormalised('a/enum', 0.5, 'desk');
    expect(bus.get('a/enum')).toBe('y');
    bus.setNormalised('a/enum', 1, 'desk');
    expect(bus.get('a/enum')).toBe('z');
    bus.setNormalised('a/bool', 0.6, 'desk');
    expect(bus.get('a/bool')).toBe(true);
  });

  it('smooths floats exponentially with the declared time constant', () => {
    const bus = new ParameterBus(specs);
    bus.set('a/float', 10, 'desk');
    expect(bus.get('a/float')).toBe(2);
    bus.tick(1); // one time constant: 63.2 % of the way
    expect(bus.number('a/float')).toBeCloseTo(2 + 8 * (1 - Math.exp(-1)), 9);
    for (let i = 0; i < 100; i++) bus.tick(0.5);
    expect(bus.get('a/float')).toBe(10);
  });

  it('jumps when asked for an immediate set, and smooths vectors in place without touching the default', () => {
    const bus = new ParameterBus(specs);
    bus.set('a/float', 7, 'cue', { immediate: true });
    expect(bus.get('a/float')).toBe(7);
    bus.set('a/vec', [1, -1], 'desk');
    bus.tick(0.5);
    const v = bus.vec('a/vec');
    expect(v[0]).toBeCloseTo(1 - Math.exp(-1), 9);
    expect(v[1]).toBeCloseTo(-(1 - Math.exp(-1)), 9);
    expect(specs[4]?.default).toEqual([0, 0]);
  });

  it('tells listeners what changed and who set it, once per change, and unsubscribes', () => {
    const bus = new ParameterBus(specs);
    const seen: ParamChange[] = [];
    const off = bus.subscribe((c) => seen.push(c));
    bus.set('a/int', 1, 'pose');
    bus.set('a/int', 1, 'pose');
    bus.set('a/int', 2, 'desk');
    off();
    bus.set('a/int', 3, 'desk');
    expect(seen).toEqual([
      { name: 'a/int', target: 1, source: 'pose' },
      { name: 'a/int', target: 2, source: 'desk' },
    ]);
    expect(bus.listenerCount()).toBe(0);
  });

  it('refuses a catalogue with a duplicate name or a default out of range', () => {
    expect(() => new ParameterBus([specs[0] as ParamSpec, specs[0] as ParamSpec])).toThrow(/declared twice/);
    expect(() => new ParameterBus([{ ...(specs[1] as ParamSpec), default: 9 } as ParamSpec])).toThrow(/default 9/);
  });

  it('accepts the real catalogue: unique names, defaults in range, OSC-safe names', () => {
    const bus = new ParameterBus(PARAMS);
    expect(bus.specs().length).toBe(PARAMS.length);
    for (const p of PARAMS) expect(p.name).toMatch(/^[a-z0-9-]+(\/[a-z0-9-]+)*$/);
  });
});
