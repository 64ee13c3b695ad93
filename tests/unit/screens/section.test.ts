import { describe, expect, it } from 'vitest';
import { formatIssue, validateShow } from '../../../src/core/show/index.ts';
import { parseHostPort, pickScreen, tileViewport, type WallTile } from '../../../src/core/screens/index.ts';

const base = { model: 'demo' };

function issues(screens: unknown): string[] {
  const r = validateShow({ ...base, screens });
  return r.ok ? [] : r.issues.map(formatIssue);
}

describe('screens section', () => {
  it('reads a four-screen wall with a leader address, defaults filled in', () => {
    const r = validateShow({
      ...base,
      screens: {
        leader: 'a', address: '10.0.0.10:8080',
        list: [0, 1, 2, 3].map((i) => ({ id: 'abcd'[i], tile: { columns: 2, rows: 2, column: i % 2, row: Math.floor(i / 2), bezel: { unit: 'px', x: 24, y: 20 }, screenPx: [1920, 1080] } })),
      },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const s = r.show.screens;
    expect(s?.leader).toBe('a');
    expect(s?.address).toEqual({ host: '10.0.0.10', port: 8080 });
    expect(s?.publishHz).toBe(2);
    expect(s?.scheduleAheadMs).toBe(100);
    expect(s?.list[3]?.tile).toMatchObject({ column: 1, row: 1, bezel: { unit: 'px', x: 24, y: 20 } });
    expect(s?.list[0]?.timeOffset).toBe(0);
  });

  it('a show without screens is a single screen', () => {
    const r = validateShow(base);
    expect(r.ok && r.show.screens).toBe(null);
  });

  it('lists every problem with its path', () => {
    expect(issues({
      leader: 'nope', address: 'kiosk:99999', publishHz: 100,
      list: [
        { id: 'left', timeOffset: 90, rotation: 45, steer: { slot: 9 } },
        { id: 'left', latent: { amount: 2 } },
        { id: 'Big Screen', tile: { columns: 2, rows: 1, column: 2, row: 0, bezel: { unit: 'px', x: 10 } } },
        { tile: { columns: 1, rows: 1, bezel: { unit: 'mm' } }, colour: 'red' },
      ],
    })).toEqual([
      'screens.leader: expected the id of a screen in the list (left), got "nope"',
      'screens.address: expected the leader kiosk\'s "host:port" (e.g. "10.0.0.10:8080") or null, got "kiosk:99999"',
      'screens.publishHz: expected messages per second from 0.2 to 30, got 100',
      'screens.list[0].timeOffset: expected seconds of walk time from -60 to 60, got 90',
      'screens.list[0].rotation: expected one of 0, 90, 180, 270 (degrees), got 45',
      'screens.list[0].steer.slot: expected a steering slot 0 to 7, got 9',
      'screens.list[1].latent.towards: expected the number of a portrait (a whole number ≥ 0), got nothing',
      'screens.list[1].latent.amount: expected a fraction from 0 to 1, got 2',
      'screens.list[2].id: expected a screen id (lower-case letters, digits, - and _; at most 32), got "Big Screen"',
      'screens.list[2].tile.column: expected a column from 0 to 1, got 2',
      'screens.list[2].tile.screenPx: expected the screen\'s [width, height] in pixels, to read a bezel given in px, got nothing',
      'screens.list[3].colour: unknown key; expected one of "id", "timeOffset", "latent", "steer", "tile", "rotation"',
      'screens.list[3].id: expected a screen id (lower-case letters, digits, - and _), got nothing',
      'screens.list[3].tile.bezel.unit: expected "px" or "fraction", got "mm"',
      'screens.list[1].id: "left" is already the id of screens.list[0]',
    ]);
  });

  it('--screen picks a role, or names the ids the show has', () => {
    const r = validateShow({ ...base, screens: { leader: 'a', list: [{ id: 'a' }, { id: 'b', timeOffset: -0.5 }] } });
    if (!r.ok) throw new Error('valid show refused');
    expect(pickScreen(r.show.screens, 'b')).toMatchObject({ ok: true, role: { id: 'b', timeOffset: -0.5 } });
    expect(pickScreen(r.show.screens, 'c')).toEqual({ ok: false, error: '--screen c: unknown screen; this show has "a", "b"' });
    expect(pickScreen(null, 'a')).toEqual({ ok: false, error: '--screen a: this show has no "screens" section' });
  });

  it('parses host:port forms', () => {
    expect(parseHostPort('kiosk-a.local:8080')).toEqual({ host: 'kiosk-a.local', port: 8080 });
    expect(parseHostPort('[fe80::1]:80')).toEqual({ host: 'fe80::1', port: 80 });
    expect(parseHostPort('10.0.0.1')).toBeNull();
    expect(parseHostPort('10.0.0.1:0')).toBeNull();
  });
});

describe('tileViewport', () => {
  const tile = (o: Partial<WallTile>): WallTile => ({ columns: 2, rows: 1, column: 0, row: 0, bezel: { unit: 'fraction', x: 0, y: 0 }, screenPx: null, ...o });

  it('splits a wall without bezels into equal parts', () => {
    expect(tileViewport(tile({ column: 1 }))).toEqual({ x: 0.5, y: 0, width: 0.5, height: 1, rotation: 0 });
    expect(tileViewport(null, 90)).toEqual({ x: 0, y: 0, width: 1, height: 1, rotation: 90 });
  });

  it('hides the picture behind the bezel instead of squeezing it (a straight line stays straight)', () => {
    const right = tileViewport(tile({ column: 1, bezel: { unit: 'fraction', x: 0.1, y: 0 } }));
    expect(right.x).toBeCloseTo(1.1 / 2.1, 12);
    expect(right.width).toBeCloseTo(1 / 2.1, 12);
    // px: 96 px of gap on a 1920 px screen is the same as 0.05 of its width.
    const px = tileViewport(tile({ columns: 2, rows: 2, column: 1, row: 1, bezel: { unit: 'px', x: 96, y: 54 }, screenPx: [1920, 1080] }));
    expect(px.x).toBeCloseTo(1.05 / 2.05, 12);
    expect(px.y).toBeCloseTo(1.05 / 2.05, 12);
    // A screen on its side: its 1080 px run along the wall's width.
    const side = tileViewport(tile({ bezel: { unit: 'px', x: 54, y: 0 }, screenPx: [1920, 1080], column: 1 }), 90);
    expect(side.x).toBeCloseTo(1.05 / 2.05, 12);
  });
});
