import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, chromiumArgs } from '../support/chromium.ts';
import { startKiosk, type KioskProcess } from '../support/kiosk-process.ts';
import { waitFor } from './pages/osc-net.ts';

/** A one-page site on its own port: the "other origin" a visitor's or operator's browser might have open. */
async function site(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

interface Attempt {
  readonly heartbeat: string;
  readonly log: string;
  readonly state: string;
  readonly form: string;
  readonly pageSocket: string;
  readonly oscQuerySocket: string;
}

/** Everything a page can fire at the kiosk without the user's help; run inside that page. */
function attack(page: Page, kiosk: string, oscQueryPort: number): Promise<Attempt> {
  return page.evaluate(
    async ({ kiosk, oscQueryPort }) => {
      const settle = (p: Promise<Response>): Promise<string> => p.then((r) => (r.type === 'opaque' ? 'sent (opaque)' : String(r.status)), () => 'blocked');
      const socket = (url: string): Promise<string> =>
        new Promise((resolve) => {
          const ws = new WebSocket(url);
          ws.onopen = () => {
            ws.close();
            resolve('open');
          };
          ws.onerror = () => resolve('refused');
        });
      // no-cors POSTs with a text/plain body need no preflight: the browser sends them, the server must refuse.
      const heartbeat = await settle(fetch(`${kiosk}api/heartbeat`, { method: 'POST', mode: 'no-cors', body: JSON.stringify({ fps: 60, phase: 'running', backend: 'FORGED' }) }));
      const log = await settle(fetch(`${kiosk}api/log`, { method: 'POST', mode: 'no-cors', body: JSON.stringify({ level: 'error', message: 'FORGED' }) }));
      const state = await settle(fetch(`${kiosk}api/state/forged`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{"cue":3}' }));
      // A form in a hidden frame: a navigation, so no CORS at all.
      const form = await new Promise<string>((resolve) => {
        const frame = document.createElement('iframe');
        frame.name = 'sink';
        document.body.append(frame);
        const f = document.createElement('form');
        f.method = 'POST';
        f.action = `${kiosk}api/log`;
        f.enctype = 'text/plain';
        f.target = 'sink';
        const input = document.createElement('input');
        input.name = '{"level":"error","message":"FORGED-FORM","x":"';
        input.value = '"}';
        f.append(input);
        document.body.append(f);
        frame.onload = () => resolve('submitted');
        f.submit();
      });
      const pageSocket = await socket(`${kiosk.replace(/^http/, 'ws')}osc`);
      const oscQuerySocket = await socket(`ws://127.0.0.1:${oscQueryPort}/`);
      return { heartbeat, log, state, form, pageSocket, oscQuerySocket };
    },
    { kiosk, oscQueryPort },
  );
}

/**
 * The kiosk (`npm start`'s process) against pages from other origins in real Chromium: an unrelated site, a DNS
 * rebinding name, and a desk tool the show allows. Only the kiosk page and the allowed tool get through.
 */
describe('no other web page may drive the show', () => {
  let kiosk: KioskProcess;
  let browser: Browser;
  let evil: Awaited<ReturnType<typeof site>>;
  let tool: Awaited<ReturnType<typeof site>>;
  let kioskPort: number;

  type Health = { ok: boolean; page: { backend: string } | null; osc?: { pages: number } & Record<string, unknown> };
  const health = async (): Promise<Health> => (await fetch(`${kiosk.url}health`)).json() as Promise<Health>;

  beforeAll(async () => {
    evil = await site();
    tool = await site();
    const showFile = join(mkdtempSync(join(tmpdir(), 'sitter-show-')), 'origins.json');
    const demo = JSON.parse(readFileSync(join(import.meta.dirname, '../../show-configs/demo.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(showFile, JSON.stringify({ ...demo, name: 'origins', osc: { allowOrigins: [tool.origin] } }));
    kiosk = await startKiosk(['--show', showFile]);
    kioskPort = Number(new URL(kiosk.url).port);
    // evil.example resolves to this machine, as a rebinding attacker's DNS would make it.
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...chromiumArgs('/dev/null'), '--host-resolver-rules=MAP evil.example 127.0.0.1'] });
  });

  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
    await new Promise((r) => evil?.server.close(r));
    await new Promise((r) => tool?.server.close(r));
  });

  it('refuses a page from another origin: no-cors POSTs, a JSON PUT, a form, both WebSockets', async () => {
    const page = await browser.newPage();
    await page.goto(`${evil.origin}/`);
    const r = await attack(page, kiosk.url, kiosk.oscQueryPort);
    await page.close();
    expect(r).toMatchObject({ state: 'blocked', pageSocket: 'refused', oscQuerySocket: 'refused' });
    // The server side: nothing forged arrived.
    const h = await health();
    expect(h.page).toBeNull();
    expect(h.ok).toBe(false);
    expect(h.osc?.pages).toBe(0);
    expect(existsSync(join(kiosk.stateDir, 'forged.json'))).toBe(false);
    const log = readFileSync(join(kiosk.stateDir, 'sitter.log'), 'utf8');
    expect(log).not.toMatch(/FORGED/);
    const refused = log.trim().split('\n').map((l) => JSON.parse(l) as { event: string; status?: number; method?: string; socket?: string });
    const seen = refused.filter((e) => e.status === 403).map((e) => `${e.event} ${e.method ?? e.socket}`);
    // POST heartbeat, POST log, the PUT's preflight (OPTIONS), the form's POST; the page and OSCQuery sockets.
    expect(seen).toEqual(['http-refused POST', 'http-refused POST', 'http-refused OPTIONS', 'http-refused POST', 'ws-refused page', 'ws-refused OSCQuery']);
  });

  it('refuses a DNS-rebinding name before serving anything (421)', async () => {
    const page = await browser.newPage();
    const res = await page.goto(`http://evil.example:${kioskPort}/`);
    expect(res?.status()).toBe(421);
    await page.goto(`http://evil.example:${(evil.server.address() as AddressInfo).port}/`);
    const r = await attack(page, `http://evil.example:${kioskPort}/`, kiosk.oscQueryPort);
    await page.close();
    expect(r.pageSocket).toBe('refused');
    expect((await health()).page).toBeNull();
  });

  it('lets the desk tool the show lists open both sockets', async () => {
    const page = await browser.newPage();
    await page.goto(`${tool.origin}/`);
    const r = await attack(page, kiosk.url, kiosk.oscQueryPort);
    await page.close();
    expect(r).toMatchObject({ pageSocket: 'open', oscQuerySocket: 'open' });
  });

  it('still runs its own page: heartbeat, log and the desk socket get through, and no load hits a 404', async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 180 } });
    const missing: string[] = [];
    page.on('response', (res) => {
      if (res.status() === 404) missing.push(res.url());
    });
    await page.goto(kiosk.url);
    const h = await waitFor('the page\'s heartbeat and desk socket', async () => {
      const x = await health();
      return x.page !== null && x.osc?.pages === 1 ? x : undefined;
    }, 60_000, 250);
    expect(h.page?.backend).not.toBe('FORGED');
    const same = await page.evaluate(async () => {
      const r = await fetch('/api/log', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ level: 'info', message: 'from the page itself' }) });
      const plain = await fetch('/api/log', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' });
      return { json: r.status, plain: plain.status, nosniff: r.headers.get('x-content-type-options') };
    });
    expect(same).toEqual({ json: 200, plain: 415, nosniff: 'nosniff' });
    // /health carries the bridge's figures, and the HUD shows them (key h).
    expect((await health()).osc).toMatchObject({ received: expect.any(Number), receivedPerSecond: expect.any(Number), forwardedPerSecond: expect.any(Number), kernelDropsSource: 'socket', kernelDrops: 0, pages: 1 });
    await page.keyboard.press('h');
    await page.waitForFunction(() => document.querySelector('[data-row="osc/kernel-drops"]')?.textContent === '0', undefined, { timeout: 10_000 });
    await page.close();
    expect(missing).toEqual([]);
  });
});
