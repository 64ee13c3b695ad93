import { describe, expect, it } from 'vitest';
import { DEFAULT_GOVERNOR_ORDER } from '../../../src/core/governor/index.ts';
import { loadShow } from '../../../src/core/show/load.ts';

const load = (kiosk: unknown) => loadShow(JSON.stringify({ kiosk }));

describe('kiosk.targetFps and kiosk.governor.order', () => {
  it('default to 60 fps and the default order', () => {
    const r = load({});
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.show.kiosk.targetFps).toBe(60);
    expect(r.show.kiosk.governor.order).toEqual(DEFAULT_GOVERNOR_ORDER);
  });

  it('take a rate (0 = off) and an order of some knobs', () => {
    const r = load({ targetFps: 0, governor: { order: ['paint/radius', 'layout/upscale'] } });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.show.kiosk.targetFps).toBe(0);
    expect(r.show.kiosk.governor.order).toEqual(['paint/radius', 'layout/upscale']);
  });

  it('name each bad value by its path', () => {
    const r = load({ targetFps: 'fast', governor: { order: ['paint/radius', 'paint/radus', 'paint/radius'], step: 1 } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const lines = r.issues.map((i) => `${i.path}: ${i.message}`);
    expect(lines).toContainEqual(expect.stringMatching(/^kiosk\.targetFps: expected a frame rate from 0 \(off\) to 240, got "fast"/));
    expect(lines).toContainEqual(expect.stringMatching(/^kiosk\.governor\.order\[1\]: expected one of .*did you mean "paint\/radius"/));
    expect(lines).toContainEqual(expect.stringMatching(/^kiosk\.governor\.order\[2\]: "paint\/radius" is already in the list/));
    expect(lines).toContainEqual(expect.stringMatching(/^kiosk\.governor\.step: unknown key/));
  });
});
