import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKiosk, type KioskProcess } from '../support/kiosk-process.ts';
import { freePort, screensOf, type ScreensHealth } from '../support/screens/health.ts';
import { getJson, openWs, waitFor, type WsPeer } from './pages/osc-net.ts';
import { SCREENS_MAX_MESSAGE_BYTES, encode, parseFollowerMessage } from '../../src/core/screens/protocol.ts';
import { LeaderSync } from '../../src/core/screens/leader.ts';
import { loadShow } from '../../src/core/show/index.ts';
import { modelShape } from '../../kiosk/screens/start-screen.ts';

/** What the leader's /health says of its page's layer reports (kiosk/screens/page-layers.ts). */
interface PageLayersHealth {
  readonly reports: number;
  readonly stamped: number;
  readonly coalesced: number;
  readonly dropped: Readonly<Record<'malformed' | 'unknown-name' | 'read-only' | 'wrong-value', number>>;
}
type LeaderHealth = ScreensHealth & { readonly pageLayers: PageLayersHealth };

const leaderHealth = async (k: KioskProcess): Promise<LeaderHealth> => (await screensOf(k)) as LeaderHealth;

/** The changes a leader published to a socket on /screens, as [tick, source, name, value]. */
function publishedChanges(peer: WsPeer): Array<readonly [number, string, string, unknown]> {
  const out: Array<readonly [number, string, string, unknown]> = [];
  for (const text of peer.text) {
    const m = JSON.parse(text) as { type?: string; changes?: Array<readonly [number, string, string, unknown]> };
    if (m.type === 'screen-state') out.push(...(m.changes ?? []));
  }
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Hostile input to a real leading kiosk: its page socket flooding and malforming `layers` reports, and anything at all
 * on `/screens`. The kiosk must keep its walk (same epoch, ticking on), answer the next honest message, and count and
 * log what it dropped.
 */
describe('a leading screen kiosk under hostile input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitter-screens-hostile-'));
  const showFile = join(dir, 'pair.json');
  let leader: KioskProcess;
  let wsBase = '';

  beforeAll(async () => {
    writeFileSync(showFile, JSON.stringify({
      model: 'default',
      walk: { mode: 'tour', speed: 1 },
      screens: { leader: 'main', list: [{ id: 'main' }, { id: 'side' }] },
    }));
    leader = await startKiosk(['--show', showFile, '--screen', 'main', '--port', String(await freePort())]);
    wsBase = leader.url.replace('http', 'ws');
  });

  afterAll(async () => {
    await leader?.stop();
  });

  // First, while a restarted leader would still adopt a follower's walk (its first 20 s).
  it('/screens: garbage, wrong types, huge numbers and ticks, unknown types and frames over 16 MiB are dropped and counted; the walk goes on', async () => {
    const before = await leaderHealth(leader);
    const now = Date.now() / 1000;
    const hello = (o: Record<string, unknown>): string =>
      JSON.stringify({ type: 'screen-hello', protocol: 3, screen: 'x', epoch: null, tickRate: null, checkpoint: null, changes: [], ...o });
    // Each is refused by the parser: dropped, counted, logged. (JSON.stringify writes Infinity as null, an honest
    // release: the 1e999 values are written out by hand.)
    const refused: readonly (string | Buffer)[] = [
      'not json', '', '{', '[]', 'null', '42', '"screen-ping"', '{"type":"screen-ping"}',
      '{"type":"screen-ping","id":"1","sent":0}', '{"type":"screen-ping","id":1e999,"sent":0}', '{"type":"screen-ping","id":1,"sent":-1e999}',
      '{"type":"nonsense"}', '{"type":{"nested":true}}', '{"type":"screen-state","protocol":3}', `{"type":"${'x'.repeat(100_000)}"}`,
      hello({ screen: '' }), hello({ screen: 'x'.repeat(33) }), hello({ screen: 7 }), hello({ epoch: 'yesterday' }), hello({ tickRate: -60 }),
      hello({ tickRate: 1e308, epoch: 1 }), hello({ changes: 'all' }), hello({ changes: [[-1, 'd', 'walk/speed', 1]] }),
      hello({ changes: [[1e300, 'd', 'walk/speed', 1]] }), hello({ changes: [[1, 'd', 'walk/speed', 0]] }).replace('"walk/speed",0', '"walk/speed",1e999'),
      hello({ changes: [[1, 'd', 'walk/nonsense', 1]] }), hello({ changes: [[1, 'q', 'walk/speed', 1]] }),
      hello({ epoch: 1, tickRate: 60, checkpoint: { tick: 1e300 } }), hello({ protocol: 1e308 }),
      `${'['.repeat(200_000)}${']'.repeat(200_000)}`, `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`,
      Buffer.from([0xff, 0x00, 0x13, 0x37]),
    ];
    // Well-formed, but walks no screen of this piece can have walked: answered with the leader's own walk, not adopted.
    const notAdopted: readonly string[] = [
      hello({ screen: 'old', epoch: 1, tickRate: 60 }),
      hello({ screen: 'older', epoch: -1e300, tickRate: 60 }),
      hello({ screen: 'huge', epoch: 1, tickRate: 60, changes: Array.from({ length: 60_000 }, (_, i) => [i, 'd', 'walk/speed', 1]) }),
      hello({ screen: 'future', epoch: now + 3600, tickRate: 60 }),
      JSON.stringify({ type: 'screen-ping', id: 1e308, sent: -1e308 }),
    ];
    const peer = await openWs(`${wsBase}screens`);
    try {
      for (const m of [...refused, ...notAdopted]) peer.ws.send(m);
      // A frame over the limit closes that socket before it is read whole (1009, or 1006 when the close frame is
      // overtaken by the bridge ending the socket while the sender is still writing); nothing else changes.
      const big = await openWs(`${wsBase}screens`);
      const closed = new Promise<number>((resolve) => big.ws.once('close', (code) => resolve(code)));
      big.ws.on('error', () => undefined);
      big.ws.send(JSON.stringify({ type: 'screen-ping', id: 1, sent: 0, pad: 'x'.repeat(SCREENS_MAX_MESSAGE_BYTES) }));
      expect([1006, 1009]).toContain(await closed);

      const dropped = await waitFor('every refused message to be counted', async () => {
        const h = await leaderHealth(leader);
        return h.traffic.dropped >= refused.length + 1 ? h.traffic.dropped : false;
      }, 20_000, 100);
      expect(dropped).toBe(refused.length + 1);
      // The honest ping after all that is answered on the same socket.
      peer.text.length = 0;
      peer.ws.send(JSON.stringify({ type: 'screen-ping', id: 42, sent: 1 }));
      await waitFor('the pong', () => peer.text.some((t) => t.includes('"id":42')), 10_000, 20);
      expect(peer.ws.readyState).toBe(WebSocket.OPEN);
    } finally {
      await peer.close();
    }
    const after = await leaderHealth(leader);
    expect(after.epoch).toBe(before.epoch);
    expect(after.changes).toBe(before.changes);
    expect(after.generation).toBe(before.generation);
    expect(leader.output()).not.toContain('screen-walk-adopted');
    // Still walking, on the same clock.
    await waitFor('the walk to go on', async () => ((await screensOf(leader))?.tick ?? 0) > (after.tick ?? 0) + 30, 10_000, 100);
    expect(leader.output()).toContain('screen-message');
    expect((await getJson(`${leader.url}health`)).status).toBe(200);
  });

  it('a page flooding 1000 layer reports a second of one parameter puts ≤ 20/s into the lane, and its final value arrives', async () => {
    const watch = await openWs(`${wsBase}screens`);
    const page = await openWs(`${wsBase}osc`);
    const before = await leaderHealth(leader);
    const seconds = 2;
    let final = 0;
    try {
      const t0 = Date.now();
      let sent = 0;
      // 1000 a second, in bursts of ten every 10 ms (a timer cannot fire every millisecond).
      while (Date.now() - t0 < seconds * 1000) {
        for (let i = 0; i < 10; i++) {
          sent++;
          final = Math.round((0.2 + (sent % 997) / 997) * 1e6) / 1e6;
          page.ws.send(JSON.stringify({ type: 'layers', source: 'cue', values: { 'walk/truncation': final } }));
        }
        await sleep(10);
      }
      const elapsed = (Date.now() - t0) / 1000;
      await waitFor('the final value to be published', () => {
        const mine = publishedChanges(watch).filter((c) => c[2] === 'walk/truncation');
        return mine.at(-1)?.[3] === final;
      }, 10_000, 50);
      await sleep(300);
      const mine = publishedChanges(watch).filter((c) => c[1] === 'c' && c[2] === 'walk/truncation');
      // At most one per 50 ms over the flood, plus the trailing value.
      expect(mine.length).toBeLessThanOrEqual(Math.ceil(elapsed * 20) + 2);
      expect(mine.length).toBeGreaterThan(elapsed * 10);
      expect(mine.at(-1)?.[3]).toBe(final);
      const h = await leaderHealth(leader);
      expect(h.pageLayers.reports - before.pageLayers.reports).toBe(sent);
      expect(h.pageLayers.stamped - before.pageLayers.stamped).toBe(mine.length);
      expect((h.changes ?? 0) - (before.changes ?? 0)).toBeLessThanOrEqual(mine.length);
    } finally {
      await Promise.all([page.close(), watch.close()]);
    }
  });

  it('a page flooding tempo reports puts ≤ 20/s into the lane, the newest last; a malformed one changes nothing', async () => {
    const watch = await openWs(`${wsBase}screens`);
    const page = await openWs(`${wsBase}osc`);
    const before = await leaderHealth(leader);
    const tempo = (beats: number, o: Record<string, unknown> = {}): string =>
      JSON.stringify({ type: 'tempo', tempo: { beats, bpm: 120, beatsPerBar: 4, pending: 0, running: true, ...o } });
    try {
      // Refused by the bridge's parser (logged as osc-page-message): nothing reaches the gate or the lane.
      for (const m of [tempo(1, { bpm: 9000 }), tempo(-1), tempo(1, { running: 'yes' }), tempo(1, { beatsPerBar: 0.5 }), '{"type":"tempo"}', tempo(2 ** 60)]) page.ws.send(m);
      const t0 = Date.now();
      let sent = 0;
      while (Date.now() - t0 < 1000) {
        for (let i = 0; i < 10; i++) page.ws.send(tempo(++sent));
        await sleep(10);
      }
      const elapsed = (Date.now() - t0) / 1000;
      await waitFor('the newest tempo to be published', () => {
        const mine = publishedChanges(watch).filter((c) => c[1] === 't');
        return mine.length > 0 && (mine.at(-1)?.[3] as { beats: number }).beats > sent;
      }, 10_000, 50);
      await sleep(300);
      const mine = publishedChanges(watch).filter((c) => c[1] === 't');
      expect(mine.length).toBeLessThanOrEqual(Math.ceil(elapsed * 20) + 2);
      // The last report, stepped on from its arrival to its tick's time (120 bpm: ~0.1 s is ~0.2 beats).
      expect((mine.at(-1)?.[3] as { beats: number }).beats).toBeLessThan(sent + 1);
      const h = await screensOf(leader) as LeaderHealth & { readonly pageTempo: { reports: number; stamped: number } };
      expect(h.pageTempo.reports).toBe(sent);
      expect(h.pageTempo.stamped).toBe(mine.length);
      expect((h.changes ?? 0) - (before.changes ?? 0)).toBeLessThanOrEqual(mine.length);
      expect(h.epoch).toBe(before.epoch);
    } finally {
      await Promise.all([page.close(), watch.close()]);
    }
  });

  it('malformed layer reports are dropped and counted, change nothing in the lane, and the kiosk keeps serving', async () => {
    const page = await openWs(`${wsBase}osc`);
    const before = await leaderHealth(leader);
    const layers = (source: unknown, values: unknown): string => JSON.stringify({ type: 'layers', source, values });
    const malformed: readonly string[] = [
      layers('desk', { 'walk/speed': 1 }), layers(7, { 'walk/speed': 1 }), layers('cue', null), layers('cue', [1, 2]), layers('cue', 'walk/speed'),
      JSON.stringify({ type: 'layers', source: 'cue' }), layers('pose', { 'walk/speed': { nested: 1 } }),
      layers('pose', { 'walk/speed': Array.from({ length: 100_000 }, () => 1) }),
      '{"type":"layers","source":"cue","values":{"walk/speed":1e999}}', '{"type":"layers","source":"cue","values":{"walk/speed":-1e999}}',
    ];
    const badValues = layers('cue', {
      'walk/nonsense': 1, ['x'.repeat(10_000)]: 2, 'status/fps': 60, 'tempo/current-bpm': 90, 'walk/mode': 'sideways', 'walk/speed': 'fast',
      'walk/truncation': [0.1, 0.2],
    });
    try {
      for (const m of malformed) page.ws.send(m);
      page.ws.send(badValues);
      const h = await waitFor('the drops to be counted', async () => {
        const now = await leaderHealth(leader);
        return now.pageLayers.reports - before.pageLayers.reports >= malformed.length + 1 ? now : false;
      }, 10_000, 50);
      const d = (k: keyof PageLayersHealth['dropped']): number => h.pageLayers.dropped[k] - before.pageLayers.dropped[k];
      expect({ malformed: d('malformed'), unknown: d('unknown-name'), readOnly: d('read-only'), wrong: d('wrong-value') })
        .toEqual({ malformed: malformed.length, unknown: 2, readOnly: 2, wrong: 3 });
      expect(h.pageLayers.stamped).toBe(before.pageLayers.stamped);
      expect(h.changes).toBe(before.changes);
      expect(h.epoch).toBe(before.epoch);
      expect(leader.output()).toContain('screen-layers-dropped');
      // The same socket's honest report still goes through.
      page.ws.send(layers('cue', { 'walk/speed': 1.5 }));
      await waitFor('the honest report to be stamped', async () => (await leaderHealth(leader)).pageLayers.stamped === before.pageLayers.stamped + 1, 10_000, 50);
      expect((await getJson(`${leader.url}health`)).status).toBe(200);
    } finally {
      await page.close();
    }
  });
});

