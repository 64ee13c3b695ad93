import { joinIndex, joinKey, type Reporter } from '../show/issues.ts';
import { isPlainObject, readNumber, readObject, readString } from '../show/read.ts';
import { parseHostPort } from './host-port.ts';
import { ROTATIONS, type Bezel, type LatentRole, type Rotation, type ScreenRole, type ScreensConfig, type SteerRole, type WallTile } from './types.ts';

const SCREEN_ID = /^[a-z0-9][a-z0-9_-]{0,31}$/;
/** 2 Hz keeps clocks and late joiners fresh at a few hundred bytes a second; changes go out at once anyway. */
export const DEFAULT_PUBLISH_HZ = 2;
/** 100 ms: a LAN round trip is ~1 ms, so a change reaches every follower before its tick, even through Wi-Fi jitter. */
export const DEFAULT_SCHEDULE_AHEAD_MS = 100;

/** The `screens` section: null when absent (a single-screen show). */
export function readScreens(r: Reporter, raw: unknown, path: string): ScreensConfig | null {
  if (raw === undefined || raw === null) return null;
  const o = readObject(r, raw, path, ['leader', 'address', 'publishHz', 'scheduleAheadMs', 'list']);
  if (!o) return null;
  // Read in file order (leader, address, rates, then the list), so the issues read top to bottom like the file.
  const rawIds = Array.isArray(o.list) ? o.list.map((s: unknown) => (isPlainObject(s) && typeof s.id === 'string' && SCREEN_ID.test(s.id) ? s.id : null)) : [];
  const ids = [...new Set(rawIds.filter((x): x is string => x !== null))];
  const leaderPath = joinKey(path, 'leader');
  const leader = readString(r, o.leader, leaderPath, 'the id of a screen in the list', ids[0] ?? '');
  if (o.leader === undefined && ids.length > 1) r.add(leaderPath, `expected the id of the leading screen (${ids.join(', ')})`);
  else if (typeof o.leader === 'string' && !ids.includes(o.leader)) r.expected(leaderPath, `the id of a screen in the list (${ids.join(', ')})`, o.leader);
  let address = null;
  if (o.address !== undefined && o.address !== null) {
    address = typeof o.address === 'string' ? parseHostPort(o.address) : null;
    if (!address) r.expected(joinKey(path, 'address'), 'the leader kiosk\'s "host:port" (e.g. "10.0.0.10:8080") or null', o.address);
  }
  const publishHz = readNumber(r, o.publishHz, joinKey(path, 'publishHz'), { expected: 'messages per second from 0.2 to 30', min: 0.2, max: 30 }, DEFAULT_PUBLISH_HZ);
  const scheduleAheadMs = readNumber(r, o.scheduleAheadMs, joinKey(path, 'scheduleAheadMs'), { expected: 'milliseconds from 0 to 2000', min: 0, max: 2000 }, DEFAULT_SCHEDULE_AHEAD_MS);
  const listPath = joinKey(path, 'list');
  const list: ScreenRole[] = [];
  if (!Array.isArray(o.list) || o.list.length === 0) r.expected(listPath, 'a list of at least one screen', o.list);
  else o.list.forEach((s, i) => list.push(readScreen(r, s, joinIndex(listPath, i))));
  const seen = new Map<string, number>();
  list.forEach((s, i) => {
    const first = seen.get(s.id);
    if (s.id === '') return;
    if (first !== undefined) r.add(joinKey(joinIndex(listPath, i), 'id'), `"${s.id}" is already the id of ${joinIndex(listPath, first)}`);
    else seen.set(s.id, i);
  });
  return {
    leader,
    address,
    publishHz,
    scheduleAheadMs,
    list,
  };
}

function readScreen(r: Reporter, raw: unknown, path: string): ScreenRole {
  const o = (isPlainObject(raw) ? readObject(r, raw, path, ['id', 'timeOffset', 'latent', 'steer', 'tile', 'rotation']) : undefined) ?? {};
  if (!isPlainObject(raw)) r.expected(path, 'an object with an "id"', raw);
  else if (o.id === undefined) r.add(joinKey(path, 'id'), 'expected a screen id (lower-case letters, digits, - and _), got nothing');
  const id = readString(r, o.id, joinKey(path, 'id'), 'a screen id (lower-case letters, digits, - and _; at most 32)', '', (s) => SCREEN_ID.test(s));
  const timeOffset = readNumber(r, o.timeOffset, joinKey(path, 'timeOffset'), { expected: 'seconds of walk time from -60 to 60', min: -60, max: 60 }, 0);
  const rotationPath = joinKey(path, 'rotation');
  let rotation: Rotation = 0;
  if (o.rotation !== undefined) {
    const found = ROTATIONS.find((x) => x === o.rotation);
    if (found === undefined) r.expected(rotationPath, 'one of 0, 90, 180, 270 (degrees)', o.rotation);
    else rotation = found;
  }
  return {
    id,
    timeOffset,
    latent: readLatent(r, o.latent, joinKey(path, 'latent')),
    steer: readSteer(r, o.steer, joinKey(path, 'steer')),
    tile: readTile(r, o.tile, joinKey(path, 'tile')),
    rotation,
  };
}

