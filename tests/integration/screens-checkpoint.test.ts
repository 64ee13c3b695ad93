import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKiosk, type KioskProcess } from '../support/kiosk-process.ts';
import { agreement, freePort, screensOf } from '../support/screens/health.ts';
import { openNodePage, pageAgreesWithLeader } from '../support/screens/node-page.ts';
import { openUdp, openWs, typedMessage, waitFor, type Udp } from './pages/osc-net.ts';

/**
 * A leader and a follower kiosk whose lanes checkpoint every second (the test-only SITTER_TEST_CHECKPOINT_TICKS;
 * 10 minutes otherwise), so within seconds their logs are trimmed and every join goes through a checkpoint over the
 * real sockets: a restarted follower, a page behind the follower's kiosk, a restarted leader adopting the walk.
 * With the front of the log gone, agreeing at all proves the checkpoint carried the state: the trimmed log alone,
 * replayed from tick 0, is another walk.
 */
const CHECKPOINT_TICKS = 60;
const env = (offsetMs: number): Record<string, string> => ({ SITTER_TEST_CLOCK_OFFSET_MS: String(offsetMs), SITTER_TEST_CHECKPOINT_TICKS: String(CHECKPOINT_TICKS) });

describe('several screens: joins through checkpoints (lanes checkpointing every second)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitter-screens-cp-'));
  const showFile = join(dir, 'pair.json');
  let port = 0;
  let leader: KioskProcess;
  let follower: KioskProcess;
  let desk: Udp;
  const startLeader = (): Promise<KioskProcess> => startKiosk(['--show', showFile, '--screen', 'main', '--port', String(port)], { env: env(800) });
  const startFollower = (): Promise<KioskProcess> => startKiosk(['--show', showFile, '--screen', 'side', '--leader', `127.0.0.1:${port}`], { env: env(-1200) });

  beforeAll(async () => {
    writeFileSync(showFile, JSON.stringify({
      model: 'default',
      walk: { mode: 'tour', speed: 1 },
      screens: { leader: 'main', list: [{ id: 'main' }, { id: 'side', latent: { towards: 2, amount: 0.3 } }] },
    }));
    port = await freePort();
    leader = await startLeader();
    follower = await startFollower();
    desk = await openUdp();
  });

  afterAll(async () => {
    await desk?.close();
    await Promise.all([leader?.stop(), follower?.stop()]);
  });

  it('the logs are trimmed behind the checkpoints, and a restarted follower joins from the leader\'s newest one', async () => {
    await desk.send(typedMessage('/sitter/walk/mode', ['s', 'random']), leader.udpPort);
    await desk.send(typedMessage('/sitter/walk/seed', ['i', 5]), leader.udpPort);
    // A desk that keeps moving for a few seconds: several checkpoints pass, the first moves leave the log.
    for (let i = 0; i < 12; i++) {
      await desk.send(typedMessage('/sitter/walk/speed', ['f', 1 + (i % 4) / 5]), leader.udpPort);
      await new Promise((r) => setTimeout(r, 250));
    }
    await waitFor('the leader to trim its log', async () => ((await screensOf(leader))?.logFloor ?? 0) > 3 * CHECKPOINT_TICKS, 20_000, 100);
    await agreement([leader, follower], 20_000);
    const lh = await screensOf(leader);
    expect(lh?.checkpoints).toHaveLength(2);
    expect(lh?.changes).toBeLessThan(14);
    expect(lh?.refused).toBe(0);
    expect(leader.output()).toContain('screen-test-checkpoints');

    // A hello whose checkpoint is malformed (another walk size) is dropped with the field named; nothing changes.
    const bad = await openWs(`${leader.url.replace('http', 'ws')}screens`);
    try {
      bad.ws.send(JSON.stringify({
        type: 'screen-hello', protocol: 3, screen: 'odd', epoch: 1, tickRate: 60,
        checkpoint: { tick: 60, layers: [], smoothed: [], walker: { size: 3 } }, changes: [],
      }));
      await waitFor('the leader to log the refusal', () => leader.output().includes('screen-hello.checkpoint.walker.size: expected 128'), 10_000, 50);
      expect(bad.text).toEqual([]);
      const after = await screensOf(leader);
      expect(after?.epoch).toBe(lh?.epoch);
      expect(after?.followers).not.toContain('odd');
    } finally {
      await bad.close();
    }

    await follower.stop();
    follower = await startFollower();
    const t = Date.now();
    await agreement([leader, follower], 20_000);
    expect(Date.now() - t).toBeLessThan(20_000);
    const fh = await screensOf(follower);
    expect(fh?.refused).toBe(0);
    expect(fh?.logFloor).toBeGreaterThan(0);
  });

  it('a page behind the follower\'s kiosk (run here in Node) starts from the checkpoint the kiosk relays and agrees with the leader', async () => {
    const refused: string[] = [];
    const { walk, close } = await openNodePage(follower, showFile, 'pair', 'side', (e) => refused.push(e));
    try {
      await waitFor('the page to follow the relayed walk', () => walk.isFollowing(), 10_000, 50);
      expect(walk.currentLane()?.logFloor).toBeGreaterThan(0);
      await pageAgreesWithLeader(walk, leader, 15_000);
      expect(refused).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a restarted leader adopts the follower\'s walk from the follower\'s checkpoint: same epoch, agreement within seconds', async () => {
    const before = await screensOf(leader);
    await leader.stop();
    const t0 = (await screensOf(follower))?.tick ?? 0;
    await waitFor('the follower to walk on alone', async () => ((await screensOf(follower))?.tick ?? 0) > t0 + 3 * CHECKPOINT_TICKS, 10_000, 100);
    const generation = (await screensOf(follower))?.generation;
    leader = await startLeader();
    const t = Date.now();
    await agreement([leader, follower], 15_000);
    expect(Date.now() - t).toBeLessThan(15_000);
    // The leader took the follower's own state: the follower already holds what it is sent back, and replays nothing.
    expect((await screensOf(follower))?.generation).toBe(generation);
    const h = await screensOf(leader);
    expect(h?.epoch).toBe(before?.epoch);
    expect(h?.logFloor).toBeGreaterThan(0);
    expect(leader.output()).toContain('screen-walk-adopted');
  });
});
