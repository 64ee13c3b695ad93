import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type BridgeHandle } from '../../kiosk/bridge/index.ts';
import { OriginPolicy } from '../../kiosk/net/origin-policy.ts';
import { decodeAll, getJson, openUdp, openWs, typedMessage, waitFor, type Udp, type WsPeer } from './pages/osc-net.ts';
import { errorMessage } from '../../src/core/error-message.ts';

/** A bundle framed by hand (osc-js's Bundle takes no TypedMessage, and NaN needs one). */
function bundleOf(...elements: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(16 + elements.reduce((n, e) => n + 4 + e.byteLength, 0));
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode('#bundle'), 0);
  view.setUint32(12, 1);
  let at = 16;
  for (const e of elements) {
    view.setInt32(at, e.byteLength);
    out.set(e, at + 4);
    at += 4 + e.byteLength;
  }
  return out;
}

const refusal = (p: Promise<unknown>): Promise<string> => p.then(() => 'opened', (e: unknown) => (errorMessage(e)));

/**
 * What the show's OSC settings promise, over real sockets: CIDR allow-lists, every bound address, drop logs with
 * their fields, finite values only (bundles included), page values clamped before OSCQuery reports them, Host and
 * Origin on every upgrade, and counters that include what the kernel dropped.
 */
