import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, chromiumArgs } from '../support/chromium.ts';
import { personVideoPath } from '../support/fake-camera.ts';
import { startKiosk, type KioskProcess } from '../support/kiosk-process.ts';
import { getJson, openUdp, typedMessage, waitFor } from './pages/osc-net.ts';

/**
 * The pages themselves on two screens: a leader and a follower kiosk (clocks shifted apart on purpose), each page
 * in headless Chromium at a tiny size. Both pages walk the relayed lane; their shared latent at a published tick
 * equals the leader kiosk's, bit for bit, and the follower page mirrors the leader's desk onto its own bus. The show
 * pulses a walk parameter on the beat: every lane computes it from the tempo the leading page sends when the desk's
 * beats correct it (screens protocol 3), so the latents agree bit for bit with the pulse running too.
 */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

type Probe = { tick: number; latent: number[] } | null;

async function pageProbe(page: Page): Promise<Probe> {
  return page.evaluate(() => window.sitter?.screen()?.probe ?? null);
}

async function kioskProbe(k: KioskProcess): Promise<Probe> {
  const r = await getJson(`${k.url}health`);
  return ((r.body as { screens?: { probe: Probe } }).screens?.probe) ?? null;
}

describe('several screens: the pages walk the leader\'s lane', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitter-screens-page-'));
  const showFile = join(dir, 'pair.json');
  let leader: KioskProcess;
  let follower: KioskProcess;
  let browser: Browser;

  beforeAll(async () => {
    writeFileSync(showFile, JSON.stringify({
      model: 'default',
      walk: { mode: 'tour' },
      tempo: { pulses: [{ param: 'walk/jitter', every: 'beat', range: [0, 0.5], attack: 0.02, decay: 0.2 }, { param: 'grade/exposure', every: 'beat', range: [0, 0.3] }] },
      screens: { leader: 'a', list: [{ id: 'a' }, { id: 'b', timeOffset: -1, tile: { columns: 2, rows: 1, column: 1, row: 0 } }] },
    }));
    const port = await freePort();
    leader = await startKiosk(['--show', showFile, '--screen', 'a', '--port', String(port)], { env: { SITTER_TEST_CLOCK_OFFSET_MS: '900' } });
    follower = await startKiosk(['--show', showFile, '--screen', 'b', '--leader', `127.0.0.1:${port}`], { env: { SITTER_TEST_CLOCK_OFFSET_MS: '-1300' } });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs(personVideoPath()) });
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([leader?.stop(), follower?.stop()]);
  });

  it('both pages show the shared walk bit for bit, and the follower\'s bus takes the leader\'s desk', async () => {
    const pages = await Promise.all([leader, follower].map(async (k) => {
      const p = await browser.newPage({ viewport: { width: 320, height: 180 } });
      await p.goto(k.url);
      return p;
    }));
    for (const p of pages) await p.waitForFunction(() => window.sitter?.phase() === 'running' && window.sitter.screen()?.following === true, undefined, { timeout: 90_000, polling: 250 });
    const desk = await openUdp();
    await desk.send(typedMessage('/sitter/grade/contrast', ['f', 1.5]), leader.udpPort);
    await desk.send(typedMessage('/sitter/walk/speed', ['f', 1.4]), leader.udpPort);
    for (let i = 0; i < 4; i++) {
      await desk.send(typedMessage('/sitter/tempo/beat'), leader.udpPort);
      await new Promise((r) => setTimeout(r, 400));
    }
    await desk.close();
    // The page sends its tempo on connecting and in the first frame after each correction; nothing per frame (the
    // kiosk holds it to 20/s anyway). Beats that land in one frame make one report: on a loaded machine the page draws
    // about a frame a second, so the four beats 400 ms apart may make as few as one.
    const tempoStamped = await waitFor('the leading page\'s tempo to be stamped', async () => {
      const r = await getJson(`${leader.url}health`);
      const n = (r.body as { screens?: { pageTempo?: { stamped: number } } }).screens?.pageTempo?.stamped ?? 0;
      return n >= 2 ? n : false;
    }, 30_000, 200);
    expect(tempoStamped).toBeLessThan(20);
    const [pa, pb] = pages as [Page, Page];
    const tick = await waitFor('both pages and the leader kiosk to agree', async () => {
      const [a, b, k] = await Promise.all([pageProbe(pa), pageProbe(pb), kioskProbe(leader)]);
      if (!a || !b || !k || a.tick !== k.tick || b.tick !== k.tick) return false;
      return a.latent.every((x, i) => x === k.latent[i]) && b.latent.every((x, i) => x === k.latent[i]) ? k.tick : false;
    }, 30_000, 200);
    expect(tick).toBeGreaterThan(0);
    // The follower's page has no desk of its own: its contrast is the leader's, through the lane.
    await pb.waitForFunction(() => window.sitter?.values()['grade/contrast'] === 1.5, undefined, { timeout: 10_000, polling: 100 });
    expect(await pb.evaluate(() => window.sitter?.framesPresented() ?? 0)).toBeGreaterThan(0);
    for (const p of pages) await p.close();
  });
});
