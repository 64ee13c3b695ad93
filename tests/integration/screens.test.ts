import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKiosk, startKioskExpectingFailure, type KioskProcess } from '../support/kiosk-process.ts';
import { openUdp, openWs, typedMessage, waitFor, type Udp } from './pages/osc-net.ts';
import { agreement, freePort, screensOf } from '../support/screens/health.ts';
import { openNodePage, pageAgreesWithLeader } from '../support/screens/node-page.ts';

/**
 * Three real kiosk processes (npm start's entry) on loopback: a leader and two followers, each clock shifted on
 * purpose through the test-only SITTER_TEST_CLOCK_OFFSET_MS. What is compared is each process's own walk lane
 * (the page-less Node walker every screen runs), read from /health: the latent at a tick all of them publish.
 */
const OFFSET_MS = { main: 1500, left: -2000, right: 700 } as const;

describe('several screens, one walk (three kiosk processes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitter-screens-'));
  const showFile = join(dir, 'wall.json');
  let port = 0;
  let leader: KioskProcess;
  let left: KioskProcess;
  let right: KioskProcess;
  let desk: Udp;
  const startLeader = (): Promise<KioskProcess> =>
    startKiosk(['--show', showFile, '--screen', 'main', '--port', String(port)], { env: { SITTER_TEST_CLOCK_OFFSET_MS: String(OFFSET_MS.main) } });
  const startFollower = (id: 'left' | 'right'): Promise<KioskProcess> =>
    startKiosk(['--show', showFile, '--screen', id, '--leader', `127.0.0.1:${port}`], { env: { SITTER_TEST_CLOCK_OFFSET_MS: String(OFFSET_MS[id]) } });

  beforeAll(async () => {
    writeFileSync(showFile, JSON.stringify({
      model: 'default',
      walk: { mode: 'tour', speed: 1 },
      screens: {
        leader: 'main',
        list: [
          { id: 'main' },
          { id: 'left', timeOffset: -0.5, tile: { columns: 2, rows: 1, column: 0, row: 0, bezel: { unit: 'fraction', x: 0.02, y: 0 } } },
          { id: 'right', latent: { towards: 3, amount: 0.25 } },
        ],
      },
    }));
    port = await freePort();
    leader = await startLeader();
    [left, right] = await Promise.all([startFollower('left'), startFollower('right')]);
    desk = await openUdp();
  });

  afterAll(async () => {
    await desk?.close();
    await Promise.all([leader?.stop(), left?.stop(), right?.stop()]);
  });

  it('an unknown --screen is refused with the ids the show has', async () => {
    const r = await startKioskExpectingFailure(['--show', showFile, '--screen', 'centre']);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('--screen centre: unknown screen; this show has "main", "left", "right"');
  });

  it('followers walk the leader\'s walk bit for bit, their clock estimates within a 60 Hz frame, after desk moves', async () => {
    await desk.send(typedMessage('/sitter/walk/seed', ['i', 7]), leader.udpPort);
    await desk.send(typedMessage('/sitter/walk/speed', ['f', 1.6]), leader.udpPort);
    await desk.send(typedMessage('/sitter/walk/mode', ['s', 'random']), leader.udpPort);
    await waitFor('the followers to hold the desk changes', async () => (await screensOf(left))?.changes === 3 && (await screensOf(right))?.changes === 3, 20_000, 100);
    const tick = await agreement([leader, left, right], 20_000);
    expect(tick).toBeGreaterThan(0);
    for (const [k, id] of [[left, 'left'], [right, 'right']] as const) {
      const h = await screensOf(k);
      expect(h?.connected).toBe(true);
      // Leader clock − own clock, as the round trips found it (the true value is known here).
      expect(Math.abs((h?.clock?.offset ?? NaN) - (OFFSET_MS.main - OFFSET_MS[id]) / 1000)).toBeLessThan(1 / 60);
      // Shifted on purpose, so the check on chrony says the clocks are apart (and the log says so).
      expect(h?.clock?.systemClocksAgree).toBe(false);
    }
    expect((await screensOf(leader))?.followers).toEqual(['left', 'right']);
  });

  it('a follower kiosk relays the walk to its page: the page\'s walk (run here in Node) agrees with the leader', async () => {
    // The right kiosk's own clock is shifted by 700 ms; the page's walk reads the system clock.
    const { walk, close } = await openNodePage(right, showFile, 'wall', 'right');
    try {
      await waitFor('the page to follow the relayed walk', () => walk.isFollowing(), 10_000, 50);
      const tick = await pageAgreesWithLeader(walk, leader, 10_000);
      expect(tick).toBeGreaterThan(0);
      // And what it shows is its role: slerped a quarter of the way towards portrait #3, not the shared walk itself.
      const shared = walk.laneLatentAt(walk.tickNow() ?? -1);
      expect(shared).not.toBeNull();
      expect(Array.from(walk.latent())).not.toEqual(Array.from(shared ?? []));
    } finally {
      await close();
    }
  });

  it('a kiosk of the older screens protocol is refused once and told why; the leader goes on', async () => {
    const old = await openWs(`${leader.url.replace('http', 'ws')}screens`);
    try {
      const hello = JSON.stringify({ type: 'screen-hello', protocol: 1, screen: 'old', epoch: null, tickRate: null, changes: [] });
      old.ws.send(hello);
      old.ws.send(hello);
      old.ws.send(JSON.stringify({ type: 'screen-ping', id: 1, sent: 5 }));
      await waitFor('the pong', () => old.text.some((t) => t.includes('"screen-pong"')), 10_000, 50);
      const refusals = old.text.filter((t) => t.includes('"screen-refused"'));
      expect(refusals).toHaveLength(1);
      expect(JSON.parse(refusals[0] as string)).toMatchObject({ type: 'screen-refused', protocol: 3, reason: expect.stringContaining('screen-hello: protocol 1, this kiosk speaks 3') });
      // Not counted as a follower, sent no states it could not read.
      expect((await screensOf(leader))?.followers).toEqual(['left', 'right']);
      expect(old.text.some((t) => t.includes('"screen-state"'))).toBe(false);
      expect(leader.output().split('screen-protocol').length - 1).toBe(1);
    } finally {
      await old.close();
    }
  });

  it('a leader killed mid-show comes back, takes over the followers\' walk, and all agree again within seconds', async () => {
    const before = await screensOf(left);
    await leader.stop();
    // Alone, the followers keep walking on their own clocks.
    const t0 = (await screensOf(left))?.tick ?? 0;
    await waitFor('a follower to walk on alone', async () => ((await screensOf(left))?.tick ?? 0) > t0 + 60, 10_000, 100);
    expect((await screensOf(left))?.connected).toBe(false);
    leader = await startLeader();
    const t = Date.now();
    await agreement([leader, left, right], 15_000);
    expect(Date.now() - t).toBeLessThan(15_000);
    const h = await screensOf(leader);
    expect(h?.epoch).toBe(before?.epoch);
    expect(h?.changes).toBe(3);
  });

  it('a follower killed and restarted mid-show joins the current walk (desk and cue changes included) within seconds', async () => {
    await desk.send(typedMessage('/sitter/walk/jitter', ['f', 0.3]), leader.udpPort);
    // The leading page's cue engine, as its page socket reports it: stamped and sent on like the desk's.
    const page = await openWs(`${leader.url.replace('http', 'ws')}osc`);
    page.ws.send(JSON.stringify({ type: 'layers', source: 'cue', values: { 'walk/truncation': 0.55, 'walk/nonsense': 1 } }));
    await waitFor('the cue change to reach a follower', async () => (await screensOf(left))?.changes === 5, 10_000, 100);
    await page.close();
    await right.stop();
    right = await startFollower('right');
    const t = Date.now();
    await agreement([leader, left, right], 15_000);
    expect(Date.now() - t).toBeLessThan(15_000);
    expect((await screensOf(right))?.changes).toBe(5);
    // A show younger than one checkpoint interval: nothing trimmed, nothing refused.
    for (const k of [leader, left, right]) expect(await screensOf(k)).toMatchObject({ logFloor: 0, refused: 0 });
    // Only state and clocks crossed: a few hundred bytes per message, never a picture.
    const lh = await screensOf(leader);
    expect((lh?.traffic.bytesOut ?? 0) / Math.max(1, lh?.traffic.messagesOut ?? 1)).toBeLessThan(2000);
  });
});