describe('OSC bridge settings that hold', () => {
  let bridge: BridgeHandle;
  let page: WsPeer;
  let desk: Udp;
  const logs: { event: string; fields: Record<string, unknown> }[] = [];
  const pageMessages = (): ReturnType<typeof decodeAll> => page.binary.flatMap((b) => decodeAll(b));

  beforeAll(async () => {
    desk = await openUdp();
    bridge = await startBridge({
      udp: { hosts: ['127.0.0.1', '127.0.0.5'], port: 0 },
      http: { hosts: ['127.0.0.1', '127.0.0.5'], port: 0 },
      allow: ['127.0.0.2/31'],
      origins: new OriginPolicy({ pagePort: () => 8080, allowOrigins: ['http://127.0.0.1:9999'] }),
      logger: { info: (event, fields = {}) => logs.push({ event, fields }), warn: (event, fields = {}) => logs.push({ event, fields }) },
    });
    page = await openWs(`ws://127.0.0.1:${bridge.ports.http}/osc`);
  });

  afterAll(async () => {
    await page?.close();
    await bridge?.close();
    await desk?.close();
  });

  it('binds every listed address, and says so', async () => {
    const at5 = await openUdp('127.0.0.1');
    await at5.send(typedMessage('/sitter/grade/tint', ['f', 0.25]), bridge.ports.udp, '127.0.0.5');
    await desk.send(typedMessage('/sitter/grade/exposure', ['f', 0.5]), bridge.ports.udp, '127.0.0.1');
    await waitFor('both messages', () => pageMessages().some((m) => m.address === '/sitter/grade/tint') && pageMessages().some((m) => m.address === '/sitter/grade/exposure'));
    await at5.close();
    expect(bridge.stats().udpBound).toEqual([`127.0.0.1:${bridge.ports.udp}`, `127.0.0.5:${bridge.ports.udp}`]);
    expect((await getJson(`http://127.0.0.5:${bridge.ports.http}/sitter/grade/tint?TYPE`)).body).toEqual({ TYPE: 'f' });
    expect(logs.find((l) => l.event === 'osc-bridge-listening')?.fields.udp).toEqual(bridge.stats().udpBound);
  });

  it('binds IPv4 and IPv6 wildcards side by side, each taking its own family', async () => {
    const dual = await startBridge({ udp: { hosts: ['0.0.0.0', '::'], port: 0 }, http: false });
    try {
      const { createSocket } = await import('node:dgram');
      const v6 = createSocket('udp6');
      await new Promise<void>((r) => v6.bind(0, '::1', () => r()));
      await new Promise<void>((r, j) => v6.send(typedMessage('/sitter/walk/speed', ['f', 1]), dual.ports.udp, '::1', (e) => (e ? j(e) : r())));
      await desk.send(typedMessage('/sitter/walk/speed', ['f', 1]), dual.ports.udp, '127.0.0.1');
      await waitFor('both families received', () => dual.stats().received === 2);
      v6.close();
      expect(dual.stats().udpBound).toEqual([`0.0.0.0:${dual.ports.udp}`, `[::]:${dual.ports.udp}`]);
    } finally {
      await dual.close();
    }
  });

  it('matches the allow-list as CIDR ranges, and logs each drop with reason, sender and address', async () => {
    const in2 = await openUdp('127.0.0.2');
    const in3 = await openUdp('127.0.0.3');
    const out4 = await openUdp('127.0.0.4');
    try {
      await in2.send(typedMessage('/sitter/walk/jitter', ['f', 0.2]), bridge.ports.udp);
      await in3.send(typedMessage('/sitter/grain/amount', ['f', 0.3]), bridge.ports.udp);
      await waitFor('127.0.0.2 and .3 pass', () => pageMessages().some((m) => m.address === '/sitter/walk/jitter') && pageMessages().some((m) => m.address === '/sitter/grain/amount'));
      await out4.send(typedMessage('/sitter/walk/jitter', ['f', 0.4]), bridge.ports.udp);
      await waitFor('127.0.0.4 refused', () => bridge.stats().dropped['not-allowed'] === 1);
      const log = logs.find((l) => l.event === 'osc-drop' && l.fields.reason === 'not-allowed');
      expect(log?.fields).toMatchObject({ reason: 'not-allowed', from: '127.0.0.4' });
      await desk.send(typedMessage('/sitter/walk/speed', ['f', Number.NaN]), bridge.ports.udp);
      await waitFor('NaN logged', () => logs.find((l) => l.event === 'osc-drop' && l.fields.reason === 'not-finite'));
      expect(logs.find((l) => l.event === 'osc-drop' && l.fields.reason === 'not-finite')?.fields).toMatchObject({ from: '127.0.0.1', address: '/sitter/walk/speed' });
    } finally {
      await in2.close();
      await in3.close();
      await out4.close();
    }
  });

  it('never forwards a bundle holding NaN, Infinity or I', async () => {
    const before = bridge.stats().dropped['not-finite'];
    await desk.send(bundleOf(typedMessage('/sitter/paint/amount', ['f', 0.5]), bundleOf(typedMessage('/sitter/walk/speed', ['f', Number.POSITIVE_INFINITY]))), bridge.ports.udp);
    await desk.send(bundleOf(typedMessage('/sitter/walk/speed', ['I', null])), bridge.ports.udp);
    await desk.send(bundleOf(typedMessage('/sitter/paint/radius', ['i', 3])), bridge.ports.udp);
    await waitFor('the clean bundle', () => pageMessages().find((m) => m.address === '/sitter/paint/radius'));
    expect(bridge.stats().dropped['not-finite']).toBe(before + 2);
    expect(pageMessages().filter((m) => m.address === '/sitter/paint/amount' || (m.address === '/sitter/walk/speed' && !Number.isFinite(m.args[0] as number)))).toEqual([]);
  });

  it('clamps values the page reports as the desk path does, so OSCQuery never serves 1e9', async () => {
    page.ws.send(JSON.stringify({ type: 'values', full: false, values: { 'walk/speed': 1e9, 'master/level': -5, 'walk/mode': 'warp', 'layout/grid': 2.6, 'grade/tint': 0.5 } }));
    const value = async (p: string): Promise<unknown> => ((await getJson(`http://127.0.0.1:${bridge.ports.http}/sitter/${p}?VALUE`)).body as { VALUE?: unknown[] } | null)?.VALUE?.[0];
    await waitFor('walk/speed clamped', async () => (await value('walk/speed')) === 4);
    expect(await value('master/level')).toBe(0);
    expect(await value('layout/grid')).toBe(3);
    expect(await value('grade/tint')).toBe(0.5);
    expect(await value('walk/mode')).not.toBe('warp');
    expect(bridge.stats().pageValuesClamped).toBe(2);
    expect(logs.some((l) => l.event === 'osc-drop' && l.fields.reason === 'wrong-type' && l.fields.address === '/sitter/walk/mode')).toBe(true);
  });

  it('checks Host and Origin on both WebSockets and on OSCQuery HTTP', async () => {
    const http = bridge.ports.http as number;
    // A page from another site, or a rebinding name: refused with a status, not left hanging.
    expect(await refusal(openWs(`ws://127.0.0.1:${http}/osc`, undefined, { origin: 'http://evil.example' }))).toMatch(/403/);
    expect(await refusal(openWs(`ws://127.0.0.1:${http}/`, undefined, { origin: 'http://127.0.0.1:7777' }))).toMatch(/403/);
    expect(await refusal(openWs(`ws://127.0.0.1:${http}/osc`, undefined, { origin: 'null' }))).toMatch(/403/);
    expect(await refusal(openWs(`ws://127.0.0.1:${http}/osc`, undefined, { host: `evil.example:${http}` }))).toMatch(/421/);
    // fetch() may not set Host: a plain request, as a browser sends it after a rebinding.
    const rebound = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port: http, path: '/sitter/walk/speed', headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject).end();
    });
    expect(rebound).toBe(421);
    // The kiosk page (port 8080 in this policy), the show's allowOrigins, and native clients (no Origin) pass.
    for (const [path, origin] of [['/osc', 'http://localhost:8080'], ['/', 'http://127.0.0.1:9999'], ['/', undefined]] as const) {
      const ws = await openWs(`ws://127.0.0.1:${http}${path}`, undefined, origin ? { origin } : {});
      await ws.close();
    }
  });

  it('counts rates and the kernel\'s receive-buffer drops: received + kernel drops = sent, under a flood', async () => {
    const r0 = bridge.stats();
    expect(r0.kernel.source).toBe('socket');
    const sent = 20_000;
    // The flood comes from another process while this one is kept busy, so the socket's buffer overflows for real.
    const child = spawn(process.execPath, ['-e', `
      const s = require('node:dgram').createSocket('udp4');
      const buf = Buffer.from(${JSON.stringify([...typedMessage('/sitter/walk/jitter', ['f', 0.5])])});
      let done = 0, failed = 0;
      for (let i = 0; i < ${sent}; i++) s.send(buf, ${bridge.ports.udp}, '127.0.0.1', (e) => { if (e) failed++; if (++done === ${sent}) { console.log(failed); s.close(); } });
    `], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      // Busy on purpose: the bridge cannot read while the child sends.
    }
    await new Promise<void>((r) => child.once('exit', () => r()));
    const failed = Number(out.trim());
    await waitFor('the flood counted', () => {
      const s = bridge.stats();
      return s.received - r0.received + (s.kernel.drops ?? 0) - (r0.kernel.drops ?? 0) >= sent - failed;
    }, 5000);
    const s = bridge.stats();
    const received = s.received - r0.received;
    const kernel = (s.kernel.drops ?? 0) - (r0.kernel.drops ?? 0);
    console.log(`flood: sent ${sent - failed} (send errors ${failed}), bridge received ${received}, kernel dropped ${kernel}, forwarded ${s.forwarded - r0.forwarded}`);
    expect(received + kernel).toBe(sent - failed);
    expect(kernel).toBeGreaterThan(0);
    expect(s.receivedPerSecond).toBeGreaterThan(0);
    const c = bridge.counters();
    expect(c.kernelDrops).toBe(s.kernel.drops);
    await waitFor('stats reach the page', () => page.text.map((t) => JSON.parse(t) as { type: string; stats?: { kernelDrops: number } }).find((m) => m.type === 'stats' && (m.stats?.kernelDrops ?? 0) > 0), 3000);
  });
});