/**
 * The other way round: a follower kiosk whose leader (here a socket server in the test, walking a real LeaderSync)
 * sends garbage among its honest states. The follower keeps the walk it joined and counts what it dropped.
 */
describe('a following screen kiosk under a hostile leader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitter-screens-hostile-leader-'));
  const showFile = join(dir, 'pair.json');
  let follower: KioskProcess;
  let server: WebSocketServer;
  let sync: LeaderSync;
  const leaders: WebSocket[] = [];
  const now = (): number => Date.now() / 1000;

  beforeAll(async () => {
    writeFileSync(showFile, JSON.stringify({
      model: 'default',
      walk: { mode: 'tour', speed: 1 },
      screens: { leader: 'main', list: [{ id: 'main' }, { id: 'side' }] },
    }));
    const loaded = loadShow(readFileSync(showFile, 'utf8'), { name: 'pair' });
    if (!loaded.ok) throw new Error('show refused');
    sync = new LeaderSync({ screen: 'main', ...modelShape(join(process.cwd(), 'models', loaded.show.model)), epoch: now(), initial: loaded.show.initial });
    const port = await freePort();
    server = new WebSocketServer({ host: '127.0.0.1', port, path: '/screens' });
    server.on('connection', (ws) => {
      leaders.push(ws);
      ws.send(encode(sync.full(now())));
      ws.on('message', (data) => {
        const p = parseFollowerMessage(String(data), sync.lane.size);
        const reply = p.ok && p.message.type === 'screen-ping' ? sync.receive(p.message, now()).reply : null;
        if (reply) ws.send(encode(reply));
      });
    });
    follower = await startKiosk(['--show', showFile, '--screen', 'side', '--leader', `127.0.0.1:${port}`]);
  });

  afterAll(async () => {
    await follower?.stop();
    await new Promise((r) => server?.close(r));
  });

  it('garbage, wrong types, impossible walks and frames over 16 MiB from the leader are dropped and counted; the follower keeps its walk', async () => {
    const joined = await waitFor('the follower to join', async () => {
      const h = await screensOf(follower);
      return h?.epoch === sync.lane.epoch && (h.tick ?? 0) > 0 ? h : false;
    }, 20_000, 100);
    const t = now();
    const state = (o: Record<string, unknown>): string => {
      const base = JSON.parse(encode(sync.full(t))) as Record<string, unknown>;
      return JSON.stringify({ ...base, ...o });
    };
    const refused: readonly (string | Buffer)[] = [
      'not json', '', '[]', 'null', '{"type":"nonsense"}', '{"type":"screen-hello","protocol":3}',
      '{"type":"screen-pong","id":1,"sent":0,"leader":1e999}', '{"type":"screen-pong","id":"1","sent":0,"leader":0}',
      state({ epoch: -1e300 }), state({ epoch: 'now' }), state({ tick: 1e300 }), state({ tick: -5 }), state({ tickRate: 0 }),
      state({ changes: [[1, 'd', 'walk/nonsense', 1]] }), state({ changes: [[2 ** 50, 'd', 'walk/speed', 1]] }),
      state({ checkpoint: { tick: 1 } }), state({ changes: 'all' }),
      `${'['.repeat(200_000)}${']'.repeat(200_000)}`, Buffer.from([1, 2, 3]),
    ];
    const ws = leaders.at(-1) as WebSocket;
    for (const m of refused) ws.send(m);
    await waitFor('the drops to be counted', async () => (await screensOf(follower))?.traffic.dropped === refused.length, 10_000, 100);
    // Over the frame limit: the follower closes the socket unread, counts it, and reconnects to the same walk.
    ws.send(JSON.stringify({ type: 'screen-pong', id: 1, sent: 0, leader: 0, pad: 'x'.repeat(SCREENS_MAX_MESSAGE_BYTES) }));
    await waitFor('the follower to reconnect', () => leaders.length >= 2 && leaders.at(-1)?.readyState === WebSocket.OPEN, 10_000, 50);
    const h = await waitFor('the follower to walk on', async () => {
      const now = await screensOf(follower);
      return now && (now.tick ?? 0) > (joined.tick ?? 0) + 60 ? now : false;
    }, 10_000, 100);
    expect(h.epoch).toBe(sync.lane.epoch);
    expect(h.connected).toBe(true);
    expect(h.traffic.dropped).toBe(refused.length + 1);
    expect(follower.output()).toContain('screen-message');
  });
});
