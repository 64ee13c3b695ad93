import { describe, expect, it } from 'vitest';
import { PARAMS } from '../../../src/core/params/catalogue.ts';
import { parseShowState } from '../../../src/core/show/show-state.ts';
import { rig, run } from './rig.ts';

const THREE_CUES = {
  cues: [
    { number: 1, fade: 4, targets: { 'grade/contrast': 2, 'walk/speed': 3 } },
    { number: 2, fade: 3, targets: { 'grade/contrast': 0, 'vignette/amount': 1 } },
    { number: 2.5, fade: 5, targets: { 'grade/contrast': 1.5, 'walk/speed': { value: 0, fade: 6 } } },
  ],
};

describe('CueEngine fades', () => {
  it('fades linearly from the current value to the target over the cue time', () => {
    const r = rig(THREE_CUES);
    expect(r.engine.go()).toBe(true);
    expect(r.bus.get('grade/contrast')).toBe(1);
    run(r, 1);
    expect(r.bus.number('grade/contrast')).toBeCloseTo(1.25, 9);
    expect(r.bus.number('walk/speed')).toBeCloseTo(1.5, 9);
    expect(r.engine.progress()).toBeCloseTo(0.25, 9);
    run(r, 3.5);
    expect(r.bus.get('grade/contrast')).toBe(2);
    expect(r.bus.owner('grade/contrast')).toBe('cue');
    expect(r.engine.progress()).toBe(1);
  });

  it('stays continuous when cues interrupt each other mid-fade (sampled every 10 ms)', () => {
    const r = rig(THREE_CUES);
    const glide = ['grade/contrast', 'walk/speed', 'vignette/amount'];
    // The steepest fade here moves walk/speed by 3 in 4 s or grade/contrast by 2 in 3 s: under 0.0075 per 10 ms.
    const bound = 0.0075 + 1e-9;
    let previous = glide.map((n) => r.bus.number(n));
    let maxStep = 0;
    const gos: Record<number, () => void> = {
      37: () => r.engine.go(),
      153: () => r.engine.go(), // interrupts cue 1 at 1.16 s into its 4 s fade
      201: () => r.engine.go(), // interrupts cue 2 after 0.48 s
      330: () => r.engine.back(), // back to cue 2 mid-fade of 2.5
      420: () => r.engine.goto(1),
    };
    for (let i = 0; i < 1200; i++) {
      gos[i]?.();
      r.clock.advance(0.01);
      r.engine.tick();
      const now = glide.map((n) => r.bus.number(n));
      now.forEach((v, k) => (maxStep = Math.max(maxStep, Math.abs(v - (previous[k] as number)))));
      previous = now;
    }
    expect(maxStep).toBeGreaterThan(0.001);
    expect(maxStep).toBeLessThanOrEqual(bound);
    expect(r.engine.current).toBe(0);
    expect(r.bus.get('grade/contrast')).toBe(2);
  });

  it('starts an interrupting fade from where the interrupted one is, not from the last target', () => {
    const r = rig(THREE_CUES);
    r.engine.go();
    run(r, 2);
    const mid = r.bus.number('grade/contrast');
    expect(mid).toBeCloseTo(1.5, 9);
    r.engine.go();
    expect(r.bus.number('grade/contrast')).toBeCloseTo(mid, 12);
    run(r, 1.5);
    expect(r.bus.number('grade/contrast')).toBeCloseTo(mid / 2, 9);
  });

  it('switches ints, enums and bools when the fade starts', () => {
    const r = rig({ cues: [{ fade: 10, targets: { 'walk/mode': 'loop', 'walk/seed': 99, 'hud/visible': true, 'grain/amount': 0.5 } }] });
    r.engine.go();
    expect(r.bus.get('walk/mode')).toBe('loop');
    expect(r.bus.get('walk/seed')).toBe(99);
    expect(r.bus.get('hud/visible')).toBe(true);
    expect(r.bus.number('grain/amount')).toBeCloseTo(0.08, 12);
  });

  it('takes a parameter back from the desk on GO without a jump, and leaves the desk the ones it does not name', () => {
    const r = rig(THREE_CUES);
    r.bus.set('grade/contrast', 1.8, 'desk', { immediate: true });
    r.bus.set('grain/size', 3, 'desk');
    r.engine.go();
    expect(r.bus.owner('grade/contrast')).toBe('cue');
    expect(r.bus.layer('grade/contrast', 'desk')).toBeUndefined();
    expect(r.bus.number('grade/contrast')).toBeCloseTo(1.8, 12);
    run(r, 2);
    expect(r.bus.number('grade/contrast')).toBeCloseTo(1.9, 9);
    expect(r.bus.owner('grain/size')).toBe('desk');
  });

  it('fades parameters a cue no longer tracks back to the layers beneath, then releases them', () => {
    const r = rig({ ...THREE_CUES, params: { 'vignette/amount': 0.2 } });
    r.engine.go();
    r.engine.go();
    run(r, 5);
    expect(r.bus.get('vignette/amount')).toBe(1);
    expect(r.engine.back()).toBe(true);
    run(r, 2);
    expect(r.bus.number('vignette/amount')).toBeCloseTo(1 - 0.8 / 2, 9);
    run(r, 2.5);
    expect(r.bus.get('vignette/amount')).toBe(0.2);
    expect(r.bus.owner('vignette/amount')).toBe('show');
  });

  it('goes by cue number, refuses to run off either end, and reports the cue on the bus', () => {
    const r = rig(THREE_CUES);
    expect(r.engine.back()).toBe(false);
    expect(r.engine.goto(2.5)).toBe(true);
    expect(r.engine.current).toBe(2);
    expect(r.bus.get('status/cue')).toBe(2);
    expect(r.engine.goto(7)).toBe(false);
    expect(r.engine.go()).toBe(false);
    run(r, 10);
    // Cue 2.5 tracks cue 2's vignette: going straight there gives the same picture as walking through.
    expect(r.bus.get('vignette/amount')).toBe(1);
    expect(r.bus.get('walk/speed')).toBe(0);
  });
});

