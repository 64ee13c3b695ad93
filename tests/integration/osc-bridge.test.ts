import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OSC from 'osc-js';
import { startBridge, type BridgeHandle } from '../../kiosk/bridge/index.ts';
import type { OscQueryNode } from '../../src/core/osc/oscquery.ts';
import { checkNode } from '../unit/osc/oscquery-check.ts';
import { decodeAll, getJson, openUdp, openWs, typedMessage, waitFor, type Udp, type WsPeer } from './pages/osc-net.ts';

/**
 * The bridge over real sockets on loopback: UDP from a "desk" in, WebSocket to a stand-in page (a Node ws client),
 * feedback back out over UDP, OSCQuery over HTTP and WebSocket, and every kind of bad input.
 */
describe('OSC bridge over real sockets', () => {
  let bridge: BridgeHandle;
  let desk: Udp;
  let deskIn: Udp;
  let page: WsPeer;
  const logs: { event: string; fields?: Record<string, unknown> }[] = [];
  const pageMessages = (): ReturnType<typeof decodeAll> => page.binary.flatMap((b) => decodeAll(b));

  beforeAll(async () => {
    desk = await openUdp();
    deskIn = await openUdp();
    bridge = await startBridge({
      udp: { host: '127.0.0.1', port: 0 },
      http: { host: '127.0.0.1', port: 0 },
      feedback: { host: '127.0.0.1', port: deskIn.port },
      maxPacketBytes: 1024,
      logger: { info: (event, fields) => logs.push({ event, fields }), warn: (event, fields) => logs.push({ event, fields }) },
    });
    page = await openWs(`ws://127.0.0.1:${bridge.ports.http}/osc`);
    await waitFor('welcome', () => page.text.length > 0);
  });

  afterAll(async () => {
    await page?.close();
    await bridge?.close();
    await desk?.close();
    await deskIn?.close();
  });

  it('reports the ports it bound and says hello to the page', () => {
    expect(bridge.ports.udp).toBeGreaterThan(0);
    expect(bridge.ports.http).toBeGreaterThan(0);
    expect(JSON.parse(page.text[0] as string)).toEqual({ type: 'welcome', protocol: 1, udpPort: bridge.ports.udp, feedback: { host: '127.0.0.1', port: deskIn.port } });
    expect(logs.find((l) => l.event === 'osc-bridge-listening')?.fields).toMatchObject({ udp: [`127.0.0.1:${bridge.ports.udp}`] });
  });

  it('carries a float message, a bundle with a timetag and hand-built bytes from UDP to the page', async () => {
    await desk.send(typedMessage('/sitter/walk/speed', ['f', 2.5]), bridge.ports.udp);
    const at = Date.now() + 250;
    const bundle = new OSC.Bundle([new OSC.Message('/sitter/cue/go')], at);
    await desk.send(bundle.pack(), bridge.ports.udp);
    // "/sitter/hud\0" ",i\0\0" 1, written by hand as a desk's firmware would.
    const hand = Buffer.concat([Buffer.from('/sitter/hud\0', 'latin1'), Buffer.from(',i\0\0', 'latin1'), Buffer.from([0, 0, 0, 1])]);
    await desk.send(hand, bridge.ports.udp);
    const got = await waitFor('three packets on the page', () => (pageMessages().length >= 3 ? pageMessages() : undefined));
    const speed = got.find((m) => m.address === '/sitter/walk/speed');
    expect(speed?.args[0]).toBeCloseTo(2.5, 6);
    const go = got.find((m) => m.address === '/sitter/cue/go');
    expect(go?.bundle).toBe(true);
    expect(Math.abs((go?.timetagMs ?? 0) - at)).toBeLessThan(2);
    expect(got.find((m) => m.address === '/sitter/hud')?.args).toEqual([1]);
  });

  it('sends the page\'s feedback to the desk over UDP', async () => {
    page.ws.send(typedMessage('/sitter/status/cue', ['i', 4]), { binary: true });
    const m = await waitFor('feedback at the desk', () => deskIn.received.find((r) => r.address === '/sitter/status/cue'));
    expect(m.args).toEqual([4]);
    expect(bridge.stats().feedbackSent).toBeGreaterThanOrEqual(1);
  });

  it('serves OSCQuery: the tree, a node, an attribute, HOST_INFO, and errors', async () => {
    page.ws.send(JSON.stringify({ type: 'values', full: true, values: { 'walk/speed': 3, 'walk/mode': 'loop' } }));
    await waitFor('values mirrored', () => bridge.values()['walk/speed'] === 3);
    const base = `http://127.0.0.1:${bridge.ports.http}`;
    const root = await getJson(`${base}/`);
    expect(root.status).toBe(200);
    const problems: string[] = [];
    checkNode(root.body as OscQueryNode, '/', problems);
    expect(problems).toEqual([]);
    const node = await getJson(`${base}/sitter/walk/speed`);
    expect(node.body).toMatchObject({ FULL_PATH: '/sitter/walk/speed', TYPE: 'f', ACCESS: 3, VALUE: [3], RANGE: [{ MIN: 0, MAX: 4 }], CLIPMODE: ['both'] });
    expect((await getJson(`${base}/sitter/walk/mode?VALUE`)).body).toEqual({ VALUE: ['loop'] });
    const info = await getJson(`${base}/?HOST_INFO`);
    expect(info.body).toMatchObject({ NAME: 'Sitter', OSC_IP: '127.0.0.1', OSC_PORT: bridge.ports.udp, OSC_TRANSPORT: 'UDP', WS_PORT: bridge.ports.http, EXTENSIONS: { LISTEN: true } });
    expect((await getJson(`${base}/sitter/nothing`)).status).toBe(404);
    expect((await getJson(`${base}/sitter/walk/speed?BOGUS`)).status).toBe(400);
    expect((await getJson(`${base}/sitter/walk?VALUE`)).status).toBe(204);
  });

  it('streams LISTENed values to an OSCQuery WebSocket client, and takes OSC from it', async () => {
    const client = await openWs(`ws://127.0.0.1:${bridge.ports.http}/`);
    try {
      client.ws.send(JSON.stringify({ COMMAND: 'LISTEN', DATA: '/sitter/grain/amount' }));
      client.ws.send(JSON.stringify({ COMMAND: 'LISTEN', DATA: '/sitter/hud/visible' }));
      await waitFor('listener registered', () => bridge.stats().oscQueryClients === 1);
      await new Promise((r) => setTimeout(r, 50));
      page.ws.send(JSON.stringify({ type: 'values', full: false, values: { 'grain/amount': 0.25, 'hud/visible': true, 'walk/jitter': 0.5 } }));
      const got = await waitFor('LISTEN updates', () => {
        const all = client.binary.flatMap((b) => decodeAll(b));
        return all.length >= 2 ? all : undefined;
      });
      expect(got.map((m) => m.address).sort()).toEqual(['/sitter/grain/amount', '/sitter/hud/visible']);
      expect(got.find((m) => m.address === '/sitter/hud/visible')?.args).toEqual([true]);
      const before = page.binary.length;
      client.ws.send(typedMessage('/sitter/walk/jitter', ['f', 0.75]), { binary: true });
      await waitFor('OSC from the OSCQuery client reaches the page', () => page.binary.length > before);
    } finally {
      await client.close();
    }
  });

  it('drops every bad packet with its reason, and still serves afterwards', async () => {
    const before = bridge.stats().dropped;
    await desk.send(Buffer.alloc(2048, 1), bridge.ports.udp); // oversize (limit 1024 here)
    await desk.send(Buffer.from('garbage!'), bridge.ports.udp); // not OSC
    await desk.send(Buffer.from([0x2f, 0x61]), bridge.ports.udp); // 2 bytes
    await desk.send(Buffer.concat([typedMessage('/sitter/walk/speed', ['f', 1]), Buffer.alloc(4)]), bridge.ports.udp); // trailing bytes
    await desk.send(typedMessage('/sitter/walk/speed', ['f', 1]).slice(0, 24), bridge.ports.udp); // type tags, no float
    // NaN/Infinity stop here; other bad values are well-formed OSC and the page's router judges them.
    await desk.send(typedMessage('/sitter/walk/speed', ['f', Number.NaN]), bridge.ports.udp);
    await desk.send(typedMessage('/sitter/walk/speed', ['d', Number.NEGATIVE_INFINITY]), bridge.ports.udp);
    await desk.send(typedMessage('/sitter/walk/speed', ['I', null]), bridge.ports.udp);
    await desk.send(typedMessage('/sitter/walk/speed', ['s', 'fast']), bridge.ports.udp);
    await waitFor('drops counted', () => bridge.stats().dropped.malformed - before.malformed >= 4);
    await waitFor('not-finite counted', () => bridge.stats().dropped['not-finite'] - before['not-finite'] === 3);
    expect(bridge.stats().dropped.oversize - before.oversize).toBe(1);
    expect(logs.some((l) => l.event === 'osc-drop' && l.fields?.reason === 'oversize')).toBe(true);
    const n = page.binary.length;
    await desk.send(typedMessage('/sitter/grade/tint', ['f', 0.5]), bridge.ports.udp);
    const last = await waitFor('a good packet after the bad ones', () => (page.binary.length > n ? page.binary.at(-1) : undefined));
    expect(decodeAll(last)[0]?.address).toBe('/sitter/grade/tint');
  });

  it('coalesces a flood of 10,000 messages in one second and keeps serving', async () => {
    const n0 = page.binary.length;
    const s0 = bridge.stats();
    const start = Date.now();
    for (let i = 1; i <= 10_000; i++) {
      void desk.send(typedMessage('/sitter/walk/speed', ['f', i / 2500]), bridge.ports.udp);
      // The desk and the bridge share this process: yield often so the bridge reads while the desk sends.
      if (i % 10 === 0) await new Promise((r) => setImmediate(r));
      if (i % 500 === 0) await new Promise((r) => setTimeout(r, Math.max(0, start + i / 10 - Date.now())));
    }
    // UDP on loopback may lose datagrams when the receive buffer fills (that is UDP), so the check that the
    // bridge still carries the latest value is one more message after the flood.
    await new Promise((r) => setTimeout(r, 100));
    await desk.send(typedMessage('/sitter/walk/speed', ['f', 0.125]), bridge.ports.udp);
    await waitFor('the value after the flood on the page', () => {
      const last = page.binary.at(-1);
      return last && decodeAll(last)[0]?.args[0] === 0.125 ? true : undefined;
    });
    const forwarded = page.binary.length - n0;
    // Desk to page in well under 10,000 packets: the flood was coalesced per address.
    const s1 = bridge.stats();
    const received = s1.received - s0.received;
    console.log(`flood: ${received} received, ${s1.forwarded - s0.forwarded} forwarded, ${s1.coalesced - s0.coalesced} coalesced`);
    expect(received).toBeGreaterThan(5000);
    expect(forwarded).toBeLessThan(received / 2);
    expect(s1.coalesced - s0.coalesced).toBeGreaterThan(received / 2);
    expect((await getJson(`http://127.0.0.1:${bridge.ports.http}/?HOST_INFO`)).status).toBe(200);
  });

  it('refuses senders off the allow-list but always lets 127.0.0.1 in', async () => {
    const guarded = await startBridge({ udp: { host: '127.0.0.1', port: 0 }, http: { host: '127.0.0.1', port: 0 }, allow: ['127.0.0.3'] });
    const other = await openUdp('127.0.0.2');
    const pageB = await openWs(`ws://127.0.0.1:${guarded.ports.http}/osc`);
    try {
      await other.send(typedMessage('/sitter/walk/speed', ['f', 1]), guarded.ports.udp);
      await waitFor('not-allowed', () => guarded.stats().dropped['not-allowed'] === 1);
      await desk.send(typedMessage('/sitter/walk/speed', ['f', 1]), guarded.ports.udp);
      await waitFor('loopback passes', () => pageB.binary.length === 1);
      // A page socket from off the list is refused too (it would see every desk message).
      await expect(openWs(`ws://127.0.0.1:${guarded.ports.http}/osc`, '127.0.0.2')).rejects.toThrow();
      expect(guarded.stats().dropped['not-allowed']).toBe(2);
    } finally {
      await pageB.close();
      await other.close();
      await guarded.close();
    }
  });

  it('attaches to a host HTTP server: the page socket at /osc, OSCQuery through handleHttp', async () => {
    let handle: BridgeHandle | null = null;
    const host = createServer((req, res) => {
      if (handle?.handleHttp(req, res)) return;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('the kiosk');
    });
    await new Promise<void>((r) => host.listen(0, '127.0.0.1', () => r()));
    const port = (host.address() as AddressInfo).port;
    handle = await startBridge({ udp: { host: '127.0.0.1', port: 0 }, http: false, attach: host });
    const p = await openWs(`ws://127.0.0.1:${port}/osc`);
    try {
      expect(handle.ports.http).toBeNull();
      await desk.send(typedMessage('/sitter/walk/speed', ['f', 1]), handle.ports.udp);
      await waitFor('forwarded through the host server', () => p.binary.length === 1);
      expect((await getJson(`http://127.0.0.1:${port}/sitter/walk/speed?TYPE`)).body).toEqual({ TYPE: 'f' });
      expect(await (await fetch(`http://127.0.0.1:${port}/index.html`)).text()).toBe('the kiosk');
    } finally {
      await p.close();
      await handle.close();
      expect(host.listenerCount('upgrade')).toBe(0);
      host.closeAllConnections();
      await new Promise<void>((r) => host.close(() => r()));
    }
  });

  it('frees every socket, timer and listener on close, so the ports can be bound again', async () => {
    const handles = (): string[] => process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'FSReqCallback');
    const baseline = handles().length;
    const b = await startBridge({ udp: { host: '127.0.0.1', port: 0 }, http: { host: '127.0.0.1', port: 0 } });
    const p = await openWs(`ws://127.0.0.1:${b.ports.http}/osc`);
    await desk.send(typedMessage('/sitter/walk/speed', ['f', 1]), b.ports.udp);
    await waitFor('forwarded', () => p.binary.length === 1);
    const ports = b.ports;
    await b.close();
    await waitFor('page socket closed', () => p.ws.readyState === p.ws.CLOSED);
    await waitFor('handles back to baseline', () => handles().length <= baseline, 5000);
    const again = await startBridge({ udp: { host: '127.0.0.1', port: ports.udp }, http: { host: '127.0.0.1', port: ports.http ?? 0 } });
    expect(again.ports).toEqual(ports);
    await again.close();
  });
});
