import { createSocket } from 'node:dgram';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OSC from 'osc-js';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, chromiumArgs } from '../support/chromium.ts';
import { TMP_DIR, personVideoPath } from '../support/fake-camera.ts';
import { startKiosk, startKioskExpectingFailure, type KioskProcess } from '../support/kiosk-process.ts';

/** `npm start` end to end: the real kiosk server and bridge, the built page in headless Chromium, real UDP. */

async function sendOsc(port: number, address: string, types: string, ...args: Array<number | string>): Promise<void> {
  const msg = new OSC.TypedMessage(address, []);
  types.split('').forEach((t, i) => msg.add(t as 'f' | 'i' | 's', args[i] as number | string));
  const bytes = msg.pack();
  const sock = createSocket('udp4');
  await new Promise<void>((r, j) => sock.send(bytes, port, '127.0.0.1', (e) => (e ? j(e) : r())));
  sock.close();
}

async function waitFor<T>(page: Page, fn: () => T, what: string, timeoutMs = 90_000): Promise<void> {
  try {
    await page.waitForFunction(fn, undefined, { timeout: timeoutMs, polling: 250 });
  } catch (e) {
    const state = await page.evaluate(() => document.body.innerText).catch(() => '');
    throw new Error(`timed out waiting for ${what}; page says: ${state.slice(0, 500)}`, { cause: e });
  }
}

describe('npm start runs the installation', () => {
  let kiosk: KioskProcess;
  let browser: Browser;

  beforeAll(async () => {
    kiosk = await startKiosk(['--show', 'demo']);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs(personVideoPath()) });
  });

  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
  });

  it('shows portraits from the bundled model, morphing, with the heartbeat reaching /health', async () => {
    const page = await browser.newPage({ viewport: { width: 640, height: 360 } });
    await page.goto(kiosk.url);
    await waitFor(page, () => window.sitter?.phase() === 'running' && window.sitter.framesPresented() >= 3, 'the demo to run');
    const v = await page.evaluate(() => window.sitter?.vitals());
    expect(v?.backend).toBe('webgl');
    // A landscape screen letterboxes the square portrait: black bars left and right, a picture in the middle.
    const png = await page.screenshot();
    const { decodePng } = await import('../../tools/lib/png.ts');
    const img = decodePng(png);
    const at = (x: number, y: number): number[] => {
      const i = (y * img.width + x) * img.channels;
      return [img.data[i] as number, img.data[i + 1] as number, img.data[i + 2] as number];
    };
    expect(Math.max(...at(10, 180))).toBeLessThan(12);
    expect(Math.max(...at(630, 180))).toBeLessThan(12);
    const centre: number[] = [];
    for (let y = 100; y < 260; y += 8) for (let x = 240; x < 400; x += 8) centre.push(...at(x, y));
    const mean = centre.reduce((a, b) => a + b, 0) / centre.length;
    const sd = Math.sqrt(centre.reduce((a, b) => a + (b - mean) ** 2, 0) / centre.length);
    expect(sd, 'the portrait area has structure, not a flat colour').toBeGreaterThan(10);
    // The page beats; the server's /health carries its vitals.
    await page.waitForTimeout(2500);
    const health = (await (await fetch(`${kiosk.url}health`)).json()) as { ok: boolean; page: { backend: string; phase: string } | null };
    expect(health.ok).toBe(true);
    expect(health.page?.phase).toBe('running');
    await page.close();
  });

  it("names the model's steering directions in OSCQuery, for desks that build their controls from it", async () => {
    const directions = JSON.parse(readFileSync(join(import.meta.dirname, '../../models/default/directions.json'), 'utf8')) as { directions: { name: string }[] };
    const node = async (path: string): Promise<{ DESCRIPTION?: string }> => (await fetch(`http://127.0.0.1:${kiosk.oscQueryPort}${path}`)).json() as Promise<{ DESCRIPTION?: string }>;
    expect((await node('/sitter/steer/0')).DESCRIPTION).toBe(`Steers "${directions.directions[0]?.name}" (direction 0 of models/default), in standard deviations.`);
    expect((await node('/sitter/grade/contrast')).DESCRIPTION).not.toMatch(/Steers/);
  });

  it('lets the desk set a parameter and fire a cue over real UDP, and keeps both across a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 180 } });
    await page.goto(kiosk.url);
    await waitFor(page, () => window.sitter?.deskStatus() === 'open' && window.sitter.phase() === 'running', 'the desk bridge');
    await sendOsc(kiosk.udpPort, '/sitter/grade/contrast', 'f', 1.5);
    await waitFor(page, () => window.sitter?.values()['grade/contrast'] === 1.5, 'the desk value on the bus', 20_000);
    const before = await page.evaluate(() => window.sitter?.vitals().cue ?? -2);
    await sendOsc(kiosk.udpPort, '/sitter/cue/go', 'i', 1);
    await page.waitForFunction((c) => (window.sitter?.vitals().cue ?? -2) !== c, before, { timeout: 20_000 });
    const cue = await page.evaluate(() => window.sitter?.vitals().cue ?? -2);
    // The kiosk server stores the state about once a second; a reload (or a browser crash) comes back to it.
    await page.waitForTimeout(2500);
    await page.reload();
    await waitFor(page, () => window.sitter?.phase() === 'running', 'the reloaded page');
    expect(await page.evaluate(() => window.sitter?.vitals().cue)).toBe(cue);
    expect(await page.evaluate(() => window.sitter?.values()['grade/contrast'])).toBe(1.5);
    await page.close();
  });
});

describe('npm start refuses what is broken, and says why', () => {
  it('refuses a broken show file, naming each path and what was expected', async () => {
    mkdirSync(TMP_DIR, { recursive: true });
    const file = join(TMP_DIR, 'broken-show.json');
    writeFileSync(file, JSON.stringify({ model: 'default', cues: [{ fade: 'fast', targets: { 'grade/contrst': 1 } }] }));
    const r = await startKioskExpectingFailure(['--show', file]);
    expect(r.code).toBe(1);
    expect(r.output).toContain('cues[0].fade: expected a number of seconds ≥ 0, got "fast"');
    expect(r.output).toContain('grade/contrst');
  });

  it('shows a readable status, not a blank page, when the model is missing', async () => {
    const demo = JSON.parse(readFileSync('show-configs/demo.json', 'utf8')) as Record<string, unknown>;
    const file = join(TMP_DIR, 'no-model.json');
    writeFileSync(file, JSON.stringify({ ...demo, name: 'no-model', model: 'not-installed' }));
    const kiosk = await startKiosk(['--show', file]);
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs(personVideoPath()) });
    try {
      const page = await browser.newPage({ viewport: { width: 640, height: 360 } });
      await page.goto(kiosk.url);
      await waitFor(page, () => window.sitter?.phase() === 'error', 'the model failure to be reported');
      const text = await page.evaluate(() => document.body.innerText);
      expect(text).toMatch(/not-installed/);
      expect(text).toMatch(/card\.json/);
    } finally {
      await browser.close();
      await kiosk.stop();
    }
  });
});