describe('CueEngine auto-follow', () => {
  const FOLLOWS = {
    cues: [
      { fade: 1, follow: 2.5, targets: { 'grade/contrast': 2 } },
      { fade: 1, follow: 1, targets: { 'grade/contrast': 0 } },
      { fade: 2, targets: { 'grade/contrast': 1 } },
    ],
  };

  it('fires the next cue exactly `follow` seconds after the previous one', () => {
    const r = rig(FOLLOWS);
    r.engine.go();
    run(r, 2.49);
    expect(r.engine.current).toBe(0);
    run(r, 0.02);
    expect(r.engine.current).toBe(1);
    run(r, 0.98);
    expect(r.engine.current).toBe(1);
    run(r, 0.02);
    expect(r.engine.current).toBe(2);
    run(r, 100);
    expect(r.engine.current).toBe(2);
  });

  it('times follows from their scheduled moment, so coarse ticks land on the same values as fine ones', () => {
    const fine = rig(FOLLOWS);
    const coarse = rig(FOLLOWS);
    fine.engine.go();
    coarse.engine.go();
    run(fine, 3, 0.01);
    run(coarse, 3, 1);
    expect(coarse.engine.current).toBe(1);
    // Cue 2 fired at 2.5 s: half its 1 s fade from 2 to 0 is done at 3 s.
    expect(coarse.bus.number('grade/contrast')).toBeCloseTo(1, 9);
    expect(fine.bus.number('grade/contrast')).toBeCloseTo(1, 6);
    const late = rig(FOLLOWS);
    late.engine.go();
    run(late, 4, 4);
    expect(late.engine.current).toBe(2);
    expect(late.bus.number('grade/contrast')).toBeCloseTo(0.25, 9);
  });

  it('wraps from the last cue to the first when the last one has a follow', () => {
    const r = rig({ cues: [{ follow: 1, targets: { 'walk/mode': 'loop' } }, { follow: 1, targets: { 'walk/mode': 'hold' } }] });
    r.engine.go();
    const seen: number[] = [];
    run(r, 4.5, 0.25, () => seen.push(r.engine.current));
    expect([...new Set(seen)]).toEqual([0, 1]);
    expect(seen.filter((c, i) => c !== seen[i - 1]).length).toBe(5);
  });
});

