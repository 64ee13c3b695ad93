import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OSC from 'osc-js';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGenerator, tinyStyleGan2 } from '../../src/core/stylegan/index.ts';
import { importPickle } from '../../tools/import/import.ts';
import { CHROMIUM_PATH, chromiumArgs } from '../support/chromium.ts';
import { personVideoPath } from '../support/fake-camera.ts';
import { startKiosk, type KioskProcess } from '../support/kiosk-process.ts';
import { nvidiaNetworkPickle } from '../support/pickle-writer/stylegan.ts';

/**
 * An artist's StyleGAN file, end to end: a training pickle in NVIDIA's on-disk structure is imported with the real
 * importer into a gallery's own models folder, and a show naming it runs under the real `npm start` process
 * (`--models <dir>`): the page walks it on WebGL, the desk steers it over real UDP and a visitor in front of the
 * (fake) camera steers it through a pose mapping (each including a StyleGAN-only parameter), and the card's credits,
 * filled in by the gallery, are on screen.
 */

async function sendOsc(port: number, address: string, types: string, ...args: Array<number | string>): Promise<void> {
  const msg = new OSC.TypedMessage(address, []);
  types.split('').forEach((t, i) => msg.add(t as 'f' | 'i' | 's', args[i] as number | string));
  const sock = createSocket('udp4');
  await new Promise<void>((r, j) => sock.send(msg.pack(), port, '127.0.0.1', (e) => (e ? j(e) : r())));
  sock.close();
}

async function waitFor(page: Page, fn: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
  try {
    await page.waitForFunction(fn, undefined, { timeout: timeoutMs, polling: 250 });
  } catch (e) {
    const state = await page.evaluate(() => document.body.innerText).catch(() => '');
    throw new Error(`timed out waiting for ${what}; page says: ${state.slice(0, 500)}`, { cause: e });
  }
}

const CREDITS = 'Tiny Portraits by A. Artist (imported StyleGAN2, test)';

describe('an imported StyleGAN model in a show under npm start', () => {
  const work = mkdtempSync(join(tmpdir(), 'sitter-stylegan-show-'));
  const modelsDir = join(work, 'models');
  let kiosk: KioskProcess;
  let browser: Browser;

  beforeAll(async () => {
    const net = buildGenerator(tinyStyleGan2({ resolution: 16 }), { seed: 7, init: 'trained-like' });
    const pkl = join(work, 'network-snapshot-000100.pkl');
    writeFileSync(pkl, nvidiaNetworkPickle(net));
    const imported = importPickle({ input: pkl, id: 'tiny-artist', modelsDir });
    // What the gallery does after importing: fill in the provenance the pickle cannot know.
    const cardFile = join(imported.dir, 'card.json');
    const card = JSON.parse(readFileSync(cardFile, 'utf8')) as { provenance: Record<string, unknown> };
    card.provenance = {
      authors: ['A. Artist'],
      trainingData: 'the artist’s own drawings',
      dataLicences: [{ source: 'the artist', licence: 'all rights reserved, shown with permission', url: 'https://example.org/artist' }],
      licence: 'shown with the artist’s permission',
      consent: 'no people in the data',
      credits: CREDITS,
    };
    writeFileSync(cardFile, JSON.stringify(card, null, 2));
    const show = {
      name: 'imported-stylegan',
      model: 'tiny-artist',
      walk: { mode: 'tour', 'keyframe-seconds': 2 },
      // Credits shown for the last 5.9 s of every 6 s: on screen almost at once.
      credits: { everyMinutes: 0.1, seconds: 5.9 },
      // The fake camera plays a person: their presence drives a StyleGAN-only parameter.
      pose: {
        enabled: true,
        delegate: 'CPU',
        model: 'lite',
        maxPeople: 1,
        presence: { enterSeconds: 0.3, leaveSeconds: 4 },
        mappings: [{ feature: 'presence', param: 'style/noise-strength', inputRange: [0, 1], outputRange: [0.5, 1.5], smoothing: 0 }],
      },
    };
    const showFile = join(work, 'imported-stylegan.json');
    writeFileSync(showFile, JSON.stringify(show));
    kiosk = await startKiosk(['--show', showFile, '--models', modelsDir]);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs(personVideoPath()) });
  });

  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('walks the imported network on the GPU, takes the desk and the visitor, and credits the artist', async () => {
    const page = await browser.newPage({ viewport: { width: 480, height: 270 } });
    await page.goto(kiosk.url);
    await waitFor(page, () => window.sitter?.phase() === 'running' && window.sitter.framesPresented() >= 3, 'the imported model to run');
    expect((await page.evaluate(() => window.sitter?.vitals()))?.backend).toBe('webgl');

    // The desk steers it over real UDP: a parameter every model has, and one only a StyleGAN uses.
    await sendOsc(kiosk.udpPort, '/sitter/walk/truncation', 'f', 0.3);
    await sendOsc(kiosk.udpPort, '/sitter/style/noise-mode', 's', 'none');
    await waitFor(
      page,
      () => {
        const v = window.sitter?.values();
        // OSC floats are float32: 0.3 arrives as 0.30000001192…
        return Math.abs(Number(v?.['walk/truncation']) - 0.3) < 1e-6 && v?.['style/noise-mode'] === 'none';
      },
      'the desk values to reach the bus',
      30_000,
    );
    // A visitor: presence maps onto style/noise-strength (1.5 when someone is there).
    await waitFor(
      page,
      () => {
        const v = window.sitter?.values();
        return v?.['status/presence'] === true && Math.abs(Number(v['style/noise-strength']) - 1.5) < 1e-6;
      },
      'the visitor to steer style/noise-strength',
      60_000,
    );
    // …and the walk goes on with them.
    const before = await page.evaluate(() => window.sitter?.framesPresented() ?? 0);
    await page.waitForFunction((n) => (window.sitter?.framesPresented() ?? 0) >= n + 2, before, { timeout: 60_000 });

    // The gallery's credits line from the card, on screen on the show's schedule.
    await page.waitForFunction(
      (text) => {
        const el = document.querySelector<HTMLElement>('[data-sitter="credits"]');
        return el !== null && el.innerText.includes(text) && Number(getComputedStyle(el).opacity) > 0.5;
      },
      CREDITS,
      { timeout: 30_000, polling: 250 },
    );
    await page.close();
  });
});
