import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OSC from 'osc-js';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { startBridge, type BridgeHandle } from '../../kiosk/bridge/index.ts';
import { OriginPolicy } from '../../kiosk/net/origin-policy.ts';
import { CHROMIUM_PATH, chromiumArgs } from '../support/chromium.ts';
import type {} from './pages/osc-page.ts';
import { getJson, openUdp, typedMessage, waitFor, type Udp } from './pages/osc-net.ts';

/**
 * Desk → bridge → page → bus, for real: UDP from Node, the kiosk bridge, and headless Chromium running the OSC
 * client, router, feedback and a ParameterBus; feedback comes back to a Node UDP socket.
 */
describe('OSC desk to the page in Chromium', () => {
  let bridge: BridgeHandle;
  let vite: ViteDevServer;
  let browser: Browser;
  let page: Page;
  let desk: Udp;
  let deskIn: Udp;
  const pageErrors: string[] = [];

  const target = (name: string): Promise<unknown> => page.evaluate((n) => window.__osc?.target(n), name);
  const send = (bytes: Uint8Array): Promise<void> => desk.send(bytes, bridge.ports.udp);
  let pagePort: number | null = null;
  // The test page comes from Vite's port: for the bridge that is the kiosk page's origin.
  const startOn = (udp: number, http: number): Promise<BridgeHandle> =>
    startBridge({
      udp: { host: '127.0.0.1', port: udp },
      http: { host: '127.0.0.1', port: http },
      feedback: { host: '127.0.0.1', port: deskIn.port },
      origins: new OriginPolicy({ pagePort: () => pagePort }),
    });

  beforeAll(async () => {
    desk = await openUdp();
    deskIn = await openUdp();
    vite = await createServer({ root: process.cwd(), configFile: false, logLevel: 'error', server: { host: '127.0.0.1', port: 0, hmr: false } });
    await vite.listen();
    const address = vite.httpServer?.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    pagePort = port;
    bridge = await startOn(0, 0);
    // No camera here: the fake-capture flag only needs some path.
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs('/dev/null') });
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const ws = `ws://127.0.0.1:${bridge.ports.http}/osc`;
    await page.goto(`http://127.0.0.1:${port}/tests/integration/pages/osc-page.html?ws=${encodeURIComponent(ws)}`);
    await page.waitForFunction(() => window.__osc?.status() === 'open', undefined, { timeout: 60_000 });
    await waitFor('the page on the bridge', () => bridge.stats().pages === 1);
  });

  afterAll(async () => {
    await browser?.close();
    await vite?.close();
    await bridge?.close();
    await desk?.close();
    await deskIn?.close();
  });

  it('sends the desk a full picture when the page connects', async () => {
    const m = await waitFor('full dump', () => deskIn.received.find((r) => r.address === '/sitter/walk/mode'));
    expect(m.args).toEqual(['tour']);
  });

  it('moves the page\'s bus from a UDP message, as the desk', async () => {
    await send(typedMessage('/sitter/walk/speed', ['f', 2.5]));
    await waitFor('walk/speed 2.5 in the page', async () => (await target('walk/speed')) === 2.5);
    expect(await page.evaluate(() => window.__osc?.owner('walk/speed'))).toBe('desk');
  });

  it('applies a timetagged bundle when it is due, commands included', async () => {
    // Far enough ahead that a busy machine still reads the plain message below before the bundle is due.
    const at = Date.now() + 800;
    const bundle = new OSC.Bundle([new OSC.Message('/sitter/cue/go'), new OSC.Message('/sitter/cue/7', 1)], at);
    await send(bundle.pack());
    await send(typedMessage('/sitter/grade/tint', ['f', 0.5]));
    await waitFor('tint', async () => (await target('grade/tint')) === 0.5);
    const early = await page.evaluate(() => window.__osc?.commands.length);
    const commands = await waitFor('cue commands', () => page.evaluate(() => (window.__osc && window.__osc.commands.length >= 2 ? window.__osc.commands : undefined)));
    expect(Date.now()).toBeGreaterThanOrEqual(at - 5);
    expect(early).toBe(0);
    expect(commands).toEqual([{ kind: 'cue-go' }, { kind: 'cue-goto', index: 7 }]);
  });

  it('sends feedback for changes from other sources, but no echo of the desk\'s own value', async () => {
    await page.evaluate(() => window.__osc?.set('grain/amount', 0.7, 'cue'));
    const m = await waitFor('grain feedback', () => deskIn.received.find((r) => r.address === '/sitter/grain/amount' && Math.abs((r.args[0] as number) - 0.08) > 1e-3));
    expect(m.args[0]).toBeCloseTo(0.7, 6);
    // The desk sent walk/speed 2.5 in its own unit: the 0..1 form follows, the unit form is not bounced back.
    const norm = await waitFor('norm feedback for walk/speed', () => deskIn.received.find((r) => r.address === '/sitter/norm/walk/speed' && Math.abs((r.args[0] as number) - 0.25) > 1e-3));
    expect(norm.args[0]).toBeCloseTo(0.625, 6);
    expect(deskIn.received.filter((r) => r.address === '/sitter/walk/speed').map((r) => r.args[0])).toEqual([1]);
  });

  it('serves the page\'s values over OSCQuery', async () => {
    const v = await waitFor('OSCQuery VALUE', async () => {
      const r = await getJson(`http://127.0.0.1:${bridge.ports.http}/sitter/walk/speed?VALUE`);
      const body = r.body as { VALUE?: unknown[] };
      return body.VALUE?.[0] === 2.5 ? body : undefined;
    });
    expect(v).toEqual({ VALUE: [2.5] });
  });

  it('drops bad input by reason, clamps out of range, and keeps working', async () => {
    await send(typedMessage('/sitter/walk/speed', ['s', 'fast']));
    await send(typedMessage('/sitter/walk/speed', ['f', Number.NaN]));
    await send(typedMessage('/sitter/walk/speed', ['d', Number.POSITIVE_INFINITY]));
    await send(typedMessage('/sitter/walk/speed', ['I', null]));
    await send(typedMessage('/sitter/no/such/thing', ['f', 1]));
    await send(typedMessage('/sitter/status/fps', ['f', 1]));
    await send(Buffer.from('not osc at all!!'));
    await send(typedMessage('/sitter/grade/exposure', ['f', 99]));
    await waitFor('clamped exposure', async () => (await target('grade/exposure')) === 3);
    const stats = await page.evaluate(() => window.__osc?.stats());
    // NaN and Infinity never leave the bridge (so they cannot coalesce away a good value); the page judges the rest.
    expect(stats?.dropped).toMatchObject({ 'wrong-type': 1, 'not-finite': 0, 'unknown-address': 1, 'read-only': 1 });
    expect(stats?.clamped).toBe(1);
    expect(bridge.stats().dropped).toMatchObject({ malformed: 1, 'not-finite': 3 });
    expect(await target('walk/speed')).toBe(2.5);
  });

  it('takes a flood of 10,000 messages in one second and ends on the last value', async () => {
    const start = Date.now();
    const framesBefore = await page.evaluate(() => window.__osc?.frames() ?? 0);
    for (let i = 1; i <= 10_000; i++) {
      void desk.send(typedMessage('/sitter/walk/jitter', ['f', (i % 1000) / 1000]), bridge.ports.udp);
      if (i % 10 === 0) await new Promise((r) => setImmediate(r));
      if (i % 500 === 0) await new Promise((r) => setTimeout(r, Math.max(0, start + i / 10 - Date.now())));
    }
    await new Promise((r) => setTimeout(r, 100));
    await send(typedMessage('/sitter/walk/jitter', ['f', 0.375]));
    await waitFor('the value after the flood', async () => (await target('walk/jitter')) === 0.375);
    const framesAfter = await page.evaluate(() => window.__osc?.frames() ?? 0);
    // The page kept drawing frames through the flood (headless rAF runs at ~60 Hz; be lenient on a busy machine).
    expect(framesAfter - framesBefore).toBeGreaterThan(10);
    const stats = await page.evaluate(() => window.__osc?.stats());
    expect(stats?.applied).toBeGreaterThan(0);
  });

  it('reconnects with backoff when the bridge restarts on the same ports', async () => {
    const ports = bridge.ports;
    await bridge.close();
    await page.waitForFunction(() => window.__osc?.status() !== 'open', undefined, { timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 400));
    expect(await page.evaluate(() => window.__osc?.attempts() ?? 0)).toBeGreaterThan(0);
    bridge = await startOn(ports.udp, ports.http ?? 0);
    await page.waitForFunction(() => window.__osc?.status() === 'open', undefined, { timeout: 20_000 });
    await waitFor('page back on the bridge', () => bridge.stats().pages === 1);
    await send(typedMessage('/sitter/walk/speed', ['f', 1.5]));
    await waitFor('walk/speed after reconnect', async () => (await target('walk/speed')) === 1.5);
  });

  it('leaves no timer and no socket after dispose', async () => {
    await page.evaluate(() => window.__osc?.dispose());
    expect(await page.evaluate(() => window.__osc?.status())).toBe('disposed');
    expect(await page.evaluate(() => window.__osc?.liveClientTimers())).toBe(0);
    await waitFor('page gone from the bridge', () => bridge.stats().pages === 0);
    expect(pageErrors).toEqual([]);
  });
});
