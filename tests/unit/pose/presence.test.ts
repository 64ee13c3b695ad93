import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { HeldPoseDetector } from '../../../src/core/pose/held.ts';
import { PresenceHysteresis } from '../../../src/core/pose/presence.ts';

/** Feeds `seen` every 1/30 s for `seconds` on the clock, returning the last mode. */
function run(p: PresenceHysteresis, clock: ManualClock, seen: boolean, seconds: number): string {
  let mode = p.mode();
  for (let i = 0; i < Math.round(seconds * 30); i++) mode = p.update(seen, clock.advance(1 / 30));
  return mode;
}

describe('PresenceHysteresis', () => {
  it('engages only after someone has been seen for enterSeconds', () => {
    const clock = new ManualClock();
    const p = new PresenceHysteresis({ enterSeconds: 1, leaveSeconds: 3 });
    p.update(true, clock.now());
    expect(run(p, clock, true, 0.9)).toBe('attract');
    expect(run(p, clock, true, 0.2)).toBe('engage');
  });

  it('returns to attract mode only after nobody has been seen for leaveSeconds', () => {
    const clock = new ManualClock();
    const p = new PresenceHysteresis({ enterSeconds: 0, leaveSeconds: 3 });
    expect(p.update(true, clock.now())).toBe('engage');
    expect(run(p, clock, false, 2.9)).toBe('engage');
    expect(run(p, clock, false, 0.2)).toBe('attract');
  });

  it('ignores short dropouts and short blips', () => {
    const clock = new ManualClock();
    const p = new PresenceHysteresis({ enterSeconds: 0.5, leaveSeconds: 2 });
    expect(run(p, clock, true, 0.2)).toBe('attract'); // a passer-by's blip
    expect(run(p, clock, false, 1)).toBe('attract');
    expect(run(p, clock, true, 0.7)).toBe('engage');
    for (let k = 0; k < 10; k++) {
      expect(run(p, clock, false, 1.5)).toBe('engage'); // the visitor turns away briefly, again and again
      expect(run(p, clock, true, 0.1)).toBe('engage');
    }
    expect(run(p, clock, false, 2.1)).toBe('attract');
  });

  it('restarts the count when the observation flips back', () => {
    const clock = new ManualClock();
    const p = new PresenceHysteresis({ enterSeconds: 1, leaveSeconds: 1 });
    run(p, clock, true, 0.8);
    run(p, clock, false, 0.1);
    expect(run(p, clock, true, 0.8)).toBe('attract');
  });

  it('refuses negative delays', () => {
    expect(() => new PresenceHysteresis({ leaveSeconds: -1 })).toThrow(/leaveSeconds: expected seconds ≥ 0, got -1/);
  });
});

describe('HeldPoseDetector', () => {
  it('holds after holdSeconds of stillness and lets go on the first movement', () => {
    const clock = new ManualClock();
    const h = new HeldPoseDetector({ holdSeconds: 2, stillSpeed: 0.25 });
    let held = false;
    for (let i = 0; i < 59; i++) held = h.update(0.1, clock.advance(1 / 30));
    expect(held).toBe(false);
    for (let i = 0; i < 2; i++) held = h.update(0.1, clock.advance(1 / 30));
    expect(held).toBe(true);
    expect(h.update(0.6, clock.advance(1 / 30))).toBe(false);
    expect(h.update(0.1, clock.advance(1 / 30))).toBe(false);
  });
});