describe('CueEngine blackout and panic', () => {
  it('fades master/level to 0 over master/fade-seconds above every cue, and back to the cue level after', () => {
    const r = rig({ params: { 'master/fade-seconds': 2 }, cues: [{ targets: { 'master/level': 0.8 } }, { targets: { 'master/level': 1 } }] });
    r.engine.go();
    r.engine.blackout(true);
    run(r, 1);
    expect(r.bus.number('master/level')).toBeCloseTo(0.4, 9);
    run(r, 1.5);
    expect(r.bus.get('master/level')).toBe(0);
    r.engine.go();
    run(r, 1);
    expect(r.bus.get('master/level')).toBe(0);
    expect(r.engine.isBlackedOut).toBe(true);
    r.engine.blackout(false);
    run(r, 1);
    expect(r.bus.number('master/level')).toBeCloseTo(0.5, 9);
    run(r, 1.5);
    expect(r.bus.get('master/level')).toBe(1);
    expect(r.bus.owner('master/level')).toBe('cue');
  });

  it('panic drops desk and cue layers, stops fades and follows, and stands by before the first cue', () => {
    const r = rig({ ...THREE_CUES, params: { 'grade/contrast': 0.9 } });
    r.engine.go();
    r.bus.set('grain/size', 3, 'desk');
    r.engine.blackout(true);
    run(r, 1);
    r.engine.panic();
    // Released parameters return with the bus's own smoothing (0.3 s for contrast): settled well within 5 s.
    run(r, 5);
    expect(r.bus.get('grade/contrast')).toBe(0.9);
    expect(r.bus.get('grain/size')).toBe(1.2);
    expect(r.bus.target('master/level')).toBe(1);
    expect(r.engine.current).toBe(-1);
    expect(r.bus.get('status/cue')).toBe(-1);
    expect(r.engine.progress()).toBe(1);
  });
});

describe('ShowState', () => {
  it('comes back from JSON to the same values, fades and pending follow', () => {
    const raw = {
      cues: [
        { fade: 4, follow: 3, targets: { 'grade/contrast': 2, 'walk/mode': 'loop' } },
        { fade: 2, targets: { 'grade/contrast': 0.5, 'layout/grid': 2 } },
      ],
    };
    const a = rig(raw);
    a.engine.go();
    a.bus.set('grain/amount', 0.4, 'desk', { immediate: true });
    a.engine.blackout(true);
    a.engine.setOscLearn([{ address: '/fader/1', param: 'grade/contrast' }]);
    run(a, 1.3);
    const json = JSON.stringify(a.engine.state());

    const b = rig(raw, 5000);
    const parsed = parseShowState(JSON.parse(json), PARAMS, b.show.cues.length);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    b.engine.restore(parsed.state);
    const same = (): void => {
      for (const spec of PARAMS) {
        const x = a.bus.get(spec.name);
        const y = b.bus.get(spec.name);
        if (typeof x === 'number') expect(y, spec.name).toBeCloseTo(x, 9);
        else expect(y, spec.name).toEqual(x);
        expect(b.bus.owner(spec.name), spec.name).toBe(a.bus.owner(spec.name));
      }
      expect(b.engine.current).toBe(a.engine.current);
    };
    same();
    expect(b.engine.state().oscLearn).toEqual([{ address: '/fader/1', param: 'grade/contrast' }]);
    for (let i = 0; i < 8; i++) {
      run(a, 0.5);
      run(b, 0.5);
      same();
    }
    expect(a.engine.current).toBe(1);
  });

  it('refuses a corrupt or foreign state instead of half-applying it', () => {
    const r = rig(THREE_CUES);
    const bad = parseShowState({ version: 1, show: 'test', cue: 7, fades: [{ param: 'nope' }], layers: { desk: { 'grade/contrast': 9 } } }, PARAMS, 3);
    expect(bad.ok ? [] : bad.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'cue: expected a cue index from -1 to 2, got 7',
      'fades[0].param: expected a writable parameter name, got "nope"',
      'layers.desk["grade/contrast"]: expected a number from 0 to 2, got 9',
    ]);
    const other = { ...r.engine.state(), show: 'another' };
    expect(() => r.engine.restore(other)).toThrow(/another/);
  });
});