function readLatent(r: Reporter, raw: unknown, path: string): LatentRole | null {
  if (raw === undefined || raw === null) return null;
  const o = readObject(r, raw, path, ['towards', 'amount']);
  if (!o) return null;
  if (o.towards === undefined) r.add(joinKey(path, 'towards'), 'expected the number of a portrait (a whole number ≥ 0), got nothing');
  return {
    towards: readNumber(r, o.towards, joinKey(path, 'towards'), { expected: 'the number of a portrait (a whole number ≥ 0)', min: 0, integer: true, max: 2 ** 31 - 1 }, 0),
    amount: readNumber(r, o.amount, joinKey(path, 'amount'), { expected: 'a fraction from 0 to 1', min: 0, max: 1 }, 0.5),
  };
}

function readSteer(r: Reporter, raw: unknown, path: string): SteerRole | null {
  if (raw === undefined || raw === null) return null;
  const o = readObject(r, raw, path, ['slot', 'sigma']);
  if (!o) return null;
  if (o.slot === undefined) r.add(joinKey(path, 'slot'), 'expected a steering slot 0 to 7, got nothing');
  return {
    slot: readNumber(r, o.slot, joinKey(path, 'slot'), { expected: 'a steering slot 0 to 7', min: 0, max: 7, integer: true }, 0),
    sigma: readNumber(r, o.sigma, joinKey(path, 'sigma'), { expected: 'standard deviations from -5 to 5', min: -5, max: 5 }, 1),
  };
}

function readTile(r: Reporter, raw: unknown, path: string): WallTile | null {
  if (raw === undefined || raw === null) return null;
  const o = readObject(r, raw, path, ['columns', 'rows', 'column', 'row', 'bezel', 'screenPx']);
  if (!o) return null;
  const count = { expected: 'a whole number from 1 to 16', min: 1, max: 16, integer: true };
  const columns = readNumber(r, o.columns, joinKey(path, 'columns'), count, 1);
  const rows = readNumber(r, o.rows, joinKey(path, 'rows'), count, 1);
  const column = readNumber(r, o.column, joinKey(path, 'column'), { expected: `a column from 0 to ${columns - 1}`, min: 0, max: columns - 1, integer: true }, 0);
  const row = readNumber(r, o.row, joinKey(path, 'row'), { expected: `a row from 0 to ${rows - 1}`, min: 0, max: rows - 1, integer: true }, 0);
  let screenPx: readonly [number, number] | null = null;
  const pxPath = joinKey(path, 'screenPx');
  if (o.screenPx !== undefined && o.screenPx !== null) {
    const v = o.screenPx;
    if (Array.isArray(v) && v.length === 2 && v.every((x) => Number.isInteger(x) && (x as number) >= 1 && (x as number) <= 16384)) screenPx = [v[0] as number, v[1] as number];
    else r.expected(pxPath, 'the screen\'s [width, height] in pixels', v);
  }
  const bezel = readBezel(r, o.bezel, joinKey(path, 'bezel'));
  if (bezel.unit === 'px' && (bezel.x > 0 || bezel.y > 0) && screenPx === null && o.screenPx === undefined) {
    r.add(pxPath, 'expected the screen\'s [width, height] in pixels, to read a bezel given in px, got nothing');
  }
  return { columns, rows, column, row, bezel, screenPx };
}

function readBezel(r: Reporter, raw: unknown, path: string): Bezel {
  const o = readObject(r, raw, path, ['unit', 'x', 'y']) ?? {};
  const unit = o.unit === undefined || o.unit === 'px' || o.unit === 'fraction' ? (o.unit ?? 'px') : null;
  if (unit === null) r.expected(joinKey(path, 'unit'), '"px" or "fraction"', o.unit);
  const u = unit ?? 'px';
  const rule = u === 'px' ? { expected: 'a gap in pixels from 0 to 4096', min: 0, max: 4096 } : { expected: 'a fraction of the screen from 0 to 1', min: 0, max: 1 };
  return { unit: u, x: readNumber(r, o.x, joinKey(path, 'x'), rule, 0), y: readNumber(r, o.y, joinKey(path, 'y'), rule, 0) };
}

/** `--screen <id>`: the role, or an error that lists the ids the show has. */
export function pickScreen(screens: ScreensConfig | null, id: string): { ok: true; role: ScreenRole } | { ok: false; error: string } {
  if (!screens) return { ok: false, error: `--screen ${id}: this show has no "screens" section` };
  const role = screens.list.find((s) => s.id === id);
  if (!role) return { ok: false, error: `--screen ${id}: unknown screen; this show has ${screens.list.map((s) => `"${s.id}"`).join(', ')}` };
  return { ok: true, role };
}
